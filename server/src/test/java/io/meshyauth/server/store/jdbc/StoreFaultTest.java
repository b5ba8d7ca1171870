package io.meshyauth.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.BucketExceptions;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures of the database are a 503 (it is unreachable, or refuses the work now) and which a 500. */
class StoreFaultTest {
  @TempDir
  Path directory;

  @Test
  void aLostOrRefusedPostgresqlConnectionMakesTheStoreUnreachable() {
    assertThat(postgresql(new PSQLException("terminating connection due to administrator command",
        PSQLState.UNKNOWN_STATE) {
      @Override
      public String getSQLState() {
        return "57P01";
      }
    })).isEqualTo(StoreFault.UNREACHABLE);
    assertThat(postgresql(new PSQLException("An I/O error occurred", PSQLState.CONNECTION_FAILURE,
        new SocketException("Connection reset")))).isEqualTo(StoreFault.UNREACHABLE);
    assertThat(postgresql(new SQLTransientConnectionException("Connection is not available", null,
        new PSQLException("Connection to db:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
            new ConnectException("Connection refused"))))).isEqualTo(StoreFault.UNREACHABLE);
    // wrapped by a library, as Bucket4j does
    assertThat(postgresql(new BucketExceptions.BucketExecutionException(new PSQLException("gone",
        PSQLState.CONNECTION_FAILURE)))).isEqualTo(StoreFault.UNREACHABLE);
  }

  @Test
  void aBusyPoolOrAFullDiskIsARefusalNotAnOutage() {
    assertThat(postgresql(new SQLTransientConnectionException("Connection is not available"))).isEqualTo(StoreFault.REFUSED);
    assertThat(postgresql(new SQLException("could not extend file: No space left on device", "53100")))
        .isEqualTo(StoreFault.REFUSED);
  }

  @Test
  void aFaultOfTheDataOrOfOursIsNeither() {
    assertThat(postgresql(new SQLException("duplicate key value", "23505"))).isEqualTo(StoreFault.OTHER);
    assertThat(postgresql(new IllegalStateException("a bug"))).isEqualTo(StoreFault.OTHER);
    assertThat(StoreFault.of(Dialect.SQLITE, new SQLException("no such table: x", null, 1))).isEqualTo(StoreFault.OTHER);
  }

  /** What a library that rolls back on a connection the pool has closed after its loss reports instead. */
  @Test
  void theClosedConnectionHikariLeavesAfterALossIsUnreachableToo() throws Exception {
    try (var database = JdbcStores.database("jdbc:sqlite:" + directory.resolve("closed.db"), new Properties(),
        () -> { })) {
      var connection = database.pool().getConnection();
      connection.close();

      assertThatThrownBy(connection::rollback).isInstanceOfSatisfying(SQLException.class, closed -> {
        assertThat(StoreFault.of(Dialect.POSTGRESQL, new BucketExceptions.BucketExecutionException(closed)))
            .isEqualTo(StoreFault.UNREACHABLE);
        assertThat(StoreFault.of(Dialect.SQLITE, closed)).isEqualTo(StoreFault.REFUSED);
      });
    }
  }

  @Test
  void sqliteRefusesWhenLockedFullOrFailingToWrite() {
    for (int code : new int[] {5, 6, 8, 10, 13, 14, 5 | (3 << 8)}) {
      assertThat(StoreFault.of(Dialect.SQLITE, new SQLException("sqlite", null, code))).as("code %d", code)
          .isEqualTo(StoreFault.REFUSED);
    }
  }

  @Test
  void theReasonIsTheDriversInnermostMessageAndTheNetworksUnderIt() {
    var failure = new RuntimeException("reading from the store failed", new PSQLException("An I/O error occurred",
        PSQLState.CONNECTION_FAILURE, new SocketException("Connection reset")));

    assertThat(StoreFault.reason(failure)).isEqualTo("An I/O error occurred: Connection reset");
  }

  private static StoreFault postgresql(Throwable failure) {
    return StoreFault.of(Dialect.POSTGRESQL, failure);
  }
}
