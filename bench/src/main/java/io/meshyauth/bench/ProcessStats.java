package io.meshyauth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux tells about a process in /proc: CPU time used so far and resident memory. */
record ProcessStats(long pid) {
  /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every mainstream Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  static ProcessStats self() {
    return new ProcessStats(ProcessHandle.current().pid());
  }

  /** User plus system CPU seconds (proc(5): fields 14 and 15, counted after the parenthesised command name). */
  double cpuSeconds() {
    var stat = read("stat");
    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
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
