package io.meshyauth.server.store.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A secret kept in a file of its own, as secret stores mount them (Docker and Kubernetes secrets, systemd credentials). */
public final class SecretFiles {
  private SecretFiles() {
  }

  /**
   * The file's first line, without its line break. Other users being able to read the file is warned about, not
   * refused: secret mounts are often 0644 inside a container that only the server runs in.
   */
  public static String readFirstLine(Path file) throws IOException {
    var text = Files.readString(file, StandardCharsets.UTF_8);
    OwnerOnlyFiles.warnIfOthersMayRead(file, "a password");
    var line = text.lines().findFirst().orElse("");
    if (line.isEmpty()) {
      throw new IOException("its first line is empty; it must hold the password");
    }
    return line;
  }
}
