package io.meshyauth.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Settings from, in rising precedence: built-in defaults, a properties file, environment variables
 * ({@code server.port} is {@code MESHY_AUTH_SERVER_PORT}), and command-line options. Every bad value fails with
 * a {@link SettingsException} naming the setting and where its value came from.
 */
public final class Settings {
  private static final String ENV_PREFIX = "MESHY_AUTH_";

  private static final String DEFAULT_SOURCE = "default";

  private final Map<String, Value> values;
  /** The fallbacks the readers of these settings used, by key: what {@link #effective()} reports as defaults. */
  private final Map<String, String> defaultsUsed = new ConcurrentHashMap<>();

  private Settings(Map<String, Value> values) {
    this.values = values;
  }

  private record Value(String text, String source) {
  }

  /** One setting as it takes effect: its value (masked when secret) and where it came from. */
  public record Effective(String key, String value, String source) {
  }

  /**
   * Every setting with its value and source, after something (e.g. {@code ServerConfig.from}) has read them:
   * a setting nobody set shows the default its reader fell back to. Passwords and secrets are masked.
   */
  public List<Effective> effective() {
    var result = new ArrayList<Effective>();
    for (var key : SettingKeys.ALL) {
      var value = values.get(key);
      if (value != null) {
        result.add(new Effective(key, mask(key, value.text().trim()), value.source()));
      } else {
        var fallback = defaultsUsed.get(key);
        result.add(new Effective(key, fallback == null ? "(not set)" : mask(key, fallback), DEFAULT_SOURCE));
      }
    }
    return result;
  }

  /**
   * A secret never leaves: a password in a JDBC URL, and any setting named like a password, secret or key (but not
   * a file that holds one: its path is no secret).
   */
  static String mask(String key, String text) {
    if ((key.contains("password") || key.contains("secret") || key.endsWith("-key")) && !key.endsWith("-file")) {
      return text.isEmpty() ? text : "****";
    }
    return text.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("(//[^/:@]*:)[^@/]*@", "$1****@");
  }

  private void usedDefault(String key, Object fallback) {
    if (fallback != null) {
      defaultsUsed.put(key, fallback instanceof Duration duration ? format(duration) : fallback.toString());
    }
  }

