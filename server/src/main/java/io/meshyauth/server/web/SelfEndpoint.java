package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.meshyauth.server.generated.api.SelfApi;
import io.meshyauth.server.generated.model.BearerError;
import io.meshyauth.server.generated.model.MeshyUser;
import io.meshyauth.server.generated.model.UserInfo;
import io.meshyauth.server.generated.model.UserRole;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.users.SelfService;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** The signed-in user's own endpoints: userinfo, MeshyDB's users/me and its password change. */
public final class SelfEndpoint implements SelfApi {
  private static final String BEARER = "bearer ";

  private final SelfService self;
  private final ClientAddresses addresses;

  public SelfEndpoint(SelfService self, ClientAddresses addresses) {
    this.self = self;
    this.addresses = addresses;
  }

  @Override
  public UserInfo userinfo(Context ctx, UserinfoParameters parameters) {
    var user = authenticate(ctx).user();
    var profile = user.profile();
    ErrorResponses.noStore(ctx);
    // OpenID Connect Core section 5.3.2: claims without a value are left out
    return new UserInfo()
        .sub(user.id())
        .id(user.username())
        .preferredUsername(user.username())
        .givenName(profile.firstName().orElse(null))
        .familyName(profile.lastName().orElse(null))
        .role(profile.roles().isEmpty() ? null : profile.roleNames())
        .permission(profile.permissions().isEmpty() ? null : profile.permissions());
  }

  @Override
  public MeshyUser getSelf(Context ctx, GetSelfParameters parameters) {
    var user = authenticate(ctx).user();
    var profile = user.profile();
    ErrorResponses.noStore(ctx);
    return new MeshyUser()
        .id(user.id())
        .username(user.username())
        .firstName(profile.firstName().orElse(null))
        .lastName(profile.lastName().orElse(null))
        .verified(user.verified())
        .isActive(user.active())
        .anonymous(user.anonymous())
        .roles(profile.roles().stream()
            .map(role -> new UserRole().name(role.name()).addedDate(role.addedAt().atOffset(ZoneOffset.UTC)))
            .toList());
  }

  @Override
  public void updatePassword(Context ctx, UpdatePasswordParameters parameters) {
    var who = authenticate(ctx);
    ErrorResponses.noStore(ctx);
    var body = parameters.body();
    if (body == null || body.getPreviousPassword() == null) {
      throw ApiError.invalidRequest("The previousPassword field is required.");
    }
    if (body.getNewPassword() == null || body.getNewPassword().isEmpty()) {
      throw ApiError.invalidRequest("The newPassword field is required.");
    }
    try (var previous = Password.of(body.getPreviousPassword()); var next = Password.of(body.getNewPassword())) {
      // the budgets count the client behind a trusted proxy, as the password grant's do
      self.changePassword(who, previous, next, addresses.of(ctx));
    }
  }

  private SelfService.Authenticated authenticate(Context ctx) {
    return self.authenticate(AccountScope.of(ctx), bearerToken(ctx));
  }

  /** RFC 6750 section 2.1; another scheme counts as no token (section 3.1). */
  private static Optional<String> bearerToken(Context ctx) {
    var header = ctx.header("Authorization");
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      return Optional.empty();
    }
    var token = header.substring(BEARER.length()).strip();
    if (token.isEmpty()) {
      throw ApiError.tokenInvalid();
    }
    return Optional.of(token);
  }
}
