package io.meshyauth.client;

import static io.meshyauth.client.TestServer.ACCOUNT;
import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshyauth.server.store.SignUpPolicy.Verification;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Password;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The administration through the SDK face ({@code connection.users()}, {@code connection.roles()}) against a real
 * server and store: alice holds every permission on users and roles, given as an operator's CLI gives them; bob
 * holds none.
 */
class AdministrationTest {
  private static final String BOB_PASSWORD = "bob-the-password";

  private final TestServer server = TestServer.start();
  private final RecordingInterceptor recorder = new RecordingInterceptor();
  private final MutableClock clock = new MutableClock(Instant.now());
  private final String adminsId = bootstrapAdministrator(ACCOUNT, USERNAME);
  private final String aliceId = server.stores().users().findUser(ACCOUNT, USERNAME).orElseThrow().id();
  private final String bobId = server.provisioning().createUser(ACCOUNT, "bob", Password.of(BOB_PASSWORD)).id();
  private final MeshyClient client = server.client().clock(clock).okHttpClient(recorder.httpClient()).build();
  private final MeshyConnection admin = client.loginWithPassword(USERNAME, PASSWORD);

  @AfterEach
  void stop() {
    server.close();
  }

  /** What an operator does for the first administrator: a role with every permission on users and roles. */
  private String bootstrapAdministrator(String account, String username) {
    var roles = server.stores().roles().orElseThrow();
    var admins = roles.createRole(account, "admins", Optional.of("Administrators"), Instant.now());
    roles.addPermission(account, admins.id(), "users", Operations.ALL);
    roles.addPermission(account, admins.id(), "roles", Operations.ALL);
    var user = server.stores().users().findUser(account, username).orElseThrow();
    roles.addMembers(account, admins.id(), List.of(user.id()), Instant.now());
    return admins.id();
  }

  private static List<String> usernames(Page<User> page) {
    return page.results().stream().map(User::username).toList();
  }

  private User activeUser(String username, String firstName, String lastName) {
    return admin.users().create(NewUser.builder(username, username + "-password").firstName(firstName)
        .lastName(lastName).active(true).build());
  }

  @Test
  void createMakesAnInactiveUnverifiedUserUnlessToldAndUpdateSetsActiveVerifiedNamesAndContacts() {
    var users = admin.users();

    var carol = users.create(NewUser.builder("carol", "carol-password").firstName("Carol").lastName("Danvers")
        .build());
    var whileInactive = catchThrowableOfType(OAuthErrorException.class,
        () -> client.loginWithPassword("carol", "carol-password"));
    var activated = users.update(carol.id(), carol.withActive(true).withVerified(true).withLastName("Marvel")
        .withEmailAddress("carol@example.com"));

    assertThat(carol.id()).isNotBlank();
    assertThat(carol.username()).isEqualTo("carol");
    assertThat(carol.firstName()).contains("Carol");
    assertThat(carol.active()).isFalse();
    assertThat(carol.verified()).isFalse();
    assertThat(carol.roles()).isEmpty();
    assertThat(whileInactive.error()).isEqualTo("invalid_grant");
    assertThat(activated.id()).isEqualTo(carol.id());
    assertThat(activated.active()).isTrue();
    assertThat(activated.verified()).isTrue();
    assertThat(activated.lastName()).contains("Marvel");
    assertThat(activated.emailAddress()).contains("carol@example.com");
    assertThat(users.get(carol.id())).isEqualTo(activated);
    assertThat(client.loginWithPassword("carol", "carol-password").getSelf().id()).isEqualTo(carol.id());

    var deactivated = users.update(carol.id(), activated.withActive(false));
    assertThat(deactivated.active()).isFalse();
    assertThat(deactivated.verified()).isTrue();
    assertThatThrownBy(() -> client.loginWithPassword("carol", "carol-password"))
        .isInstanceOf(OAuthErrorException.class);
  }

