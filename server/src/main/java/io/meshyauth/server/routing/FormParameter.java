package io.meshyauth.server.routing;

import java.util.List;

/** A form parameter: its name in the OpenAPI document and every value the client sent for it, in order. */
public record FormParameter(String name, List<String> values) {
  public FormParameter {
    values = List.copyOf(values);
  }
}
