package io.meshyauth.server.properties;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property checks over generated inputs, seeded: a failure names the case and the seed that replays it
 * ({@code -Dproperties.seed=N}; {@code -Dproperties.cases=N} sets how many inputs each property sees).
 */
public final class Cases {
  private static final String WHITESPACE = " \t\n\r\u000b\f\u001c\u1680\u2000\u2002\u2009\u2028\u3000";
  private static final String TRICKY = "İıßẞﬁΣσςǅǄǆÅÅKKµΜ\u00a0\u200b\ufeff\ufffd";

  private Cases() {
  }

  public static <T> void forAll(Function<Random, T> generator, Consumer<T> property) {
    var seed = Long.getLong("properties.seed", System.nanoTime());
    var random = new Random(seed);
    var count = Integer.getInteger("properties.cases", 2000);
    for (int i = 0; i < count; i++) {
      var input = generator.apply(random);
      try {
        property.accept(input);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("case " + i + " of seed " + seed + " (replay with -Dproperties.seed=" + seed + "): "
            + escape(String.valueOf(input)), e);
      }
    }
  }

  /** Any text a client could send: ASCII, white space of every kind, combining marks, case oddities, emoji, lone surrogates. */
  public static String text(Random random, int maxLength) {
    var length = random.nextInt(maxLength + 1);
    var text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      var kind = random.nextInt(10);
      if (kind < 4) {
        text.append((char) (' ' + random.nextInt(95)));
      } else if (kind == 4) {
        text.append(WHITESPACE.charAt(random.nextInt(WHITESPACE.length())));
      } else if (kind == 5) {
        text.append((char) (0x300 + random.nextInt(0x70)));
      } else if (kind == 6) {
        text.append(TRICKY.charAt(random.nextInt(TRICKY.length())));
      } else if (kind == 7) {
        text.appendCodePoint(0x1F600 + random.nextInt(80));
      } else {
        text.append((char) random.nextInt(0x10000));
      }
    }
    return text.toString();
  }

  /** Text from one alphabet, of a length in [min, max]. */
  public static String text(Random random, String alphabet, int min, int max) {
    var length = min + random.nextInt(max - min + 1);
    var text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  public static byte[] bytes(Random random, int min, int max) {
    var bytes = new byte[min + random.nextInt(max - min + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String escape(String text) {
    var escaped = new StringBuilder();
    text.codePoints().forEach(c -> escaped.append(c >= ' ' && c < 0x7f ? Character.toString(c)
        : String.format("\\u{%x}", c)));
    return escaped.toString();
  }
}
