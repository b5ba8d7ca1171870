-- One schema for SQLite and PostgreSQL, so one script serves both.
-- Instants are epoch milliseconds (UTC) and durations milliseconds, in BIGINT columns: SQLite has no
-- timestamp type, and integers compare alike in both. Booleans are BOOLEAN (SQLite stores 0 and 1).
-- Every key column is NOT NULL explicitly: SQLite would otherwise let a TEXT primary key be NULL.

CREATE TABLE accounts (
  name                      TEXT    NOT NULL PRIMARY KEY,
  allowed_scopes            TEXT    NOT NULL, -- space-delimited scope tokens (RFC 6749 section 3.3)
  access_token_lifetime_ms  BIGINT  NOT NULL CHECK (access_token_lifetime_ms > 0),
  refresh_token_lifetime_ms BIGINT  NOT NULL CHECK (refresh_token_lifetime_ms > 0), -- sliding: each token
  refresh_token_absolute_lifetime_ms BIGINT NOT NULL
      CHECK (refresh_token_absolute_lifetime_ms >= refresh_token_lifetime_ms), -- a family, counted from the login
  requests_per_minute       BIGINT  NOT NULL CHECK (requests_per_minute > 0),
  anonymous_registration    BOOLEAN NOT NULL
);

-- public clients (RFC 6749 section 2.1): a client_id is unique within its account
CREATE TABLE clients (
  account_name TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  client_id    TEXT NOT NULL,
  PRIMARY KEY (account_name, client_id)
);

CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  account_name  TEXT    NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  username_key  TEXT    NOT NULL, -- trimmed, Unicode NFC, lower-cased (Locale.ROOT): what a login compares
  username      TEXT    NOT NULL, -- as registered, for display
  password_hash TEXT,             -- self-describing hash string; NULL for anonymous users
  active        BOOLEAN NOT NULL,
  verified      BOOLEAN NOT NULL,
  anonymous     BOOLEAN NOT NULL,
  created_at    BIGINT  NOT NULL,
  UNIQUE (account_name, username_key),
  UNIQUE (account_name, id) -- what refresh tokens reference, so a token's user is of the token's account
);

-- every refresh token rotated from one login; revoking the family ends all of them (RFC 9700 section 4.14.2)
CREATE TABLE token_families (
  family_id    TEXT   NOT NULL PRIMARY KEY,
  account_name TEXT   NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT, -- last presentation of one of its tokens; rotation updates it first, locking the row
  revoked_at   BIGINT
);

CREATE TABLE refresh_tokens (
  token_hash        TEXT   NOT NULL PRIMARY KEY, -- SHA-256 of the token; the token itself is never stored
  family_id         TEXT   NOT NULL REFERENCES token_families (family_id) ON DELETE CASCADE,
  account_name      TEXT   NOT NULL,
  client_id         TEXT   NOT NULL,
  user_id           TEXT   NOT NULL,
  scope             TEXT   NOT NULL,
  issued_at         BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  family_expires_at BIGINT NOT NULL, -- the absolute lifetime, counted from the login
  rotated_at        BIGINT,
  FOREIGN KEY (account_name, client_id) REFERENCES clients (account_name, client_id) ON DELETE CASCADE,
  FOREIGN KEY (account_name, user_id) REFERENCES users (account_name, id) ON DELETE CASCADE
);

CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
-- deleting a user or a client finds its tokens through these (PostgreSQL does not index referencing columns)
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (account_name, user_id);
CREATE INDEX refresh_tokens_by_client ON refresh_tokens (account_name, client_id);

CREATE TABLE signing_keys (
  kid          TEXT   NOT NULL PRIMARY KEY,
  account_name TEXT   REFERENCES accounts (name) ON DELETE CASCADE, -- NULL: a key for every account
  algorithm    TEXT   NOT NULL,
  private_jwk  TEXT   NOT NULL, -- not encrypted at rest: protect the database like the key
  public_jwk   TEXT   NOT NULL,
  created_at   BIGINT NOT NULL, -- signs from here
  retire_after BIGINT NOT NULL, -- signs nothing from here on
  not_after    BIGINT NOT NULL, -- published until here, when no token it signed is still valid
  CHECK (retire_after <= not_after)
);

CREATE INDEX signing_keys_by_account ON signing_keys (account_name);
