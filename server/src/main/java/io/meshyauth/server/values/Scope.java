package io.meshyauth.server.values;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A set of scope tokens (RFC 6749 section 3.3): space-delimited, case-sensitive, order-insensitive. */
public record Scope(Set<String> values) {
  public static final String OFFLINE_ACCESS = "offline_access";

  public Scope {
    values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
  }

  public static Scope of(Collection<String> values) {
    return new Scope(new LinkedHashSet<>(values));
  }

  public static Scope parse(String spaceDelimited) {
    return new Scope(Arrays.stream(spaceDelimited.split(" "))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new)));
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public boolean containsAll(Scope other) {
    return values.containsAll(other.values);
  }

  public boolean allowsRefresh() {
    return values.contains(OFFLINE_ACCESS);
  }

  @Override
  public String toString() {
    return String.join(" ", values);
  }
}
