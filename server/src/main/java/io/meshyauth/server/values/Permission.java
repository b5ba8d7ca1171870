package io.meshyauth.server.values;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One operation on one permissible, and the one place its claim string is written and read: {@code
 * permissible:operation}, e.g. {@code users:read} or {@code meshes.person:create}. The access token's {@code
 * permission} claim holds one such string for each flag of each permission of the user's roles; the document
 * declares the form as the {@code PermissionClaim} schema.
 */
public record Permission(String permissible, Operation operation) {
  /** Letters, each dotted level too: {@code meshes}, {@code meshes.person}. */
  public static final Pattern PERMISSIBLE_NAME = Pattern.compile("[A-Za-z]+(\\.[A-Za-z][A-Za-z0-9]*)*");
  private static final Pattern CLAIM = Pattern.compile("(" + PERMISSIBLE_NAME.pattern()
      + "):(create|read|update|delete)");

  public Permission {
    Objects.requireNonNull(permissible, "permissible");
    Objects.requireNonNull(operation, "operation");
  }

  public String claim() {
    return permissible + ":" + operation.claimName();
  }

  /** The permission a claim string names; empty for any other string (a legacy free-text permission). */
  public static Optional<Permission> parse(String claim) {
    var match = CLAIM.matcher(claim);
    if (!match.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Permission(match.group(1), Operation.valueOf(
        match.group(match.groupCount()).toUpperCase(java.util.Locale.ROOT))));
  }

  /** Whether {@code name} is a permissible's name, or would be one. */
  public static boolean isPermissibleName(String name) {
    return name != null && name.length() <= 128 && PERMISSIBLE_NAME.matcher(name).matches();
  }

  /** Whether one of the two names is the other's dotted child at some depth ({@code meshes}, {@code meshes.person}). */
  public static boolean related(String a, String b) {
    return !a.equals(b) && (a.startsWith(b + ".") || b.startsWith(a + "."));
  }
}