  @Test
  void createGivesVerifiedActiveAndRolesWhichRegistrationRefusesToSend() {
    var dave = admin.users().create(NewUser.builder("dave", "dave-password").verified(true).active(true)
        .role("admins").build());

    assertThat(dave.verified()).isTrue();
    assertThat(dave.active()).isTrue();
    assertThat(dave.roles()).extracting(UserRole::name).containsExactly("admins");
    assertThat(client.loginWithPassword("dave", "dave-password").currentUser().roles()).containsExactly("admins");
    // the account does not allow registration: a request would be refused with OAuthErrorException instead
    assertThatThrownBy(() -> client.registerUser(NewUser.builder("erin", "erin-password").active(true).build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.registerUser(NewUser.builder("erin", "erin-password").role("admins").build()))
        .isInstanceOf(IllegalArgumentException.class);
    // the seven-field form of before is a user to register
    assertThat(new NewUser("erin", "erin-password", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of())).isEqualTo(NewUser.builder("erin", "erin-password").build());
  }

  @Test
  void searchKeepsNamePrefixesOrdersByTheSortDocumentAndPages() {
    activeUser("mark", "Mark", "Zulu");
    activeUser("marta", "Marta", "Young");
    activeUser("maria", "Maria", "Xavier");
    activeUser("tom", "Tom", "Marsh");
    admin.users().create(NewUser.builder("marvin", "marvin-password").build());
    var users = admin.users();
    // "mar" begins three usernames and one last name, case aside; marvin is inactive
    var query = UserSearch.all().name("MAR").orderBy("lastName", Sort.DESCENDING).pageSize(2);

    var first = users.search(query);
    var second = users.search(query.page(2));
    var everyone = users.search(UserSearch.all().name("mar").activeOnly(false).orderBy("isActive", Sort.DESCENDING)
        .orderBy("username", Sort.DESCENDING));
    var ascending = users.search(UserSearch.all().name("mar").orderBy("lastName", Sort.ASCENDING));
    var byDefault = users.search(UserSearch.all());

    assertThat(usernames(first)).containsExactly("mark", "marta");
    assertThat(first.page()).isEqualTo(1);
    assertThat(first.pageSize()).isEqualTo(2);
    assertThat(first.totalRecords()).isEqualTo(4);
    assertThat(first.totalPages()).isEqualTo(2);
    assertThat(first.hasNextPage()).isTrue();
    assertThat(usernames(second)).containsExactly("maria", "tom");
    assertThat(second.page()).isEqualTo(2);
    assertThat(second.hasNextPage()).isFalse();
    // both fields count, in the order given
    assertThat(usernames(everyone)).containsExactly("tom", "marta", "mark", "maria", "marvin");
    assertThat(everyone.results().get(4).active()).isFalse();
    assertThat(usernames(ascending)).containsExactly("tom", "maria", "marta", "mark");
    assertThat(byDefault.page()).isEqualTo(1);
    assertThat(byDefault.pageSize()).isEqualTo(25);
    assertThat(usernames(byDefault)).contains(USERNAME, "bob", "mark", "tom").doesNotContain("marvin").isSorted();
    assertThat(byDefault.results().get(0).firstName()).isEmpty();
  }

  @Test
  void searchKeepsTheHoldersOfARoleAndRefusesAnUnknownSortFieldWithMeshyDbsMessage() {
    activeUser("mark", "Mark", "Zulu");

    var holders = admin.users().search(UserSearch.all().roleId(adminsId));
    var unknownField = catchThrowableOfType(OAuthErrorException.class,
        () -> admin.users().search(UserSearch.all().orderBy("password", Sort.ASCENDING)));

    assertThat(usernames(holders)).containsExactly(USERNAME);
    assertThat(holders.results().get(0).id()).isEqualTo(aliceId);
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.meshyMessage()).contains("orderBy cannot sort by \"password\".");
  }

