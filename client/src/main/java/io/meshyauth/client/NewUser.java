package io.meshyauth.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user to register with a password (MeshyDB's RegisterUser). Which fields the account requires depends on how
 * it verifies new users: an e-mail address for {@code email}, a phone number in international format for
 * {@code text}, at least one security question for {@code question}.
 */
public record NewUser(String username, String newPassword, Optional<String> firstName, Optional<String> lastName,
    Optional<String> phoneNumber, Optional<String> emailAddress, List<SecurityQuestion> securityQuestions) {
  public NewUser {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(newPassword, "newPassword");
    securityQuestions = List.copyOf(securityQuestions);
  }

  public static Builder builder(String username, String newPassword) {
    return new Builder(username, newPassword);
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

    public NewUser build() {
      return new NewUser(username, newPassword, Optional.ofNullable(firstName), Optional.ofNullable(lastName),
          Optional.ofNullable(phoneNumber), Optional.ofNullable(emailAddress), securityQuestions);
    }
  }
}
