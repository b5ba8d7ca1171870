package io.meshyauth.server.imports;

import io.meshyauth.server.imports.UserLine.MalformedLineException;
import io.meshyauth.server.password.ImportedHash;
import io.meshyauth.server.password.ImportedHash.CostLimits;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Users from JSON Lines, one MeshyDB user a line, with the password hash another system made ({@link ImportedHash}),
 * kept as it is until the user's next successful login. A line that is not a user, names a username an earlier line
 * named, or has a hash in no known format or over the cost limits is reported with its number and skipped, nothing
 * of it written. Users whose username is in the store already are skipped: as already imported when the store has
 * the line's hash (so running an import again goes on where it stopped), as a taken username otherwise.
 * The others are written in batches, one transaction each.
 */
public final class UserImport {
  /** Users written in one transaction. */
  static final int BATCH = 500;
  /** Lines between two progress reports. */
  public static final int PROGRESS_EVERY = 10_000;
  /** Longer lines are malformed: a user is a few hundred bytes, and a line is held in memory whole. */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  /** Why a line was skipped. */
  public enum Skip {
    MALFORMED("malformed"),
    DUPLICATE("duplicate"),
    UNKNOWN_HASH_FORMAT("unknown hash format"),
    HASH_OVER_LIMIT("hash over the cost limits"),
    USERNAME_TAKEN("username taken"),
    ALREADY_IMPORTED("already imported");

    private final String label;

