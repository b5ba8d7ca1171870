package io.meshyauth.server.values;

import java.util.Arrays;

/** A password as the client sent it: characters that can be wiped once verified, and never printed. */
public final class Password implements AutoCloseable {
  private final char[] chars;

  private Password(char[] chars) {
    this.chars = chars;
  }

  public static Password of(String value) {
    return new Password(value.toCharArray());
  }

  /** Takes the characters, e.g. as read from a terminal, without a copy: {@link #close()} wipes them. */
  public static Password of(char[] chars) {
    return new Password(chars);
  }

  /** The characters themselves, for the hasher only; valid until {@link #close()}. */
  public char[] chars() {
    return chars;
  }

  @Override
  public void close() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public String toString() {
    return "Password[****]";
  }
}
