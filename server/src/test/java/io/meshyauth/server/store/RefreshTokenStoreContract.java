package io.meshyauth.server.store;

import static io.meshyauth.server.store.Fixtures.DAY;
import static io.meshyauth.server.store.Fixtures.T0;
import static io.meshyauth.server.store.Fixtures.clientOf;
import static io.meshyauth.server.store.Fixtures.createAccount;
import static io.meshyauth.server.store.Fixtures.createUser;
import static io.meshyauth.server.store.Fixtures.token;
import static io.meshyauth.server.store.Fixtures.tokenHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshyauth.server.values.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class RefreshTokenStoreContract extends StoreContract {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private Account account;
  private User user;
  private String family;
  private RefreshTokenRecord login;

  @BeforeEach
  void login() {
    account = createAccount(stores());
    user = createUser(stores(), account);
    family = UUID.randomUUID().toString();
    login = token(user, clientOf(account), family, T0);
    store().saveRefreshToken(login);
  }

  @Test
  void savedTokenIsFoundLive() {
    assertThat(store().findRefreshToken(login.tokenHash())).contains(login);
    assertThat(login.isLive()).isTrue();
  }

  @Test
  void unknownTokenIsNotFound() {
    assertThat(store().findRefreshToken(tokenHash())).isEmpty();
    assertThat(store().rotate(tokenHash(), Optional.empty(), T0, GRACE)).isEqualTo(RotationOutcome.NOT_FOUND);
  }

  @Test
  void rotatingALiveTokenMarksItRotatedAndStoresTheSuccessor() {
    var now = T0.plusSeconds(60);
    var successor = successor(now);

    assertThat(store().rotate(login.tokenHash(), Optional.of(successor), now, GRACE))
        .isEqualTo(RotationOutcome.ROTATED);

    var rotated = store().findRefreshToken(login.tokenHash()).orElseThrow();
    assertThat(rotated.rotatedAt()).contains(now);
    assertThat(rotated.familyRevoked()).isFalse();
    assertThat(store().findRefreshToken(successor.tokenHash())).contains(successor);
  }

  @Test
  void rotatingWithoutSuccessorOnlySpendsTheToken() {
    assertThat(store().rotate(login.tokenHash(), Optional.empty(), T0.plusSeconds(1), GRACE))
        .isEqualTo(RotationOutcome.ROTATED);

    assertThat(store().findRefreshToken(login.tokenHash()).orElseThrow().isLive()).isFalse();
  }

  @Test
  void presentingARotatedTokenWithinTheGraceWindowStoresASiblingAndRevokesNothing() {
    var first = successor(T0.plusSeconds(60));
    store().rotate(login.tokenHash(), Optional.of(first), T0.plusSeconds(60), GRACE);
    var retryAt = T0.plusSeconds(60).plus(GRACE).minusMillis(1);
    var sibling = successor(retryAt);

    assertThat(store().rotate(login.tokenHash(), Optional.of(sibling), retryAt, GRACE))
        .isEqualTo(RotationOutcome.WITHIN_GRACE);

    assertThat(store().findRefreshToken(sibling.tokenHash())).contains(sibling);
    assertThat(store().findRefreshToken(first.tokenHash())).contains(first);
    // the window counts from the first rotation, which a retry does not move
    assertThat(store().findRefreshToken(login.tokenHash()).orElseThrow().rotatedAt()).contains(T0.plusSeconds(60));
  }

  @Test
  void presentingARotatedTokenAfterTheGraceWindowRevokesTheWholeFamilyAndStoresNothing() {
    var first = successor(T0.plusSeconds(60));
    store().rotate(login.tokenHash(), Optional.of(first), T0.plusSeconds(60), GRACE);
    var replayAt = T0.plusSeconds(60).plus(GRACE);
    var stolen = successor(replayAt);

    assertThat(store().rotate(login.tokenHash(), Optional.of(stolen), replayAt, GRACE))
        .isEqualTo(RotationOutcome.REPLAYED);

    assertThat(store().findRefreshToken(stolen.tokenHash())).isEmpty();
    assertThat(store().findRefreshToken(first.tokenHash()).orElseThrow().familyRevoked()).isTrue();
    assertThat(store().findRefreshToken(login.tokenHash()).orElseThrow().familyRevoked()).isTrue();
    // the successor handed out before the replay is dead too
    assertThat(store().rotate(first.tokenHash(), Optional.of(successor(replayAt)), replayAt, GRACE))
        .isEqualTo(RotationOutcome.REPLAYED);
  }

  @Test
  void presentingATokenOfARevokedFamilyIsReplayedEvenWithinTheGraceWindow() {
    store().rotate(login.tokenHash(), Optional.of(successor(T0)), T0, GRACE);
    store().revokeFamily(family, T0.plusSeconds(1));
    var retry = successor(T0.plusSeconds(2));

    assertThat(store().rotate(login.tokenHash(), Optional.of(retry), T0.plusSeconds(2), GRACE))
        .isEqualTo(RotationOutcome.REPLAYED);
    assertThat(store().findRefreshToken(retry.tokenHash())).isEmpty();
  }

  @Test
  void presentingALiveTokenOfARevokedFamilyIsReplayed() {
    store().revokeFamily(family, T0.plusSeconds(1));

    assertThat(store().findRefreshToken(login.tokenHash()).orElseThrow().familyRevoked()).isTrue();
    assertThat(store().rotate(login.tokenHash(), Optional.of(successor(T0.plusSeconds(2))), T0.plusSeconds(2),
        GRACE)).isEqualTo(RotationOutcome.REPLAYED);
  }

  @Test
  void withoutGraceWindowAnyRotatedTokenPresentedAgainIsReplayed() {
    store().rotate(login.tokenHash(), Optional.of(successor(T0)), T0, Duration.ZERO);

    assertThat(store().rotate(login.tokenHash(), Optional.of(successor(T0)), T0, Duration.ZERO))
        .isEqualTo(RotationOutcome.REPLAYED);
  }

  @Test
  void revokingAFamilyLeavesOtherFamiliesLive() {
    var otherLogin = token(user, clientOf(account), UUID.randomUUID().toString(), T0);
    store().saveRefreshToken(otherLogin);

    store().revokeFamily(family, T0.plusSeconds(1));

    assertThat(store().findRefreshToken(otherLogin.tokenHash())).contains(otherLogin);
  }

  @Test
  void revokingAnUnknownFamilyChangesNothing() {
    store().revokeFamily(UUID.randomUUID().toString(), T0);

    assertThat(store().findRefreshToken(login.tokenHash())).contains(login);
  }

  @Test
  void aSuccessorMustJoinTheFamilyOfTheTokenItReplaces() {
    var stranger = token(user, clientOf(account), UUID.randomUUID().toString(), T0);

    assertThatThrownBy(() -> store().rotate(login.tokenHash(), Optional.of(stranger), T0, GRACE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store().findRefreshToken(login.tokenHash())).contains(login);
  }

  @Test
  void tokenKeepsWhatItIsBoundTo() {
    var narrow = RefreshTokenRecord.issued(tokenHash(), UUID.randomUUID().toString(), account.name(),
        clientOf(account), user.id(), Scope.parse("offline_access"), T0, T0.plus(DAY), T0.plus(DAY));

    store().saveRefreshToken(narrow);

    var found = store().findRefreshToken(narrow.tokenHash()).orElseThrow();
    assertThat(found.accountName()).isEqualTo(account.name());
    assertThat(found.clientId()).isEqualTo(clientOf(account));
    assertThat(found.userId()).isEqualTo(user.id());
    assertThat(found.scope()).isEqualTo(Scope.parse("offline_access"));
  }

  @Test
  void purgeDeletesFamiliesWithNoTokenLeftToRefreshOnly() {
    var lateLogin = token(user, clientOf(account), UUID.randomUUID().toString(), T0.plus(DAY));
    store().saveRefreshToken(lateLogin);

    // login expires at T0 + 1 day, lateLogin a day later
    var purged = store().purgeExpired(T0.plus(DAY));

    assertThat(purged).isGreaterThanOrEqualTo(1);
    assertThat(store().findRefreshToken(login.tokenHash())).isEmpty();
    assertThat(store().findRefreshToken(lateLogin.tokenHash())).contains(lateLogin);
  }

  @Test
  void concurrentRotationsOfOneTokenWithoutGraceLetExactlyOneWinAndRevokeTheFamily() throws Exception {
    var outcomes = rotateConcurrently(32, Duration.ZERO);

    assertThat(outcomes).filteredOn(RotationOutcome.ROTATED::equals).hasSize(1);
    assertThat(outcomes).filteredOn(RotationOutcome.REPLAYED::equals).hasSize(31);
    assertThat(store().findRefreshToken(login.tokenHash()).orElseThrow().familyRevoked()).isTrue();
  }

  @Test
  void concurrentRotationsOfOneTokenWithinGraceAllSucceedInOneFamily() throws Exception {
    var outcomes = rotateConcurrently(32, GRACE);

    assertThat(outcomes).filteredOn(RotationOutcome.ROTATED::equals).hasSize(1);
    assertThat(outcomes).filteredOn(RotationOutcome.WITHIN_GRACE::equals).hasSize(31);
    assertThat(store().findRefreshToken(login.tokenHash()).orElseThrow().familyRevoked()).isFalse();
  }

  private List<RotationOutcome> rotateConcurrently(int threads, Duration grace) throws Exception {
    var start = new CountDownLatch(1);
    var executor = Executors.newFixedThreadPool(threads);
    try {
      var futures = new ArrayList<Future<RotationOutcome>>();
      for (int i = 0; i < threads; i++) {
        var successor = successor(T0.plusSeconds(1));
        Callable<RotationOutcome> rotation = () -> {
          start.await();
          return store().rotate(login.tokenHash(), Optional.of(successor), T0.plusSeconds(1), grace);
        };
        futures.add(executor.submit(rotation));
      }
      start.countDown();
      var outcomes = new ArrayList<RotationOutcome>();
      for (var future : futures) {
        outcomes.add(future.get());
      }
      return outcomes;
    } finally {
      executor.shutdownNow();
    }
  }

  private RefreshTokenRecord successor(Instant issuedAt) {
    return token(user, clientOf(account), family, issuedAt);
  }

  private RefreshTokenStore store() {
    return stores().refreshTokens();
  }
}