    Skip(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** What the import tells as it goes. */
  public interface Listener {
    /** A line skipped; {@code detail} never quotes a password hash. */
    void skipped(long line, Skip reason, String detail);

    /** Every {@link #PROGRESS_EVERY} lines; the share of the input read when its size is known. */
    void progress(Summary soFar, OptionalInt percent);
  }

  /** Lines read (blank ones too), users imported (or, in a dry run, that would be), lines skipped by reason. */
  public record Summary(long lines, long imported, Map<Skip, Long> skipped) {
    public Summary {
      skipped = Collections.unmodifiableMap(new EnumMap<>(skipped));
    }

    public long skippedInAll() {
      return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether every user of the input is in the store as the input has it (or would be, in a dry run). */
    public boolean complete() {
      return skippedInAll() == skipped.getOrDefault(Skip.ALREADY_IMPORTED, 0L);
    }
  }

  private final UserStore users;
  private final Clock clock;
  private final CostLimits limits;
  private final boolean dryRun;

  /** With {@code dryRun}, reads the store and reports as it would import, but writes nothing. */
  public UserImport(UserStore users, Clock clock, CostLimits limits, boolean dryRun) {
    this.users = users;
    this.clock = clock;
    this.limits = limits;
    this.dryRun = dryRun;
  }

  /** Imports the users of {@code in} ({@code size} bytes, or -1 when unknown) into the account, which must exist. */
  public Summary run(String accountName, InputStream in, long size, Listener listener) throws IOException {
    return new Run(accountName, listener).read(new Lines(in), size);
  }

  /** One import's state: the usernames seen so far, by normalised username, and the batch to write. */
  private final class Run {
    private final String accountName;
    private final Listener listener;
    private final Map<String, Long> seen = new HashMap<>();
    private final List<Pending> batch = new ArrayList<>();
    private final EnumMap<Skip, Long> skipped = new EnumMap<>(Skip.class);
    private long lines;
    private long imported;

    Run(String accountName, Listener listener) {
      this.accountName = accountName;
      this.listener = listener;
    }

    Summary read(Lines input, long size) throws IOException {
      for (var line = input.next(); line != null; line = input.next()) {
        lines++;
        take(line);
        if (batch.size() == BATCH) {
          flush();
        }
        if (lines % PROGRESS_EVERY == 0) {
          flush();
          listener.progress(summary(),
              size > 0 ? OptionalInt.of((int) Math.min(100, input.bytesRead * 100 / size)) : OptionalInt.empty());
        }
      }
      flush();
      return summary();
    }

    private void take(Lines.Line line) {
      if (line.tooLong()) {
        skip(Skip.MALFORMED, "longer than " + MAX_LINE_BYTES + " bytes");
        return;
      }
      if (isBlank(line.bytes())) {
        return;
      }
      UserLine user;
      try {
        user = UserLine.parse(line.bytes());
      } catch (MalformedLineException e) {
        skip(Skip.MALFORMED, e.getMessage());
        return;
      }
      var first = seen.putIfAbsent(user.key(), lines);
      if (first != null) {
        skip(Skip.DUPLICATE, "username " + user.username() + " is on line " + first + " already");
        return;
      }
      if (user.passwordHash().isPresent()) {
        var hash = ImportedHash.parse(user.passwordHash().get());
        if (hash.isEmpty()) {
          skip(Skip.UNKNOWN_HASH_FORMAT, "the passwordHash of " + user.username()
              + " is neither ASP.NET Core Identity V2 or V3, bcrypt ($2a$, $2b$, $2y$) nor an Argon2 PHC string");
          return;
        }
        var over = hash.get().exceeds(limits);
        if (over.isPresent()) {
          skip(Skip.HASH_OVER_LIMIT, "the passwordHash of " + user.username() + ": " + over.get());
          return;
        }
      }
      var now = clock.instant();
      batch.add(new Pending(lines, user, new User(UUID.randomUUID().toString(), accountName, user.username(),
          user.passwordHash(), user.active(), user.verified(), user.anonymous(), now, user.profile(now))));
    }

    private void flush() {
      if (batch.isEmpty()) {
        return;
      }
      var existing = users.findUsers(accountName, batch.stream().map(pending -> pending.line().username()).toList());
      var fresh = new ArrayList<Pending>();
      for (var pending : batch) {
        var there = existing.get(pending.line().key());
        if (there == null) {
          fresh.add(pending);
        } else if (sameCredentials(there, pending.user())) {
          count(Skip.ALREADY_IMPORTED);
        } else {
          skip(pending.number(), Skip.USERNAME_TAKEN, "username " + pending.user().username()
              + " is in account " + accountName + " already, with another password hash or none");
        }
      }
      var taken = new HashSet<String>();
      if (!dryRun && !fresh.isEmpty()) {
        users.createUsers(accountName, fresh.stream().map(Pending::user).toList())
            .forEach(user -> taken.add(user.id()));
      }
      for (var pending : fresh) {
        if (taken.contains(pending.user().id())) {
          skip(pending.number(), Skip.USERNAME_TAKEN, "username " + pending.user().username()
              + " was taken in account " + accountName + " while importing");
        } else {
          imported++;
        }
      }
      batch.clear();
    }

    private void skip(Skip reason, String detail) {
      skip(lines, reason, detail);
    }

    private void skip(long number, Skip reason, String detail) {
      count(reason);
      listener.skipped(number, reason, detail);
    }

    private void count(Skip reason) {
      skipped.merge(reason, 1L, Long::sum);
    }

    private Summary summary() {
      return new Summary(lines, imported, skipped);
    }
  }

  /** The same user as an earlier import wrote it: anonymous both, or the same hash (not the same account's user). */
  private static boolean sameCredentials(User stored, User imported) {
    if (stored.anonymous() || imported.anonymous()) {
      return stored.anonymous() && imported.anonymous();
    }
    return stored.passwordHash().isPresent() && imported.passwordHash().isPresent()
        && MessageDigest.isEqual(stored.passwordHash().get().getBytes(StandardCharsets.UTF_8),
            imported.passwordHash().get().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private record Pending(long number, UserLine line, User user) {
  }

  /** Lines as bytes, ended by {@code \n} (a {@code \r} before it dropped), each at most {@link #MAX_LINE_BYTES}. */
  private static final class Lines {
    record Line(byte[] bytes, boolean tooLong) {
    }

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    long bytesRead;

    Lines(InputStream in) {
      this.in = new BufferedInputStream(in, 1 << 16);
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
      line.reset();
      boolean tooLong = false;
      int b;
      while ((b = in.read()) != -1) {
        bytesRead++;
        if (b == '\n') {
          return finish(tooLong);
        }
        if (line.size() < MAX_LINE_BYTES) {
          line.write(b);
        } else {
          tooLong = true;
        }
      }
      return line.size() == 0 && !tooLong ? null : finish(tooLong);
    }

    private Line finish(boolean tooLong) {
      var bytes = line.toByteArray();
      if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
        bytes = Arrays.copyOf(bytes, bytes.length - 1);
      }
      return new Line(tooLong ? new byte[0] : bytes, tooLong);
    }
  }
}
