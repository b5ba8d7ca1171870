package io.meshyauth.client;

/** A direction of a {@link UserSearch#orderBy(String, Sort) sort}: 1 or -1 in MeshyDB's sort document. */
public enum Sort {
  ASCENDING(1),
  DESCENDING(-1);

  private final int direction;

  Sort(int direction) {
    this.direction = direction;
  }

  int direction() {
    return direction;
  }
}