  /** The README's notation: 30s, 15m, 1h, 30d. */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds != 0 && seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds != 0 && seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds != 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return duration.toNanos() % 1_000_000_000 == 0 ? seconds + "s" : duration.toString();
  }

  public static Settings load(Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    var values = new LinkedHashMap<String, Value>();
    file.ifPresent(path -> readFile(path).forEach((key, text) -> {
      requireKnown(key, path.toString());
      values.put(key, new Value(text, path.toString()));
    }));
    for (var key : SettingKeys.ALL) {
      var env = environmentName(key);
      var text = environment.get(env);
      if (text != null) {
        values.put(key, new Value(text, "environment variable " + env));
      }
    }
    overrides.forEach((key, text) -> {
      requireKnown(key, "command line");
      values.put(key, new Value(text, "command line"));
    });
    return new Settings(values);
  }

  public static Settings defaults() {
    return new Settings(Map.of());
  }

  public static String environmentName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key, String fallback) {
    var value = values.get(key);
    if (value == null) {
      usedDefault(key, fallback);
      return fallback;
    }
    if (value.text().isBlank()) {
      throw new SettingsException(key, value.source(), "must not be empty");
    }
    return value.text().trim();
  }

  /** A string that must pass {@code valid}; {@code expected} says what it must be. */
  public String string(String key, String fallback, Predicate<String> valid, String expected) {
    var text = string(key, fallback);
    if (!valid.test(text)) {
      throw new SettingsException(key, values.get(key).source(), "must be " + expected + ", was '" + text + "'");
    }
    return text;
  }

  public Optional<String> optionalString(String key) {
    return Optional.ofNullable(values.get(key)).map(v -> string(key, null));
  }

  /** A comma-separated list, empty unless set; each item must pass {@code valid}. */
  public List<String> list(String key, Predicate<String> valid, String expected) {
    var value = values.get(key);
    if (value == null || value.text().isBlank()) {
      return List.of();
    }
    var items = Arrays.stream(value.text().split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    for (var item : items) {
      if (!valid.test(item)) {
        throw new SettingsException(key, value.source(), "must be " + expected + ", was '" + item + "'");
      }
    }
    return items;
  }

  public int integer(String key, int fallback, int min, int max) {
    var parsed = parse(key, fallback, text -> Integer.parseInt(text.trim()), "a whole number");
    if (parsed < min || parsed > max) {
      throw new SettingsException(key, values.get(key).source(), "must be between " + min + " and " + max
          + ", was " + parsed);
    }
    return parsed;
  }

  public long longValue(String key, long fallback, long min) {
    var parsed = parse(key, fallback, text -> Long.parseLong(text.trim()), "a whole number");
    if (parsed < min) {
      throw new SettingsException(key, values.get(key).source(), "must be at least " + min + ", was " + parsed);
    }
    return parsed;
  }

  /**
   * A setting that names a file, read at once by {@code reader}, so that a missing or unusable file stops the
   * server at start, naming the setting.
   */
  public <T> Optional<T> optionalFile(String key, FileReader<T> reader) {
    var value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    var path = Path.of(string(key, null));
    try {
      return Optional.of(reader.read(path));
    } catch (NoSuchFileException e) {
      throw new SettingsException(key, value.source(), "names no readable file: " + path);
    } catch (IOException | RuntimeException e) {
      throw new SettingsException(key, value.source(), "cannot be used (" + path + "): " + e.getMessage());
    }
  }

  /** Reads a file a setting names; the exception's message says what is wrong with it. */
  @FunctionalInterface
  public interface FileReader<T> {
    T read(Path path) throws IOException;
  }

  /** A problem with a setting that was given, naming it and where its value came from. */
  public SettingsException invalid(String key, String problem) {
    var value = values.get(key);
    return new SettingsException(key, value == null ? "defaults" : value.source(), problem);
  }

  /** ISO-8601 ({@code PT1H}) or a number with a unit: {@code 30s}, {@code 15m}, {@code 1h}, {@code 30d}. */
  public Duration duration(String key, Duration fallback, Duration min) {
    var parsed = parse(key, fallback, Settings::parseDuration, "a duration such as 30s, 15m, 1h, 30d or PT1H");
    if (parsed.compareTo(min) < 0) {
      throw new SettingsException(key, values.get(key).source(), "must be at least " + min + ", was " + parsed);
    }
    return parsed;
  }

  private <T> T parse(String key, T fallback, Function<String, T> parser, String expected) {
    var value = values.get(key);
    if (value == null) {
      usedDefault(key, fallback);
      return fallback;
    }
    try {
      return parser.apply(value.text());
    } catch (RuntimeException e) {
      throw new SettingsException(key, value.source(), "must be " + expected + ", was '" + value.text() + "'");
    }
  }

  static Duration parseDuration(String text) {
    var trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.startsWith("p")) {
      try {
        return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(e);
      }
    }
    var amount = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
    return switch (trimmed.charAt(trimmed.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("unknown unit");
    };
  }

  private static void requireKnown(String key, String source) {
    if (!SettingKeys.ALL.contains(key)) {
      throw new SettingsException(key, source, "is not a setting; known settings: " + String.join(", ", SettingKeys.ALL));
    }
  }

  private static Map<String, String> readFile(Path path) {
    var properties = new Properties();
    if (!Files.exists(path)) {
      throw new SettingsException("--config " + path + ": no such file (looked for " + path.toAbsolutePath() + ")");
    }
    try (Reader reader = Files.newBufferedReader(path)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new SettingsException("--config", path.toString(), "cannot be read: " + e.getMessage());
    }
    var map = new LinkedHashMap<String, String>();
    properties.stringPropertyNames().stream().sorted().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }
}
