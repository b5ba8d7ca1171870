package io.meshyauth.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link UsersService#search} looks for, immutable and built fluently, each method answering a changed copy:
 * {@code UserSearch.all().name("mar").orderBy("lastName", Sort.DESCENDING).page(2)}. Unless changed it keeps every
 * active user, ordered by username, the first page of 25.
 */
public final class UserSearch {
  /** The server's page size when none is asked for, and the largest it gives. */
  static final int DEFAULT_PAGE_SIZE = 25;
  static final int MAX_PAGE_SIZE = 200;
  private static final UserSearch ALL = new UserSearch(null, null, List.of(), true, 1, DEFAULT_PAGE_SIZE);

  private final String name;
  private final String roleId;
  private final List<Order> orderBy; // in order of precedence
  private final boolean activeOnly;
  private final int page;
  private final int pageSize;

  private UserSearch(String name, String roleId, List<Order> orderBy, boolean activeOnly, int page,
      int pageSize) {
    this.name = name;
    this.roleId = roleId;
    this.orderBy = orderBy;
    this.activeOnly = activeOnly;
    this.page = page;
    this.pageSize = pageSize;
  }

  /** Every active user, the first page of 25. */
  public static UserSearch all() {
    return ALL;
  }

  /**
   * Keeps the users whose username, first name or last name begins with {@code prefix}, case aside; null or empty
   * keeps everyone.
   */
  public UserSearch name(String prefix) {
    return new UserSearch(emptyToNull(prefix), roleId, orderBy, activeOnly, page, pageSize);
  }

  /** Keeps the holders of the role of this id ({@link Role#id()}); null or empty keeps everyone. */
  public UserSearch roleId(String id) {
    return new UserSearch(name, emptyToNull(id), orderBy, activeOnly, page, pageSize);
  }

  /**
   * Orders by {@code field} after the fields ordered by already: {@code id}, {@code username}, {@code firstName},
   * {@code lastName}, {@code emailAddress}, {@code phoneNumber}, {@code verified}, {@code isActive} or
   * {@code anonymous} (the server refuses another with a 400). Ties end ordered by username, then id.
   *
   * @throws IllegalArgumentException when the search orders by that field already
   */
  public UserSearch orderBy(String field, Sort sort) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(sort, "sort");
    if (field.isBlank()) {
      throw new IllegalArgumentException("field must not be blank");
    }
    var key = field.toLowerCase(Locale.ROOT);
    if (orderBy.stream().anyMatch(order -> order.field().toLowerCase(Locale.ROOT).equals(key))) {
      throw new IllegalArgumentException("The search orders by " + field + " already.");
    }
    var changed = new ArrayList<>(orderBy);
    changed.add(new Order(field, sort));
    return new UserSearch(name, roleId, List.copyOf(changed), activeOnly, page, pageSize);
  }

  /** Whether inactive users are left out (they are unless told otherwise). */
  public UserSearch activeOnly(boolean value) {
    return new UserSearch(name, roleId, orderBy, value, page, pageSize);
  }

  /** Which page, from 1. */
  public UserSearch page(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("page must be at least 1, was " + value);
    }
    return new UserSearch(name, roleId, orderBy, activeOnly, value, pageSize);
  }

  /** How many users a page holds, from 1 to 200. */
  public UserSearch pageSize(int value) {
    if (value < 1 || value > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be from 1 to " + MAX_PAGE_SIZE + ", was " + value);
    }
    return new UserSearch(name, roleId, orderBy, activeOnly, page, value);
  }

  Optional<String> name() {
    return Optional.ofNullable(name);
  }

  Optional<String> roleId() {
    return Optional.ofNullable(roleId);
  }

  boolean activeOnly() {
    return activeOnly;
  }

  int page() {
    return page;
  }

  int pageSize() {
    return pageSize;
  }

  /** MeshyDB's sort document, as its JS SDK sends it: {@code {"lastName":-1,"firstName":1}}. */
  Optional<String> orderByDocument() {
    if (orderBy.isEmpty()) {
      return Optional.empty();
    }
    var document = JsonNodeFactory.instance.objectNode();
    orderBy.forEach(order -> document.put(order.field(), order.sort().direction()));
    return Optional.of(document.toString());
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private record Order(String field, Sort sort) {
    @Override
    public String toString() {
      return field + " " + sort;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserSearch other && Objects.equals(name, other.name) && Objects.equals(roleId, other.roleId)
        && orderBy.equals(other.orderBy)
        && activeOnly == other.activeOnly && page == other.page && pageSize == other.pageSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, roleId, orderBy, activeOnly, page, pageSize);
  }

  @Override
  public String toString() {
    return "UserSearch[name=" + name + ", roleId=" + roleId + ", orderBy=" + orderBy + ", activeOnly=" + activeOnly
        + ", page=" + page + ", pageSize=" + pageSize + "]";
  }
}
