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

  /** A setting that must be given because of others; {@code why} names them. */
  public static SettingsException required(String key, String why) {
    return new SettingsException("setting " + key + " must be set because " + why);
  }

  /** A setting that has no default in this situation and was not given; {@code problem} says why it is needed. */
  public static SettingsException missing(String key, String problem) {
    return new SettingsException("setting " + key + " " + problem);
  }
}
