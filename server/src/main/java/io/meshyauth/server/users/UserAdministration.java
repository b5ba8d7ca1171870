package io.meshyauth.server.users;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.store.Page;
import io.meshyauth.server.store.Permissible;
import io.meshyauth.server.store.RoleStore;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserQuery;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.values.Operation;
import io.meshyauth.server.values.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MeshyDB's admin user endpoints ({@code users}, {@code users/{id}}, {@code users/{id}/questions}), for a caller the
 * {@link Authorizer} let through. The checks of a user's fields are sign-up's own.
 */
public final class UserAdministration {
  static final String USER_NOT_FOUND = "User is not found.";
  private static final Permission UPDATE_ROLES = new Permission(Permissible.ROLES.name(), Operation.UPDATE);

  private final UserStore users;
  private final RoleStore roles;
  private final SignUp signUp;

  public UserAdministration(UserStore users, RoleStore roles, SignUp signUp) {
    this.users = users;
    this.roles = roles;
    this.signUp = signUp;
  }

  /** A user and the text of its security questions. */
  public record Shown(User user, List<String> questions) {
  }

  /** The search; a {@code roleId} of no role of the account finds nobody. */
  public Page<User> search(Caller caller, Optional<String> name, Optional<String> roleId, boolean activeOnly,
      List<UserQuery.Order> orderBy, int page, int pageSize) {
    var account = caller.account().name();
    Optional<String> roleName = Optional.empty();
    if (roleId.isPresent()) {
      var role = roles.findRole(account, roleId.get());
      if (role.isEmpty()) {
        return new Page<>(List.of(), page, pageSize, 0);
      }
      roleName = Optional.of(role.get().name());
    }
    return users.searchUsers(account, new UserQuery(name, roleName, activeOnly, orderBy, page, pageSize));
  }

  public Shown get(Caller caller, String id) {
    var user = find(caller, id);
    return new Shown(user, signUp.questionsOf(caller.account(), user));
  }

  /**
   * MeshyDB's rule for the roles of a new user: a caller who may update roles gives any role of the account; any
   * other caller only roles its token says it holds.
   */
  public Shown create(Caller caller, SignUp.Registration registration, boolean verified, boolean active,
      List<String> roleNames) {
    var account = caller.account().name();
    var given = new ArrayList<String>();
    for (var name : roleNames) {
      if (name == null || name.isBlank()) {
        throw ApiError.invalidRequest("Role name is required.");
      }
      var role = roles.findRoleByName(account, name.strip())
          .orElseThrow(() -> ApiError.invalidRequest("Role does not exist."));
      if (!caller.may(UPDATE_ROLES) && !caller.roles().contains(role.name())) {
        throw ApiError.invalidRequest("Unable to assign a role the caller does not have.");
      }
      given.add(role.name());
    }
    var user = signUp.createByAdministrator(caller.account(), registration, verified, active, given);
    return new Shown(user, signUp.questionsOf(caller.account(), user));
  }

  public Shown update(Caller caller, String id, SignUp.Details details, Optional<Boolean> active,
      Optional<Boolean> verified) {
    var user = signUp.updateByAdministrator(caller.account(), find(caller, id), details, active, verified)
        .orElseThrow(() -> ApiError.notFound(USER_NOT_FOUND));
    return new Shown(user, signUp.questionsOf(caller.account(), user));
  }

  /** Deletes the user and every refresh token it holds; nobody deletes themselves. */
  public void delete(Caller caller, String id) {
    if (caller.userId().equals(id)) {
      throw ApiError.invalidRequest("User is not able to delete self.");
    }
    if (!users.deleteUser(caller.account().name(), id)) {
      throw ApiError.notFound(USER_NOT_FOUND);
    }
  }

  public void updateSecurityQuestions(Caller caller, String id, List<SignUp.QuestionAnswer> questions) {
    signUp.updateSecurityQuestions(caller.account(), find(caller, id), questions);
  }

  private User find(Caller caller, String id) {
    return users.findUserById(caller.account().name(), id).orElseThrow(() -> ApiError.notFound(USER_NOT_FOUND));
  }
}
