package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.CLIENT_ID;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.refreshForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.Provisioning.ProfileChange;
import io.meshyauth.server.values.Password;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MeshyDB's SDKs build {@code connection.currentUser} from the access token's claims, without verifying it.
 * These tests decode our tokens exactly as the two SDKs do and check every field they fill.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class MeshyClaimsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOB = "bob";
  private static final String BOB_PASSWORD = "bob's long password";

  private final TestServer server;

  MeshyClaimsTest(StoreKind store) {
    server = TestServer.start(store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theJsSdksCurrentUserHasEveryFieldOfTheUser() throws IOException {
    var bob = createBob(List.of("editor", "admin"), List.of("meshes.read", "meshes.write"));

    var currentUser = JsSdk.currentUser(loginAsBob().text("access_token"));

    assertThat(currentUser.get("id").asText()).isEqualTo(bob.id());
    assertThat(currentUser.get("username").asText()).isEqualTo(BOB);
    assertThat(currentUser.get("firstName").asText()).isEqualTo("Bob");
    assertThat(currentUser.get("lastName").asText()).isEqualTo("Builder");
    assertThat(currentUser.get("roles").isArray()).isTrue();
    assertThat(currentUser.get("roles").toString()).isEqualTo("[\"admin\",\"editor\"]");
    assertThat(currentUser.get("permissions").toString()).isEqualTo("[\"meshes.read\",\"meshes.write\"]");
  }

  @Test
  void theDotNetSdksCurrentUserHasEveryFieldOfTheUser() throws IOException {
    var bob = createBob(List.of("admin", "editor"), List.of());

    var currentUser = DotNetSdk.currentUser(loginAsBob().text("access_token"));

    assertThat(currentUser).isEqualTo(new DotNetSdk.CurrentUser(bob.id(), BOB, "Bob", "Builder",
        List.of("admin", "editor")));
  }

  @Test
  void aSingleRoleIsStillAnArrayForTheJsSdk() throws IOException {
    createBob(List.of("admin"), List.of("meshes.read"));

    var currentUser = JsSdk.currentUser(loginAsBob().text("access_token"));

    assertThat(currentUser.get("roles").toString()).isEqualTo("[\"admin\"]");
    assertThat(currentUser.get("permissions").toString()).isEqualTo("[\"meshes.read\"]");
    assertThat(DotNetSdk.currentUser(loginAsBob().text("access_token")).roles()).containsExactly("admin");
  }

  @Test
  void aUserWithoutProfileHasNoNamesAndEmptyRolesInBothSdks() throws IOException {
    var token = server.login().text("access_token");

    var js = JsSdk.currentUser(token);
    assertThat(js.get("username").asText()).isEqualTo(TestServer.USERNAME);
    assertThat(js.get("firstName")).isNull(); // undefined in JavaScript: the claim is omitted
    assertThat(js.get("lastName")).isNull();
    assertThat(js.get("roles").toString()).isEqualTo("[]");
    assertThat(js.get("permissions").toString()).isEqualTo("[]");
    var dotNet = DotNetSdk.currentUser(token);
    assertThat(dotNet.firstName()).isNull();
    assertThat(dotNet.lastName()).isNull();
    assertThat(dotNet.roles()).isEmpty();
    assertThat(dotNet.username()).isEqualTo(TestServer.USERNAME);
  }

  @Test
  void aRefreshedTokenCarriesTheProfileAsItIsNow() throws IOException {
    createBob(List.of("editor"), List.of());
    var refreshToken = loginAsBob().text("refresh_token");

    server.server.provisioning().updateProfile(ACCOUNT, BOB, new ProfileChange(Optional.of("Robert"),
        Optional.empty(), Optional.of(List.of("editor", "admin")), Optional.empty()));
    var refreshed = server.http.postForm(TestServer.TOKEN_PATH, refreshForm(refreshToken));

    var currentUser = JsSdk.currentUser(refreshed.text("access_token"));
    assertThat(currentUser.get("firstName").asText()).isEqualTo("Robert");
    assertThat(currentUser.get("lastName").asText()).isEqualTo("Builder");
    assertThat(currentUser.get("roles").toString()).isEqualTo("[\"admin\",\"editor\"]");
  }

  private io.meshyauth.server.store.User createBob(List<String> roles, List<String> permissions) {
    return server.server.provisioning().createUser(ACCOUNT, BOB, Password.of(BOB_PASSWORD),
        new ProfileChange(Optional.of("Bob"), Optional.of("Builder"), Optional.of(roles), Optional.of(permissions)));
  }

  private SpecCheckedHttp.Answer loginAsBob() {
    var form = with(with(passwordForm(), "username", BOB), "password", BOB_PASSWORD);
    var answer = server.http.postForm(TestServer.TOKEN_PATH, with(form, "client_id", CLIENT_ID));
    assertThat(answer.status()).isEqualTo(200);
    return answer;
  }

  /** {@code @meshydb/sdk}'s MeshyConnection.currentUser: the payload, base64url-decoded and JSON-parsed. */
  static final class JsSdk {
    static JsonNode currentUser(String accessToken) throws IOException {
      var payload = JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
      var user = JSON.createObjectNode();
      copy(payload, "sub", user, "id");
      copy(payload, "id", user, "username");
      copy(payload, "given_name", user, "firstName");
      copy(payload, "family_name", user, "lastName");
      copy(payload, "role", user, "roles");
      copy(payload, "permission", user, "permissions");
      return user;
    }

    private static void copy(JsonNode from, String claim, com.fasterxml.jackson.databind.node.ObjectNode to,
        String field) {
      if (from.has(claim)) {
        to.set(field, from.get(claim));
      }
    }
  }

  /**
   * MeshyDB.SDK's MeshyConnection.SetCurrentUser: JwtSecurityTokenHandler turns the payload into claims, one per
   * value (an array gives one claim per element); each field takes the first claim of its type, or null, and
   * Roles every {@code role} claim.
   */
  static final class DotNetSdk {
    record CurrentUser(String id, String username, String firstName, String lastName, List<String> roles) {
    }

    static CurrentUser currentUser(String accessToken) throws IOException {
      var payload = JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
      var claims = new ArrayList<Map.Entry<String, String>>();
      payload.fields().forEachRemaining(field -> {
        if (field.getValue().isArray()) {
          field.getValue().forEach(element -> claims.add(Map.entry(field.getKey(), element.asText())));
        } else {
          claims.add(Map.entry(field.getKey(), field.getValue().asText()));
        }
      });
      return new CurrentUser(first(claims, "sub"), first(claims, "id"), first(claims, "given_name"),
          first(claims, "family_name"),
          claims.stream().filter(c -> c.getKey().equals("role")).map(Map.Entry::getValue).toList());
    }

    private static String first(List<Map.Entry<String, String>> claims, String type) {
      return claims.stream().filter(c -> c.getKey().equals(type)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
  }
}
