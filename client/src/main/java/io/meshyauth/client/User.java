package io.meshyauth.client;

import io.meshyauth.client.generated.model.MeshyUser;
import io.meshyauth.client.generated.model.SecurityQuestionAsked;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A user as the server holds it (MeshyDB's User): the signed-in one from {@code users/me}, or any from the
 * account's {@link UsersService administration}. Unlike {@link CurrentUser} it is read by a request, and reflects
 * changes made since the access token was issued. The {@code with...} methods give the names and contacts to send
 * to {@link MeshyConnection#updateSelf(User)}, and, to {@link UsersService#update} only, whether the user is
 * active and verified; roles change only through {@link RolesService#addUsers} and
 * {@link RolesService#removeUsers}. Security questions are listed without their answers.
 */
public record User(String id, String username, Optional<String> firstName, Optional<String> lastName,
    Optional<String> phoneNumber, Optional<String> emailAddress, boolean verified, boolean active, boolean anonymous,
    List<UserRole> roles, List<String> securityQuestions) {
  public User {
    roles = List.copyOf(roles);
    securityQuestions = List.copyOf(securityQuestions);
  }

  public User withFirstName(String value) {
    return new User(id, username, Optional.ofNullable(value), lastName, phoneNumber, emailAddress, verified, active,
        anonymous, roles, securityQuestions);
  }

  public User withLastName(String value) {
    return new User(id, username, firstName, Optional.ofNullable(value), phoneNumber, emailAddress, verified, active,
        anonymous, roles, securityQuestions);
  }

  /** International format, e.g. {@code +15555555555}. */
  public User withPhoneNumber(String value) {
    return new User(id, username, firstName, lastName, Optional.ofNullable(value), emailAddress, verified, active,
        anonymous, roles, securityQuestions);
  }

  public User withEmailAddress(String value) {
    return new User(id, username, firstName, lastName, phoneNumber, Optional.ofNullable(value), verified, active,
        anonymous, roles, securityQuestions);
  }

  /** For {@link UsersService#update} only: an inactive user cannot log in, and its refresh tokens end. */
  public User withActive(boolean value) {
    return new User(id, username, firstName, lastName, phoneNumber, emailAddress, verified, value, anonymous, roles,
        securityQuestions);
  }

  /** For {@link UsersService#update} only. */
  public User withVerified(boolean value) {
    return new User(id, username, firstName, lastName, phoneNumber, emailAddress, value, active, anonymous, roles,
        securityQuestions);
  }

  static User of(MeshyUser user) {
    return new User(user.getId(), user.getUsername(), Optional.ofNullable(user.getFirstName()),
        Optional.ofNullable(user.getLastName()), Optional.ofNullable(user.getPhoneNumber()),
        Optional.ofNullable(user.getEmailAddress()), Boolean.TRUE.equals(user.getVerified()),
        Boolean.TRUE.equals(user.getIsActive()), Boolean.TRUE.equals(user.getAnonymous()),
        user.getRoles() == null ? List.of() : user.getRoles().stream()
            .map(role -> new UserRole(role.getName(),
                Optional.ofNullable(role.getAddedDate()).map(OffsetDateTime::toInstant).orElse(null)))
            .toList(),
        user.getSecurityQuestions() == null ? List.of() : user.getSecurityQuestions().stream()
            .map(SecurityQuestionAsked::getQuestion).toList());
  }
}
