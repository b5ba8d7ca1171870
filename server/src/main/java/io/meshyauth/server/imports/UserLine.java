package io.meshyauth.server.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meshyauth.server.store.UserProfile;
import io.meshyauth.server.store.Usernames;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One line of an import file: a MeshyDB user as JSON. Fields MeshyDB has and meshy-auth does not keep are ignored;
 * any other field makes the line malformed, so that a misspelt {@code isActive} cannot import an active user.
 */
record UserLine(String username, String key, Optional<String> passwordHash, boolean active, boolean verified,
    boolean anonymous, Optional<String> firstName, Optional<String> lastName, List<RoleLine> roles,
    List<String> permissions) {

  /** A role as named in the file, with the date it was given when the file has one. */
  record RoleLine(String name, Optional<Instant> addedAt) {
  }

  /** The line is not a user; the message names the field at fault and never quotes a value. */
  static final class MalformedLineException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedLineException(String message) {
      super(message, null, false, false);
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  private static final Set<String> KEPT = Set.of("username", "passwordHash", "firstName", "lastName", "roles",
      "permissions", "isActive", "verified", "anonymous");
  /** MeshyDB's user fields that have no place here. */
  private static final Set<String> IGNORED = Set.of("id", "emailAddress", "phoneNumber", "securityQuestions");
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

  static UserLine parse(byte[] line) throws MalformedLineException {
    JsonNode json;
    try {
      json = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the line, hash and all: only where it went wrong
      var at = e.getLocation();
      throw new MalformedLineException("not valid JSON" + (at == null ? "" : " (column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new MalformedLineException("not valid JSON");
    }
    if (json == null || !json.isObject()) {
      throw new MalformedLineException("not a JSON object");
    }
    for (var field : (Iterable<String>) json::fieldNames) {
      if (!KEPT.contains(field) && !IGNORED.contains(field)) {
        throw new MalformedLineException(unknownField(field, ""));
      }
    }
    var username = text(json, "username")
        .orElseThrow(() -> new MalformedLineException("\"username\" is missing"))
        .strip();
    String key;
    try {
      key = Usernames.normalise(username);
    } catch (IllegalArgumentException e) {
      throw new MalformedLineException("\"username\" is blank");
    }
    boolean anonymous = bool(json, "anonymous").orElse(false);
    var passwordHash = text(json, "passwordHash");
    if (anonymous && passwordHash.isPresent()) {
      throw new MalformedLineException("an anonymous user has no \"passwordHash\"");
    }
    if (!anonymous && passwordHash.isEmpty()) {
      throw new MalformedLineException("\"passwordHash\" is missing");
    }
    return new UserLine(username, key, passwordHash, bool(json, "isActive").orElse(true),
        bool(json, "verified").orElse(!anonymous), anonymous, name(json, "firstName"), name(json, "lastName"),
        roles(json), permissions(json));
  }

  UserProfile profile(Instant now) {
    return new UserProfile(firstName, lastName,
        roles.stream().map(role -> new UserProfile.Role(role.name(), role.addedAt().orElse(now))).toList(),
        permissions);
  }

  private static Optional<String> text(JsonNode json, String field) throws MalformedLineException {
    var value = json.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new MalformedLineException("\"" + field + "\" is not a string");
    }
    return Optional.of(value.textValue());
  }

  private static Optional<String> name(JsonNode json, String field) throws MalformedLineException {
    return text(json, field).map(String::strip).filter(name -> !name.isEmpty());
  }

  private static Optional<Boolean> bool(JsonNode json, String field) throws MalformedLineException {
    var value = json.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw new MalformedLineException("\"" + field + "\" is not true or false");
    }
    return Optional.of(value.booleanValue());
  }

  /** MeshyDB's {@code [{name, addedDate}]}, or plain names. */
  private static List<RoleLine> roles(JsonNode json) throws MalformedLineException {
    var roles = new ArrayList<RoleLine>();
    for (var role : array(json, "roles")) {
      if (role.isTextual()) {
        roles.add(new RoleLine(word(role.textValue(), "roles"), Optional.empty()));
      } else if (role.isObject()) {
        for (var field : (Iterable<String>) role::fieldNames) {
          if (!field.equals("name") && !field.equals("addedDate")) {
            throw new MalformedLineException(unknownField(field, " in \"roles\""));
          }
        }
        var name = text(role, "name").orElseThrow(() -> new MalformedLineException("a role has no \"name\""));
        var addedDate = text(role, "addedDate");
        roles.add(new RoleLine(word(name, "roles"),
            addedDate.isPresent() ? Optional.of(instant(addedDate.get())) : Optional.empty()));
      } else {
        throw new MalformedLineException("\"roles\" holds neither names nor {name, addedDate}");
      }
    }
    return roles;
  }

  private static List<String> permissions(JsonNode json) throws MalformedLineException {
    var permissions = new ArrayList<String>();
    for (var permission : array(json, "permissions")) {
      if (!permission.isTextual()) {
        throw new MalformedLineException("\"permissions\" holds something else than names");
      }
      permissions.add(word(permission.textValue(), "permissions"));
    }
    return permissions;
  }

  private static List<JsonNode> array(JsonNode json, String field) throws MalformedLineException {
    var value = json.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new MalformedLineException("\"" + field + "\" is not an array");
    }
    var elements = new ArrayList<JsonNode>();
    value.elements().forEachRemaining(elements::add);
    return elements;
  }

  /** As {@code users create --role} takes them: not blank, no white space around. */
  private static String word(String value, String field) throws MalformedLineException {
    if (value.isBlank() || !value.strip().equals(value)) {
      throw new MalformedLineException("\"" + field + "\" holds a blank name or one with white space around it");
    }
    return value;
  }

  /** ISO-8601 with an offset, or without one as UTC (as .NET writes a DateTime of unspecified kind). */
  private static Instant instant(String value) throws MalformedLineException {
    try {
      var parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value, OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime offset ? offset.toInstant()
          : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new MalformedLineException("\"addedDate\" of a role is not an ISO-8601 date and time");
    }
  }

  /** A field name quoted only when it looks like one: a key could be anything, a hash too. */
  private static String unknownField(String field, String where) {
    var named = FIELD_NAME.matcher(field).matches() ? "unknown field \"" + field + "\"" : "an unknown field";
    return named + where;
  }
}
