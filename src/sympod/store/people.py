"""Users and sessions (tokens) of the pod."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..ids import FIRST_USER_ID, now_ms
from .base import INT64_MAX, INT64_MIN, StoreBase
from .schema import USER_COLUMNS


class PeopleStore(StoreBase):
    """Users (the int64 ids, the read cache) and their tokens."""

    # ------------------------------------------------------------------ users
    def create_user(
        self,
        username: str,
        *,
        display_name: str | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        bot: bool = False,
        public_key: str | None = None,
        cert_subject: str | None = None,
        **extra_columns: Any,
    ) -> dict[str, Any]:
        """Insert a user and return its row; the caller checks uniqueness (a duplicate raises
        ``sqlite3.IntegrityError``). ``extra_columns`` may set title, company, department..."""
        unknown = set(extra_columns) - set(USER_COLUMNS)
        if unknown:
            raise ValueError(f"unknown user columns: {sorted(unknown)}")
        with self.transaction():
            row = self.query_one("SELECT MAX(user_id) AS last FROM users")
            last = row["last"] if row and row["last"] is not None else FIRST_USER_ID - 1
            user_id = max(last + 1, FIRST_USER_ID)
            values: dict[str, Any] = {
                "user_id": user_id,
                "username": username,
                "display_name": display_name or username,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "account_type": "SYSTEM" if bot else "NORMAL",
                "public_key": public_key,
                "cert_subject": cert_subject,
                "created_at": now_ms(),
                **extra_columns,
            }
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            self.execute(f"INSERT INTO users({columns}) VALUES({marks})", tuple(values.values()))
        created = self.get_user(user_id)
        assert created is not None
        return created

    def get_user(self, user_id: int) -> dict[str, Any] | None:
        cached = self._user_cache.get(user_id)
        if cached is not None:
            return dict(cached)  # a copy: callers may modify what they get
        if not INT64_MIN <= user_id <= INT64_MAX:
            return None  # cannot exist, and SQLite would raise OverflowError
        row = self.query_one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        if row is not None:
            self._user_cache[user_id] = dict(row)
        return row

    def get_user_by_username(self, username: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE username = ?", (username,))

    def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE email = ?", (email,))

    def get_user_by_cert_subject(self, subject: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE cert_subject = ?", (subject,))

    def find_user(self, ref: str | int) -> dict[str, Any] | None:
        """A user by id (int or digit string) or by username."""
        if isinstance(ref, int) and not isinstance(ref, bool):
            return self.get_user(ref)
        text = str(ref).strip()
        if text.isdigit():
            found = self.get_user(int(text))
            if found is not None:
                return found
        return self.get_user_by_username(text)

    def get_users(self, user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = [uid for uid in dict.fromkeys(user_ids) if INT64_MIN <= uid <= INT64_MAX]
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        rows = self.query(f"SELECT * FROM users WHERE user_id IN ({marks})", ids)
        return {row["user_id"]: row for row in rows}

    def list_users(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM users ORDER BY user_id")

    def update_user(self, user_id: int, **columns: Any) -> None:
        unknown = set(columns) - set(USER_COLUMNS)
        if unknown or "user_id" in columns:
            raise ValueError(f"cannot update user columns: {sorted(unknown | ({'user_id'} & set(columns)))}")
        if not columns:
            return
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self._user_cache.pop(user_id, None)
        self.execute(f"UPDATE users SET {assignments} WHERE user_id = ?", (*columns.values(), user_id))

    # ------------------------------------------------------------------ sessions
    def add_session(self, token: str, kind: str, user_id: int, expires_at: int) -> None:
        self.execute(
            "INSERT OR REPLACE INTO sessions(token, kind, user_id, created_at, expires_at) "
            "VALUES(?, ?, ?, ?, ?)",
            (token, kind, user_id, now_ms(), expires_at),
        )

    def get_session(self, token: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM sessions WHERE token = ?", (token,))

    def delete_sessions(self, user_id: int | None = None) -> None:
        """Invalidate every token (or those of one user)."""
        if user_id is None:
            self.execute("DELETE FROM sessions")
        else:
            self.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    def delete_expired_sessions(self) -> None:
        self.execute("DELETE FROM sessions WHERE expires_at < ?", (now_ms(),))
