"""The journal's tables, their version (SQLite's ``user_version``) and the migrations
that bring a journal written by an earlier version of the till up to date."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_pos.checkout.steps import INTENTS, SaleNote, StepKind, Unreadable, decode

TABLES = (
    """CREATE TABLE IF NOT EXISTS sale (
        id INTEGER PRIMARY KEY,
        started_at REAL NOT NULL,
        order_id TEXT,
        order_number TEXT,
        status TEXT NOT NULL DEFAULT 'active',
        note TEXT NOT NULL DEFAULT '{}',
        finished_at REAL,
        started_by INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS cart (
        sale_id INTEGER NOT NULL REFERENCES sale(id),
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        position INTEGER NOT NULL,
        PRIMARY KEY (sale_id, sku)
    )""",
    """CREATE TABLE IF NOT EXISTS step (
        id INTEGER PRIMARY KEY,
        sale_id INTEGER NOT NULL REFERENCES sale(id),
        kind TEXT NOT NULL,
        intent TEXT NOT NULL,
        result TEXT,
        state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
        sent_at REAL NOT NULL,
        ended_at REAL
    )""",
    """CREATE TABLE IF NOT EXISTS receipt (
        sale_id INTEGER PRIMARY KEY REFERENCES sale(id),
        document TEXT NOT NULL,
        day_id INTEGER REFERENCES day(id),
        cashier INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS printout (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        sale_id INTEGER REFERENCES sale(id),
        copy INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
        problem TEXT,
        partly INTEGER NOT NULL DEFAULT 0,
        sent_at REAL NOT NULL,
        ended_at REAL,
        day_id INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS day (
        id INTEGER PRIMARY KEY,
        opened_at REAL NOT NULL,
        opened_by INTEGER,
        float_amount INTEGER NOT NULL,
        float_counts TEXT,
        closed_at REAL,
        closed_by INTEGER,
        approved_by INTEGER,
        counted INTEGER,
        counts TEXT,
        expected INTEGER,
        note TEXT,
        report TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS cash_move (
        id INTEGER PRIMARY KEY,
        day_id INTEGER NOT NULL REFERENCES day(id),
        at REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL,
        cashier INTEGER,
        approved_by INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS approval (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        action TEXT NOT NULL,
        manager INTEGER NOT NULL,
        cashier INTEGER,
        sale_id INTEGER,
        detail TEXT NOT NULL DEFAULT '',
        day_id INTEGER REFERENCES day(id),
        after_day INTEGER NOT NULL DEFAULT 0
    )""",
)
"""The tables as this version makes them; a journal of an earlier version gains the
columns added since by its migrations (:data:`MIGRATIONS`), then :data:`INDEXES`."""

INDEXES = (
    "CREATE INDEX IF NOT EXISTS step_by_sale ON step (sale_id, kind)",
    "CREATE INDEX IF NOT EXISTS printout_by_sale ON printout (sale_id, kind)",
    "CREATE INDEX IF NOT EXISTS printout_by_day ON printout (day_id, kind)",
    "CREATE INDEX IF NOT EXISTS receipt_by_day ON receipt (day_id)",
    "CREATE INDEX IF NOT EXISTS cash_move_by_day ON cash_move (day_id)",
    # At most one day open: SQLite itself refuses a second (every open row indexes as 1).
    "CREATE UNIQUE INDEX IF NOT EXISTS one_open_day ON day ((closed_at IS NULL)) "
    "WHERE closed_at IS NULL",
)


def version(db: sqlite3.Connection) -> int:
    (found,) = db.execute("PRAGMA user_version").fetchone()
    return int(found)


def stored_version(path: Path) -> int | None:
    """The version of the journal at ``path``, read without writing to it; ``None``
    when SQLite cannot read it."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return version(db)
        finally:
            db.close()
    except sqlite3.Error:
        return None


def upgrade(db: sqlite3.Connection) -> None:
    """Make the tables, or migrate a journal of an earlier version, in one transaction
    (a crash midway leaves it as it was). The caller refuses a newer version first;
    :class:`Unreadable` when an old record cannot be read."""
    if version(db) >= CURRENT:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        found = version(db)  # again, in the transaction: another opener may have done it
        if found >= CURRENT:
            db.execute("COMMIT")
            return
        existed = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sale'").fetchone()
        for statement in TABLES:
            db.execute(statement)
        if existed:
            for migrate in MIGRATIONS[found:]:
                migrate(db)
        for statement in INDEXES:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {CURRENT}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


# --- version 0 (no version stamped) to 1: the typed records ---------------------------


_V0_DIFFERS = """
    SELECT id, kind, intent, result FROM step
    WHERE kind = 'attach_method'
       OR json_type(result, '$.order_gone') IS NOT NULL
       OR (kind IN ('add_items', 'remove_items') AND json_type(result, '$.read_back') = 'integer')
"""
"""The steps whose version-0 shape differs from their record's (the others are checked
as they are read, like every record)."""


def _from_v0(db: sqlite3.Connection) -> None:
    """Steps and notes as version 0 wrote them (plain JSON, some shapes differing) into
    the typed records of :mod:`tui_pos.checkout.steps`, each checked as it is written.
    Only what differs is rewritten, so a long history migrates in a moment."""
    try:
        rows = db.execute(_V0_DIFFERS).fetchall()
    except sqlite3.OperationalError as exc:  # e.g. "malformed JSON"
        raise Unreadable(f"a step is not JSON ({exc})") from exc
    for step_id, kind, intent, result in rows:
        where = f"step {step_id}"
        try:
            cls = INTENTS[StepKind(kind)]
        except ValueError:
            raise Unreadable(f"{where}: unknown kind {kind!r}") from None
        try:
            new_intent, new_result = _step_v0(kind, _json(intent, where), _json(result, where))
        except (KeyError, TypeError, ValueError) as exc:
            raise Unreadable(f"{where}: {kind} as version 0 never wrote it ({exc!r})") from exc
        intent_text = _checked(cls, new_intent, f"{where} intent")
        result_text = None if new_result is None else _checked(cls.RESULT, new_result, where)
        db.execute(
            "UPDATE step SET intent = ?, result = ? WHERE id = ?",
            (intent_text, result_text, step_id),
        )
    known = {item.name for item in dataclasses.fields(SaleNote)}
    for sale_id, note in db.execute("SELECT id, note FROM sale WHERE note != '{}'").fetchall():
        where = f"sale {sale_id} note"
        written = _json(note, where)
        if not isinstance(written, dict):
            raise Unreadable(f"{where}: not a record")
        kept = {key: value for key, value in written.items() if key in known}
        if kept != written:  # e.g. "tendered": the change says it now
            text = _checked(SaleNote, kept, where)
            db.execute("UPDATE sale SET note = ? WHERE id = ?", (text, sale_id))


def _step_v0(
    kind: str, intent: dict[str, Any], result: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if result is not None and "order_gone" in result:
        result = None  # the note holds the order that went
    if kind == StepKind.ATTACH_METHOD:
        method_id, target_id = intent["route"]
        intent = {"method_id": method_id, "target_id": target_id}
        result = None if result is None else {"read_back": "read_back" in result}
    if kind in (StepKind.ADD_ITEMS, StepKind.REMOVE_ITEMS) and result and "read_back" in result:
        result = {"units": result["read_back"], "read_back": True}
    return intent, result


def _json(text: str | None, where: str) -> Any:
    try:
        return None if text is None else json.loads(text)
    except ValueError:
        raise Unreadable(f"{where}: not JSON") from None


def _checked(cls: type, data: Any, where: str) -> str:
    text = json.dumps(data)
    decode(cls, text, where)
    return text


def _from_v1(db: sqlite3.Connection) -> None:
    """Version 2 adds the paid sales' receipts (the table is made by :data:`TABLES`):
    a sale paid before it has none."""


def _from_v2(db: sqlite3.Connection) -> None:
    """Version 3 adds the printouts (receipts printed, drawer openings; the table is made
    by :data:`TABLES`): nothing was printed before it."""


_V4_COLUMNS = (
    ("sale", "started_by INTEGER"),
    ("receipt", "day_id INTEGER REFERENCES day(id)"),
    ("receipt", "cashier INTEGER"),
    ("printout", "day_id INTEGER"),
)


def _from_v3(db: sqlite3.Connection) -> None:
    """Version 4 adds the shop's day (the tables ``day``, ``cash_move``, ``approval`` are
    made by :data:`TABLES`) and the columns that tie sales and printouts to it. The
    receipts written before it go into one day, number 1, opened at the earliest
    receipt's time with a float of 0 and left open (so are the printouts of then): the
    first close after the upgrade counts all of them. A journal without receipts gets
    no day. What a journal already has (a table made by :data:`TABLES` during this
    migration, a journal of version 4 stamped as earlier) is not added again."""
    for table, column in _V4_COLUMNS:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column.split()[0] not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    if db.execute("SELECT 1 FROM day").fetchone():
        return  # a journal of version 4 stamped as earlier: its days are kept
    try:
        (first,) = db.execute(
            "SELECT min(json_extract(document, '$.finished_at')) FROM receipt"
        ).fetchone()
    except sqlite3.OperationalError as exc:  # e.g. "malformed JSON"
        raise Unreadable(f"a receipt is not JSON ({exc})") from exc
    if first is None:
        return
    db.execute("INSERT INTO day (id, opened_at, float_amount) VALUES (1, ?, 0)", (first,))
    db.execute("UPDATE receipt SET day_id = 1")
    db.execute("UPDATE printout SET day_id = 1")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _from_v0,
    _from_v1,
    _from_v2,
    _from_v3,
)
"""``MIGRATIONS[n]`` brings version ``n`` to ``n + 1``."""
CURRENT = len(MIGRATIONS)
"""The version this till writes."""
