-- MeshyDB's user profile: names, roles and permissions, which its SDKs read from the access token's claims
-- (given_name, family_name, role, permission) and from GET users/me. V4 rather than V3: numbered to stay clear
-- of migrations written in parallel on other branches.

ALTER TABLE users ADD COLUMN first_name TEXT;
ALTER TABLE users ADD COLUMN last_name TEXT;

-- MeshyDB's roles carry the date they were given ({name, addedDate})
CREATE TABLE user_roles (
  account_name TEXT   NOT NULL,
  user_id      TEXT   NOT NULL,
  role         TEXT   NOT NULL,
  added_at     BIGINT NOT NULL,
  PRIMARY KEY (account_name, user_id, role),
  FOREIGN KEY (account_name, user_id) REFERENCES users (account_name, id) ON DELETE CASCADE
);

CREATE TABLE user_permissions (
  account_name TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  permission   TEXT NOT NULL,
  PRIMARY KEY (account_name, user_id, permission),
  FOREIGN KEY (account_name, user_id) REFERENCES users (account_name, id) ON DELETE CASCADE
);
