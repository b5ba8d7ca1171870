package io.meshyauth.server.users;

import io.meshyauth.server.courier.Message;
import io.meshyauth.server.courier.RenderedMessage;
import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.events.SecurityEvent.SignUpStep;
import io.meshyauth.server.events.SecurityEvent.SignUpStep.Step;
import io.meshyauth.server.events.SecurityEvents;
import io.meshyauth.server.limit.VerificationThrottle;
import io.meshyauth.server.password.HashingBusyException;
import io.meshyauth.server.password.PasswordHasher;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.store.DuplicateException;
import io.meshyauth.server.store.SecurityQuestion;
import io.meshyauth.server.store.SignUpPolicy.Verification;
import io.meshyauth.server.store.User;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.UserStore;
import io.meshyauth.server.store.UserStore.PasswordChange;
import io.meshyauth.server.store.Usernames;
import io.meshyauth.server.users.VerificationCodes.Binding;
import io.meshyauth.server.users.VerificationCodes.Purpose;
import io.meshyauth.server.values.Password;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * MeshyDB's self-service sign-up and recovery: whether a username is taken, registration with a password,
 * verification of a new user's contact, password reset by code or security question, and the signed-in user's
 * names, contacts and questions. Every refusal carries MeshyDB's documented message. The web layer has checked
 * each request's shape and found its account; nothing here knows HTTP.
 */
public final class SignUp {
  // deliberately loose, as MeshyDB's is: something@something.something, no spaces
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  // E.164: a plus and up to 15 digits
  private static final Pattern PHONE = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final String HASH_INVALID = "Request hash is invalid.";
  /** At most this many security questions a user, each question and answer at most this long (the document's). */
  static final int MAX_QUESTIONS = 10;
  static final int MAX_QUESTION_LENGTH = 256;

  private final UserStore users;
  private final PasswordHasher hasher;
  private final VerificationCodes codes;
  private final VerificationThrottle throttle;
  private final CodeSender sender;
  private final Clock clock;
  private final SecurityEvents events;

  /** Where a code goes: the courier's outbox. Each method throws when no channel of the server delivers it. */
  public interface CodeSender {
    /** Queues the message for delivery in a transaction of its own. */
    void send(Message message);

    /**
     * The message ready for the outbox, for a store to queue in the transaction of the change it is about; empty
     * where nothing is sent (contract fixtures, whose codes are all one published code).
     */
    Optional<RenderedMessage> render(Message message);

    /** A message the store queued with its change, now committed. */
    void queued(RenderedMessage message);
  }

  public SignUp(UserStore users, PasswordHasher hasher, VerificationCodes codes, VerificationThrottle throttle,
      CodeSender sender, Clock clock, SecurityEvents events) {
    this.users = users;
    this.hasher = hasher;
    this.codes = codes;
    this.throttle = throttle;
    this.sender = sender;
    this.clock = clock;
    this.events = events;
  }

  /** A question and its answer as the user typed them. */
  public record QuestionAnswer(String question, String answer) {
    @Override
    public String toString() {
      return "QuestionAnswer[question=" + question + "]";
    }
  }

  /** MeshyDB's RegisterUser. */
  public record Registration(String username, Password newPassword, Optional<String> firstName,
      Optional<String> lastName, Optional<String> phoneNumber, Optional<String> emailAddress,
      List<QuestionAnswer> securityQuestions) {
  }

  /** MeshyDB's VerificationCheck, with the new password of a reset. */
  public record Check(String username, int attempt, String hash, String expires, String verificationCode) {
  }

  /** MeshyDB's VerificationHash. */
  public record Issued(String username, int attempt, String hash, Instant expires, Optional<String> hint) {
  }

  /** Whether the account has a user of that name. */
  public boolean exists(Account account, String username) {
    if (account.signUp().hideUnknownUsers()) {
      throw ApiError.invalidRequest("Checking whether a username exists is not enabled.");
    }
    return users.findUser(account.name(), required(username, "Username is required.")).isPresent();
  }

