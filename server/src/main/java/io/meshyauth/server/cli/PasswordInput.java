package io.meshyauth.server.cli;

import io.meshyauth.server.values.Password;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a new user's password comes from: asked for twice without echo on a terminal, otherwise the first line of
 * stdin (for scripts: {@code printf '%s\n' "$PW" | meshy-auth users create acme bob}). Never the command line,
 * which other users of the machine can read in the process list and which stays in the shell's history.
 */
@FunctionalInterface
interface PasswordInput {
  /** Far above any real password; stops reading from a file that is not one. */
  int MAX_LENGTH = 4096;

  /** The password; a usage {@link CommandFailure} when there is none, or the two entries at a prompt differ. */
  Password read(String username);

  /** The terminal when there is one, else the first line of {@code System.in}. */
  static PasswordInput system() {
    return username -> {
      var console = System.console();
      return console != null && isTerminal(console) ? prompt(console, username) : firstLine(System.in);
    };
  }

  static PasswordInput firstLineOf(InputStream in) {
    return username -> firstLine(in);
  }

  private static Password prompt(Console console, String username) {
    var first = console.readPassword("Password for %s: ", username);
    if (first == null) {
      throw CommandFailure.usage("no password given");
    }
    var second = console.readPassword("Repeat the password: ");
    try {
      if (second == null || !Arrays.equals(first, second)) {
        Arrays.fill(first, '\0');
        throw CommandFailure.usage("the two passwords differ");
      }
    } finally {
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
    return nonEmpty(first, "the password must not be empty");
  }

  /** Reads up to the first line break without a String, so that every copy of the password can be wiped. */
  private static Password firstLine(InputStream in) {
    var reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    var chars = new char[64];
    int length = 0;
    try {
      for (int c = reader.read(); c != -1 && c != '\n'; c = reader.read()) {
        if (length == MAX_LENGTH) {
          throw CommandFailure.usage("the password on stdin is longer than " + MAX_LENGTH + " characters");
        }
        if (length == chars.length) {
          var larger = Arrays.copyOf(chars, length * 2);
          Arrays.fill(chars, '\0');
          chars = larger;
        }
        chars[length++] = (char) c;
      }
      if (length > 0 && chars[length - 1] == '\r') {
        length--;
      }
      return nonEmpty(Arrays.copyOf(chars, length),
          "no password on stdin: pipe it as the first line, or run on a terminal to be asked for it");
    } catch (IOException e) {
      throw new CommandFailure("cannot read the password from stdin: " + e.getMessage(), ExitCodes.FAILED);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private static Password nonEmpty(char[] chars, String problem) {
    if (chars.length == 0) {
      throw CommandFailure.usage(problem);
    }
    return Password.of(chars);
  }

  /**
   * Before Java 22 there is a console only when stdin and stdout are a terminal; from 22 on there is one even
   * when they are redirected, and {@code Console.isTerminal()} tells.
   */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
