package io.meshyauth.server.store;

import java.util.List;

/** One page of a search: MeshyDB's {@code {results, page, pageSize, totalRecords}}; pages count from 1. */
public record Page<T>(List<T> results, int page, int pageSize, long totalRecords) {
  public Page {
    results = List.copyOf(results);
  }

  /** The rows a page skips: {@code (page - 1) * pageSize}, in a long, as a deep page needs. */
  public static long offset(int page, int pageSize) {
    return (long) (page - 1) * pageSize;
  }
}
