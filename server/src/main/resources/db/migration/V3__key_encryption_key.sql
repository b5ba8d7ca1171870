-- From here on signing_keys.private_jwk holds each private JWK encrypted as a JWE (RFC 7517 section 7) with a
-- key-encryption key kept in a file outside the database; a value starting with '{' is a clear JWK of an older
-- version, encrypted when the store is next opened.
-- The store remembers which key that is, by its RFC 7638 thumbprint (which reveals nothing of the key), so that
-- a node with another or a new key file refuses to start instead of writing keys the others cannot read.
CREATE TABLE key_encryption_key (
  id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), -- one row
  thumbprint TEXT    NOT NULL,
  created_at BIGINT  NOT NULL
);
