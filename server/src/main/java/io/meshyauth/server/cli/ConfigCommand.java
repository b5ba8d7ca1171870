package io.meshyauth.server.cli;

import io.meshyauth.server.ServerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Every setting as serve would take it, from the same --config file, environment and --store. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "List every setting with the value in effect and where it came from (default, the --config "
        + "file, an environment variable, the command line). Passwords are masked.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin
  SettingsOptions settingsOptions;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    var settings = settingsOptions.settings(Map.of());
    // reading them validates every value, as serve would at start, and records the defaults in effect
    ServerConfig.from(settings);
    var table = new Table("SETTING", "VALUE", "FROM");
    settings.effective().forEach(setting -> table.row(setting.key(), setting.value(), setting.source()));
    var out = spec.commandLine().getOut();
    table.print(out);
    out.flush();
    return ExitCodes.OK;
  }
}
