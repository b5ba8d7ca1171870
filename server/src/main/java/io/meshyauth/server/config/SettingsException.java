package io.meshyauth.server.config;

/** A setting with a bad value; the message names the setting and where the value came from. */
public final class SettingsException extends RuntimeException {
  public SettingsException(String key, String source, String problem) {
    super("setting " + key + " (from " + source + ") " + problem);
  }

  /** A problem that is not one setting's, e.g. a settings file that is not there. */
  public SettingsException(String message) {
    super(message);
  }
}
