package io.meshyauth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux tells about a process in /proc: CPU time used so far and resident memory. */
record ProcessStats(long pid) {
  /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every mainstream Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** User plus system CPU seconds (proc(5): fields 14 and 15). */
  double cpuSeconds() {
    return seconds(read("stat"), 14, 15);
  }

  /** From a process's stat text: the user plus system CPU seconds of the children it has waited for (16, 17). */
  static double waitedChildrenCpuSeconds(String stat) {
    return seconds(stat, 16, 17);
  }

  /** The sum of two tick fields of a stat text, numbered as in proc(5), in seconds. */
  private static double seconds(String stat, int first, int second) {
    // the fields after the command name, which is in parentheses and may hold spaces; field 3 comes first
    var fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return (Long.parseLong(fields[first - 3]) + Long.parseLong(fields[second - 3])) / TICKS_PER_SECOND;
  }

  long rssKib() {
    return statusKib("VmRSS:");
  }

  /** The highest resident set size since the process started. */
  long peakRssKib() {
    return statusKib("VmHWM:");
  }

  private long statusKib(String field) {
    return read("status").lines().filter(line -> line.startsWith(field)).findFirst()
        .map(line -> Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]))
        .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/" + pid + "/status"));
  }

  private String read(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file, e);
    }
  }
}
