package io.meshyauth.server.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows under a header, in columns two spaces apart, for reading. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(Object... cells) {
    if (cells.length != rows.get(0).length) {
      throw new IllegalArgumentException("a row needs " + rows.get(0).length + " cells, had " + cells.length);
    }
    rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
    return this;
  }

  void print(PrintWriter out) {
    var widths = new int[rows.get(0).length];
    for (var row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (var row : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line);
    }
  }

  static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  static String instant(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
