package io.meshyauth.server.routing;

/** The request did not have the shape the OpenAPI document declares (media type, form or JSON encoding). */
public final class MalformedRequestException extends RuntimeException {
  public MalformedRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
