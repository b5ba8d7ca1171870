package io.meshyauth.server.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    var version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"meshy-auth " + (version == null ? "development build" : version)};
  }
}
