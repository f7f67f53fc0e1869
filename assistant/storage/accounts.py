"""AccountStore: accounts, their role grants and the sign-in failure counter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

from assistant.storage import tables as t
from assistant.storage.engine import Database, Tx, aware, new_id, now
from assistant.storage.records import Account

__all__ = ["AccountStore"]


class AccountStore:
    """Accounts with their grants ``(programme, group or "")``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        username: str,
        role: str,
        password_hash: str | None,
        *,
        participant_id: str | None = None,
        oidc_subject: str | None = None,
        grants: Iterable[tuple[str, str]] = (),
    ) -> int:
        """Create an account with its grants; return its id."""
        with self.db.transaction() as tx:
            user_id = new_id(
                tx.execute(
                    insert(t.users).values(
                        username=username,
                        role=role,
                        password_hash=password_hash,
                        participant_id=participant_id,
                        oidc_subject=oidc_subject,
                        created_at=now(),
                    )
                )
            )
            _put_grants(tx, user_id, grants)
        return user_id

    def set_role(self, username: str, role: str, grants: Iterable[tuple[str, str]]) -> bool:
        """Replace an account's role and grants; False when the account does not exist."""
        with self.db.transaction() as tx:
            found = tx.execute(select(t.users.c.id).where(t.users.c.username == username)).first()
            if found is None:
                return False
            tx.execute(update(t.users).where(t.users.c.id == found[0]).values(role=role))
            tx.execute(delete(t.role_grants).where(t.role_grants.c.user_id == found[0]))
            _put_grants(tx, int(found[0]), grants)
        return True

    def get(self, username: str) -> Account | None:
        """Return the account called ``username``, or None."""
        return self._one(t.users.c.username == username)

    def by_oidc(self, subject: str) -> Account | None:
        """Return the account registered for an OIDC subject (never a local user name)."""
        return self._one(t.users.c.oidc_subject == subject)

    def set_disabled(self, username: str, disabled: bool) -> bool:
        """Disable or enable an account; False when it does not exist."""
        with self.db.transaction() as tx:
            changed = tx.execute(
                update(t.users).where(t.users.c.username == username).values(disabled=disabled)
            ).rowcount
        return bool(changed)

    def delete(self, username: str) -> bool:
        """Delete an account with its grants (the person's data stays); False when unknown."""
        with self.db.transaction() as tx:
            found = tx.execute(select(t.users.c.id).where(t.users.c.username == username)).first()
            if found is None:
                return False
            tx.execute(delete(t.role_grants).where(t.role_grants.c.user_id == found[0]))
            tx.execute(delete(t.users).where(t.users.c.id == found[0]))
        return True

    def _one(self, condition: Any) -> Account | None:
        with self.db.read() as con:
            row = con.execute(select(t.users).where(condition)).first()
            if row is None:
                return None
            grants = con.execute(
                select(t.role_grants.c.programme, t.role_grants.c.group_name)
                .where(t.role_grants.c.user_id == row.id)
                .order_by(t.role_grants.c.programme, t.role_grants.c.group_name)
            ).all()
        return Account(
            username=str(row.username),
            role=str(row.role),
            participant_id=row.participant_id,
            oidc_subject=row.oidc_subject,
            password_hash=row.password_hash,
            grants=tuple((str(g[0]), str(g[1])) for g in grants),
            created_at=aware(row.created_at) if row.created_at else None,
            last_sign_in_at=aware(row.last_sign_in_at) if row.last_sign_in_at else None,
            disabled=bool(row.disabled),
        )

    def all(self) -> list[Account]:
        """Accounts by name."""
        with self.db.read() as con:
            names = [str(r[0]) for r in con.execute(select(t.users.c.username))]
        found = (self.get(n) for n in sorted(names))
        return [a for a in found if a is not None]

    def of_participant(self, participant_id: str) -> list[str]:
        """User names of the accounts that speak for ``participant_id``."""
        with self.db.read() as con:
            rows = con.execute(
                select(t.users.c.username).where(t.users.c.participant_id == participant_id)
            ).all()
        return sorted(str(r[0]) for r in rows)

    # -- sign-in ----------------------------------------------------------------------------

    def touch_sign_in(self, username: str, *, failures_of: str | None = None) -> None:
        """Record a successful sign-in and clear the failure counter.

        ``failures_of`` names the counter when it is kept under a keyed hash of the typed name.
        """
        with self.db.transaction() as tx:
            tx.execute(
                update(t.users).where(t.users.c.username == username).values(last_sign_in_at=now())
            )
            counted = failures_of or username
            tx.execute(delete(t.login_failures).where(t.login_failures.c.username == counted))

    def login_lock(self, username: str) -> datetime | None:
        """Return until when sign-in of ``username`` is locked (UTC), or None."""
        with self.db.read() as con:
            row = con.execute(
                select(t.login_failures.c.locked_until).where(
                    t.login_failures.c.username == username
                )
            ).first()
        return aware(row[0]) if row and row[0] else None

    def record_login_failure(
        self, username: str, max_failures: int, lock_for: timedelta, moment: datetime
    ) -> datetime | None:
        """Count a failed sign-in; from ``max_failures`` on lock for ``lock_for``.

        Returns the lock's end when this failure locked the name. Runs in one transaction, so
        concurrent processes count every failure.
        """
        with self.db.transaction() as tx:
            row = tx.execute(
                select(t.login_failures).where(t.login_failures.c.username == username)
            ).first()
            failures = (int(row.failures) if row else 0) + 1
            locked_until = moment + lock_for if failures >= max_failures else None
            values = {"failures": failures, "locked_until": locked_until, "updated_at": moment}
            if row is None:
                tx.execute(insert(t.login_failures).values(username=username, **values))
            else:
                if locked_until is not None:
                    values["failures"] = 0  # the lock is the consequence; count afresh after
                tx.execute(
                    update(t.login_failures)
                    .where(t.login_failures.c.username == username)
                    .values(**values)
                )
        return locked_until


def _put_grants(tx: Tx, user_id: int, grants: Iterable[tuple[str, str]]) -> None:
    rows = [{"user_id": user_id, "programme": p, "group_name": g} for p, g in sorted(set(grants))]
    if rows:
        tx.execute(insert(t.role_grants), rows)
