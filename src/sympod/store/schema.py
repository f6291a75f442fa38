"""The SQLite schema of the pod (every table the emulator needs) and the column lists it implies."""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email TEXT COLLATE NOCASE,
    display_name TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    title TEXT,
    company TEXT,
    department TEXT,
    location TEXT,
    account_type TEXT NOT NULL DEFAULT 'NORMAL',   -- NORMAL | SYSTEM (bots) | SDL
    active INTEGER NOT NULL DEFAULT 1,
    public_key TEXT,                               -- PEM of the RSA key used for /login RS512 JWTs
    cert_subject TEXT,                             -- client-certificate common name for mTLS auth
    roles_json TEXT NOT NULL DEFAULT '[]',
    features_json TEXT NOT NULL DEFAULT '{}',
    avatar_url TEXT,
    created_at INTEGER NOT NULL,
    extra_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS users_email ON users(email);
CREATE INDEX IF NOT EXISTS users_cert_subject ON users(cert_subject);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                            -- session | keymanager
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL                    -- epoch ms
);
CREATE TABLE IF NOT EXISTS streams (
    stream_id TEXT PRIMARY KEY,
    stream_type TEXT NOT NULL,                     -- IM | MIM | ROOM | POST
    name TEXT,
    description TEXT,
    creator_id INTEGER,
    created_at INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    im_key TEXT UNIQUE,                            -- sorted member ids of an IM/MIM (idempotent create)
    attributes_json TEXT NOT NULL DEFAULT '{}',    -- room attributes (public, readOnly, keywords...)
    last_message_at INTEGER
);
CREATE TABLE IF NOT EXISTS stream_members (
    stream_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    owner INTEGER NOT NULL DEFAULT 0,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (stream_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stream_members_user ON stream_members(user_id);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    message TEXT NOT NULL,                         -- PresentationML
    message_ml TEXT,                               -- what the sender sent (MessageML)
    data TEXT,                                     -- EntityJSON string
    original_format TEXT NOT NULL DEFAULT 'com.symphony.messageml.v2',
    parent_message_id TEXT,
    suppressed INTEGER NOT NULL DEFAULT 0,
    extra_json TEXT NOT NULL DEFAULT '{}'          -- anything else of the V4Message (replacing, silent...)
);
CREATE INDEX IF NOT EXISTS messages_stream_time ON messages(stream_id, timestamp);
CREATE TABLE IF NOT EXISTS attachments (
    attachment_id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT,
    size INTEGER NOT NULL,
    is_preview INTEGER NOT NULL DEFAULT 0,
    content BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_message ON attachments(message_id);
CREATE INDEX IF NOT EXISTS attachments_stream ON attachments(stream_id);
CREATE TABLE IF NOT EXISTS datafeeds (
    feed_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,                      -- 1 | 2
    user_id INTEGER NOT NULL,
    tag TEXT,
    created_at INTEGER NOT NULL,
    last_read_at INTEGER
);
CREATE INDEX IF NOT EXISTS datafeeds_user ON datafeeds(user_id);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    initiator_id INTEGER,
    event_json TEXT NOT NULL                       -- the complete V4Event
);
CREATE TABLE IF NOT EXISTS feed_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    ack_id TEXT,                                   -- unused since leases live in memory (FeedQueue)
    lease_until INTEGER                            -- unused since leases live in memory (FeedQueue)
);
CREATE INDEX IF NOT EXISTS feed_events_feed ON feed_events(feed_id, seq);
-- leases (ackId, expiry) are kept in memory, not here: an index on ack_id only slowed every write
DROP INDEX IF EXISTS feed_events_ack;
CREATE TABLE IF NOT EXISTS connections (
    user_id INTEGER NOT NULL,                      -- the requester
    other_user_id INTEGER NOT NULL,                -- the requested user
    status TEXT NOT NULL,                          -- PENDING | ACCEPTED | REJECTED
    first_requested_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    request_counter INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, other_user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signals (
    signal_id TEXT PRIMARY KEY,
    owner_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    visible_on_profile INTEGER NOT NULL DEFAULT 0,
    company_wide INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS signal_subscribers (
    signal_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    pushed INTEGER NOT NULL DEFAULT 0,
    owner INTEGER NOT NULL DEFAULT 0,
    subscribed_at INTEGER NOT NULL,
    PRIMARY KEY (signal_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS presence (
    user_id INTEGER PRIMARY KEY,
    category TEXT NOT NULL,
    timestamp INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS faults (
    fault_id INTEGER PRIMARY KEY AUTOINCREMENT,
    path_regex TEXT NOT NULL,
    method TEXT,
    status INTEGER,
    delay_ms INTEGER,
    drop_connection INTEGER NOT NULL DEFAULT 0,
    times_left INTEGER,                            -- NULL = forever
    retry_after_s INTEGER                          -- Retry-After header of the status answer
);
"""

# columns added after a table's first release: (table, column, declaration); Store adds the
# ones missing in a work dir created by an older version
ADDED_COLUMNS = (("faults", "retry_after_s", "INTEGER"),)

# meta-table keys holding pod content, deleted by reset() (LIKE patterns): extension apps
# (domain/apps.py) and presence feeds (domain/presence.py); the rest (schema version, bot id) stays
RESET_META_PATTERNS = ("app:%", "presence_feed:%")

# tables emptied by reset(); users/sessions/meta are handled separately (the bot survives)
RESET_TABLES = (
    "streams",
    "stream_members",
    "messages",
    "attachments",
    "datafeeds",
    "events",
    "feed_events",
    "connections",
    "signals",
    "signal_subscribers",
    "presence",
    "faults",
)

USER_COLUMNS = (
    "user_id",
    "username",
    "email",
    "display_name",
    "first_name",
    "last_name",
    "title",
    "company",
    "department",
    "location",
    "account_type",
    "active",
    "public_key",
    "cert_subject",
    "roles_json",
    "features_json",
    "avatar_url",
    "created_at",
    "extra_json",
)
