package io.meshyauth.server;

import static io.meshyauth.server.TestServer.ACCOUNT;
import static io.meshyauth.server.TestServer.passwordForm;
import static io.meshyauth.server.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.store.Permissible;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.values.Operation;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Permission;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every administration operation the document declares (those with an {@code x-permission}), against every kind of
 * caller: no token, a token of the account carrying every admin permission but the operation's own, one carrying
 * it, an anonymous user's token, and a token of another account. A refused call changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdministrationAuthorizationTest {
  private static final OpenAPI API = new OpenAPIV3Parser().read(AdministrationAuthorizationTest.class
      .getClassLoader().getResource("openapi/meshy-auth.yaml").toString());
  private static final String OTHER_ACCOUNT = "other";

  private TestServer server;
  private RoleStore roles;
  private String withEveryPermission;
  private final Map<String, String> lackingOnly = new HashMap<>();
  private String anonymous;
  private String ofAnotherAccount;

  /** One operation of the document: method, path and the claim it needs. */
  record Operation_(String method, String path, String permission, Optional<String> body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Operation_> operations() {
    var found = new ArrayList<Operation_>();
    API.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
      var extensions = operation.getExtensions();
      if (extensions != null && extensions.containsKey("x-permission")) {
        var body = Optional.ofNullable(operation.getRequestBody())
            .map(request -> request.getContent().get("application/json").getSchema().get$ref())
            .map(ref -> ref.replaceFirst(".*/", ""));
        found.add(new Operation_(method.name(), path, (String) extensions.get("x-permission"), body));
      }
    }));
    return found;
  }

  @BeforeAll
  void start() {
    server = TestServer.start(StoreKind.SQLITE);
    roles = server.server.stores().roles().orElseThrow();
    var provisioning = server.server.provisioning();
    var every = new ArrayList<Permission>();
    for (var permissible : Permissible.BUILT_IN) {
      for (var operation : Operation.values()) {
        every.add(new Permission(permissible.name(), operation));
      }
    }
    withEveryPermission = tokenOf("chief", every);
    for (var lacking : every) {
      var others = every.stream().filter(permission -> !permission.equals(lacking)).toList();
      lackingOnly.put(lacking.claim(), tokenOf("lacks" + lacking.permissible() + lacking.operation().claimName(),
          others));
    }
    provisioning.createAnonymousUser(ACCOUNT, "visitor");
    anonymous = login(ACCOUNT, TestServer.CLIENT_ID, "visitor", "nopassword");
    provisioning.createAccount(OTHER_ACCOUNT, "other-key");
    provisioning.createUser(OTHER_ACCOUNT, "mallory", Password.of("mallory-password"));
    // mallory administers her own account: her token carries every permission, but of the other account
    var otherAdmins = roles.createRole(OTHER_ACCOUNT, "admins", Optional.empty(), Instant.now());
    roles.addPermission(OTHER_ACCOUNT, otherAdmins.id(), "users", Operations.ALL);
    roles.addPermission(OTHER_ACCOUNT, otherAdmins.id(), "roles", Operations.ALL);
    roles.addMembers(OTHER_ACCOUNT, otherAdmins.id(), List.of(server.server.stores().users()
        .findUser(OTHER_ACCOUNT, "mallory").orElseThrow().id()), Instant.now());
    ofAnotherAccount = login(OTHER_ACCOUNT, "other-key", "mallory", "mallory-password");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** A user of the account whose one role grants exactly these permissions, logged in. */
  private String tokenOf(String name, List<Permission> permissions) {
    var role = roles.createRole(ACCOUNT, name, Optional.empty(), Instant.now());
    var byPermissible = new LinkedHashMap<String, List<Operation>>();
    permissions.forEach(permission -> byPermissible.computeIfAbsent(permission.permissible(), p -> new ArrayList<>())
        .add(permission.operation()));
    byPermissible.forEach((permissible, operations) -> roles.addPermission(ACCOUNT, role.id(), permissible,
        new Operations(operations.contains(Operation.CREATE), operations.contains(Operation.READ),
            operations.contains(Operation.UPDATE), operations.contains(Operation.DELETE))));
    var user = server.server.provisioning().createUser(ACCOUNT, name, Password.of(name + "-password"));
    roles.addMembers(ACCOUNT, role.id(), List.of(user.id()), Instant.now());
    return login(ACCOUNT, TestServer.CLIENT_ID, name, name + "-password");
  }

  private String login(String account, String clientId, String username, String password) {
    var form = with(with(with(passwordForm(), "client_id", clientId), "username", username), "password", password);
    var answer = server.http.postForm("/" + account + "/connect/token", form);
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    return answer.text("access_token");
  }

  /** Fresh things for one operation to work on: a user, a role holding one permission. */
  private record Targets(String userId, String roleId, String permissionId) {
  }

  private Targets targets(String suffix) {
    var user = server.server.provisioning().createUser(ACCOUNT, "target" + suffix, Password.of("a-long-password"));
    var role = roles.createRole(ACCOUNT, "target" + suffix.replaceAll("[^a-z]", "x"), Optional.empty(),
        Instant.now());
    var permission = roles.addPermission(ACCOUNT, role.id(), "users", new Operations(false, true, false, false))
        .permission().orElseThrow();
    return new Targets(user.id(), role.id(), permission.id());
  }

  private String body(Operation_ operation, Targets targets, String suffix) {
    return switch (operation.body().orElse("")) {
      case "NewUser" -> "{\"username\":\"created" + suffix + "\",\"newPassword\":\"a-long-password\"}";
      case "UserUpdate" -> "{\"firstName\":\"Changed\"}";
      case "SecurityQuestionUpdate" -> "{\"securityQuestions\":[{\"question\":\"Pet?\",\"answer\":\"Rex\"}]}";
      case "RoleInput" -> "{\"name\":\"made" + suffix.replaceAll("[^a-z]", "x") + "\"}";
      case "PermissionInput" -> "{\"permissibleName\":\"roles\",\"read\":true}";
      case "RoleUsers" -> "{\"users\":[{\"id\":\"" + targets.userId() + "\"}]}";
      case "" -> null;
      default -> throw new AssertionError("no body for " + operation.body());
    };
  }

  private SpecCheckedHttp.Answer call(Operation_ operation, Targets targets, String token, String suffix) {
    var path = operation.path().replace("{accountName}", ACCOUNT).replace("{id}", targets.userId())
        .replace("{roleId}", targets.roleId()).replace("{permissionId}", targets.permissionId());
    if (token == null) {
      // no Authorization header at all: only the response is the document's
      return server.http.call(operation.method(), path, body(operation, targets, suffix), null, false);
    }
    return server.http.call(operation.method(), path, body(operation, targets, suffix), token, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void eachCallerGetsWhatItsTokenCarries(Operation_ operation) {
    var suffix = operation.method().toLowerCase(java.util.Locale.ROOT)
        + operation.path().replaceAll("[^a-z]", "");
    var targets = targets(suffix.replaceAll("[^a-z]", ""));
    var needed = Permission.parse(operation.permission()).orElseThrow();
    var fingerprint = fingerprint(targets);

    var none = call(operation, targets, null, suffix);
    var lacking = call(operation, targets, lackingOnly.get(operation.permission()), suffix);
    var anonymousUser = call(operation, targets, anonymous, suffix);
    var foreign = call(operation, targets, ofAnotherAccount, suffix);
    var refusedChangedNothing = fingerprint(targets).equals(fingerprint);
    var allowed = call(operation, targets, withEveryPermission, suffix);

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text("message")).isEqualTo("User is not authorized to make call.");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(lacking.status()).isEqualTo(403);
    assertThat(lacking.text("message")).isEqualTo("User has insufficent permission to "
        + needed.operation().claimName() + " " + needed.permissible() + ".");
    assertThat(anonymousUser.status()).isEqualTo(403);
    assertThat(foreign.status()).isEqualTo(401);
    assertThat(refusedChangedNothing).as("refused calls changed nothing").isTrue();
    assertThat(allowed.status()).as(allowed.response().body()).isNotIn(401, 403).isLessThan(500);
    assertThat(allowed.status()).as(allowed.response().body())
        .isIn(operation.path().endsWith("/questions") ? List.of(400) : List.of(200, 201, 204));
  }

  /** What a refused call could have changed: the target user, its role, the role's permissions, the counts. */
  private String fingerprint(Targets targets) {
    var users = server.server.stores().users();
    return users.findUserById(ACCOUNT, targets.userId()) + "|" + roles.findRole(ACCOUNT, targets.roleId()) + "|"
        + roles.findPermission(ACCOUNT, targets.roleId(), targets.permissionId()) + "|"
        + users.listUsers(ACCOUNT).size() + "|" + roles.searchRoles(ACCOUNT, Optional.empty(), 1, 1).totalRecords();
  }
}
