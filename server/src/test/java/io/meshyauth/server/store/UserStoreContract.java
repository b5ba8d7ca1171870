package io.meshyauth.server.store;

import static io.meshyauth.server.store.Fixtures.T0;
import static io.meshyauth.server.store.Fixtures.anonymousUser;
import static io.meshyauth.server.store.Fixtures.clientOf;
import static io.meshyauth.server.store.Fixtures.createAccount;
import static io.meshyauth.server.store.Fixtures.token;
import static io.meshyauth.server.store.Fixtures.unique;
import static io.meshyauth.server.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

abstract class UserStoreContract extends StoreContract {

  @Test
  void createdUserIsFoundByUsernameAndById() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");

    stores().users().createUser(alice);

    assertThat(stores().users().findUser(account.name(), "alice")).contains(alice);
    assertThat(stores().users().findUserById(account.name(), alice.id())).contains(alice);
  }

  @Test
  void anonymousUserIsStoredWithoutPasswordHash() {
    var account = createAccount(stores());
    var device = anonymousUser(account.name(), "device-42");

    stores().users().createUser(device);

    var found = stores().users().findUser(account.name(), "device-42").orElseThrow();
    assertThat(found.passwordHash()).isEmpty();
    assertThat(found.anonymous()).isTrue();
    assertThat(found.verified()).isFalse();
  }

  @Test
  void usernameIsComparedTrimmedNfcAndLowerCasedButShownAsRegistered() {
    var account = createAccount(stores());
    // "Ren\u00e9e" precomposed; the lookups below send it decomposed (e + combining acute) and in capitals
    var renee = user(account.name(), "Ren\u00e9e");
    stores().users().createUser(renee);

    assertThat(stores().users().findUser(account.name(), "  RENE\u0301E\t")).contains(renee);
    assertThat(stores().users().findUser(account.name(), "renee")).isEmpty();
    assertThat(stores().users().findUser(account.name(), "  ")).isEmpty();
    assertThat(stores().users().findUser(account.name(), "rene\u0301e").orElseThrow().username())
        .isEqualTo("Ren\u00e9e");
  }

  @Test
  void createUserWhenUsernameIsTakenInTheAccountThrowsDuplicate() {
    var account = createAccount(stores());
    stores().users().createUser(user(account.name(), "alice"));

    assertThatThrownBy(() -> stores().users().createUser(user(account.name(), " ALICE")))
        .isInstanceOf(DuplicateException.class)
        .hasMessageContaining("ALICE");
    assertThat(stores().users().listUsers(account.name())).hasSize(1);
  }

  @Test
  void sameUsernameInAnotherAccountIsAnotherUser() {
    var acme = createAccount(stores());
    var other = createAccount(stores());
    var acmeAlice = user(acme.name(), "alice");
    var otherAlice = user(other.name(), "alice");

    stores().users().createUser(acmeAlice);
    stores().users().createUser(otherAlice);

    assertThat(stores().users().findUser(acme.name(), "alice")).contains(acmeAlice);
    assertThat(stores().users().findUser(other.name(), "alice")).contains(otherAlice);
    assertThat(stores().users().findUserById(other.name(), acmeAlice.id())).isEmpty();
  }

  @Test
  void createUserInUnknownAccountThrowsNotFound() {
    assertThatThrownBy(() -> stores().users().createUser(user(unique("nobody"), "alice")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void deactivatedUserCanBeReactivated() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice);

    stores().users().updateUser(alice.withActive(false));
    assertThat(stores().users().findUser(account.name(), "alice").orElseThrow().active()).isFalse();

    stores().users().updateUser(alice.withActive(true));
    assertThat(stores().users().findUser(account.name(), "alice")).contains(alice);
  }

  @Test
  void updateUserStoresPasswordHashAndVerifiedFlag() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice);

    var updated = alice.withPasswordHash("$argon2id$v=19$m=7168,t=5,p=1$bmV3$aGFzaA").withVerified(false);
    stores().users().updateUser(updated);

    assertThat(stores().users().findUserById(account.name(), alice.id())).contains(updated);
  }

  @Test
  void updateUnknownUserThrowsNotFound() {
    var account = createAccount(stores());

    assertThatThrownBy(() -> stores().users().updateUser(user(account.name(), "ghost")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void deletedUserIsGoneWithItsRefreshTokens() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice);
    var token = token(alice, clientOf(account), UUID.randomUUID().toString(), T0);
    stores().refreshTokens().saveRefreshToken(token);

    assertThat(stores().users().deleteUser(account.name(), alice.id())).isTrue();

    assertThat(stores().users().findUser(account.name(), "alice")).isEmpty();
    assertThat(stores().refreshTokens().findRefreshToken(token.tokenHash())).isEmpty();
    assertThat(stores().refreshTokens().rotate(token.tokenHash(), Optional.empty(), T0, Duration.ZERO))
        .isEqualTo(RotationOutcome.NOT_FOUND);
  }

  @Test
  void deleteUserOfAnotherAccountDeletesNothing() {
    var acme = createAccount(stores());
    var other = createAccount(stores());
    var alice = user(acme.name(), "alice");
    stores().users().createUser(alice);

    assertThat(stores().users().deleteUser(other.name(), alice.id())).isFalse();
    assertThat(stores().users().findUserById(acme.name(), alice.id())).contains(alice);
  }

  @Test
  void listUsersGivesTheAccountsUsersOrderedByNormalisedUsername() {
    var acme = createAccount(stores());
    var other = createAccount(stores());
    var bob = user(acme.name(), "bob");
    var alice = user(acme.name(), "Alice");
    var device = anonymousUser(acme.name(), "device-1");
    stores().users().createUser(bob);
    stores().users().createUser(device);
    stores().users().createUser(alice);
    stores().users().createUser(user(other.name(), "carol"));

    assertThat(stores().users().listUsers(acme.name())).containsExactly(alice, bob, device);
    assertThat(stores().users().listUsers(unique("nobody"))).isEmpty();
  }

  @Test
  void profileIsStoredWithTheUserAndReplacedWhole() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice").withProfile(new UserProfile(Optional.of("Alice"), Optional.empty(),
        List.of(new UserProfile.Role("editor", T0), new UserProfile.Role("admin", T0.plusSeconds(1))),
        List.of("meshes.write", "meshes.read")));
    stores().users().createUser(alice);

    assertThat(stores().users().findUserById(account.name(), alice.id())).contains(alice);
    var replaced = new UserProfile(Optional.empty(), Optional.of("Liddell"),
        List.of(new UserProfile.Role("viewer", T0)), List.of());
    stores().users().updateProfile(account.name(), alice.id(), replaced);

    assertThat(stores().users().findUser(account.name(), "alice").orElseThrow().profile()).isEqualTo(replaced);
    assertThat(stores().users().listUsers(account.name())).extracting(User::profile).containsExactly(replaced);
    // roles and permissions go with the user
    assertThat(stores().users().deleteUser(account.name(), alice.id())).isTrue();
  }

  @Test
  void createUsersAddsThoseWhoseUsernameIsFreeWithTheirProfilesAndAnswersTheOthers() {
    var account = createAccount(stores());
    var bob = user(account.name(), "bob");
    stores().users().createUser(bob);
    var alice = user(account.name(), "alice").withProfile(new UserProfile(Optional.of("Alice"), Optional.empty(),
        List.of(new UserProfile.Role("admin", T0)), List.of("meshes.read")));
    var otherBob = user(account.name(), " BOB").withProfile(new UserProfile(Optional.empty(), Optional.empty(),
        List.of(new UserProfile.Role("admin", T0)), List.of()));
    var device = anonymousUser(account.name(), "device-1");

    var taken = stores().users().createUsers(account.name(), List.of(alice, otherBob, device));

    assertThat(taken).containsExactly(otherBob);
    assertThat(stores().users().listUsers(account.name())).containsExactly(alice, bob, device);
  }

  @Test
  void createUsersOfAnUnknownAccountIsNotFoundAndAddsNothing() {
    var name = unique("nobody");

    assertThatThrownBy(() -> stores().users().createUsers(name, List.of(user(name, "alice"))))
        .isInstanceOf(NotFoundException.class);
    assertThat(stores().users().listUsers(name)).isEmpty();
  }

  @Test
  void createUsersOfManyAtOnceAddsThemAll() {
    var account = createAccount(stores());
    var users = new ArrayList<User>();
    for (int i = 0; i < 1_200; i++) {
      users.add(user(account.name(), "user-" + i).withProfile(new UserProfile(Optional.empty(), Optional.empty(),
          List.of(new UserProfile.Role("member", T0)), List.of())));
    }

    assertThat(stores().users().createUsers(account.name(), users)).isEmpty();

    assertThat(stores().users().listUsers(account.name())).hasSize(1_200)
        .allSatisfy(user -> assertThat(user.profile().roleNames()).containsExactly("member"));
  }

  @Test
  void findUsersAnswersTheUsersOfTheseNormalisedUsernamesWithTheirProfiles() {
    var account = createAccount(stores());
    var other = createAccount(stores());
    var alice = user(account.name(), "Alice").withProfile(new UserProfile(Optional.empty(), Optional.of("Liddell"),
        List.of(new UserProfile.Role("editor", T0)), List.of("meshes.write")));
    var bob = user(account.name(), "bob");
    stores().users().createUser(alice);
    stores().users().createUser(bob);
    stores().users().createUser(user(other.name(), "carol"));
    var many = new ArrayList<>(List.of(" ALICE", "carol", "nobody", ""));
    for (int i = 0; i < 1_000; i++) {
      many.add("someone-" + i);
    }

    var found = stores().users().findUsers(account.name(), many);

    assertThat(found).containsOnlyKeys("alice").containsEntry("alice", alice);
    assertThat(stores().users().findUsers(account.name(), List.of())).isEmpty();
  }

  @Test
  void profileOfAnUnknownUserIsNotFound() {
    var account = createAccount(stores());

    assertThatThrownBy(() -> stores().users().updateProfile(account.name(), "nobody", UserProfile.EMPTY))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void passwordChangeEndsEveryFamilyOfTheUserButTheKeptOne() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    var bob = user(account.name(), "bob");
    stores().users().createUser(alice);
    stores().users().createUser(bob);
    var kept = token(alice, clientOf(account), UUID.randomUUID().toString(), T0);
    var ended = token(alice, clientOf(account), UUID.randomUUID().toString(), T0);
    var bobs = token(bob, clientOf(account), UUID.randomUUID().toString(), T0);
    List.of(kept, ended, bobs).forEach(stores().refreshTokens()::saveRefreshToken);

    var outcome = stores().users().changePassword(account.name(), alice.id(), alice.passwordHash().orElseThrow(),
        "$argon2id$new", Optional.of(kept.familyId()), T0.plusSeconds(1));

    assertThat(outcome).isEqualTo(UserStore.PasswordChange.CHANGED);
    assertThat(stores().users().findUserById(account.name(), alice.id()).orElseThrow().passwordHash())
        .contains("$argon2id$new");
    assertThat(stores().refreshTokens().findRefreshToken(kept.tokenHash()).orElseThrow().familyRevoked()).isFalse();
    assertThat(stores().refreshTokens().findRefreshToken(ended.tokenHash()).orElseThrow().familyRevoked()).isTrue();
    assertThat(stores().refreshTokens().findRefreshToken(bobs.tokenHash()).orElseThrow().familyRevoked()).isFalse();
  }

  @Test
  void passwordChangeFromAHashNoLongerCurrentChangesNothing() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice);
    var login = token(alice, clientOf(account), UUID.randomUUID().toString(), T0);
    stores().refreshTokens().saveRefreshToken(login);

    var outcome = stores().users().changePassword(account.name(), alice.id(), "$argon2id$stale", "$argon2id$new",
        Optional.empty(), T0.plusSeconds(1));

    assertThat(outcome).isEqualTo(UserStore.PasswordChange.STALE);
    assertThat(stores().users().findUserById(account.name(), alice.id()).orElseThrow().passwordHash())
        .isEqualTo(alice.passwordHash());
    assertThat(stores().refreshTokens().findRefreshToken(login.tokenHash()).orElseThrow().familyRevoked()).isFalse();
  }

  @Test
  void contactsAreStoredWithTheUserAndReplacedWithTheProfile() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice").withProfile(new UserProfile(Optional.of("Alice"), Optional.empty(),
        Optional.of("alice@example.com"), Optional.of("+15555550100"), List.of(new UserProfile.Role("editor", T0)),
        List.of()));
    stores().users().createUser(alice);

    assertThat(stores().users().findUser(account.name(), "alice")).contains(alice);
    assertThat(stores().users().findUserById(account.name(), alice.id())).contains(alice);
    assertThat(stores().users().listUsers(account.name())).containsExactly(alice);
    assertThat(stores().users().findUsers(account.name(), List.of("alice"))).containsEntry("alice", alice);

    var replaced = alice.profile().withContacts(Optional.empty(), Optional.of("+15555550199"));
    stores().users().updateProfile(account.name(), alice.id(), replaced);

    assertThat(stores().users().findUserById(account.name(), alice.id()).orElseThrow().profile())
        .isEqualTo(replaced);
    assertThat(stores().users().listUsers(account.name())).extracting(User::profile).containsExactly(replaced);
  }

  @Test
  void contactsOfUsersCreatedTogetherAreStored() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice").withProfile(
        UserProfile.EMPTY.withContacts(Optional.of("alice@example.com"), Optional.empty()));
    var bob = user(account.name(), "bob").withProfile(
        UserProfile.EMPTY.withContacts(Optional.empty(), Optional.of("+15555550100")));

    assertThat(stores().users().createUsers(account.name(), List.of(alice, bob))).isEmpty();

    assertThat(stores().users().listUsers(account.name())).containsExactly(alice, bob);
  }

  @Test
  void securityQuestionsCreatedWithTheUserComeBackInTheirOrder() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    var questions = List.of(question("Where were you born?"), question("First pet?"), question("A colour?"));

    stores().users().createUser(alice, questions);

    assertThat(stores().users().findUserById(account.name(), alice.id())).contains(alice);
    assertThat(stores().users().securityQuestions(account.name(), alice.id())).containsExactlyElementsOf(questions);
  }

  @Test
  void aUserWithoutSecurityQuestionsHasNone() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice);

    assertThat(stores().users().securityQuestions(account.name(), alice.id())).isEmpty();
    assertThat(stores().users().securityQuestions(account.name(), "nobody")).isEmpty();
  }

  @Test
  void replacingSecurityQuestionsSwapsTheWholeSet() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    var bob = user(account.name(), "bob");
    stores().users().createUser(alice, List.of(question("Where were you born?"), question("First pet?")));
    stores().users().createUser(bob, List.of(question("Bob's question?")));
    var replaced = List.of(question("A colour?"), question("A street?"), question("A teacher?"));

    stores().users().replaceSecurityQuestions(account.name(), alice.id(), replaced);

    assertThat(stores().users().securityQuestions(account.name(), alice.id())).containsExactlyElementsOf(replaced);
    assertThat(stores().users().securityQuestions(account.name(), bob.id()))
        .containsExactly(question("Bob's question?"));

    stores().users().replaceSecurityQuestions(account.name(), alice.id(), List.of(question("Only this?")));
    assertThat(stores().users().securityQuestions(account.name(), alice.id()))
        .containsExactly(question("Only this?"));

    stores().users().replaceSecurityQuestions(account.name(), alice.id(), List.of());
    assertThat(stores().users().securityQuestions(account.name(), alice.id())).isEmpty();
  }

  @Test
  void replacingSecurityQuestionsOfAnUnknownUserIsNotFound() {
    var account = createAccount(stores());

    assertThatThrownBy(() -> stores().users().replaceSecurityQuestions(account.name(), "nobody",
        List.of(question("Where were you born?"))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void deletedUserTakesItsSecurityQuestions() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice, List.of(question("Where were you born?"), question("First pet?")));

    assertThat(stores().users().deleteUser(account.name(), alice.id())).isTrue();

    assertThat(stores().users().securityQuestions(account.name(), alice.id())).isEmpty();
    // the rows are gone, not only hidden: the same id can come back without its old questions
    stores().users().createUser(alice);
    assertThat(stores().users().securityQuestions(account.name(), alice.id())).isEmpty();
  }

  @Test
  void securityQuestionsAreNotVisibleFromAnotherAccount() {
    var acme = createAccount(stores());
    var other = createAccount(stores());
    var alice = user(acme.name(), "alice");
    stores().users().createUser(alice, List.of(question("Where were you born?")));
    stores().users().createUser(user(other.name(), "alice"), List.of(question("Other's question?")));

    assertThat(stores().users().securityQuestions(other.name(), alice.id())).isEmpty();
    assertThatThrownBy(() -> stores().users().replaceSecurityQuestions(other.name(), alice.id(), List.of()))
        .isInstanceOf(NotFoundException.class);
    assertThat(stores().users().securityQuestions(acme.name(), alice.id()))
        .containsExactly(question("Where were you born?"));
  }

  @Test
  void createUserWithQuestionsWhenUsernameIsTakenStoresNoQuestions() {
    var account = createAccount(stores());
    var alice = user(account.name(), "alice");
    stores().users().createUser(alice, List.of(question("Where were you born?")));
    var otherAlice = user(account.name(), " ALICE");

    assertThatThrownBy(() -> stores().users().createUser(otherAlice, List.of(question("First pet?"))))
        .isInstanceOf(DuplicateException.class);

    assertThat(stores().users().findUserById(account.name(), otherAlice.id())).isEmpty();
    assertThat(stores().users().securityQuestions(account.name(), otherAlice.id())).isEmpty();
    assertThat(stores().users().securityQuestions(account.name(), alice.id()))
        .containsExactly(question("Where were you born?"));
    // no row is left under the refused id either: once it is a user, it starts without questions
    stores().users().createUser(new User(otherAlice.id(), account.name(), "bob", otherAlice.passwordHash(), true,
        true, false, T0));
    assertThat(stores().users().securityQuestions(account.name(), otherAlice.id())).isEmpty();
  }

  @Test
  void createUserWithQuestionsInUnknownAccountThrowsNotFound() {
    assertThatThrownBy(() -> stores().users().createUser(user(unique("nobody"), "alice"),
        List.of(question("Where were you born?"))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void markVerifiedSetsTheFlagOnce() {
    var account = createAccount(stores());
    var device = anonymousUser(account.name(), "device-1");
    stores().users().createUser(device);

    assertThat(stores().users().markVerified(account.name(), device.id())).isTrue();
    assertThat(stores().users().markVerified(account.name(), device.id())).isFalse();

    assertThat(stores().users().findUserById(account.name(), device.id())).contains(device.withVerified(true));
  }

  @Test
  void markVerifiedOfAnUnknownUserOrAnotherAccountsUserChangesNothing() {
    var acme = createAccount(stores());
    var other = createAccount(stores());
    var device = anonymousUser(acme.name(), "device-1");
    stores().users().createUser(device);

    assertThat(stores().users().markVerified(acme.name(), "nobody")).isFalse();
    assertThat(stores().users().markVerified(other.name(), device.id())).isFalse();
    assertThat(stores().users().findUserById(acme.name(), device.id()).orElseThrow().verified()).isFalse();
  }

  @Test
  void securityQuestionHidesItsAnswerHash() {
    assertThat(question("Where were you born?").toString()).contains("Where were you born?")
        .doesNotContain("$argon2id");
  }

  private static SecurityQuestion question(String text) {
    return new SecurityQuestion(text,
        "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$" + Integer.toHexString(text.hashCode()));
  }
}
