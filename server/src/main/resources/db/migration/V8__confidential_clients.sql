-- Confidential clients (RFC 6749 sections 2.1 and 2.3.1): a client may authenticate with a secret, of which it
-- holds at most two so that one can be rotated with no downtime, and may be limited to some grants and scopes.
-- Every client of V7 was public, and stays so: not confidential, no grants or scope of its own, no secrets.
-- The same on both databases: no placeholder is needed.

ALTER TABLE clients ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;
-- space-delimited grant types, as the document names them; NULL for a public client (every public grant)
ALTER TABLE clients ADD COLUMN grant_types TEXT;
-- space-delimited scope tokens within the account's; NULL for the account's own
ALTER TABLE clients ADD COLUMN scope TEXT;

-- at most two a client (Client.MAX_SECRETS): an add locks the client's row first, so two adds at once run in turn
CREATE TABLE client_secrets (
  account_name TEXT   NOT NULL,
  client_id    TEXT   NOT NULL,
  id           TEXT   NOT NULL, -- a short random name for the operator, not secret
  secret_hash  TEXT   NOT NULL, -- hex SHA-256 of the secret; the secret itself is never stored
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (account_name, client_id, id),
  FOREIGN KEY (account_name, client_id) REFERENCES clients (account_name, client_id) ON DELETE CASCADE
);
