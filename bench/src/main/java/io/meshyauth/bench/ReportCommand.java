package io.meshyauth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Puts the run's facts and the JSON files of its parts into one document. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Merge facts and JSON parts into one file.")
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--fact", paramLabel = "KEY=VALUE")
  Map<String, String> facts = new LinkedHashMap<>();

  @Option(names = "--part", paramLabel = "KEY=FILE", description = "A JSON file to include under KEY.")
  Map<String, Path> parts = new LinkedHashMap<>();

  @Option(names = "--out", required = true)
  Path out;

  @Override
  public Integer call() throws Exception {
    var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    var root = mapper.createObjectNode();
    facts.forEach(root::put);
    for (var part : parts.entrySet()) {
      root.set(part.getKey(), mapper.readTree(part.getValue().toFile()));
    }
    mapper.writeValue(out.toFile(), root);
    return 0;
  }
}
