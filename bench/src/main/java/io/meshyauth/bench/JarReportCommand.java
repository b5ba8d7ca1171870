package io.meshyauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The runnable jar's size and the dependencies that take the most of it: for each dependency on the server's
 * runtime classpath, the compressed size of its entries that made it into the jar (the shade filters drop some).
 */
@Command(name = "jar-report", mixinStandardHelpOptions = true, description = "Size of the jar and its biggest dependencies.")
final class JarReportCommand implements Callable<Integer> {
  @Option(names = "--jar", required = true)
  Path jar;

  @Option(names = "--classpath-file", required = true, description = "The server's runtime classpath, as mvn dependency:build-classpath writes it.")
  Path classpathFile;

  @Option(names = "--top", description = "How many dependencies to list (default ${DEFAULT-VALUE}).")
  int top = 10;

  @Option(names = "--json", required = true)
  Path json;

  @Option(names = "--markdown", required = true)
  Path markdown;

  record Dependency(String file, double mib) {
  }

  record JarReport(String jar, double mib, List<Dependency> biggest) {
  }

  @Override
  public Integer call() throws Exception {
    var shaded = compressedSizes(jar);
    var dependencies = new ArrayList<Dependency>();
    for (var entry : Files.readString(classpathFile).trim().split(File.pathSeparator)) {
      var path = Path.of(entry);
      if (Files.isRegularFile(path)) {
        long bytes = compressedSizes(path).keySet().stream().mapToLong(name -> shaded.getOrDefault(name, 0L)).sum();
        dependencies.add(new Dependency(path.getFileName().toString(), bytes / 1024.0 / 1024.0));
      }
    }
    dependencies.sort(Comparator.comparingDouble(Dependency::mib).reversed());
    dependencies.subList(Math.min(top, dependencies.size()), dependencies.size()).clear();
    var report = new JarReport(jar.getFileName().toString(), mib(jar), dependencies);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    var text = new StringBuilder(String.format(Locale.ROOT, "%s: %.1f MiB. Biggest dependencies (their compressed share of it):%n%n",
        report.jar(), report.mib()));
    text.append("| dependency | MiB |\n|---|---|\n");
    dependencies.forEach(d -> text.append(String.format(Locale.ROOT, "| %s | %.1f |%n", d.file(), d.mib())));
    Files.writeString(markdown, text);
    System.out.print(text);
    return 0;
  }

  /** Compressed size of every file entry, by name. */
  private static Map<String, Long> compressedSizes(Path zip) throws IOException {
    var sizes = new HashMap<String, Long>();
    try (var file = new ZipFile(zip.toFile())) {
      file.stream().filter(entry -> !entry.isDirectory())
          .forEach(entry -> sizes.put(entry.getName(), entry.getCompressedSize()));
    }
    return sizes;
  }

  private static double mib(Path path) {
    try {
      return Files.size(path) / 1024.0 / 1024.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
