package io.meshyauth.server.cli;

import io.meshyauth.server.Provisioning;
import io.meshyauth.server.ServerConfig;
import io.meshyauth.server.store.Stores;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that changes or reads the store serve runs on, opened the same way from the same settings. A server
 * may be running on it meanwhile: SQLite waits for the other process's write lock, PostgreSQL is shared anyway.
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
    try (var stores = Stores.open(serverConfig.storeUrl(), serverConfig.storeOptions(),
        serverConfig.keyEncryptionKeyFile())) {
      run(new Operator(serverConfig, stores, Provisioning.open(serverConfig, stores)), spec.commandLine().getOut());
    } catch (IllegalArgumentException e) {
      // a value the model refuses, such as an empty username
      throw CommandFailure.usage(e.getMessage());
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** The store and what provisions it, as configured. */
  record Operator(ServerConfig config, Stores stores, Provisioning provisioning) {
  }
}
