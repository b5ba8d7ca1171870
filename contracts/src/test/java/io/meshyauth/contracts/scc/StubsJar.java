package io.meshyauth.contracts.scc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;

/** The stubs jar of the package phase, as a consumer of our stubs would fetch it. */
public final class StubsJar {
  private StubsJar() {
  }

  /** Failsafe passes the jar's path; the fallback serves a run from the module folder, e.g. in an IDE. */
  public static Path path() {
    var configured = System.getProperty("contracts.stubs.jar");
    if (configured != null) {
      return Path.of(configured);
    }
    try (var built = Files.newDirectoryStream(Path.of("target"), "*-stubs.jar")) {
      var jars = built.iterator();
      return jars.hasNext() ? jars.next() : Path.of("target", "no-stubs.jar");
    } catch (IOException e) {
      return Path.of("target", "no-stubs.jar");
    }
  }

  /** The WireMock mappings by entry name, packed under META-INF/{groupId}/{artifactId}/{version}/mappings. */
  public static Map<String, String> mappings() {
    return entries("/mappings/", ".json");
  }

  /** The contracts the mappings were made from, packed beside them under .../contracts. */
  public static Map<String, String> contracts() {
    return entries("/contracts/", ".yml");
  }

  private static Map<String, String> entries(String folder, String suffix) {
    var jarPath = path();
    if (!Files.isRegularFile(jarPath)) {
      throw new IllegalStateException("no stubs jar at " + jarPath.toAbsolutePath() + ": run mvn verify");
    }
    var mappings = new LinkedHashMap<String, String>();
    try (var jar = new ZipFile(jarPath.toFile())) {
      for (var entry : Collections.list(jar.entries())) {
        if (entry.getName().contains(folder) && entry.getName().endsWith(suffix)) {
          try (var in = jar.getInputStream(entry)) {
            mappings.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + jarPath, e);
    }
    return mappings;
  }
}
