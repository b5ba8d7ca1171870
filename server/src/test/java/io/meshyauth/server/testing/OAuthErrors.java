package io.meshyauth.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshyauth.server.errors.ApiError;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on OAuth refusals: as the client reads them over HTTP, and as the grant logic throws them. */
public final class OAuthErrors {
  private OAuthErrors() {
  }

  /** An RFC 6749 section 5.2 error answer: 400, the code and description, and never cached. */
  public static void assertError(HttpAnswer answer, String error, String description) {
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("error")).isEqualTo(error);
    assertThat(answer.text("error_description")).isEqualTo(description);
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
  }

  /** The refusal {@code call} throws; fails when it throws none or something else. */
  public static ApiError refusalOf(ThrowingCallable call) {
    var error = catchThrowableOfType(ApiError.class, call);
    assertThat(error).as("an ApiError was thrown").isNotNull();
    return error;
  }

  /**
   * The refusal as the client is told it (code, status, description) and as the log records it
   * ({@code detail}; null for a refusal that gives no reason).
   */
  public static void assertRefusal(ApiError error, String code, int status, String description, String detail) {
    assertThat(error.code().code()).as("code").isEqualTo(code);
    assertThat(error.status()).as("status").isEqualTo(status);
    assertThat(error.description()).as("description").isEqualTo(description);
    assertThat(error.detail()).as("detail for the log").isEqualTo(Optional.ofNullable(detail));
  }

  /** {@code call} is refused with exactly that refusal. */
  public static void assertRefused(ThrowingCallable call, String code, int status, String description,
      String detail) {
    assertRefusal(refusalOf(call), code, status, description, detail);
  }
}
