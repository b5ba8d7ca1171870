package io.meshyauth.contracts;

/**
 * What the administration contracts and pact interactions write where the server makes a value of its own: access
 * tokens, of JWT shape with a payload that names the user ({@code {"sub": "ada"}}), so that the contract tests know
 * whose live token to send in their place; and the ids of roles and permissions, which every store makes anew. The
 * provider states answer the live ids ({@code roleId}, {@code permissionId}); the stubs answer these examples, and
 * take them back, so a consumer of the stubs finds an id in one answer and uses it in the next request. Users' ids
 * are fixed by the fixtures: {@code ContractFixtures.TARGET_USER_ID} and the others.
 */
public final class AdministrationExamples {
  /** The example bearer of ada, the administrator: {"alg":"ES256","kid":"k1"}, {"sub":"ada"}. */
  public static final String ADMIN_ACCESS_TOKEN =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";
  /** The example bearer of pat, who holds no role: {"sub":"pat"}. */
  public static final String PLAIN_USER_ACCESS_TOKEN =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJwYXQifQ.c2lnbmF0dXJl";
  /** The role editors and its permission on users. */
  public static final String EDITORS_ROLE_ID = "5c78cc81dd870827a8e7b6c4";
  public static final String EDITORS_PERMISSION_ID = "5c78cc81dd870827a8e7b6c5";
  /** The role drafts and its permission on meshes. */
  public static final String DRAFTS_ROLE_ID = "5c78cc81dd870827a8e7b6d0";
  public static final String DRAFTS_PERMISSION_ID = "5c78cc81dd870827a8e7b6d1";
  /** What the contracts create: a role and a permission. */
  public static final String NEW_ROLE_ID = "5c78cc81dd870827a8e7b6e0";
  public static final String NEW_PERMISSION_ID = "5c78cc81dd870827a8e7b6e1";
  /** A new user's id, which the server makes. */
  public static final String NEW_USER_ID = "0b5a3c1e-8f57-4a47-9d0c-2a2b4f7e9c11";
  /** When a user was given a role. */
  public static final String ADDED_DATE = "2026-12-06T12:00:00Z";
  /** What a role's or a permission's id looks like: 24 hex digits, as MeshyDB writes a Mongo ObjectId. */
  public static final String OBJECT_ID = "[0-9a-f]{24}";

  private AdministrationExamples() {
  }
}
