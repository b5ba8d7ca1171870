package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way (README, "Modules and request flow"), and so do imports: a package imports only packages
 * below it, never one above, so there is no import cycle. Read from the sources, as a reviewer would.
 */
class LayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/io/meshyauth/server");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.meshyauth\\.server\\.([a-z.]*?)\\.?[A-Z]",
      Pattern.MULTILINE);
  /** Lower imports nothing higher; equal ranks do not import each other. */
  private static final Map<String, Integer> RANK = Map.ofEntries(
      Map.entry("values", 0), Map.entry("errors", 0), Map.entry("config", 0), Map.entry("events", 0),
      Map.entry("courier", 0), Map.entry("routing", 1), Map.entry("store", 1), Map.entry("password", 1),
      Map.entry("logging", 1), Map.entry("metrics", 1),
      Map.entry("token", 2), Map.entry("limit", 2), Map.entry("store.jdbc", 2), Map.entry("imports", 2),
      // generated from the document: the token operation's form is what a grant reads its request from
      Map.entry("generated.api", 2), Map.entry("generated.model", 2),
      Map.entry("oauth", 3),
      Map.entry("users", 4),
      Map.entry("web", 5),
      Map.entry("", 6),
      Map.entry("fixtures", 7),
      Map.entry("cli", 8));

  @Test
  void noPackageImportsOneAboveIt() throws IOException {
    var backArrows = new ArrayList<String>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        assertThat(RANK).as("every package has a place in the layers: " + from).containsKey(from);
        var matcher = IMPORT.matcher(Files.readString(file));
        while (matcher.find()) {
          var to = matcher.group(1);
          assertThat(RANK).as("imported package %s has a place in the layers", to).containsKey(to);
          if (!to.equals(from) && RANK.get(to) >= RANK.get(from)) {
            backArrows.add(file.getFileName() + " (" + from + ") imports " + to);
          }
        }
      }
    }
    assertThat(backArrows).isEmpty();
  }
}
