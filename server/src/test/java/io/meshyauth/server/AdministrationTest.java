package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.PASSWORD;
import static io.meshyauth.server.TestServer.TOKEN_PATH;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshyauth.server.store.Role;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Password;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MeshyDB's admin endpoints over HTTP on a real server and store, as its SDKs call them: users, roles, permissions,
 * permissibles and memberships, authorized by the token's own claims; and the races an admin screen meets.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
class AdministrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/" + ACCOUNT + "/";

  private final TestServer server;
  private final RoleStore roles;
  private final Role admins;
  private final String adminToken;

  AdministrationTest(StoreKind store) {
    server = TestServer.start(store);
    roles = server.server.stores().roles().orElseThrow();
    // what an operator's CLI does to bootstrap the first administrator: alice holds every admin permission
    admins = roles.createRole(ACCOUNT, "admins", Optional.of("Administrators"), java.time.Instant.now());
    roles.addPermission(ACCOUNT, admins.id(), "users", Operations.ALL);
    roles.addPermission(ACCOUNT, admins.id(), "roles", Operations.ALL);
    var alice = server.server.stores().users().findUser(ACCOUNT, TestServer.USERNAME).orElseThrow();
    roles.addMembers(ACCOUNT, admins.id(), List.of(alice.id()), java.time.Instant.now());
    server.server.provisioning().createUser(ACCOUNT, "bob", Password.of("bob-the-password"));
    adminToken = login(TestServer.USERNAME, PASSWORD).text("access_token");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SpecCheckedHttp.Answer login(String username, String password) {
    var answer = server.http.postForm(TOKEN_PATH, with(with(passwordForm(), "username", username), "password",
        password));
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    return answer;
  }

  private SpecCheckedHttp.Answer call(String method, String path, String json, String token) {
    return server.http.call(method, API + path, json, token, true);
  }

  private static JsonNode claims(String accessToken) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void theAdministratorsTokenCarriesItsRolesPermissionsAsClaims() throws Exception {
    var claims = claims(adminToken);

    assertThat(claims.get("role").toString()).isEqualTo("[\"admins\"]");
    assertThat(claims.get("permission").toString()).isEqualTo("[\"roles:create\",\"roles:delete\",\"roles:read\","
        + "\"roles:update\",\"users:create\",\"users:delete\",\"users:read\",\"users:update\"]");
  }

  @Test
  void aNewUserIsInactiveAndUnverifiedUnlessSaidAndIsManagedWithMeshyDbsShapes() {
    // as MeshyDB's .NET SDK sends a NewUser: PascalCase, every property, Roles null
    var created = server.http.postJsonUnchecked(API + "users", "{\"Username\":\"carol\",\"NewPassword\":"
        + "\"carol-password\",\"FirstName\":\"Carol\",\"LastName\":\"Danvers\",\"PhoneNumber\":null,"
        + "\"EmailAddress\":null,\"SecurityQuestions\":[],\"Verified\":false,\"IsActive\":false,\"Roles\":null}",
        adminToken);
    var id = created.text("id");
    var loginWhileInactive = server.http.postForm(TOKEN_PATH, with(with(passwordForm(), "username", "carol"),
        "password", "carol-password"));
    var activated = call("PUT", "users/" + id, "{\"firstName\":\"Carol\",\"lastName\":\"Danvers\","
        + "\"isActive\":true,\"verified\":true}", adminToken);
    var fetched = call("GET", "users/" + id, null, adminToken);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("isActive").asBoolean()).isFalse();
    assertThat(created.json().get("verified").asBoolean()).isFalse();
    assertThat(loginWhileInactive.status()).isEqualTo(400);
    assertThat(activated.status()).isEqualTo(200);
    assertThat(fetched.json().get("isActive").asBoolean()).isTrue();
    assertThat(fetched.text("lastName")).isEqualTo("Danvers");
    assertThat(login("carol", "carol-password").status()).isEqualTo(200);
    assertThat(call("GET", "users/no-such-user", null, adminToken).text("message")).isEqualTo("User is not found.");
  }

  @Test
  void theSearchFiltersOrdersAndPagesAsBothSdksAskIt() {
    for (var name : List.of("mark:Mark:Zulu", "marta:Marta:Young", "maria:Maria:Xavier", "tom:Tom:Marsh")) {
      var parts = name.split(":");
      call("POST", "users", "{\"username\":\"" + parts[0] + "\",\"newPassword\":\"a-long-password\","
          + "\"firstName\":\"" + parts[1] + "\",\"lastName\":\"" + parts[2] + "\",\"isActive\":true}", adminToken);
    }
    var inactive = call("POST", "users", "{\"username\":\"marvin\",\"newPassword\":\"a-long-password\"}",
        adminToken).text("id");

    // the JS SDK: a quoted sort document; "mar" begins three usernames and one last name, case aside
    var js = call("GET", "users?name=MAR&orderBy=" + query("{\"lastName\":-1}") + "&page=1&pageSize=3", null,
        adminToken);
    // the .NET SDK: every parameter, empty when unset, True, and C# member names unquoted
    var dotNet = server.http.call("GET", API + "users?name=mar&roleId=&orderBy="
        + query("{ LastName:1,FirstName:-1 }") + "&activeOnly=False&page=2&pageSize=2", null, adminToken, false);
    var unknownField = call("GET", "users?orderBy=" + query("{\"password\":1}"), null, adminToken);
    var roleFilter = call("GET", "users?roleId=" + admins.id(), null, adminToken);

    assertThat(js.status()).isEqualTo(200);
    assertThat(usernames(js)).containsExactly("mark", "marta", "maria");
    assertThat(js.json().get("totalRecords").asLong()).isEqualTo(4);
    assertThat(js.json().get("pageSize").asInt()).isEqualTo(3);
    assertThat(dotNet.status()).isEqualTo(200);
    // activeOnly=False: marvin counts too. Last names ascending, no name last: Marsh (tom), Xavier (maria), Young
    // (marta), Zulu (mark), none (marvin); page 2 of 2 each
    assertThat(dotNet.json().get("totalRecords").asLong()).isEqualTo(5);
    assertThat(usernames(dotNet)).containsExactly("marta", "mark");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.text("message")).isEqualTo("orderBy cannot sort by \"password\".");
    assertThat(usernames(roleFilter)).containsExactly(TestServer.USERNAME);
    // beyond the document's limits: refused, not cut short
    assertThat(server.http.call("GET", API + "users?orderBy=" + query("{\"username\":1" + " ".repeat(600) + "}"),
        null, adminToken, false).status()).isEqualTo(400);
    assertThat(server.http.call("GET", API + "users?name=" + "a".repeat(129), null, adminToken, false).status())
        .isEqualTo(400);
    assertThat(server.http.call("GET", API + "users?pageSize=201", null, adminToken, false).status())
        .isEqualTo(400);
    assertThat(inactive).isNotNull();
  }

  private static List<String> usernames(SpecCheckedHttp.Answer page) {
    var names = new ArrayList<String>();
    page.json().get("results").forEach(user -> names.add(user.get("username").asText()));
    return names;
  }

  @Test
  void aRolesPermissionReachesItsHoldersAtTheirNextLoginOrRefresh() throws Exception {
    var bob = server.server.stores().users().findUser(ACCOUNT, "bob").orElseThrow();
    var bobsLogin = login("bob", "bob-the-password");
    var readers = call("POST", "roles", "{\"name\":\"readers\",\"description\":\"Read users.\"}", adminToken);
    var roleId = readers.text("id");
    // the docs' examples quote the flags
    var permission = server.http.call("POST", API + "roles/" + roleId + "/permissions",
        "{\"permissibleName\":\"users\",\"read\":\"true\"}", adminToken, false);
    var added = call("POST", "roles/" + roleId + "/users", "{\"users\":[{\"id\":\"" + bob.id() + "\"}]}",
        adminToken);

    var before = call("GET", "users", null, bobsLogin.text("access_token"));
    var refreshed = server.http.postForm(TOKEN_PATH, TestServer.refreshForm(bobsLogin.text("refresh_token")));
    var after = call("GET", "users", null, refreshed.text("access_token"));

    assertThat(readers.status()).isEqualTo(201);
    assertThat(readers.text("id")).matches("[0-9a-f]{24}");
    assertThat(permission.status()).isEqualTo(201);
    assertThat(permission.json().get("claims").toString()).isEqualTo("[\"users:read\"]");
    assertThat(added.status()).isEqualTo(204);
    assertThat(before.status()).isEqualTo(403);
    assertThat(before.text("message")).isEqualTo("User has insufficent permission to read users.");
    assertThat(before.header("WWW-Authenticate")).contains("insufficient_scope");
    assertThat(claims(refreshed.text("access_token")).get("permission").toString()).isEqualTo("[\"users:read\"]");
    assertThat(after.status()).isEqualTo(200);
    assertThat(call("GET", "roles/" + roleId, null, adminToken).json().get("numberOfUsers").asLong())
        .isEqualTo(1);
    // renamed, the role stays with its holders under its new name
    assertThat(call("PUT", "roles/" + roleId, "{\"name\":\"viewers\",\"description\":\"Read users.\"}",
        adminToken).text("name")).isEqualTo("viewers");
    assertThat(server.server.stores().users().findUserById(ACCOUNT, bob.id()).orElseThrow().profile().roleNames())
        .containsExactly("viewers");
    // at most 1,000 users at once, as the document says
    var tooMany = "{\"users\":[" + String.join(",", java.util.Collections.nCopies(1001, "{\"id\":\"" + bob.id()
        + "\"}")) + "]}";
    assertThat(server.http.call("POST", API + "roles/" + roleId + "/users", tooMany, adminToken, false).status())
        .isEqualTo(400);
    // and taken away with a JSON body on a DELETE
    assertThat(call("DELETE", "roles/" + roleId + "/users", "{\"users\":[{\"id\":\"" + bob.id() + "\"}]}",
        adminToken).status()).isEqualTo(204);
    assertThat(call("GET", "roles/" + roleId, null, adminToken).json().get("numberOfUsers").asLong()).isZero();
  }

  @Test
  void rolesAndPermissionsKeepMeshyDbsRules() {
    var roleId = call("POST", "roles", "{\"name\":\"editors\"}", adminToken).text("id");
    roles.addPermissible(ACCOUNT, new io.meshyauth.server.store.Permissible("meshes",
        new Operations(true, true, true, false)));
    roles.addPermissible(ACCOUNT, new io.meshyauth.server.store.Permissible("meshes.person", Operations.ALL));

    assertThat(message(call("POST", "roles", "{\"name\":\"Editors\"}", adminToken))).isEqualTo("Role already exists.");
    assertThat(message(call("POST", "roles", "{\"name\":\"meshy.user\"}", adminToken)))
        .isEqualTo("Role cannot start with 'meshy.'.");
    assertThat(message(call("POST", "roles", "{\"name\":\"two words\"}", adminToken)))
        .isEqualTo("Name can only be alpha characters only.");
    assertThat(message(call("POST", "roles", "{\"description\":\"x\"}", adminToken))).isEqualTo("Name is required.");
    var permissions = "roles/" + roleId + "/permissions";
    assertThat(message(call("POST", permissions, "{\"permissibleName\":\"meshes\",\"delete\":true}", adminToken)))
        .isEqualTo("Permisisble does not support the permission configuration.");
    assertThat(message(call("POST", permissions, "{\"permissibleName\":\"orders\",\"read\":true}", adminToken)))
        .isEqualTo("Permissible does not exist.");
    assertThat(message(call("POST", permissions, "{\"permissibleName\":\"meshes\"}", adminToken)))
        .isEqualTo("At least one of the following must be set: Create, Update, Read, Delete.");
    var meshes = call("POST", permissions, "{\"permissibleName\":\"meshes\",\"read\":true}", adminToken);
    assertThat(meshes.status()).isEqualTo(201);
    assertThat(message(call("POST", permissions, "{\"permissibleName\":\"meshes\",\"create\":true}", adminToken)))
        .isEqualTo("Permissible was already configured for role.");
    assertThat(call("POST", permissions, "{\"permissibleName\":\"meshes.person\",\"read\":true}", adminToken)
        .status()).isEqualTo(400);
    var updated = call("PUT", permissions + "/" + meshes.text("id"), "{\"permissibleName\":\"meshes\",\"read\":true,"
        + "\"update\":true}", adminToken);
    assertThat(updated.json().get("claims").toString()).isEqualTo("[\"meshes:read\",\"meshes:update\"]");
    assertThat(call("GET", permissions + "?permissibleName=MESH", null, adminToken).json().get("totalRecords")
        .asLong()).isEqualTo(1);
    assertThat(call("GET", "permissibles?name=mesh", null, adminToken).json().get("totalRecords").asLong())
        .isEqualTo(2);
    assertThat(call("DELETE", permissions + "/" + meshes.text("id"), null, adminToken).status()).isEqualTo(204);
    assertThat(message(call("GET", permissions + "/" + meshes.text("id"), null, adminToken)))
        .isEqualTo("Permission was not found.");
    var system = roles.createRole(ACCOUNT, "meshy.user", Optional.empty(), java.time.Instant.now());
    assertThat(message(call("DELETE", "roles/" + system.id(), null, adminToken)))
        .isEqualTo("Unable to delete role that starts with 'meshy.'.");
    assertThat(call("DELETE", "roles/" + roleId, null, adminToken).status()).isEqualTo(204);
    assertThat(message(call("GET", "roles/" + roleId, null, adminToken))).isEqualTo("Role was not found.");
  }

  private static String message(SpecCheckedHttp.Answer answer) {
    assertThat(answer.status()).as(answer.response().body()).isBetween(400, 404);
    return answer.text("message");
  }

  @Test
  void nobodyDeletesThemselvesAndADeletedUsersSessionsEnd() {
    var bob = server.server.stores().users().findUser(ACCOUNT, "bob").orElseThrow();
    var alice = server.server.stores().users().findUser(ACCOUNT, TestServer.USERNAME).orElseThrow();
    var bobsRefresh = login("bob", "bob-the-password").text("refresh_token");

    assertThat(message(call("DELETE", "users/" + alice.id(), null, adminToken)))
        .isEqualTo("User is not able to delete self.");
    assertThat(call("DELETE", "users/" + bob.id(), null, adminToken).status()).isEqualTo(204);
    assertThat(server.http.postForm(TOKEN_PATH, TestServer.refreshForm(bobsRefresh)).status()).isEqualTo(400);
    assertThat(message(call("DELETE", "users/" + bob.id(), null, adminToken))).isEqualTo("User is not found.");
  }

  @Test
  void withoutRolesUpdateANewUserMayOnlyBeGivenTheCreatorsRoles() {
    // a user administrator who may create users but not change roles, holding role "helpers"
    var helpers = roles.createRole(ACCOUNT, "helpers", Optional.empty(), java.time.Instant.now());
    roles.createRole(ACCOUNT, "owners", Optional.empty(), java.time.Instant.now());
    roles.addPermission(ACCOUNT, helpers.id(), "users", new Operations(true, true, false, false));
    var bob = server.server.stores().users().findUser(ACCOUNT, "bob").orElseThrow();
    roles.addMembers(ACCOUNT, helpers.id(), List.of(bob.id()), java.time.Instant.now());
    var bobsToken = login("bob", "bob-the-password").text("access_token");

    var own = call("POST", "users", "{\"username\":\"dave\",\"newPassword\":\"a-long-password\","
        + "\"roles\":[{\"name\":\"helpers\"}]}", bobsToken);
    var other = call("POST", "users", "{\"username\":\"erin\",\"newPassword\":\"a-long-password\","
        + "\"roles\":[{\"name\":\"owners\"}]}", bobsToken);

    assertThat(own.status()).isEqualTo(201);
    assertThat(own.json().get("roles").get(0).get("name").asText()).isEqualTo("helpers");
    assertThat(message(other)).isEqualTo("Unable to assign a role the caller does not have.");
    assertThat(server.server.stores().users().findUser(ACCOUNT, "erin")).isEmpty();
    // a caller who may update roles gives any
    assertThat(call("POST", "users", "{\"username\":\"erin\",\"newPassword\":\"a-long-password\","
        + "\"roles\":[{\"name\":\"owners\"}]}", adminToken).status()).isEqualTo(201);
    // and roles never change through PUT users/{id}
    assertThat(message(server.http.putJsonUnchecked(API + "users/" + own.text("id"), "{\"roles\":[{\"name\":"
        + "\"owners\",\"addedDate\":\"2026-12-06T00:00:00Z\"}]}", adminToken)))
        .isEqualTo("Unable to change user roles via API.");
  }

  @Test
  void twoAdministratorsAddingTheSameUserToARoleAtOnceLeaveOneMembership() throws Exception {
    var bob = server.server.stores().users().findUser(ACCOUNT, "bob").orElseThrow();
    var editors = call("POST", "roles", "{\"name\":\"editors\"}", adminToken).text("id");
    var secondAdmin = login(TestServer.USERNAME, PASSWORD).text("access_token");

    var statuses = concurrently(16, i -> call("POST", "roles/" + editors + "/users",
        "{\"users\":[{\"id\":\"" + bob.id() + "\"}]}", i % 2 == 0 ? adminToken : secondAdmin).status());

    assertThat(statuses).containsOnly(204);
    assertThat(server.server.stores().users().findUserById(ACCOUNT, bob.id()).orElseThrow().profile().roleNames())
        .containsExactly("editors");
    assertThat(call("GET", "roles/" + editors, null, adminToken).json().get("numberOfUsers").asLong()).isEqualTo(1);
  }

  @Test
  void aRoleDeletedWhileItsHoldersLogInLeavesTokensOfOneStateOrTheOther() throws Exception {
    var bob = server.server.stores().users().findUser(ACCOUNT, "bob").orElseThrow();
    for (int round = 0; round < 5; round++) {
      var role = roles.createRole(ACCOUNT, "temporary" + "abcde".charAt(round), Optional.empty(),
          java.time.Instant.now());
      roles.addPermission(ACCOUNT, role.id(), "users", new Operations(false, true, false, false));
      roles.addMembers(ACCOUNT, role.id(), List.of(bob.id()), java.time.Instant.now());

      var tokens = concurrently(8, i -> {
        if (i == 4) {
          call("DELETE", "roles/" + role.id(), null, adminToken);
          return null;
        }
        return login("bob", "bob-the-password").text("access_token");
      });

      for (var token : tokens) {
        if (token != null) {
          var claims = claims(token);
          var holdsRole = claims.get("role").toString().contains(role.name());
          var holdsPermission = claims.get("permission").toString().contains("users:read");
          assertThat(holdsPermission).as("role and its permission together in %s", claims).isEqualTo(holdsRole);
        }
      }
    }
  }

  @Test
  void aDeactivationRacingARefreshLeavesNoLiveRefreshToken() throws Exception {
    var bob = server.server.stores().users().findUser(ACCOUNT, "bob").orElseThrow();
    for (int round = 0; round < 5; round++) {
      call("PUT", "users/" + bob.id(), "{\"isActive\":true}", adminToken);
      var refreshToken = login("bob", "bob-the-password").text("refresh_token");

      var results = concurrently(2, i -> i == 0
          ? call("PUT", "users/" + bob.id(), "{\"isActive\":false}", adminToken).text("refresh_token")
          : server.http.postForm(TOKEN_PATH, TestServer.refreshForm(refreshToken)).text("refresh_token"));

      var rotated = results.get(1);
      assertThat(server.http.postForm(TOKEN_PATH, TestServer.refreshForm(refreshToken)).status()).isEqualTo(400);
      if (rotated != null) {
        assertThat(server.http.postForm(TOKEN_PATH, TestServer.refreshForm(rotated)).status()).isEqualTo(400);
      }
    }
  }

  @Test
  void aBurstOfAdministrationCallsIsHeldToTheAccountsRequestLimit() throws Exception {
    // an account of 10 requests a minute, whose administrator's login takes one of them
    server.createLimitedAccount("tight", "tight-key", 10);
    var tia = server.server.provisioning().createUser("tight", "tia", Password.of("tia-password"));
    var readers = roles.createRole("tight", "readers", Optional.empty(), java.time.Instant.now());
    roles.addPermission("tight", readers.id(), "users", new Operations(false, true, false, false));
    roles.addMembers("tight", readers.id(), List.of(tia.id()), java.time.Instant.now());
    var token = server.http.postForm("/tight/connect/token", with(with(with(passwordForm(), "client_id",
        "tight-key"), "username", "tia"), "password", "tia-password")).text("access_token");

    var started = System.nanoTime();
    var answers = concurrently(30, i -> server.http.call("GET", "/tight/users", null, token, true));
    // the limit refills one request every 6 s: however slow the machine, no more than that is added
    var refilled = 1 + java.time.Duration.ofNanos(System.nanoTime() - started).toSeconds() / 6;

    var served = answers.stream().filter(answer -> answer.status() == 200).count();
    assertThat(served).as("the 9 requests left, and what refilled while the burst ran").isBetween(1L, 9 + refilled);
    assertThat(answers).filteredOn(answer -> answer.status() != 200).isNotEmpty().allSatisfy(answer -> {
      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("Retry-After")).isNotNull();
      assertThat(answer.text("message")).isNotBlank();
    });
  }

  /** {@code count} calls at once, released together; their results in call order. */
  private static <T> List<T> concurrently(int count, IndexedCall<T> work) throws Exception {
    var pool = Executors.newFixedThreadPool(count);
    try {
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<T>>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit((Callable<T>) () -> {
          start.await();
          return work.call(index);
        }));
      }
      start.countDown();
      var results = new ArrayList<T>();
      for (var future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface IndexedCall<T> {
    T call(int index) throws Exception;
  }
}
