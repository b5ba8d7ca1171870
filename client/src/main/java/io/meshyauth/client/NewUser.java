package io.meshyauth.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user with a password: one to register (MeshyDB's RegisterUser), or one an administrator creates (MeshyDB's
 * NewUser, {@link UsersService#create}), which alone may say whether the user is {@code verified} and
 * {@code active} (neither unless said, as MeshyDB's; an inactive user cannot log in) and which roles, by name, it
 * holds. Which fields the account requires depends on how it verifies new users: an e-mail address for
 * {@code email}, a phone number in international format for {@code text}, at least one security question for
 * {@code question}.
 */
public record NewUser(String username, String newPassword, Optional<String> firstName, Optional<String> lastName,
    Optional<String> phoneNumber, Optional<String> emailAddress, List<SecurityQuestion> securityQuestions,
    boolean verified, boolean active, List<String> roles) {
  public NewUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(newPassword, "newPassword");
    securityQuestions = List.copyOf(securityQuestions);
    roles = List.copyOf(roles);
  }

  /** A user to register: neither verified nor active, holding no role. */
  public NewUser(String username, String newPassword, Optional<String> firstName, Optional<String> lastName,
      Optional<String> phoneNumber, Optional<String> emailAddress, List<SecurityQuestion> securityQuestions) {
    this(username, newPassword, firstName, lastName, phoneNumber, emailAddress, securityQuestions, false, false,
        List.of());
  }

  public static Builder builder(String username, String newPassword) {
    return new Builder(username, newPassword);
  }

  /** Whether only an administrator may create this user: it is verified, active or holds roles. */
  boolean administered() {
    return verified || active || !roles.isEmpty();
  }

  @Override
  public String toString() {
    return "NewUser[username=" + username + "]";
  }

  public static final class Builder {
    private final String username;
    private final String newPassword;
    private String firstName;
    private String lastName;
    private String phoneNumber;
    private String emailAddress;
    private final List<SecurityQuestion> securityQuestions = new ArrayList<>();
    private boolean verified;
    private boolean active;
    private final List<String> roles = new ArrayList<>();

    private Builder(String username, String newPassword) {
      this.username = Objects.requireNonNull(username, "username");
      this.newPassword = Objects.requireNonNull(newPassword, "newPassword");
    }

    public Builder firstName(String value) {
      this.firstName = value;
      return this;
    }

    public Builder lastName(String value) {
      this.lastName = value;
      return this;
    }

    /** International format, e.g. {@code +15555555555}. */
    public Builder phoneNumber(String value) {
      this.phoneNumber = value;
      return this;
    }

    public Builder emailAddress(String value) {
      this.emailAddress = value;
      return this;
    }

    public Builder securityQuestion(String question, String answer) {
      securityQuestions.add(new SecurityQuestion(question, answer));
      return this;
    }

    /** For {@link UsersService#create} only: whether the user starts verified. */
    public Builder verified(boolean value) {
      this.verified = value;
      return this;
    }

    /** For {@link UsersService#create} only: whether the user can log in at once. */
    public Builder active(boolean value) {
      this.active = value;
      return this;
    }

    /**
     * For {@link UsersService#create} only: a role to give, by name. The caller must hold {@code roles:update}, or
     * the role itself.
     */
    public Builder role(String name) {
      roles.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    public NewUser build() {
      return new NewUser(username, newPassword, Optional.ofNullable(firstName), Optional.ofNullable(lastName),
          Optional.ofNullable(phoneNumber), Optional.ofNullable(emailAddress), securityQuestions, verified, active,
          roles);
    }
  }
}
