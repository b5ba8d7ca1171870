package io.meshyauth.server.values;

import java.util.EnumSet;
import java.util.Set;

/** A set of the four flags, as MeshyDB's permissions ({@code create, read, update, delete}) and permissibles carry them. */
public record Operations(boolean create, boolean read, boolean update, boolean delete) {
  public static final Operations ALL = new Operations(true, true, true, true);

  public Set<Operation> asSet() {
    var set = EnumSet.noneOf(Operation.class);
    if (create) {
      set.add(Operation.CREATE);
    }
    if (read) {
      set.add(Operation.READ);
    }
    if (update) {
      set.add(Operation.UPDATE);
    }
    if (delete) {
      set.add(Operation.DELETE);
    }
    return set;
  }

  public boolean isEmpty() {
    return !(create || read || update || delete);
  }

  /** Whether every flag set here is set in {@code supported} too. */
  public boolean within(Operations supported) {
    return supported.asSet().containsAll(asSet());
  }
}
