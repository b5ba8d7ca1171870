package io.meshyauth.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import feign.FeignException;
import feign.Retryer;
import io.meshyauth.client.generated.ApiClient;

/**
 * The generated Feign clients, for the operations {@code MeshyClient} does not offer (anonymous registration,
 * discovery, administration): built as MeshyClient builds its own, minus its error decoding, which is
 * package-private. Feign's default decoder then throws {@link FeignException} for every non-2xx answer, and
 * {@link #errorBody} reads its body as the generated model of the error.
 */
public final class GeneratedClients {
  private static final ApiClient JSON = new ApiClient();

  private GeneratedClients() {
  }

  public static <T extends ApiClient.Api> T of(String baseUrl, Class<T> api) {
    return apiClient(baseUrl).buildClient(api);
  }

  /** As {@link #of}, sending {@code accessToken} as its bearer (RFC 6750 section 2.1), as the SDK face does. */
  public static <T extends ApiClient.Api> T withBearer(String baseUrl, Class<T> api, String accessToken) {
    var apiClient = apiClient(baseUrl);
    apiClient.getFeignBuilder().requestInterceptor(template -> template.header("Authorization",
        "Bearer " + accessToken));
    return apiClient.buildClient(api);
  }

  private static ApiClient apiClient(String baseUrl) {
    var apiClient = new ApiClient().setBasePath(baseUrl);
    // as MeshyClient writes its bodies: a field without a value is left out, not sent as null
    apiClient.getObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    // the answer reaches the test as it reached the client: no retries
    apiClient.getFeignBuilder().retryer(Retryer.NEVER_RETRY);
    return apiClient;
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