  /**
   * Creates the user: verified at once in {@code question} and {@code none} verification (empty answer), or
   * unverified with a code on its way in {@code email} and {@code text} verification (the hash to send it back
   * with).
   */
  public Optional<Issued> register(Account account, Registration registration, String clientAddress) {
    var policy = account.signUp();
    if (!policy.publicRegistration()) {
      throw ApiError.invalidRequest("Public registration is not enabled.");
    }
    var verification = policy.verification();
    var checked = checked(account, registration);
    var now = clock.instant();
    var user = new User(UUID.randomUUID().toString(), account.name(), checked.username(), Optional.of(
        hasher.hash(registration.newPassword())), true, !verification.requiresCode(), false, now, checked.profile());
    var questions = checked.questions();
    // the code is queued in the transaction that creates the user: no crash leaves a user waiting for no code
    var code = verification.requiresCode() ? Optional.of(code(account, user, Purpose.VERIFY, 1))
        : Optional.<PendingCode>empty();
    var rendered = code.flatMap(pending -> sender.render(pending.message()));
    try {
      users.createUser(user, questions, rendered, now);
    } catch (DuplicateException e) {
      throw ApiError.invalidRequest("Username must be unique.");
    }
    rendered.ifPresent(sender::queued);
    events.report(new SignUpStep(Step.REGISTERED, account.name(), user.username(), user.id(), clientAddress));
    code.ifPresent(pending -> events.report(new SignUpStep(Step.CODE_SENT, account.name(), user.username(),
        user.id(), clientAddress)));
    return code.map(PendingCode::issued);
  }

  /** Whether the code is right for the hash, changing nothing; a wrong code spends the username's budget. */
  public boolean checkHash(Account account, Check check, String clientAddress) {
    // a new user's verification code or anyone's reset code: both are tried under the one reservation
    return verifyCode(account, check, List.of(Purpose.VERIFY, Purpose.RESET), clientAddress).isPresent();
  }

  /** Marks the new user verified, once, with the code of its registration. */
  public void verify(Account account, Check check, String clientAddress) {
    var user = verifyCode(account, check, List.of(Purpose.VERIFY), clientAddress)
        .orElseThrow(() -> ApiError.invalidRequest(HASH_INVALID));
    if (!users.markVerified(account.name(), user.id())) {
      throw ApiError.invalidRequest("User has already been verified.");
    }
    events.report(new SignUpStep(Step.VERIFIED, account.name(), user.username(), user.id(), clientAddress));
  }

  /**
   * Starts a reset: a code to the user's contact, or the question {@code attempt} picks. An unknown username is
   * MeshyDB's 404, or, where the account hides unknown users, a hash no code will match.
   */
  public Issued forgotPassword(Account account, String username, int attempt, String clientAddress) {
    var name = required(username, "Username is required.");
    var verification = account.signUp().verification();
    if (verification == Verification.NONE) {
      throw ApiError.invalidRequest("Password recovery is not enabled.");
    }
    var hide = account.signUp().hideUnknownUsers();
    var found = users.findUser(account.name(), name);
    if (verification.requiresCode()) {
      // whether or not the name is known, so that the budget tells nothing either
      throttle.takeCode(account.name(), Usernames.normalise(name));
    }
    if (found.isEmpty()) {
      if (hide) {
        return decoy(account, name, attempt(attempt));
      }
      throw ApiError.notFound("User was not found.");
    }
    var user = found.get();
    // where unknown users are hidden, a user who cannot recover is answered as an unknown one: alike
    if (user.anonymous()) {
      if (hide) {
        return decoy(account, name, attempt(attempt));
      }
      throw ApiError.invalidRequest("Anonymous user cannot recover password.");
    }
    events.report(new SignUpStep(Step.RESET_REQUESTED, account.name(), user.username(), user.id(), clientAddress));
    if (verification == Verification.QUESTION) {
      var questions = users.securityQuestions(account.name(), user.id());
      if (questions.isEmpty()) {
        if (hide) {
          return decoy(account, name, attempt(attempt));
        }
        throw ApiError.invalidRequest("The user has no security questions.");
      }
      int asked = attempt(attempt);
      var question = questions.get((asked - 1) % questions.size());
      var expires = codes.expiresFrom(clock.instant());
      var hash = codes.hash(new Binding(account.name(), user.id(), Purpose.RESET, asked, expires, "",
          VerificationCodes.stateOf(user.passwordHash())));
      // the name as the client wrote it, as a decoy echoes it: the stored spelling would tell a known user
      return new Issued(name, asked, hash, expires, Optional.of(question.question()));
    }
    var contact = verification == Verification.EMAIL ? user.profile().emailAddress() : user.profile().phoneNumber();
    if (contact.isEmpty() && hide) {
      return decoy(account, name, attempt(attempt));
    }
    var issued = sendCode(account, user, Purpose.RESET, attempt(attempt), clientAddress);
    return new Issued(name, issued.attempt(), issued.hash(), issued.expires(), issued.hint());
  }

