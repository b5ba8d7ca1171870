package io.meshyauth.server.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MeshyDB's user search ({@code GET users}): a name that begins the username, the first or the last name (case
 * aside), a role, whether to leave inactive users out, an order and a page.
 */
public record UserQuery(Optional<String> name, Optional<String> roleName, boolean activeOnly, List<Order> orderBy,
    int page, int pageSize) {
  public UserQuery {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(roleName, "roleName");
    orderBy = List.copyOf(orderBy);
    if (page < 1 || pageSize < 1) {
      throw new IllegalArgumentException("page and pageSize count from 1");
    }
  }

  /** The fields a search orders by. */
  public enum Field {
    ID,
    USERNAME,
    FIRST_NAME,
    LAST_NAME,
    EMAIL_ADDRESS,
    PHONE_NUMBER,
    VERIFIED,
    IS_ACTIVE,
    ANONYMOUS
  }

  public record Order(Field field, boolean ascending) {
  }
}
