package io.meshyauth.server.testing;

/** What the shared assertions read from an HTTP answer, whichever test client received it. */
public interface HttpAnswer {
  int status();

  /** The header's first value, or null when it was not sent. */
  String header(String name);

  /** A member of the JSON body as text, or null when it is absent. */
  String text(String field);
}