  /** Sets the new password with the code (or answer), once, and ends every refresh token family of the user. */
  public void resetPassword(Account account, Check check, Password newPassword, String clientAddress) {
    if (newPassword == null || newPassword.chars().length == 0) {
      throw ApiError.invalidRequest("New password is required.");
    }
    requirePassword(account, newPassword);
    var user = verifyCode(account, check, List.of(Purpose.RESET), clientAddress)
        .orElseThrow(() -> ApiError.invalidRequest(HASH_INVALID));
    var previous = user.passwordHash().orElseThrow(() -> ApiError.invalidRequest("Anonymous user cannot be reset."));
    // compared with the hash the code was bound to: of two resets with one code, one wins
    var outcome = users.changePassword(account.name(), user.id(), previous, hasher.hash(newPassword),
        Optional.empty(), clock.instant());
    if (outcome == PasswordChange.STALE) {
      throw ApiError.invalidRequest(HASH_INVALID);
    }
    // a reset code reached the user's e-mail address or phone: that proves it as a verification code does, and is
    // how a user whose verification code expired or was lost gets in
    if (!user.verified() && account.signUp().verification().requiresCode()) {
      users.markVerified(account.name(), user.id());
    }
    events.report(new SignUpStep(Step.PASSWORD_RESET, account.name(), user.username(), user.id(), clientAddress));
  }

  /** A user's names and contacts as {@code users/me} and {@code users/{id}} take them. */
  public record Details(Optional<String> firstName, Optional<String> lastName, Optional<String> phoneNumber,
      Optional<String> emailAddress, Optional<List<String>> roles) {
  }

  /**
   * The signed-in user's names and contacts; its roles change only through the membership endpoints. Only these
   * are written: a role given meanwhile stays.
   */
  public User updateSelf(Account account, User user, Details details) {
    var profile = checked(account, user, details);
    users.updateDetails(account.name(), user.id(), profile);
    return user.withProfile(profile);
  }

