package io.meshyauth.server.store;

import java.util.List;
import java.util.function.Function;

/** One page of a search: MeshyDB's {@code {results, page, pageSize, totalRecords}}; pages count from 1. */
public record Page<T>(List<T> results, int page, int pageSize, long totalRecords) {
  public Page {
    results = List.copyOf(results);
  }

  public <R> Page<R> map(Function<? super T, R> mapping) {
    return new Page<>(results.stream().<R>map(mapping).toList(), page, pageSize, totalRecords);
  }

  /** The rows a page skips: {@code (page - 1) * pageSize}, in a long, as a deep page needs. */
  public static long offset(int page, int pageSize) {
    return (long) (page - 1) * pageSize;
  }
}
