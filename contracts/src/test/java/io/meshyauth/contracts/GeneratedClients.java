package io.meshyauth.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import feign.FeignException;
import feign.Retryer;
import io.meshyauth.client.generated.ApiClient;

/**
 * The generated Feign clients, for the operations {@code MeshyClient} does not offer (anonymous registration,
 * discovery): built as MeshyClient builds its own, minus its error decoding, which is package-private. Feign's
 * default decoder then throws {@link FeignException} for every non-2xx answer, and {@link #errorBody} reads its
 * body as the generated model of the error.
 */
public final class GeneratedClients {
  private static final ApiClient JSON = new ApiClient();

  private GeneratedClients() {
  }

  public static <T extends ApiClient.Api> T of(String baseUrl, Class<T> api) {
    var apiClient = new ApiClient().setBasePath(baseUrl);
    // the answer reaches the test as it reached the client: no retries
    apiClient.getFeignBuilder().retryer(Retryer.NEVER_RETRY);
    return apiClient.buildClient(api);
  }

  public static <T> T errorBody(FeignException e, Class<T> model) {
    try {
      return JSON.getObjectMapper().readValue(e.contentUTF8(), model);
    } catch (JsonProcessingException ex) {
      throw new AssertionError("the " + e.status() + " answer is not a " + model.getSimpleName() + ": "
          + e.contentUTF8(), ex);
    }
  }
}
