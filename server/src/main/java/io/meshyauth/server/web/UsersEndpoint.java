package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.generated.api.UsersApi;
import io.meshyauth.server.generated.model.Exists;
import io.meshyauth.server.generated.model.RegisteredUser;
import io.meshyauth.server.generated.model.SecurityQuestionAnswer;
import io.meshyauth.server.generated.model.Validity;
import io.meshyauth.server.generated.model.VerificationCheck;
import io.meshyauth.server.generated.model.VerificationHash;
import io.meshyauth.server.limit.AddressLimiter;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.users.AnonymousRegistrationHandler;
import io.meshyauth.server.users.SignUp;
import io.meshyauth.server.values.Password;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** MeshyDB's anonymous users/* endpoints: registration, verification and recovery. */
public final class UsersEndpoint implements UsersApi {
  private final AddressLimiter registrationsPerAddress;
  private final AddressLimiter signUpsPerAddress;
  private final AddressLimiter lookupsPerAddress;
  private final ClientAddresses addresses;
  private final AnonymousRegistrationHandler registration;
  private final SignUp signUp;

  public UsersEndpoint(AddressLimiter registrationsPerAddress, AddressLimiter signUpsPerAddress,
      AddressLimiter lookupsPerAddress, ClientAddresses addresses, AnonymousRegistrationHandler registration,
      SignUp signUp) {
    this.registrationsPerAddress = registrationsPerAddress;
    this.signUpsPerAddress = signUpsPerAddress;
    this.lookupsPerAddress = lookupsPerAddress;
    this.addresses = addresses;
    this.registration = registration;
    this.signUp = signUp;
  }

  @Override
  public RegisteredUser registerAnonymousUser(Context ctx, RegisterAnonymousUserParameters parameters) {
    var account = AccountScope.of(ctx);
    if (account.isPresent()) {
      // every attempt counts, so that no address can fill the store with users
      registrationsPerAddress.acquire(addresses.of(ctx));
    }
    var user = registration.register(account, parameters.body().getUsername());
    return new RegisteredUser()
        .id(user.id())
        .username(user.username())
        .anonymous(user.anonymous())
        .isActive(user.active());
  }

  @Override
  public Exists checkUserExists(Context ctx, CheckUserExistsParameters parameters) {
    var account = account(ctx);
    lookupsPerAddress.acquire(addresses.of(ctx));
    return new Exists().exists(signUp.exists(account, parameters.username()));
  }

  @Override
  public VerificationHash registerUser(Context ctx, RegisterUserParameters parameters) {
    var account = account(ctx);
    signUpsPerAddress.acquire(addresses.of(ctx));
    var body = parameters.body();
    try (var password = body.getNewPassword() == null ? null : Password.of(body.getNewPassword())) {
      var issued = signUp.register(account, new SignUp.Registration(body.getUsername(), password,
          Optional.ofNullable(body.getFirstName()), Optional.ofNullable(body.getLastName()),
          Optional.ofNullable(body.getPhoneNumber()), Optional.ofNullable(body.getEmailAddress()),
          answers(body.getSecurityQuestions())), addresses.of(ctx));
      // the document's x-no-content-when-empty: question and none verification answer 204
      return issued.map(UsersEndpoint::hash).orElse(null);
    }
  }

  @Override
  public Validity checkHash(Context ctx, CheckHashParameters parameters) {
    var account = account(ctx);
    return new Validity().isValid(signUp.checkHash(account, check(parameters.body()), addresses.of(ctx)));
  }

  @Override
  public void verifyUser(Context ctx, VerifyUserParameters parameters) {
    signUp.verify(account(ctx), check(parameters.body()), addresses.of(ctx));
  }

  @Override
  public VerificationHash forgotPassword(Context ctx, ForgotPasswordParameters parameters) {
    var account = account(ctx);
    lookupsPerAddress.acquire(addresses.of(ctx));
    var body = parameters.body();
    return hash(signUp.forgotPassword(account, body.getUsername(), attempt(body.getAttempt()), addresses.of(ctx)));
  }

  @Override
  public void resetPassword(Context ctx, ResetPasswordParameters parameters) {
    var account = account(ctx);
    var body = parameters.body();
    var check = new SignUp.Check(body.getUsername(), attempt(body.getAttempt()), body.getHash(), body.getExpires(),
        body.getVerificationCode());
    try (var password = body.getNewPassword() == null ? null : Password.of(body.getNewPassword())) {
      signUp.resetPassword(account, check, password, addresses.of(ctx));
    }
  }

  /** These endpoints answer an unknown account as discovery does: there is no such account. */
  private static Account account(Context ctx) {
    return AccountScope.of(ctx).orElseThrow(() -> ApiError.notFound(ErrorResponses.NO_SUCH_ACCOUNT));
  }

  private static SignUp.Check check(VerificationCheck body) {
    return new SignUp.Check(body.getUsername(), attempt(body.getAttempt()), body.getHash(), body.getExpires(),
        body.getVerificationCode());
  }

  static List<SignUp.QuestionAnswer> answers(List<SecurityQuestionAnswer> questions) {
    return questions == null ? List.of() : questions.stream().filter(Objects::nonNull)
        .map(question -> new SignUp.QuestionAnswer(question.getQuestion(), question.getAnswer())).toList();
  }

  private static int attempt(Integer attempt) {
    return attempt == null ? 1 : attempt;
  }

  private static VerificationHash hash(SignUp.Issued issued) {
    return new VerificationHash()
        .username(issued.username())
        .attempt(issued.attempt())
        .hash(issued.hash())
        .expires(issued.expires().atOffset(ZoneOffset.UTC))
        .hint(issued.hint().orElse(null));
  }
}
