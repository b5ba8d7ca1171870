package io.meshyauth.server.store.jdbc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only their owner may read and write (mode 0600), where the file system has POSIX permissions; elsewhere
 * (say, Windows) files get the directory's defaults.
 */
final class OwnerOnlyFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE);
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);

  private OwnerOnlyFiles() {
  }

  /** Creates the empty file, readable by its owner only; {@link FileAlreadyExistsException} if it exists. */
  static void create(Path file) throws IOException {
    Files.createFile(file, attributes(file));
  }

  /** A new empty file beside {@code near}, readable by its owner only. */
  static Path createTemporary(Path near) throws IOException {
    var directory = near.toAbsolutePath().getParent();
    return Files.createTempFile(directory, near.getFileName().toString(), ".tmp", attributes(directory));
  }

  /** Warns when other users may read a file that was there already (created before, or by someone else). */
  static void warnIfOthersMayRead(Path file, String holding) {
    try {
      if (!isPosix(file)) {
        return;
      }
      var permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        LOG.warn("{} holds {} and other users may read it (mode {}): chmod 600 it", file.toAbsolutePath(), holding,
            PosixFilePermissions.toString(permissions));
      }
    } catch (IOException e) {
      LOG.debug("cannot read the permissions of {}", file, e);
    }
  }

  private static FileAttribute<?>[] attributes(Path near) throws IOException {
    return isPosix(near) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path file) throws IOException {
    var existing = Files.exists(file) ? file : file.toAbsolutePath().getParent();
    return Files.getFileStore(existing).supportsFileAttributeView(PosixFileAttributeView.class);
  }
}
