package io.meshyauth.contracts.scc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.contracts.ProviderFixtures;
import io.meshyauth.server.fixtures.ContractFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A consumer reading a field the server sends finds it in the stubs too: the discovery and JWKS stubs, and the
 * administration stubs that answer a user, a role, a permission or a page of them, carry every field and header of
 * the real server's answer (a field added to the server fails here until its contract has it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StubsCarryEveryFieldIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private ProviderFixtures provider;

  @BeforeAll
  void start() {
    provider = ProviderFixtures.start().allStates();
  }

  @AfterAll
  void stop() {
    provider.close();
  }

  @ParameterizedTest
  @CsvSource({
      "discovery/discovery_names_issuer_and_endpoints.json, /acme/.well-known/openid-configuration, ''",
      "discovery/jwks_publishes_p256_signing_keys.json, /acme/.well-known/openid-configuration/jwks, /keys/0"})
  void stubHasEveryFieldAndHeaderOfTheServersAnswer(String mapping, String path, String object) throws Exception {
    var server = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(provider.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertStubCarriesEveryFieldAndHeader(mapping, server, object);
  }

  /**
   * The administration stubs against the server's answer to ada, the administrator: {@code {roleId}} and
   * {@code {permissionId}} in the path are those of the role editors, as its provider state answers them.
   */
  @ParameterizedTest
  @CsvSource({
      "administration/administrator_searches_users.json, /admin-demo/users?name=tess&page=1&pageSize=25, ''",
      "administration/administrator_searches_users.json, /admin-demo/users?name=tess&page=1&pageSize=25, /results/0",
      "administration/administrator_gets_a_user.json, /admin-demo/users/7e1f3c2a-0ada-4c1e-9a11-000000000003, ''",
      "administration/administrator_searches_roles.json, /admin-demo/roles?name=edit&page=1&pageSize=25, /results/0",
      "administration/administrator_gets_a_role.json, /admin-demo/roles/{roleId}, ''",
      "administration/administrator_gets_a_permission_of_a_role.json, "
          + "/admin-demo/roles/{roleId}/permissions/{permissionId}, ''",
      "administration/administrator_searches_permissibles.json, /admin-demo/permissibles?page=1&pageSize=25, "
          + "/results/0"})
  void administrationStubHasEveryFieldAndHeaderOfTheServersAnswer(String mapping, String path, String object)
      throws Exception {
    var token = provider.given(ContractFixtures.ADMINISTRATOR_SIGNED_IN).get("accessToken");
    var editors = provider.given(ContractFixtures.ROLE_WITH_PERMISSION);
    var live = path.replace("{roleId}", editors.get("roleId").toString())
        .replace("{permissionId}", editors.get("permissionId").toString());
    var server = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(provider.baseUrl() + live))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

    assertStubCarriesEveryFieldAndHeader(mapping, server, object);
  }

  private static void assertStubCarriesEveryFieldAndHeader(String mapping, HttpResponse<String> server, String object)
      throws Exception {
    var stub = JSON.readTree(StubsJar.mappings().entrySet().stream()
        .filter(e -> e.getKey().endsWith("/mappings/" + mapping)).findFirst().orElseThrow().getValue())
        .path("response");

    assertThat(server.statusCode()).as(server.body()).isEqualTo(200);
    assertThat(fields(JSON.readTree(stub.path("body").asText()).at(object)))
        .containsExactlyInAnyOrderElementsOf(fields(JSON.readTree(server.body()).at(object)));
    var stubHeaders = fields(stub.path("headers"));
    assertThat(stubHeaders).contains("Content-Type", "Cache-Control");
    assertThat(stub.path("headers").path("Cache-Control").asText())
        .isEqualTo(server.headers().firstValue("Cache-Control").orElseThrow());
  }

  private static List<String> fields(JsonNode node) {
    var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
