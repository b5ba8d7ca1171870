package io.meshyauth.server.values;

import java.util.Locale;

/** What a permission lets its holder do to a permissible: MeshyDB's four flags. */
public enum Operation {
  CREATE,
  READ,
  UPDATE,
  DELETE;

  /** As a permission claim writes it: {@code create}, {@code read}, {@code update}, {@code delete}. */
  public String claimName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
