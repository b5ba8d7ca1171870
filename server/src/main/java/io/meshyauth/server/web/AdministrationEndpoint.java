package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.javalin.http.MethodNotAllowedResponse;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.generated.api.AdministrationApi;
import io.meshyauth.server.generated.model.MeshyUser;
import io.meshyauth.server.generated.model.Permissible;
import io.meshyauth.server.generated.model.PermissiblePage;
import io.meshyauth.server.generated.model.Permission;
import io.meshyauth.server.generated.model.PermissionInput;
import io.meshyauth.server.generated.model.PermissionPage;
import io.meshyauth.server.generated.model.Role;
import io.meshyauth.server.generated.model.RoleInput;
import io.meshyauth.server.generated.model.RolePage;
import io.meshyauth.server.generated.model.RoleUsers;
import io.meshyauth.server.generated.model.UserPage;
import io.meshyauth.server.generated.model.UserReference;
import io.meshyauth.server.generated.model.UserUpdate;
import io.meshyauth.server.store.RolePermission;
import io.meshyauth.server.users.Authorizer;
import io.meshyauth.server.users.Caller;
import io.meshyauth.server.users.RoleAdministration;
import io.meshyauth.server.users.SignUp;
import io.meshyauth.server.users.UserAdministration;
import io.meshyauth.server.values.Operations;
import io.meshyauth.server.values.Password;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * MeshyDB's admin endpoints: users, roles, their permissions, permissibles and memberships. Each is authorized by the
 * document's {@code x-permission} of its operation before its parameters are read; this class only turns the wire's
 * shapes (MeshyDB's query quirks included) into calls and back.
 */
public final class AdministrationEndpoint implements AdministrationApi {
  private static final String CALLER = AdministrationEndpoint.class.getName() + ".caller";
  /** The document's maxItems of RoleUsers.users and NewUser.roles (the generated routes check only lengths). */
  private static final int MAX_USERS_AT_ONCE = 1000;
  private static final int MAX_ROLES_OF_A_NEW_USER = 100;

  private final Authorizer authorizer;
  private final UserAdministration users;
  private final RoleAdministration roles;

  public AdministrationEndpoint(Authorizer authorizer, UserAdministration users, RoleAdministration roles) {
    this.authorizer = authorizer;
    this.users = users;
    this.roles = roles;
  }

  /**
   * The document's concrete paths beside {@code users/{id}}, with their methods: OpenAPI matches a concrete path
   * before a templated one, so {@code GET users/resetpassword} is the concrete path asked with a method it lacks
   * (405), not the user whose id is "resetpassword". Javalin matches by method first and would route it to {@code
   * users/{id}}. {@code HttpErrorsTest} holds this list to the document.
   */
  public static final Map<String, String> CONCRETE_USER_PATHS = Map.of("me", "GET, PUT", "register", "POST",
      "checkhash", "POST", "verify", "POST", "forgotpassword", "POST", "resetpassword", "POST");

  @Override
  public void authorize(Context ctx, String permission) {
    var concrete = ctx.pathParamMap().containsKey("id") && ctx.endpoint().path.endsWith("/users/{id}")
        ? CONCRETE_USER_PATHS.get(ctx.pathParam("id")) : null;
    if (concrete != null) {
      throw new MethodNotAllowedResponse("", Map.of("methods", concrete));
    }
    ErrorResponses.noStore(ctx);
    var needed = io.meshyauth.server.values.Permission.parse(permission)
        .orElseThrow(() -> new IllegalStateException("the document's x-permission " + permission));
    ctx.attribute(CALLER, authorizer.authorize(AccountScope.of(ctx), SelfEndpoint.bearerToken(ctx), needed));
  }

  private static Caller caller(Context ctx) {
    return Objects.requireNonNull(ctx.attribute(CALLER), "authorize runs first");
  }

  @Override
  public UserPage searchUsers(Context ctx, SearchUsersParameters parameters) {
    var page = QueryParameters.page(parameters.page());
    var pageSize = QueryParameters.pageSize(parameters.pageSize());
    var found = users.search(caller(ctx), QueryParameters.text("name", parameters.name(), QueryParameters.MAX_NAME_LENGTH),
        QueryParameters.text("roleId", parameters.roleId(), QueryParameters.MAX_ID_LENGTH),
        QueryParameters.bool("activeOnly", parameters.activeOnly()).orElse(true),
        OrderBy.parse(QueryParameters.text("orderBy", parameters.orderBy(), OrderBy.MAX_LENGTH)), page, pageSize);
    return new UserPage()
        .results(found.results().stream().map(user -> SelfEndpoint.meshyUser(user, List.of())).toList())
        .page(found.page())
        .pageSize(found.pageSize())
        .totalRecords(found.totalRecords());
  }

  @Override
  public MeshyUser getUser(Context ctx, GetUserParameters parameters) {
    var shown = users.get(caller(ctx), parameters.id());
    return SelfEndpoint.meshyUser(shown.user(), shown.questions());
  }

  @Override
  public MeshyUser createUser(Context ctx, CreateUserParameters parameters) {
    var body = parameters.body();
    if (body == null) {
      throw ApiError.invalidRequest("The request body is not valid.");
    }
    if (body.getRoles() != null && body.getRoles().size() > MAX_ROLES_OF_A_NEW_USER) {
      throw ApiError.invalidRequest("At most " + MAX_ROLES_OF_A_NEW_USER + " roles can be given at once.");
    }
    var roleNames = body.getRoles() == null ? List.<String>of() : body.getRoles().stream()
        .map(role -> role == null ? null : role.getName()).toList();
    try (var password = body.getNewPassword() == null ? null : Password.of(body.getNewPassword())) {
      var shown = users.create(caller(ctx), new SignUp.Registration(body.getUsername(), password,
          Optional.ofNullable(body.getFirstName()), Optional.ofNullable(body.getLastName()),
          Optional.ofNullable(body.getPhoneNumber()), Optional.ofNullable(body.getEmailAddress()),
          UsersEndpoint.answers(body.getSecurityQuestions())),
          Boolean.TRUE.equals(body.getVerified()), Boolean.TRUE.equals(body.getIsActive()), roleNames);
      return SelfEndpoint.meshyUser(shown.user(), shown.questions());
    }
  }

  @Override
  public MeshyUser updateUser(Context ctx, UpdateUserParameters parameters) {
    var body = Optional.ofNullable(parameters.body()).orElseGet(UserUpdate::new);
    var shown = users.update(caller(ctx), parameters.id(), new SignUp.Details(
        Optional.ofNullable(body.getFirstName()), Optional.ofNullable(body.getLastName()),
        Optional.ofNullable(body.getPhoneNumber()), Optional.ofNullable(body.getEmailAddress()),
        SelfEndpoint.roleNames(body.getRoles())),
        Optional.ofNullable(body.getIsActive()), Optional.ofNullable(body.getVerified()));
    return SelfEndpoint.meshyUser(shown.user(), shown.questions());
  }

  @Override
  public void deleteUser(Context ctx, DeleteUserParameters parameters) {
    users.delete(caller(ctx), parameters.id());
  }

  @Override
  public void updateUserSecurityQuestions(Context ctx, UpdateUserSecurityQuestionsParameters parameters) {
    var body = parameters.body();
    users.updateSecurityQuestions(caller(ctx), parameters.id(),
        UsersEndpoint.answers(body == null ? null : body.getSecurityQuestions()));
  }

  @Override
  public RolePage searchRoles(Context ctx, SearchRolesParameters parameters) {
    var found = roles.search(caller(ctx), QueryParameters.text("name", parameters.name(), QueryParameters.MAX_NAME_LENGTH),
        QueryParameters.page(parameters.page()), QueryParameters.pageSize(parameters.pageSize()));
    return new RolePage().results(found.results().stream().map(AdministrationEndpoint::role).toList())
        .page(found.page()).pageSize(found.pageSize()).totalRecords(found.totalRecords());
  }

  @Override
  public Role getRole(Context ctx, GetRoleParameters parameters) {
    return role(roles.get(caller(ctx), parameters.roleId()));
  }

  @Override
  public Role createRole(Context ctx, CreateRoleParameters parameters) {
    return role(roles.create(caller(ctx), roleInput(parameters.body())));
  }

  @Override
  public Role updateRole(Context ctx, UpdateRoleParameters parameters) {
    return role(roles.update(caller(ctx), parameters.roleId(), roleInput(parameters.body())));
  }

  @Override
  public void deleteRole(Context ctx, DeleteRoleParameters parameters) {
    roles.delete(caller(ctx), parameters.roleId());
  }

  @Override
  public PermissionPage searchRolePermissions(Context ctx, SearchRolePermissionsParameters parameters) {
    var found = roles.searchPermissions(caller(ctx), parameters.roleId(),
        QueryParameters.text("permissibleName", parameters.permissibleName(),
            QueryParameters.MAX_NAME_LENGTH), QueryParameters.page(parameters.page()),
        QueryParameters.pageSize(parameters.pageSize()));
    return new PermissionPage()
        .results(found.results().stream().map(AdministrationEndpoint::permission).toList())
        .page(found.page()).pageSize(found.pageSize()).totalRecords(found.totalRecords());
  }

  @Override
  public Permission getRolePermission(Context ctx, GetRolePermissionParameters parameters) {
    return permission(roles.getPermission(caller(ctx), parameters.roleId(), parameters.permissionId()));
  }

  @Override
  public Permission createRolePermission(Context ctx, CreateRolePermissionParameters parameters) {
    var body = permissionInput(parameters.body());
    return permission(roles.createPermission(caller(ctx), parameters.roleId(), body.getPermissibleName(),
        operations(body)));
  }

  @Override
  public Permission updateRolePermission(Context ctx, UpdateRolePermissionParameters parameters) {
    var body = permissionInput(parameters.body());
    return permission(roles.updatePermission(caller(ctx), parameters.roleId(), parameters.permissionId(),
        body.getPermissibleName(), operations(body)));
  }

  @Override
  public void deleteRolePermission(Context ctx, DeleteRolePermissionParameters parameters) {
    roles.deletePermission(caller(ctx), parameters.roleId(), parameters.permissionId());
  }

  @Override
  public PermissiblePage searchPermissibles(Context ctx, SearchPermissiblesParameters parameters) {
    var found = roles.searchPermissibles(caller(ctx), QueryParameters.text("name", parameters.name(), QueryParameters.MAX_NAME_LENGTH),
        QueryParameters.page(parameters.page()), QueryParameters.pageSize(parameters.pageSize()));
    return new PermissiblePage()
        .results(found.results().stream().map(permissible -> new Permissible()
            .name(permissible.name())
            .canCreate(permissible.supported().create())
            .canRead(permissible.supported().read())
            .canUpdate(permissible.supported().update())
            .canDelete(permissible.supported().delete())).toList())
        .page(found.page()).pageSize(found.pageSize()).totalRecords(found.totalRecords());
  }

  @Override
  public void addRoleUsers(Context ctx, AddRoleUsersParameters parameters) {
    roles.addUsers(caller(ctx), parameters.roleId(), userIds(parameters.body()));
  }

  @Override
  public void removeRoleUsers(Context ctx, RemoveRoleUsersParameters parameters) {
    roles.removeUsers(caller(ctx), parameters.roleId(), userIds(parameters.body()));
  }

  private static List<String> userIds(RoleUsers body) {
    if (body == null || body.getUsers() == null) {
      throw ApiError.invalidRequest("At least one user is required.");
    }
    if (body.getUsers().size() > MAX_USERS_AT_ONCE) {
      throw ApiError.invalidRequest("At most " + MAX_USERS_AT_ONCE + " users can be given at once.");
    }
    var ids = body.getUsers().stream().filter(Objects::nonNull).map(UserReference::getId).toList();
    if (ids.isEmpty() || ids.stream().anyMatch(id -> id == null || id.isBlank())) {
      throw ApiError.invalidRequest("Each user needs its id.");
    }
    return ids;
  }

  private static RoleAdministration.RoleInput roleInput(RoleInput body) {
    if (body == null) {
      throw ApiError.invalidRequest("Name is required.");
    }
    return new RoleAdministration.RoleInput(body.getName(), Optional.ofNullable(body.getDescription()));
  }

  private static PermissionInput permissionInput(PermissionInput body) {
    if (body == null) {
      throw ApiError.invalidRequest("Permissible name is required.");
    }
    return body;
  }

  private static Operations operations(PermissionInput body) {
    return new Operations(Boolean.TRUE.equals(body.getCreate()), Boolean.TRUE.equals(body.getRead()),
        Boolean.TRUE.equals(body.getUpdate()), Boolean.TRUE.equals(body.getDelete()));
  }

  private static Role role(io.meshyauth.server.store.Role role) {
    return new Role()
        .id(role.id())
        .name(role.name())
        .description(role.description().orElse(null))
        .numberOfUsers(role.numberOfUsers());
  }

  private static Permission permission(RolePermission permission) {
    var operations = permission.operations();
    return new Permission()
        .id(permission.id())
        .permissibleName(permission.permissible())
        .create(operations.create())
        .read(operations.read())
        .update(operations.update())
        .delete(operations.delete())
        .claims(permission.permissions().stream().map(io.meshyauth.server.values.Permission::claim).toList());
  }
}
