package io.meshyauth.server.cli;

import io.meshyauth.server.Provisioning;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.events.AuditLog;
import io.meshyauth.server.events.SecurityEvent.AdminCommand;
import io.meshyauth.server.logging.ConsoleLog;
import io.meshyauth.server.store.ConflictException;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.NotFoundException;
import io.meshyauth.server.store.StoreException;
import io.meshyauth.server.store.Stores;
import io.meshyauth.server.store.jdbc.JdbcStores;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that changes or reads the store serve runs on, opened the same way from the same settings. A server
 * may be running on it meanwhile: SQLite waits for the other process's write lock, PostgreSQL is shared anyway.
 * Each run leaves an audit line, {@code admin.command}, whether it succeeded or not.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class StoreCommand implements Callable<Integer> {
  @Mixin
  SettingsOptions settingsOptions;

  @Spec
  CommandSpec spec;

  /** What the command does, with the store open; output for humans goes to {@code out}. */
  abstract void run(Operator operator, PrintWriter out);

  /** Settings the command's own options set, by setting key; none unless a command says otherwise. */
  Map<String, String> overrides() {
    return Map.of();
  }

  @Override
  public final Integer call() {
    var serverConfig = ServerConfig.from(settingsOptions.settings(overrides()));
    ConsoleLog.use(serverConfig.logFormat());
    var audit = new AuditLog();
    Optional<String> failure = Optional.of("error");
    try (var stores = JdbcStores.open(serverConfig.storeUrl(), serverConfig.storeOptions(),
        serverConfig.keyEncryptionKeyFile())) {
      run(new Operator(serverConfig, stores, Provisioning.open(serverConfig, stores, audit)),
          spec.commandLine().getOut());
      failure = Optional.empty();
    } catch (IllegalArgumentException e) {
      // a value the model refuses, such as an empty username
      failure = Optional.of("invalid");
      throw CommandFailure.usage(e.getMessage());
    } catch (RuntimeException e) {
      failure = Optional.of(reason(e));
      throw e;
    } finally {
      audit.report(new AdminCommand(commandName(), arguments(),
          System.getProperty("user.name"), failure.isEmpty() ? "ok" : "failed", failure));
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** The command as typed after the jar's name: {@code users delete}, {@code clients secret add}. */
  private String commandName() {
    var names = new ArrayDeque<String>();
    for (var command = spec; command.parent() != null; command = command.parent()) {
      names.addFirst(command.name());
    }
    return String.join(" ", names);
  }

  /**
   * The positional arguments by their label (account, username); never an option's (a store URL may hold a
   * password).
   */
  private Map<String, String> arguments() {
    var arguments = new LinkedHashMap<String, String>();
    for (var parameter : spec.positionalParameters()) {
      if (parameter.getValue() != null) {
        arguments.put(parameter.paramLabel().toLowerCase(Locale.ROOT), parameter.getValue().toString());
      }
    }
    return arguments;
  }

  private static String reason(RuntimeException e) {
    if (e instanceof NotFoundException) {
      return "not_found";
    }
    if (e instanceof DuplicateException) {
      return "duplicate";
    }
    if (e instanceof CommandFailure || e instanceof ConflictException) {
      return "refused";
    }
    return e instanceof StoreException ? "store_error" : "error";
  }

  /** The store and what provisions it, as configured. */
  record Operator(ServerConfig config, Stores stores, Provisioning provisioning) {
  }
}
