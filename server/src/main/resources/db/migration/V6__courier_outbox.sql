-- The courier's outbox: verification and password-reset codes waiting to be delivered, and what became of them.
-- V6: V5 is taken by work written in parallel.
--
-- The message itself (address, username, code, rendered subject and text) is kept only while it waits, encrypted
-- as the private signing keys are (a JWE, dir with A256GCM, under the key-encryption key; its protected header
-- names the row's id, so a ciphertext moved to another row does not decrypt). Once it is sent, or given up, the
-- ciphertext is deleted and the row keeps metadata only: the CHECK below holds the table to that.
CREATE TABLE courier_messages (
  id              TEXT    NOT NULL PRIMARY KEY, -- a random UUID, chosen before the message is encrypted
  account_name    TEXT    NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  kind            TEXT    NOT NULL, -- verify_email, verify_text, reset_email, reset_text
  channel         TEXT    NOT NULL, -- email or text: how the recipient is reached
  recipient_hint  TEXT    NOT NULL, -- the address masked (a***@example.com, ***89), for logs and the CLI
  status          TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        INTEGER NOT NULL CHECK (attempts >= 0), -- counted when a node claims the message
  next_attempt_at BIGINT  NOT NULL, -- queued: due from here; a claim moves it one lease ahead
  last_error      TEXT,
  created_at      BIGINT  NOT NULL,
  sent_at         BIGINT,
  sealed_message  TEXT, -- the encrypted message while queued, NULL after
  CHECK ((status = 'queued') = (sealed_message IS NOT NULL))
);

-- what the dispatchers ask for: the queued messages that are due, soonest first
CREATE INDEX courier_messages_due ON courier_messages (status, next_attempt_at);
-- deleting an account finds its messages through this (PostgreSQL does not index referencing columns)
CREATE INDEX courier_messages_by_account ON courier_messages (account_name);
