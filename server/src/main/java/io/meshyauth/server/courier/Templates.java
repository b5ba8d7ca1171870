package io.meshyauth.server.courier;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subject and text of each kind of message: Mustache templates ({@code verify_email.subject.mustache},
 * {@code verify_email.text.mustache}, ...), built in under {@code courier/templates/}; a file of the same name in
 * {@code courier.templates-dir} wins. They are read and checked once, when the courier is made: a template that
 * does not compile, or names a variable there is not, stops the start with the file and line.
 *
 * <p>Their variables: {@code username}, {@code code}, {@code account}, {@code expires} (when the code expires, as
 * {@code 2026-11-27 12:15 UTC}) and {@code minutes} (the code's lifetime left when the message is rendered,
 * rounded up). The text is plain: nothing is HTML-escaped. A subject is one line: line breaks and runs of spaces
 * in it become one space.
 */
public final class Templates {
  static final String BUILT_IN = "courier/templates/";
  private static final String SUFFIX = ".mustache";
  private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final Logger LOG = LoggerFactory.getLogger(Templates.class);

  private record Pair(Template subject, Template text) {
  }

  private final Map<Message.Kind, Pair> templates = new EnumMap<>(Message.Kind.class);

  /** The built-in templates, each overridden by the file of its name in {@code directory} if there is one. */
  public Templates(Optional<Path> directory) {
    directory.ifPresent(Templates::requireDirectory);
    var compiler = Mustache.compiler().escapeHTML(false);
    var names = new HashSet<String>();
    for (var kind : Message.Kind.values()) {
      templates.put(kind, new Pair(load(compiler, directory, name(kind, "subject"), names),
          load(compiler, directory, name(kind, "text"), names)));
    }
    directory.ifPresent(dir -> warnOfStrangers(dir, names));
    // a variable misspelt fails now, not when the first user asks for a code
    var sample = new Message(Message.Kind.VERIFY_EMAIL, "account", "username", "to@example.com", "123456",
        Instant.EPOCH.plus(Duration.ofMinutes(15)));
    for (var kind : Message.Kind.values()) {
      var pair = templates.get(kind);
      check(pair.subject(), name(kind, "subject"), directory, sample);
      check(pair.text(), name(kind, "text"), directory, sample);
    }
  }

  /** The built-in templates only. */
  public static Templates builtIn() {
    return new Templates(Optional.empty());
  }

  /** The message rendered at {@code now} (which {@code minutes} counts from), under a new id. */
  public RenderedMessage render(Message message, Instant now) {
    var pair = templates.get(message.kind());
    var context = context(message, now);
    var subject = pair.subject().execute(context).strip().replaceAll("\\s+", " ");
    return new RenderedMessage(UUID.randomUUID().toString(), message, subject, pair.text().execute(context));
  }

  private static Map<String, Object> context(Message message, Instant now) {
    var left = Duration.between(now, message.expires());
    long minutes = left.isNegative() ? 0 : (left.toSeconds() + 59) / 60;
    return Map.of("username", message.username(), "code", message.code(), "account", message.account(),
        "expires", EXPIRES.format(message.expires()), "minutes", minutes);
  }

  static String name(Message.Kind kind, String part) {
    return kind.id() + "." + part + SUFFIX;
  }

  private static Template load(Mustache.Compiler compiler, Optional<Path> directory, String name, Set<String> names) {
    names.add(name);
    var file = directory.map(dir -> dir.resolve(name)).filter(Files::isRegularFile);
    String source;
    if (file.isPresent()) {
      try {
        source = Files.readString(file.get(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read courier template " + file.get(), e);
      }
    } else {
      source = builtIn(name);
    }
    try {
      return compiler.compile(source);
    } catch (MustacheException e) {
      throw new IllegalArgumentException("courier template " + file.map(Path::toString).orElse(name)
          + " does not compile: " + e.getMessage(), e);
    }
  }

  private static String builtIn(String name) {
    try (var in = Templates.class.getClassLoader().getResourceAsStream(BUILT_IN + name)) {
      if (in == null) {
        throw new IllegalStateException("the built-in courier template " + BUILT_IN + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in courier template " + name, e);
    }
  }

  private static void check(Template template, String name, Optional<Path> directory, Message sample) {
    try {
      template.execute(context(sample, Instant.EPOCH));
    } catch (MustacheException e) {
      var where = directory.map(dir -> dir.resolve(name)).filter(Files::isRegularFile)
          .map(Path::toString).orElse(BUILT_IN + name);
      throw new IllegalArgumentException("courier template " + where + ": " + e.getMessage()
          + " (its variables: username, code, account, expires, minutes)", e);
    }
  }

  private static void requireDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("courier.templates-dir " + directory + " is not a directory");
    }
  }

  /** A file named almost as a template would silently change nothing: said once, at start. */
  private static void warnOfStrangers(Path directory, Set<String> names) {
    try (var files = Files.list(directory)) {
      files.map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(SUFFIX) && !names.contains(name))
          .sorted()
          .forEach(name -> LOG.warn("courier.templates-dir {} holds {}, which is no template's name: the templates "
              + "are {}", directory, name, names.stream().sorted().toList()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list courier.templates-dir " + directory, e);
    }
  }
}
