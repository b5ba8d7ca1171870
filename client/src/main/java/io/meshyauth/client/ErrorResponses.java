package io.meshyauth.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import feign.Response;
import feign.codec.ErrorDecoder;
import io.meshyauth.client.generated.model.ErrorResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Turns every non-2xx answer into a typed exception; Feign would otherwise retry a 429 on its own. */
final class ErrorResponses implements ErrorDecoder {
  // the spec requires Retry-After >= 1; without a readable one, wait that minimum rather than hammer the server
  private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
  private static final String INVALID_CLIENT = "invalid_client";

  private final ObjectMapper mapper;

  ErrorResponses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public Exception decode(String methodKey, Response response) {
    int status = response.status();
    if (status == 429) {
      return new RateLimitedException(retryAfter(response));
    }
    var body = errorBody(response);
    if (status == 400 && body.isPresent()) {
      return new OAuthErrorException(body.get().getError(), body.get().getErrorDescription(),
          body.get().getMessage());
    }
    // RFC 6749 section 5.2: a client whose authentication failed, answered 401 with a Basic challenge
    if (status == 401 && body.filter(e -> INVALID_CLIENT.equals(e.getError())).isPresent()) {
      return new OAuthErrorException(401, body.get().getError(), body.get().getErrorDescription(),
          body.get().getMessage());
    }
    if (status == 403 && body.isPresent()) {
      return new ForbiddenException(body.get().getError(), body.get().getErrorDescription(),
          body.get().getMessage());
    }
    if (status == 404 && body.isPresent()) {
      return new NotFoundException(body.get().getErrorDescription(), body.get().getMessage());
    }
    var description = body.map(ErrorResponse::getErrorDescription).map(d -> ": " + d).orElse("");
    return new MeshyAuthException(status, "HTTP " + status + " from the token service" + description,
        body.map(ErrorResponse::getMessage).orElse(null));
  }

  private Optional<ErrorResponse> errorBody(Response response) {
    if (response.body() == null) {
      return Optional.empty();
    }
    try (var in = response.body().asInputStream()) {
      return Optional.of(mapper.readValue(in, ErrorResponse.class)).filter(e -> e.getError() != null);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  // RFC 9110 section 10.2.3; this service sends delay-seconds
  private static Duration retryAfter(Response response) {
    return response.headers().getOrDefault("Retry-After", List.of()).stream()
        .findFirst()
        .flatMap(ErrorResponses::seconds)
        .filter(d -> d.compareTo(MIN_RETRY_AFTER) >= 0)
        .orElse(MIN_RETRY_AFTER);
  }

  private static Optional<Duration> seconds(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
