-- Sign-up and recovery (MeshyDB's users/register, verify, forgotpassword, resetpassword, me/questions): each
-- account's policy, the contacts a code goes to, and the security questions of question mode. The defaults are
-- what every account had before: no public registration, no verification.

ALTER TABLE accounts ADD COLUMN public_registration BOOLEAN NOT NULL DEFAULT FALSE;
-- none, email, text or question
ALTER TABLE accounts ADD COLUMN verification TEXT NOT NULL DEFAULT 'none';
ALTER TABLE accounts ADD COLUMN min_password_length INTEGER NOT NULL DEFAULT 8;
-- forgotpassword answers unknown usernames as known ones, and exists is refused
ALTER TABLE accounts ADD COLUMN hide_unknown_users BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE users ADD COLUMN email_address TEXT;
ALTER TABLE users ADD COLUMN phone_number TEXT;

-- in the order the user gave them: MeshyDB's attempt N asks question N
CREATE TABLE user_security_questions (
  account_name TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  position     INTEGER NOT NULL,
  question     TEXT    NOT NULL,
  answer_hash  TEXT    NOT NULL, -- Argon2id of the trimmed, case-folded answer
  PRIMARY KEY (account_name, user_id, position),
  FOREIGN KEY (account_name, user_id) REFERENCES users (account_name, id) ON DELETE CASCADE
);
