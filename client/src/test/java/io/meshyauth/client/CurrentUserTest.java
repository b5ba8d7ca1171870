package io.meshyauth.client;

import static io.meshyauth.client.TestServer.ACCOUNT;
import static io.meshyauth.client.TestServer.PASSWORD;
import static io.meshyauth.client.TestServer.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.Provisioning.ProfileChange;
import io.meshyauth.server.values.Password;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CurrentUserTest {
  private TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void currentUserIsTheLoggedInUserWithNamesRolesAndPermissions() {
    var bob = server.provisioning().createUser(ACCOUNT, "bob", Password.of("bob's password"),
        new ProfileChange(Optional.of("Bob"), Optional.of("Builder"), Optional.of(List.of("editor", "admin")),
            Optional.of(List.of("meshes.read"))));

    var user = server.client().build().loginWithPassword("bob", "bob's password").currentUser();

    assertThat(user).isEqualTo(new CurrentUser(bob.id(), "bob", Optional.of("Bob"), Optional.of("Builder"),
        List.of("admin", "editor"), List.of("meshes.read")));
  }

  @Test
  void currentUserFollowsTheProfileAfterARefresh() {
    var connection = server.client().build().loginWithPassword(USERNAME, PASSWORD);
    assertThat(connection.currentUser().firstName()).isEmpty();
    assertThat(connection.currentUser().roles()).isEmpty();

    server.provisioning().updateProfile(ACCOUNT, USERNAME, new ProfileChange(Optional.of("Alice"),
        Optional.empty(), Optional.of(List.of("admin")), Optional.empty()));
    connection.refresh();

    assertThat(connection.currentUser().username()).isEqualTo(USERNAME);
    assertThat(connection.currentUser().firstName()).contains("Alice");
    assertThat(connection.currentUser().roles()).containsExactly("admin");
  }
}
