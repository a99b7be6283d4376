"""The crash-safe journal: SQLite in WAL mode with ``synchronous=FULL``.

Every step's intent is written (and synced) before its network call and its result
after, so that after a power cut the engine knows which calls may have run and reads
their outcome back instead of sending them again. The cart holds the quantities the
cashier asked for, so no scan is lost before the API has confirmed it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
CREATE TABLE IF NOT EXISTS cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
CREATE TABLE IF NOT EXISTS step (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    kind TEXT NOT NULL,
    intent TEXT NOT NULL,
    result TEXT,
    state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
    sent_at REAL NOT NULL,
    ended_at REAL
);
CREATE INDEX IF NOT EXISTS step_by_sale ON step (sale_id, kind);
"""


class JournalError(Exception):
    """The journal cannot be written (disk full, read-only, gone): no payment may start."""


class SaleStatus(StrEnum):
    ACTIVE = "active"
    INVOICE_PENDING = "invoice_pending"
    DONE = "done"
    SET_ASIDE = "set_aside"
    """Its order is gone from Afosto with money taken on it: kept for support."""


@dataclass(frozen=True)
class SaleRecord:
    id: int
    order_id: str | None
    order_number: str | None
    status: SaleStatus
    note: dict[str, Any]
    started_at: float


@dataclass(frozen=True)
class Step:
    """One network call: ``state`` is ``sent`` while its outcome is unknown."""

    id: int
    kind: str
    intent: dict[str, Any]
    result: dict[str, Any] | None
    state: str
    sent_at: float


class Journal:
    """One till's journal file; every write is a synced transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(_reason(exc, path)) from exc

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise JournalError(_reason(exc, self.path)) from exc

    def check_writable(self) -> None:
        """Prove a synced write works now; raises :class:`JournalError` when it does not."""
        with self._write() as db:
            db.execute("CREATE TABLE IF NOT EXISTS probe (at REAL)")
            db.execute("DELETE FROM probe")
            db.execute("INSERT INTO probe VALUES (?)", (time.time(),))

    # --- sales ---

    def new_sale(self) -> int:
        with self._write() as db:
            cursor = db.execute("INSERT INTO sale (started_at) VALUES (?)", (time.time(),))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def sale(self, sale_id: int) -> SaleRecord:
        row = self._db.execute(f"SELECT {_SALE_COLUMNS} FROM sale WHERE id = ?", (sale_id,))
        return _sale(row.fetchone())

    def active_sale(self) -> SaleRecord | None:
        """The newest sale that was not finished: the one to resume after a restart."""
        row = self._db.execute(
            f"SELECT {_SALE_COLUMNS} FROM sale WHERE status = 'active' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _sale(row)

    def pending_invoices(self) -> list[SaleRecord]:
        """Paid sales whose invoice is still to be made (the outbox)."""
        rows = self._db.execute(
            f"SELECT {_SALE_COLUMNS} FROM sale WHERE status = 'invoice_pending' ORDER BY id"
        )
        return [_sale(row) for row in rows]

    def set_aside_sales(self) -> list[SaleRecord]:
        """Sales kept for support: their order is gone from Afosto, money was taken."""
        rows = self._db.execute(
            f"SELECT {_SALE_COLUMNS} FROM sale WHERE status = 'set_aside' ORDER BY id"
        )
        return [_sale(row) for row in rows]

    def recent_sales(self, limit: int = 20) -> list[SaleRecord]:
        rows = self._db.execute(
            f"SELECT {_SALE_COLUMNS} FROM sale ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_sale(row) for row in rows]

    def set_order(self, sale_id: int, order_id: str, number: str) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE sale SET order_id = ?, order_number = ? WHERE id = ?",
                (order_id, number, sale_id),
            )

    def set_status(self, sale_id: int, status: SaleStatus) -> None:
        finished = time.time() if status is SaleStatus.DONE else None
        with self._write() as db:
            db.execute(
                "UPDATE sale SET status = ?, finished_at = ? WHERE id = ?",
                (status.value, finished, sale_id),
            )

    def update_note(self, sale_id: int, **values: Any) -> None:
        """Merge values into the sale's note (tendered cash, change, invoice numbers)."""
        with self._write() as db:
            (text,) = db.execute("SELECT note FROM sale WHERE id = ?", (sale_id,)).fetchone()
            note = json.loads(text) | values
            db.execute("UPDATE sale SET note = ? WHERE id = ?", (json.dumps(note), sale_id))

    # --- the cart the cashier asked for ---

    def set_quantity(self, sale_id: int, sku: str, quantity: int) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO cart (sale_id, sku, quantity, position) VALUES (?, ?, ?, "
                "(SELECT COUNT(*) FROM cart WHERE sale_id = ?)) "
                "ON CONFLICT (sale_id, sku) DO UPDATE SET quantity = excluded.quantity",
                (sale_id, sku, quantity, sale_id),
            )

    def cart(self, sale_id: int) -> dict[str, int]:
        """Wanted quantity per SKU, in the order first scanned (zero for voided lines)."""
        rows = self._db.execute(
            "SELECT sku, quantity FROM cart WHERE sale_id = ? ORDER BY position", (sale_id,)
        )
        return dict(rows.fetchall())

    # --- steps: intent before the call, result after ---

    def begin(self, sale_id: int, kind: str, intent: dict[str, Any]) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO step (sale_id, kind, intent, sent_at) VALUES (?, ?, ?, ?)",
                (sale_id, kind, json.dumps(intent), time.time()),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def end(self, step_id: int, result: dict[str, Any] | None = None, *, ok: bool = True) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE step SET result = ?, state = ?, ended_at = ? WHERE id = ?",
                (
                    None if result is None else json.dumps(result),
                    "done" if ok else "failed",
                    time.time(),
                    step_id,
                ),
            )

    def steps(self, sale_id: int, kind: str | None = None) -> list[Step]:
        query = f"SELECT {_STEP_COLUMNS} FROM step WHERE sale_id = ?"
        args: tuple[Any, ...] = (sale_id,)
        if kind is not None:
            query += " AND kind = ?"
            args += (kind,)
        return [_step(row) for row in self._db.execute(query + " ORDER BY id", args)]

    def step(self, step_id: int) -> Step:
        row = self._db.execute(f"SELECT {_STEP_COLUMNS} FROM step WHERE id = ?", (step_id,))
        return _step(row.fetchone())

    def unresolved(self, sale_id: int) -> list[Step]:
        """Steps sent whose outcome was never recorded: read their state back first."""
        return [step for step in self.steps(sale_id) if step.state == "sent"]


_SALE_COLUMNS = "id, order_id, order_number, status, note, started_at"
_STEP_COLUMNS = "id, kind, intent, result, state, sent_at"


def _sale(row: tuple[Any, ...]) -> SaleRecord:
    sale_id, order_id, number, status, note, started = row
    return SaleRecord(sale_id, order_id, number, SaleStatus(status), json.loads(note), started)


def _step(row: tuple[Any, ...]) -> Step:
    step_id, kind, intent, result, state, sent_at = row
    parsed = None if result is None else json.loads(result)
    return Step(step_id, kind, json.loads(intent), parsed, state, sent_at)


def _reason(exc: BaseException, path: Path) -> str:
    text = str(exc).lower()
    if "full" in text:
        return f"the disk holding {path} is full"
    if "readonly" in text or "read-only" in text or "permission" in text or _read_only(path):
        return f"{path} cannot be written (read-only)"
    return f"{path} cannot be written ({exc})"


def _read_only(path: Path) -> bool:
    """Whether the filesystem holding ``path`` is mounted read-only (SQLite then says only
    "unable to open database file")."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False