  @Test
  void userSearchIsAnImmutableValueThatRefusesWhatTheServerWould() {
    var query = UserSearch.all().name("mar").orderBy("lastName", Sort.DESCENDING);

    var paged = query.page(2);

    assertThat(query).isEqualTo(UserSearch.all().name("mar").orderBy("lastName", Sort.DESCENDING))
        .isNotEqualTo(paged)
        .isNotEqualTo(UserSearch.all().name("mar").orderBy("lastName", Sort.ASCENDING));
    assertThat(query.page()).isEqualTo(1);
    assertThat(paged.page()).isEqualTo(2);
    assertThat(UserSearch.all().name("")).isEqualTo(UserSearch.all());
    assertThat(query.orderByDocument()).contains("{\"lastName\":-1}");
    assertThat(query.orderBy("firstName", Sort.ASCENDING).orderByDocument())
        .contains("{\"lastName\":-1,\"firstName\":1}");
    assertThatThrownBy(() -> query.orderBy("LastName", Sort.ASCENDING)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> query.page(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> query.pageSize(201)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rolesAreCreatedFoundSearchedRenamedAndDeleted() {
    var roles = admin.roles();

    var editors = roles.create("editors", "Edits the catalogue.");
    var viewers = roles.create(Role.of("viewers", null));
    var prefix = roles.search("E", 1, 25);
    var firstTwo = roles.search(null, 1, 2);
    var renamed = roles.update(editors.id(), editors.withName("writers").withDescription("Writes."));
    var duplicate = catchThrowableOfType(OAuthErrorException.class, () -> roles.create("Writers", null));
    roles.delete(viewers.id());
    var deleted = catchThrowableOfType(NotFoundException.class, () -> roles.get(viewers.id()));

    assertThat(editors.id()).isNotBlank();
    assertThat(editors.name()).isEqualTo("editors");
    assertThat(editors.description()).contains("Edits the catalogue.");
    assertThat(editors.numberOfUsers()).isZero();
    assertThat(viewers.description()).isEmpty();
    assertThat(prefix.results()).containsExactly(editors);
    assertThat(firstTwo.results()).extracting(Role::name).containsExactly("admins", "editors");
    assertThat(firstTwo.results().get(0).numberOfUsers()).isEqualTo(1);
    assertThat(firstTwo.totalRecords()).isEqualTo(3);
    assertThat(firstTwo.hasNextPage()).isTrue();
    assertThat(renamed).isEqualTo(new Role(editors.id(), "writers", Optional.of("Writes."), 0));
    assertThat(roles.get(editors.id())).isEqualTo(renamed);
    assertThat(duplicate.meshyMessage()).contains("Role already exists.");
    assertThat(deleted.status()).isEqualTo(404);
    assertThat(deleted.meshyMessage()).contains("Role was not found.");
    assertThat(roles.search(null, 1, 25).results()).extracting(Role::name).containsExactly("admins", "writers");
  }

  @Test
  void permissionsAreGivenFoundChangedSearchedAndTaken() {
    var roles = admin.roles();
    var role = roles.create("auditors", null);

    var readUsers = roles.createPermission(role.id(), Permission.of("users", false, true, false, false));
    var changed = roles.updatePermission(role.id(), readUsers.id(), Permission.of("users", false, true, true, false));
    var twice = catchThrowableOfType(OAuthErrorException.class,
        () -> roles.createPermission(role.id(), Permission.of("users", true, false, false, false)));
    var readRoles = roles.createPermission(role.id(), Permission.of("roles", false, true, false, false));
    var byPrefix = roles.searchPermissions(role.id(), "US", 1, 25);
    var firstOfTwo = roles.searchPermissions(role.id(), null, 1, 1);

    assertThat(readUsers.id()).isNotBlank();
    assertThat(readUsers).isEqualTo(new Permission(readUsers.id(), "users", false, true, false, false,
        List.of("users:read")));
    assertThat(changed).isEqualTo(new Permission(readUsers.id(), "users", false, true, true, false,
        List.of("users:read", "users:update")));
    assertThat(roles.getPermission(role.id(), readUsers.id())).isEqualTo(changed);
    assertThat(twice.meshyMessage()).contains("Permissible was already configured for role.");
    assertThat(byPrefix.results()).containsExactly(changed);
    assertThat(firstOfTwo.results()).containsExactly(readRoles);
    assertThat(firstOfTwo.totalRecords()).isEqualTo(2);

    roles.deletePermission(role.id(), changed.id());

    var deleted = catchThrowableOfType(NotFoundException.class, () -> roles.getPermission(role.id(), changed.id()));
    assertThat(deleted.meshyMessage()).contains("Permission was not found.");
    assertThat(roles.searchPermissions(role.id(), null, 1, 25).results()).containsExactly(readRoles);
  }

  @Test
  void permissiblesAreTheServersOwnAndTheAppsSearchedByNamePrefix() {
    server.stores().roles().orElseThrow().addPermissible(ACCOUNT,
        new io.meshyauth.server.store.Permissible("meshes", new Operations(true, true, false, false)));
    var roles = admin.roles();

    var all = roles.searchPermissibles(null, 1, 25);
    var byPrefix = roles.searchPermissibles("U", 1, 25);
    var secondPage = roles.searchPermissibles(null, 2, 2);

    assertThat(all.results()).containsExactly(new Permissible("meshes", true, true, false, false),
        new Permissible("roles", true, true, true, true), new Permissible("users", true, true, true, true));
    assertThat(byPrefix.results()).extracting(Permissible::name).containsExactly("users");
    assertThat(secondPage.results()).extracting(Permissible::name).containsExactly("users");
    assertThat(secondPage.page()).isEqualTo(2);
    assertThat(secondPage.totalRecords()).isEqualTo(3);
  }

  @Test
  void aRolesPermissionReachesItsHoldersNextLoginAndLeavesWithTheRole() {
    var erin = activeUser("erin", "Erin", "Ely");
    var roles = admin.roles();
    var role = roles.create("readers", null);
    roles.createPermission(role.id(), Permission.of("users", false, true, false, false));
    var before = client.loginWithPassword("erin", "erin-password");

    roles.addUsers(role.id(), List.of(erin.id()));
    var holding = client.loginWithPassword("erin", "erin-password");

    assertThat(before.currentUser().permissions()).doesNotContain("users:read");
    assertThatThrownBy(() -> before.users().get(erin.id())).isInstanceOf(ForbiddenException.class);
    assertThat(roles.get(role.id()).numberOfUsers()).isEqualTo(1);
    assertThat(admin.users().get(erin.id()).roles()).extracting(UserRole::name).containsExactly("readers");
    assertThat(usernames(admin.users().search(UserSearch.all().roleId(role.id())))).containsExactly("erin");
    assertThat(holding.currentUser().roles()).containsExactly("readers");
    assertThat(holding.currentUser().permissions()).containsExactly("users:read");
    assertThat(holding.users().get(erin.id()).username()).isEqualTo("erin");

    roles.removeUsers(role.id(), List.of(erin.id()));
    var removed = client.loginWithPassword("erin", "erin-password");

    assertThat(roles.get(role.id()).numberOfUsers()).isZero();
    assertThat(admin.users().get(erin.id()).roles()).isEmpty();
    assertThat(removed.currentUser().roles()).isEmpty();
    assertThat(removed.currentUser().permissions()).isEmpty();
    assertThatThrownBy(() -> removed.users().get(erin.id())).isInstanceOf(ForbiddenException.class);
  }

  @Test
  void deleteRemovesTheUserButNobodyDeletesThemselves() {
    var frank = activeUser("frank", "Frank", "Fox");

    admin.users().delete(frank.id());

    var gone = catchThrowableOfType(NotFoundException.class, () -> admin.users().get(frank.id()));
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.meshyMessage()).contains("User is not found.");
    assertThatThrownBy(() -> client.loginWithPassword("frank", "frank-password"))
        .isInstanceOf(OAuthErrorException.class);
    var self = catchThrowableOfType(OAuthErrorException.class, () -> admin.users().delete(aliceId));
    assertThat(self.meshyMessage()).contains("User is not able to delete self.");
    assertThat(admin.users().get(aliceId).username()).isEqualTo(USERNAME);
  }

  @Test
  void aPlainUsersConnectionIsForbiddenWithMeshyDbsMessage() {
    var bob = client.loginWithPassword("bob", BOB_PASSWORD);

    var search = catchThrowableOfType(ForbiddenException.class, () -> bob.users().search(UserSearch.all()));
    var delete = catchThrowableOfType(ForbiddenException.class, () -> bob.users().delete(aliceId));
    var createRole = catchThrowableOfType(ForbiddenException.class, () -> bob.roles().create("bobs", null));
    var addUsers = catchThrowableOfType(ForbiddenException.class,
        () -> bob.roles().addUsers(adminsId, List.of(bobId)));

    assertThat(search.status()).isEqualTo(403);
    assertThat(search.error()).isEqualTo("insufficient_scope");
    assertThat(search.meshyMessage()).contains("User has insufficent permission to read users.");
    assertThat(delete.meshyMessage()).contains("User has insufficent permission to delete users.");
    assertThat(createRole.meshyMessage()).contains("User has insufficent permission to create roles.");
    assertThat(addUsers.meshyMessage()).contains("User has insufficent permission to update roles.");
    assertThat(admin.users().get(aliceId).username()).isEqualTo(USERNAME);
    assertThat(admin.roles().search("bobs", 1, 25).totalRecords()).isZero();
    assertThat(admin.users().get(bobId).roles()).isEmpty();
  }

  @Test
  void aTokenTheServerNoLongerAcceptsIsNotAuthorizedWithMeshyDbsMessage() {
    server.provisioning().rotateSigningKeyNow(ACCOUNT);

    var e = catchThrowableOfType(MeshyAuthException.class, () -> admin.users().get(aliceId));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.meshyMessage()).contains("User is not authorized to make call.");
  }

  @Test
  void eachCallCarriesTheConnectionsAccessTokenRefreshedFirstWhenDue() {
    var stale = admin.accessToken();
    // the stale token is no good any more: only the refreshed one gets an answer
    server.provisioning().rotateSigningKeyNow(ACCOUNT);
    clock.set(admin.accessTokenExpiresAt().minusSeconds(30));
    recorder.clear();

    var found = admin.users().search(UserSearch.all().name(USERNAME));
    var role = admin.roles().get(adminsId);

    assertThat(usernames(found)).containsExactly(USERNAME);
    assertThat(role.name()).isEqualTo("admins");
    assertThat(recorder.exchanges()).extracting(RecordingInterceptor.Exchange::path)
        .containsExactly("/" + ACCOUNT + "/connect/token", "/" + ACCOUNT + "/users", "/" + ACCOUNT + "/roles/"
            + adminsId);
    assertThat(recorder.withGrantType("refresh_token")).hasSize(1);
    assertThat(admin.accessToken()).isNotEqualTo(stale);
  }

  @Test
  void updateSecurityQuestionsReplacesAnotherUsersQuestions() {
    server.signUpAccount("quiz", "quiz-key", Verification.QUESTION);
    var quiz = server.client("quiz", "quiz-key").build();
    quiz.registerUser(NewUser.builder("gus", "gus-password").securityQuestion("Pet?", "Tom").build());
    server.provisioning().createUser("quiz", "root", Password.of("root-password"));
    bootstrapAdministrator("quiz", "root");
    var users = quiz.loginWithPassword("root", "root-password").users();
    var gus = users.search(UserSearch.all().name("gus")).results().get(0);

    users.updateSecurityQuestions(gus.id(), List.of(new SecurityQuestion("Street?", "Elm")));

    assertThat(users.get(gus.id()).securityQuestions()).containsExactly("Street?");
    var reset = quiz.forgotPassword("gus");
    assertThat(reset.hint()).contains("Street?");
    assertThat(quiz.checkHash(reset, "Tom")).isFalse();
    assertThat(quiz.checkHash(reset, "Elm")).isTrue();
  }

  @Test
  void theFaceExposesNoGeneratedType() {
    var publicApi = Stream.of(MeshyConnection.class, UsersService.class, RolesService.class, UserSearch.class,
        Sort.class, Page.class, User.class, NewUser.class, Role.class, Permission.class, Permissible.class,
        ForbiddenException.class)
        .flatMap(type -> Stream.concat(Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isPublic(
            m.getModifiers())).map(java.lang.reflect.Method::toGenericString),
            Arrays.stream(type.getDeclaredConstructors()).filter(c -> Modifier.isPublic(c.getModifiers()))
                .map(java.lang.reflect.Constructor::toGenericString)))
        .toList();

    assertThat(publicApi).isNotEmpty().noneMatch(signature -> signature.contains(".generated."));
    assertThat(publicApi).anyMatch(signature -> signature.contains("UsersService.search(io.meshyauth.client"
        + ".UserSearch)"));
  }
}
