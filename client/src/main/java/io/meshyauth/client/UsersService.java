package io.meshyauth.client;

import io.meshyauth.client.generated.api.AdministrationApi;
import io.meshyauth.client.generated.model.RoleName;
import io.meshyauth.client.generated.model.SecurityQuestionUpdate;
import io.meshyauth.client.generated.model.UserUpdate;
import java.util.List;
import java.util.Objects;

/**
 * The account's users, as an administrator manages them (MeshyDB's {@code usersService}): from
 * {@link MeshyConnection#users()}, each call carrying the connection's access token, refreshed when due. Each needs
 * a permission on {@code users} in that token ({@code users:read} to search and get, {@code users:create},
 * {@code users:update}, {@code users:delete}), or fails with {@link ForbiddenException}; an unknown id is a
 * {@link NotFoundException} ("User is not found."), a refused change an {@link OAuthErrorException}, each with
 * MeshyDB's {@link MeshyAuthException#meshyMessage() message}.
 */
public final class UsersService {
  private final MeshyClient client;
  private final AdministrationApi api;

  UsersService(MeshyClient client, AdministrationApi api) {
    this.client = client;
    this.api = api;
  }

  /** One page of the users that match (MeshyDB's {@code search}). */
  public Page<User> search(UserSearch query) {
    Objects.requireNonNull(query, "query");
    var found = client.send(() -> api.searchUsers(client.accountName(), query.name().orElse(null),
        query.roleId().orElse(null), query.orderByDocument().orElse(null), query.activeOnly(), query.page(),
        query.pageSize()));
    return Page.of(found.getResults(), found.getPage(), found.getPageSize(), found.getTotalRecords(), User::of);
  }

  /** The user of this id (MeshyDB's {@code get}). */
  public User get(String id) {
    Objects.requireNonNull(id, "id");
    return User.of(client.send(() -> api.getUser(client.accountName(), id)));
  }

  /**
   * Creates a user (MeshyDB's {@code create}), checked as a registration is, though the account need not allow
   * registration. It is neither verified nor active unless {@code user} says so: an inactive user cannot log in
   * until {@link #update updated}. Its roles must exist; a caller without {@code roles:update} may give only roles
   * it holds itself.
   */
  public User create(NewUser user) {
    Objects.requireNonNull(user, "user");
    var body = new io.meshyauth.client.generated.model.NewUser()
        .username(user.username())
        .newPassword(user.newPassword())
        .firstName(user.firstName().orElse(null))
        .lastName(user.lastName().orElse(null))
        .phoneNumber(user.phoneNumber().orElse(null))
        .emailAddress(user.emailAddress().orElse(null))
        .securityQuestions(MeshyClient.answers(user.securityQuestions()))
        .verified(user.verified())
        .isActive(user.active())
        .roles(user.roles().isEmpty() ? null : user.roles().stream().map(name -> new RoleName().name(name)).toList());
    return User.of(client.send(() -> api.createUser(client.accountName(), body)));
  }

  /**
   * Replaces the names and contacts of the user of this id with those of {@code user}, and sets whether it is
   * active and verified (MeshyDB's {@code update}); typically {@code user} is one from {@link #get} changed with its
   * {@code with...} methods. A name or contact left empty is removed. Making a user inactive ends its refresh
   * tokens. Roles are not sent: they change through {@link RolesService#addUsers} and
   * {@link RolesService#removeUsers}. Answers the user as it now is.
   */
  public User update(String id, User user) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    var body = new UserUpdate()
        .firstName(user.firstName().orElse(null))
        .lastName(user.lastName().orElse(null))
        .phoneNumber(user.phoneNumber().orElse(null))
        .emailAddress(user.emailAddress().orElse(null))
        .isActive(user.active())
        .verified(user.verified())
        .roles(null);
    return User.of(client.send(() -> api.updateUser(client.accountName(), id, body)));
  }

  /** Deletes the user of this id and its refresh tokens (MeshyDB's {@code delete}); nobody deletes themselves. */
  public void delete(String id) {
    Objects.requireNonNull(id, "id");
    client.send(() -> {
      api.deleteUser(client.accountName(), id);
      return null;
    });
  }

  /**
   * Replaces the security questions of the user of this id (MeshyDB's {@code updateUserSecurityQuestion}); only
   * where the account verifies by {@code question}.
   */
  public void updateSecurityQuestions(String id, List<SecurityQuestion> questions) {
    Objects.requireNonNull(id, "id");
    var body = new SecurityQuestionUpdate().securityQuestions(MeshyClient.answers(List.copyOf(questions)));
    client.send(() -> {
      api.updateUserSecurityQuestions(client.accountName(), id, body);
      return null;
    });
  }

  @Override
  public String toString() {
    return "UsersService[account=" + client.accountName() + "]";
  }
}
