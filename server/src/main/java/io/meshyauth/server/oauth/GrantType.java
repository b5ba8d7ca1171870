package io.meshyauth.server.oauth;

import java.util.Arrays;
import java.util.Optional;

/** The grants this server implements (RFC 6749 sections 4.3 and 6). */
public enum GrantType {
  PASSWORD("password"),
  REFRESH_TOKEN("refresh_token");

  private final String value;

  GrantType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<GrantType> parse(String value) {
    return Arrays.stream(values()).filter(g -> g.value.equals(value)).findFirst();
  }
}
