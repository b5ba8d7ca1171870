package io.meshyauth.server.store;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A role of one account: MeshyDB's {@code {id, name, description, numberOfUsers}}. Users hold roles by name (as
 * MeshyDB's user shape lists them); the API names a role by its id.
 */
public record Role(String id, String accountName, String name, Optional<String> description, long numberOfUsers) {
  /** What marks MeshyDB's reserved system roles, such as {@code meshy.user}. */
  public static final String SYSTEM_PREFIX = "meshy.";
  private static final Pattern LETTERS = Pattern.compile("\\p{L}+");
  public static final int MAX_NAME_LENGTH = 64;

  public Role {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
  }

  public boolean system() {
    return isSystem(name);
  }

  public static boolean isSystem(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith(SYSTEM_PREFIX);
  }

  /** MeshyDB's rule for a role an API caller names: letters only (system roles are never named by callers). */
  public static boolean isValidName(String name) {
    return name.length() <= MAX_NAME_LENGTH && LETTERS.matcher(name).matches();
  }

  /** What names compare by: "Role already exists." whatever the case, and the search. */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