  /**
   * An administrator's change of a user: names, contacts, and the active and verified flags where given. Making the
   * user inactive ends its sessions in the same transaction. {@code Optional.empty()} when the user is gone.
   */
  public Optional<User> updateByAdministrator(Account account, User user, Details details, Optional<Boolean> active,
      Optional<Boolean> verified) {
    var profile = checked(account, user, details);
    var isActive = active.orElse(user.active());
    var isVerified = verified.orElse(user.verified());
    if (user.anonymous() && isVerified && !user.verified()) {
      throw ApiError.invalidRequest("Anonymous user cannot be verified.");
    }
    if (!users.updateByAdministrator(account.name(), user.id(), profile, isActive, isVerified, clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(user.withProfile(profile).withActive(isActive).withVerified(isVerified));
  }

  private UserProfile checked(Account account, User user, Details details) {
    requirePrintable("First name", details.firstName());
    requirePrintable("Last name", details.lastName());
    if (details.roles().isPresent()
        && !details.roles().get().stream().sorted().toList().equals(user.profile().roleNames())) {
      throw ApiError.invalidRequest("Unable to change user roles via API.");
    }
    var email = details.emailAddress().map(String::strip).filter(value -> !value.isEmpty());
    var phone = details.phoneNumber().map(String::strip).filter(value -> !value.isEmpty());
    if (!user.anonymous()) {
      requireContacts(account.signUp().verification(), email, phone, " and the user is not anonymous");
    } else {
      requireFormats(email, phone);
    }
    return user.profile().withNames(details.firstName().filter(name -> !name.isBlank()).map(String::strip),
        details.lastName().filter(name -> !name.isBlank()).map(String::strip)).withContacts(email, phone);
  }

  /**
   * An administrator's new user (MeshyDB's {@code POST users}): checked as a registration is, without public
   * registration; verified and active as given, and holding {@code roles} (which exist: the caller checked them).
   * Its security questions are kept where the account asks them. No code is sent: an administrator verifies.
   */
  public User createByAdministrator(Account account, Registration registration, boolean verified, boolean active,
      List<String> roles) {
    var checked = checked(account, registration);
    var now = clock.instant();
    var profile = checked.profile()
        .withGrants(roles.stream().map(role -> new UserProfile.Role(role, now)).toList(), List.of());
    var user = new User(UUID.randomUUID().toString(), account.name(), checked.username(), Optional.of(
        hasher.hash(registration.newPassword())), active, verified, false, now, profile);
    var questions = checked.questions();
    try {
      users.createUser(user, questions);
    } catch (DuplicateException e) {
      throw ApiError.invalidRequest("Username must be unique.");
    }
    return user;
  }

  /** Replaces the signed-in user's questions; {@code question} verification only. */
  public void updateSecurityQuestions(Account account, User user, List<QuestionAnswer> questions) {
    if (account.signUp().verification() != Verification.QUESTION) {
      throw ApiError.invalidRequest("Unable to update security questions if question verification is not "
          + "configured.");
    }
    if (user.anonymous()) {
      throw ApiError.invalidRequest("Anonymous user cannot have security questions.");
    }
    if (questions.isEmpty()) {
      throw ApiError.invalidRequest("At least one question is required.");
    }
    users.replaceSecurityQuestions(account.name(), user.id(), hashQuestions(questions));
  }

  /**
   * What the SDKs show of a user's questions: their text. Only an account that asks questions keeps any, so the
   * others' users/me reads none (no store read on their path).
   */
  public List<String> questionsOf(Account account, User user) {
    if (account.signUp().verification() != Verification.QUESTION) {
      return List.of();
    }
    return users.securityQuestions(user.accountName(), user.id()).stream().map(SecurityQuestion::question).toList();
  }

  /**
   * The user the check's hash was made for, when the code (or answer) is right; empty when it is not. Each check
   * of a username reserves a unit of its budget first, given back only when the code was right: with any number
   * in flight, no more than the budget are compared.
   */
  private Optional<User> verifyCode(Account account, Check check, List<Purpose> purposes, String clientAddress) {
    var username = required(check.username(), "Username is required.");
    if (check.hash() == null || check.hash().isBlank()) {
      throw ApiError.invalidRequest("Hash is required.");
    }
    if (check.expires() == null || check.expires().isBlank()) {
      throw ApiError.invalidRequest("Expires is required.");
    }
    if (check.verificationCode() == null || check.verificationCode().isEmpty()) {
      throw ApiError.invalidRequest("Verification code is required.");
    }
    var expires = VerificationCodes.parseExpires(check.expires())
        .orElseThrow(() -> ApiError.invalidRequest(HASH_INVALID));
    if (!expires.isAfter(clock.instant())) {
      throw ApiError.invalidRequest("Hash is expired.");
    }
    var reservation = throttle.reserve(account.name(), Usernames.normalise(username), clientAddress);
    var user = users.findUser(account.name(), username);
    boolean right;
    try {
      right = user.filter(found -> !found.anonymous())
          .map(found -> purposes.stream().anyMatch(purpose -> codeIsRight(account, found, check, purpose, expires)))
          .orElse(false);
    } catch (HashingBusyException e) {
      reservation.giveBack();
      throw e;
    }
    if (!right) {
      events.report(new SignUpStep(Step.VERIFICATION_FAILED, account.name(), username,
          user.map(User::id).orElse(""), clientAddress));
      // MeshyDB's messages tell a known user from an unknown one: where the account hides unknown users, every
      // wrong check answers alike
      if (!account.signUp().hideUnknownUsers()) {
        if (user.filter(User::anonymous).isPresent()) {
          throw ApiError.invalidRequest(purposes.contains(Purpose.RESET) ? "Anonymous user cannot be reset."
              : "Anonymous user cannot be verified.");
        }
        if (purposes.equals(List.of(Purpose.VERIFY)) && user.filter(User::verified).isPresent()) {
          throw ApiError.invalidRequest("User has already been verified.");
        }
      }
      return Optional.empty();
    }
    reservation.giveBack();
    return user;
  }

  private boolean codeIsRight(Account account, User user, Check check, Purpose purpose, Instant expires) {
    int attempt = attempt(check.attempt());
    var state = purpose == Purpose.VERIFY ? (user.verified() ? "verified" : "unverified")
        : VerificationCodes.stateOf(user.passwordHash());
    if (account.signUp().verification() == Verification.QUESTION && purpose == Purpose.RESET) {
      if (!codes.matches(check.hash(), new Binding(account.name(), user.id(), purpose, attempt, expires, "", state))) {
        return false;
      }
      var questions = users.securityQuestions(account.name(), user.id());
      if (questions.isEmpty()) {
        return false;
      }
      var question = questions.get((attempt - 1) % questions.size());
      try (var answer = Password.of(normaliseAnswer(check.verificationCode()))) {
        return hasher.verify(answer, question.answerHash());
      }
    }
    return codes.matches(check.hash(),
        new Binding(account.name(), user.id(), purpose, attempt, expires, check.verificationCode(), state));
  }

  private Issued sendCode(Account account, User user, Purpose purpose, int attempt, String clientAddress) {
    var pending = code(account, user, purpose, attempt);
    sender.send(pending.message());
    events.report(new SignUpStep(Step.CODE_SENT, account.name(), user.username(), user.id(), clientAddress));
    return pending.issued();
  }

  /** A new code: the message that carries it, and the hash the client sends back with it. */
  private record PendingCode(Message message, Issued issued) {
  }

  private PendingCode code(Account account, User user, Purpose purpose, int attempt) {
    var email = account.signUp().verification() == Verification.EMAIL;
    var to = (email ? user.profile().emailAddress() : user.profile().phoneNumber())
        .orElseThrow(() -> ApiError.invalidRequest(email ? "The user has no email address."
            : "The user has no phone number."));
    var code = codes.newCode();
    var expires = codes.expiresFrom(clock.instant());
    var state = purpose == Purpose.VERIFY ? "unverified" : VerificationCodes.stateOf(user.passwordHash());
    var hash = codes.hash(new Binding(account.name(), user.id(), purpose, attempt, expires, code, state));
    var kind = purpose == Purpose.VERIFY ? (email ? Message.Kind.VERIFY_EMAIL : Message.Kind.VERIFY_TEXT)
        : (email ? Message.Kind.RESET_EMAIL : Message.Kind.RESET_TEXT);
    return new PendingCode(new Message(kind, account.name(), user.username(), to, code, expires),
        new Issued(user.username(), attempt, hash, expires, Optional.of(hint(email))));
  }

  /**
   * For an unknown username where the account hides them: a hash of the same form, under a key no code matches,
   * with the hint a real one would have (a question picked by the username, so that asking twice asks the same).
   */
  private Issued decoy(Account account, String username, int attempt) {
    var expires = codes.expiresFrom(clock.instant());
    var hash = codes.hash(new Binding(account.name(), "unknown:" + Usernames.normalise(username), Purpose.RESET,
        attempt, expires, codes.newCode(), UUID.randomUUID().toString()));
    var verification = account.signUp().verification();
    String hint;
    if (verification == Verification.QUESTION) {
      // as a real user's: a fixed number of questions per name (one to three), asked in turn by attempt
      var decoys = List.of("What was the name of your first pet?", "In what city were you born?",
          "What is your mother's maiden name?", "What was the name of your first school?",
          "What street did you grow up on?", "What was your first car?");
      int seed = Usernames.normalise(username).hashCode();
      int count = 1 + Math.floorMod(seed, 3);
      hint = decoys.get(Math.floorMod(seed + (attempt - 1) % count, decoys.size()));
    } else {
      hint = hint(verification == Verification.EMAIL);
    }
    return new Issued(username.strip(), attempt, hash, expires, Optional.of(hint));
  }

  private String hint(boolean email) {
    return "Enter the code sent to your " + (email ? "email address." : "phone.");
  }

  private void requireContacts(Verification verification, Optional<String> email, Optional<String> phone,
      String suffix) {
    if (verification == Verification.EMAIL && email.isEmpty()) {
      throw ApiError.invalidRequest("Email address is required when Email recovery is enabled" + suffix + ".");
    }
    if (verification == Verification.TEXT && phone.isEmpty()) {
      throw ApiError.invalidRequest("Phone number is required when Text recovery is enabled" + suffix + ".");
    }
    requireFormats(email, phone);
  }

  /** No control characters (NUL among them, which PostgreSQL refuses) in what is stored and sent in messages. */
  /** A registration's username, profile and hashed questions, once MeshyDB's checks of it pass. */
  private record CheckedRegistration(String username, UserProfile profile, List<SecurityQuestion> questions) {
  }

  /** MeshyDB's checks of a RegisterUser or NewUser, in its order; the answers are hashed last. */
  private CheckedRegistration checked(Account account, Registration registration) {
    var username = required(registration.username(), "Username is a required field.");
    var email = registration.emailAddress().map(String::strip).filter(value -> !value.isEmpty());
    var phone = registration.phoneNumber().map(String::strip).filter(value -> !value.isEmpty());
    requirePrintable("Username", Optional.of(username));
    requirePrintable("First name", registration.firstName());
    requirePrintable("Last name", registration.lastName());
    var verification = account.signUp().verification();
    requireContacts(verification, email, phone, "");
    if (verification == Verification.QUESTION && registration.securityQuestions().isEmpty()) {
      throw ApiError.invalidRequest("At least one Security Questions is required when Question recovery is "
          + "enabled.");
    }
    requirePassword(account, registration.newPassword());
    // questions are kept (and their answers hashed) only where the account asks them
    var questions = verification == Verification.QUESTION ? hashQuestions(registration.securityQuestions())
        : List.<SecurityQuestion>of();
    return new CheckedRegistration(username, UserProfile.EMPTY.withNames(
        registration.firstName().filter(name -> !name.isBlank()),
        registration.lastName().filter(name -> !name.isBlank())).withContacts(email, phone), questions);
  }

  private static void requirePrintable(String field, Optional<String> value) {
    if (value.filter(text -> text.chars().anyMatch(Character::isISOControl)).isPresent()) {
      throw ApiError.invalidRequest(field + " must not contain control characters.");
    }
  }

  private static void requireFormats(Optional<String> email, Optional<String> phone) {
    if (email.filter(value -> !EMAIL.matcher(value).matches()).isPresent()) {
      throw ApiError.invalidRequest("Email address must be in a valid format.");
    }
    if (email.filter(value -> value.chars().anyMatch(Character::isISOControl)).isPresent()) {
      throw ApiError.invalidRequest("Email address must be in a valid format.");
    }
    if (phone.filter(value -> !PHONE.matcher(value).matches()).isPresent()) {
      throw ApiError.invalidRequest("Phone number must be in an international format.");
    }
  }

  private void requirePassword(Account account, Password password) {
    if (password == null || password.chars().length == 0) {
      throw ApiError.invalidRequest("New password is required.");
    }
    if (!account.signUp().allowsPassword(password)) {
      throw ApiError.invalidRequest("Password must be at least " + account.signUp().minPasswordLength()
          + " characters.");
    }
  }

  private List<SecurityQuestion> hashQuestions(List<QuestionAnswer> questions) {
    // every answer costs a hash: the count and the sizes are held before any is made
    if (questions.size() > MAX_QUESTIONS) {
      throw ApiError.invalidRequest("At most " + MAX_QUESTIONS + " security questions are allowed.");
    }
    var hashed = new ArrayList<SecurityQuestion>(questions.size());
    for (var each : questions) {
      if (each.question() == null || each.question().isBlank()) {
        throw ApiError.invalidRequest("Question text is required.");
      }
      if (each.answer() == null || each.answer().isBlank()) {
        throw ApiError.invalidRequest("Answer is required.");
      }
      if (each.question().length() > MAX_QUESTION_LENGTH || each.answer().length() > MAX_QUESTION_LENGTH) {
        throw ApiError.invalidRequest("Questions and answers must be at most " + MAX_QUESTION_LENGTH
            + " characters.");
      }
      requirePrintable("Question text", Optional.of(each.question()));
      requirePrintable("Answer", Optional.of(each.answer()));
    }
    for (var each : questions) {
      try (var answer = Password.of(normaliseAnswer(each.answer()))) {
        hashed.add(new SecurityQuestion(each.question().strip(), hasher.hash(answer)));
      }
    }
    return hashed;
  }

  /** Trimmed, NFKC, case-folded: "  Rex " and "rex" are one answer. */
  static String normaliseAnswer(String answer) {
    return Normalizer.normalize(answer.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }

  /** MeshyDB: a missing or zero attempt is the first. */
  private static int attempt(int attempt) {
    return Math.max(1, attempt);
  }

  private static String required(String value, String message) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalidRequest(message);
    }
    return value.strip();
  }
}
