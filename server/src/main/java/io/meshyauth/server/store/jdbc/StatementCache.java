package io.meshyauth.server.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQLite compiles a statement's SQL into its bytecode every time it is prepared, and its driver keeps nothing:
 * a refresh's eight statements cost about as much to compile as to run. This keeps each pooled connection's
 * prepared statements for the next time the same SQL is asked on it (as PostgreSQL's driver does by itself), so
 * a statement is compiled once per connection.
 *
 * <p>{@link #on(Connection)} gives the pooled connection with {@code prepareStatement(sql)} answered from its
 * cache; closing such a statement clears its parameters and keeps it. The statements belong to the physical
 * connection: they go when the pool closes it (its maximum lifetime, a failure), and their cache is dropped the
 * next time the pool hands out a connection this cache has not seen, which is when a replacement is used. A
 * statement still in use when its SQL is asked again (a query inside another's loop) is not shared: the second
 * gets a statement of its own, closed as usual. A kept statement holds no read transaction open between uses:
 * closing it closes the result set of its last query, as JDBC closes a statement's result set, and that resets it
 * ({@code StatementCacheTest} checks that a checkpoint then finds no reader).
 */
final class StatementCache {
  /** Distinct SQL texts kept per connection; the stores have a few dozen. */
  static final int MAX_PER_CONNECTION = 128;

  /** By physical connection (the driver's, which compares by identity). */
  private final Map<Connection, Map<String, Cached>> byConnection = new ConcurrentHashMap<>();

  /** {@code pooled}, whose {@code prepareStatement(String)} reuses the statements of its physical connection. */
  Connection on(Connection pooled) throws SQLException {
    var physical = pooled.unwrap(Connection.class);
    var statements = byConnection.get(physical);
    if (statements == null) {
      // a connection not seen before: maybe the replacement of one the pool closed, whose statements went with it
      byConnection.keySet().removeIf(StatementCache::isClosed);
      statements = new HashMap<>();
      byConnection.put(physical, statements);
    }
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        new PooledConnection(pooled, physical, statements));
  }

  /** The physical connections whose statements are kept (for tests). */
  List<Connection> connections() {
    return List.copyOf(byConnection.keySet());
  }

  private static boolean isClosed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** The statements a connection keeps (for tests): their SQL. */
  int size(Connection pooled) throws SQLException {
    var statements = byConnection.get(pooled.unwrap(Connection.class));
    return statements == null ? 0 : statements.size();
  }

  private static final class PooledConnection implements InvocationHandler {
    private final Connection pooled;
    private final Connection physical;
    /** Only the thread that holds the connection from the pool touches it. */
    private final Map<String, Cached> statements;

    PooledConnection(Connection pooled, Connection physical, Map<String, Cached> statements) {
      this.pooled = pooled;
      this.physical = physical;
      this.statements = statements;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
      if (method.getName().equals("prepareStatement") && arguments.length == 1) {
        return prepare((String) arguments[0]);
      }
      return delegate(pooled, method, arguments);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
      var cached = statements.get(sql);
      if (cached == null && statements.size() < MAX_PER_CONNECTION) {
        cached = new Cached(physical.prepareStatement(sql));
        statements.put(sql, cached);
      }
      if (cached == null || cached.inUse) {
        return pooled.prepareStatement(sql);
      }
      cached.inUse = true;
      return cached.lend(statements, sql);
    }
  }

  /** One kept statement; lent out to one user at a time. */
  private static final class Cached {
    final PreparedStatement statement;
    boolean inUse;

    Cached(PreparedStatement statement) {
      this.statement = statement;
    }

    PreparedStatement lend(Map<String, Cached> statements, String sql) {
      InvocationHandler handler = new InvocationHandler() {
        boolean closed;
        /** Closed with the statement, as JDBC closes a statement's result set: that resets it. */
        ResultSet rows;

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
          if (method.getName().equals("close")) {
            if (!closed) {
              closed = true;
              giveBack(statements, sql, rows);
            }
            return null;
          }
          if (method.getName().equals("isClosed")) {
            return closed || statement.isClosed();
          }
          if (closed) {
            throw new SQLException("statement is closed");
          }
          var result = delegate(statement, method, arguments);
          if (method.getName().equals("executeQuery")) {
            rows = (ResultSet) result;
          }
          return result;
        }
      };
      return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, handler);
    }

    private void giveBack(Map<String, Cached> statements, String sql, ResultSet rows) {
      try {
        if (rows != null) {
          rows.close();
        }
        statement.clearParameters();
        inUse = false;
      } catch (SQLException e) {
        // closed with its connection, or broken: compiled afresh next time
        statements.remove(sql);
        try {
          statement.close();
        } catch (SQLException ignored) {
          // it was unusable already
        }
      }
    }
  }

  private static Object delegate(Object target, Method method, Object[] arguments) throws Throwable {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
