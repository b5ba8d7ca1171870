package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.generated.api.SelfApi;
import io.meshyauth.server.generated.model.MeshyUser;
import io.meshyauth.server.generated.model.SecurityQuestionAsked;
import io.meshyauth.server.generated.model.UserInfo;
import io.meshyauth.server.generated.model.UserRole;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.User;
import io.meshyauth.server.users.SelfService;
import io.meshyauth.server.users.SignUp;
import io.meshyauth.server.values.Password;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The signed-in user's own endpoints: userinfo, MeshyDB's users/me and its password change. */
public final class SelfEndpoint implements SelfApi {
  private static final String BEARER = "bearer ";

  private final SelfService self;
  private final SignUp signUp;
  private final ClientAddresses addresses;

  public SelfEndpoint(SelfService self, SignUp signUp, ClientAddresses addresses) {
    this.self = self;
    this.signUp = signUp;
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
        .permission(profile.claimedPermissions().isEmpty() ? null : profile.claimedPermissions());
  }

  @Override
  public MeshyUser getSelf(Context ctx, GetSelfParameters parameters) {
    var who = authenticate(ctx);
    ErrorResponses.noStore(ctx);
    return meshyUser(who.account(), who.user());
  }

  @Override
  public MeshyUser updateSelf(Context ctx, UpdateSelfParameters parameters) {
    var who = authenticate(ctx);
    ErrorResponses.noStore(ctx);
    var body = parameters.body();
    var roles = roleNames(body.getRoles());
    var user = signUp.updateSelf(who.account(), who.user(), new SignUp.Details(
        Optional.ofNullable(body.getFirstName()), Optional.ofNullable(body.getLastName()),
        Optional.ofNullable(body.getPhoneNumber()), Optional.ofNullable(body.getEmailAddress()), roles));
    return meshyUser(who.account(), user);
  }

  @Override
  public void updateSecurityQuestions(Context ctx, UpdateSecurityQuestionsParameters parameters) {
    var who = authenticate(ctx);
    ErrorResponses.noStore(ctx);
    signUp.updateSecurityQuestions(who.account(), who.user(), UsersEndpoint.answers(
        parameters.body().getSecurityQuestions()));
  }

  private MeshyUser meshyUser(Account account, User user) {
    return meshyUser(user, signUp.questionsOf(account, user));
  }

  /** The SDKs send the whole user back; roles they did not change (or left out) are no change. */
  static Optional<List<String>> roleNames(List<UserRole> roles) {
    return Optional.ofNullable(roles).filter(list -> !list.isEmpty())
        .map(list -> list.stream().map(role -> role == null || role.getName() == null ? "" : role.getName())
            .toList());
  }

  /** A user in MeshyDB's shape, with the text of its security questions. */
  static MeshyUser meshyUser(User user, List<String> questions) {
    var profile = user.profile();
    return new MeshyUser()
        .id(user.id())
        .username(user.username())
        .firstName(profile.firstName().orElse(null))
        .lastName(profile.lastName().orElse(null))
        .emailAddress(profile.emailAddress().orElse(null))
        .phoneNumber(profile.phoneNumber().orElse(null))
        .verified(user.verified())
        .isActive(user.active())
        .anonymous(user.anonymous())
        .roles(profile.roles().stream()
            .map(role -> new UserRole().name(role.name()).addedDate(role.addedAt().atOffset(ZoneOffset.UTC)))
            .toList())
        .securityQuestions(questions.stream()
            .map(question -> new SecurityQuestionAsked().question(question)).toList());
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
  static Optional<String> bearerToken(Context ctx) {
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
