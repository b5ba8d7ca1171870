package io.meshyauth.client;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a search (MeshyDB's PageResult): the {@code results} of page {@code page} (from 1) at
 * {@code pageSize} a page, and how many records match in all.
 */
public record Page<T>(List<T> results, int page, int pageSize, long totalRecords) {
  public Page {
    results = List.copyOf(results);
  }

  /** How many pages the matching records fill at this page size. */
  public long totalPages() {
    return pageSize <= 0 ? 0 : (totalRecords + pageSize - 1) / pageSize;
  }

  /** Whether a later page holds more records. */
  public boolean hasNextPage() {
    return (long) page * pageSize < totalRecords;
  }

  static <G, T> Page<T> of(List<G> results, Integer page, Integer pageSize, Long totalRecords, Function<G, T> map) {
    return new Page<>(results == null ? List.of() : results.stream().map(map).toList(), page == null ? 0 : page,
        pageSize == null ? 0 : pageSize, totalRecords == null ? 0 : totalRecords);
  }
}
