package io.meshyauth.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;

/**
 * An embedded PostgreSQL that commits durably. Zonky's defaults suit tests, not measurements: it starts
 * postgres with -F (fsync off) and synchronous_commit=off; the -c options here come after -F and win.
 */
public final class DurablePostgres {
  private DurablePostgres() {
  }

  public static EmbeddedPostgres start() throws IOException {
    var postgres = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
    try (var connection = postgres.getPostgresDatabase().getConnection();
        var statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
      rows.next();
      if (!rows.getString(1).equals("on") || !rows.getString(2).equals("on")) {
        postgres.close();
        throw new IllegalStateException("PostgreSQL did not take fsync=on, synchronous_commit=on");
      }
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("cannot check the PostgreSQL settings", e);
    }
    return postgres;
  }
}
