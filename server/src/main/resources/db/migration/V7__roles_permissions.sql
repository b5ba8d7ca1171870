-- MeshyDB's roles, permissions and permissibles as data (its roles/*, permissibles and users search). Until V6 a
-- role was a free-text name on a user; every such name becomes a role of its account here, with no permissions,
-- and every user keeps the roles it had. Two placeholders are the one difference between the databases (see
-- Dialect.migrationPlaceholders): ${newId} is a new random 24-hex id, and ${codePointOrder} makes PostgreSQL order
-- and compare the search keys by code point, as SQLite does, so that a prefix is a range of one index.

CREATE TABLE roles (
  account_name TEXT   NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  id           TEXT   NOT NULL,
  name         TEXT   NOT NULL, -- letters only, or a reserved system role beginning with "meshy."
  name_key     TEXT   NOT NULL, -- lower-cased (Locale.ROOT): what the search and "Role already exists." compare
  description  TEXT,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (account_name, id),
  UNIQUE (account_name, name),
  UNIQUE (account_name, name_key)
);

INSERT INTO roles (account_name, id, name, name_key, description, created_at)
SELECT account_name, ${newId}, role, lower(role), NULL, first_added
FROM (SELECT account_name, role, MIN(added_at) AS first_added FROM user_roles GROUP BY account_name, role) legacy;

-- a user's roles now name roles that exist: deleting a role ends its memberships, renaming it carries them along
CREATE TABLE user_roles_v7 (
  account_name TEXT   NOT NULL,
  user_id      TEXT   NOT NULL,
  role         TEXT   NOT NULL,
  added_at     BIGINT NOT NULL,
  PRIMARY KEY (account_name, user_id, role),
  FOREIGN KEY (account_name, user_id) REFERENCES users (account_name, id) ON DELETE CASCADE,
  FOREIGN KEY (account_name, role) REFERENCES roles (account_name, name) ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO user_roles_v7 (account_name, user_id, role, added_at)
SELECT account_name, user_id, role, added_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_v7 RENAME TO user_roles;
-- the search's roleId filter and a role's numberOfUsers
CREATE INDEX user_roles_by_role ON user_roles (account_name, role, user_id);

-- the app's own permissibles; the server's own (users, roles) are built in and never stored
CREATE TABLE permissibles (
  account_name TEXT    NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  can_create   BOOLEAN NOT NULL,
  can_read     BOOLEAN NOT NULL,
  can_update   BOOLEAN NOT NULL,
  can_delete   BOOLEAN NOT NULL,
  PRIMARY KEY (account_name, name)
);

CREATE TABLE role_permissions (
  account_name TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  role_id      TEXT    NOT NULL,
  permissible  TEXT    NOT NULL,
  can_create   BOOLEAN NOT NULL,
  can_read     BOOLEAN NOT NULL,
  can_update   BOOLEAN NOT NULL,
  can_delete   BOOLEAN NOT NULL,
  PRIMARY KEY (account_name, id),
  UNIQUE (account_name, role_id, permissible),
  FOREIGN KEY (account_name, role_id) REFERENCES roles (account_name, id) ON DELETE CASCADE
);

-- the user search: a name is a prefix of the username, the first or the last name, each a range of its own index.
-- The keys of existing users are written by JdbcStores after the migration, lower-cased as Java does it (SQLite's
-- lower() folds ASCII only).
ALTER TABLE users ADD COLUMN first_name_key TEXT ${codePointOrder};
ALTER TABLE users ADD COLUMN last_name_key TEXT ${codePointOrder};
${usernameKeyInCodePointOrder}
CREATE INDEX users_by_first_name ON users (account_name, first_name_key);
CREATE INDEX users_by_last_name ON users (account_name, last_name_key);
-- an unfiltered search counts its active users (totalRecords) from this index alone
CREATE INDEX users_by_active ON users (account_name, active);
