"""The crash-safe journal: SQLite in WAL mode with ``synchronous=FULL``.

Every step's intent is written (and synced) before its network call and its result
after, so that after a power cut the engine knows which calls may have run and reads
their outcome back instead of sending them again. The cart holds the quantities the
cashier asked for, so no scan is lost before the API has confirmed it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, overload

from tui_pos.checkout import schema
from tui_pos.checkout.printouts import PrintKind, Printout, PrintState
from tui_pos.checkout.receipt import Receipt
from tui_pos.checkout.steps import (
    INTENTS,
    I,
    Intent,
    R,
    Result,
    SaleNote,
    Step,
    StepKind,
    StepState,
    Unreadable,
    decode,
    encode,
)


class JournalProblem(StrEnum):
    """Why the journal cannot be used: the cashier's words are chosen by it."""

    FULL = "on a full disk"
    READ_ONLY = "on a read-only disk"
    DAMAGED = "damaged"
    LOCKED = "locked by another program"
    NEWER = "written by a newer version of the till"
    UNWRITABLE = "cannot be written"


class JournalError(Exception):
    """The journal cannot be used (disk full, read-only, damaged): no payment may start.
    ``reason`` picks the cashier's words; ``str()`` is ``detail``, for the log and the
    doctor (it names the file)."""

    def __init__(self, reason: JournalProblem, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


JOURNAL_NAME = "journal.sqlite3"
"""The journal's file in the till's ``state_dir``."""
REPAIR = "run `tui-pos journal check`, then `tui-pos journal set-aside`"
"""What support runs for a damaged journal (see :func:`set_aside`)."""


class JournalDamaged(JournalError):
    """SQLite cannot read the journal, or it was there and is now empty or missing: the
    till must not start a fresh one over it (the sale in progress and the invoices
    still to make are in it)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(JournalProblem.DAMAGED, f"{path} {what}")


def marker_path(path: Path) -> Path:
    """The file that says a journal was made at ``path`` (written once its tables are):
    a journal missing or empty beside it was lost, not never made. A crash before the
    first journal was whole leaves no marker, so that empty file is taken as new."""
    return path.with_name(path.name + ".created")


def lost(path: Path) -> str | None:
    """Why the journal at ``path`` was there and is lost (missing or empty), else None."""
    if not marker_path(path).exists():
        return None
    if not path.exists():
        return "is missing, though the till kept its records there"
    if path.stat().st_size == 0:
        return "is empty (0 bytes), though it held the till's records"
    return None


def damage(db: sqlite3.Connection) -> str | None:
    """What SQLite's ``quick_check`` finds wrong with the open database, else None."""
    rows = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    if rows == ["ok"]:
        return None
    found = " ".join(" ".join(rows).replace("*** in database main ***", "").split())
    return f"is damaged (SQLite finds: {found[:120]})"


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
    note: SaleNote
    started_at: float
    started_by: int | None = None
    """The number of the cashier who started it (``None``: a till without cashiers)."""


class Journal:
    """One till's journal file; every write is a synced transaction."""

    def __init__(self, path: Path) -> None:
        """Open (or make) the journal at ``path``: :class:`JournalDamaged` when SQLite
        cannot read it whole or it was there and is lost (:func:`lost`), and
        :class:`JournalError` when it cannot be written."""
        self.path = path
        gone = lost(path)
        if gone is not None:
            raise JournalDamaged(path, gone)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            found = damage(self._db)  # before anything is written to it
            if found is not None:
                self._db.close()
                raise JournalDamaged(path, found)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            version = schema.version(self._db)
            if version > schema.CURRENT:
                self._db.close()
                raise JournalError(
                    JournalProblem.NEWER,
                    f"{path} was written by a newer version of the till (journal version "
                    f"{version}; this one reads up to {schema.CURRENT})",
                )
            schema.upgrade(self._db)
        except Unreadable as exc:
            self._db.close()
            raise JournalDamaged(path, f"holds a record the till cannot read ({exc})") from exc
        except (sqlite3.Error, OSError) as exc:
            if hasattr(self, "_db"):
                self._db.close()
            if _damaged(exc):
                raise JournalDamaged(path, f"is damaged (SQLite says: {exc})") from exc
            raise JournalError(*_reason(exc, path)) from exc
        _mark(path)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                rollback(self._db)
                raise
        except sqlite3.Error as exc:
            raise JournalError(*_reason(exc, self.path)) from exc

    def _query(self, sql: str, *args: Any) -> list[Any]:
        """The rows of a read; a journal that cannot be read raises :class:`JournalError`."""
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise JournalError(*_reason(exc, self.path)) from exc

    def _first(self, sql: str, *args: Any) -> Any:
        rows = self._query(sql, *args)
        return rows[0] if rows else None

    def check_writable(self) -> None:
        """Prove a synced write works now; raises :class:`JournalError` when it does not."""
        with self._write() as db:
            db.execute("CREATE TABLE IF NOT EXISTS probe (at REAL)")
            db.execute("DELETE FROM probe")
            db.execute("INSERT INTO probe VALUES (?)", (time.time(),))

    # --- sales ---

    def new_sale(self, started_by: int | None = None) -> int:
        """A new sale, started by cashier number ``started_by``."""
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO sale (started_at, started_by) VALUES (?, ?)",
                (time.time(), started_by),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def set_started_by(self, sale_id: int, cashier: int | None) -> None:
        """Who starts sale ``sale_id``: the cashier signed in while it is still empty
        (a sale is made ahead of its first scan, before anyone signed in)."""
        with self._write() as db:
            db.execute("UPDATE sale SET started_by = ? WHERE id = ?", (cashier, sale_id))

    def sale(self, sale_id: int) -> SaleRecord:
        return self._sale(self._first(f"SELECT {_SALE_COLUMNS} FROM sale WHERE id = ?", sale_id))

    def active_sale(self) -> SaleRecord | None:
        """The newest sale that was not finished: the one to resume after a restart."""
        row = self._first(
            f"SELECT {_SALE_COLUMNS} FROM sale WHERE status = 'active' ORDER BY id DESC LIMIT 1"
        )
        return None if row is None else self._sale(row)

    def pending_invoices(self) -> list[SaleRecord]:
        """Paid sales whose invoice is still to be made (the outbox)."""
        rows = self._query(
            f"SELECT {_SALE_COLUMNS} FROM sale WHERE status = 'invoice_pending' ORDER BY id"
        )
        return [self._sale(row) for row in rows]

    def set_aside_sales(self) -> list[SaleRecord]:
        """Sales kept for support: their order is gone from Afosto, money was taken."""
        rows = self._query(
            f"SELECT {_SALE_COLUMNS} FROM sale WHERE status = 'set_aside' ORDER BY id"
        )
        return [self._sale(row) for row in rows]

    def recent_sales(self, limit: int = 20) -> list[SaleRecord]:
        rows = self._query(f"SELECT {_SALE_COLUMNS} FROM sale ORDER BY id DESC LIMIT ?", limit)
        return [self._sale(row) for row in rows]

    def set_order(self, sale_id: int, order_id: str, number: str) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE sale SET order_id = ?, order_number = ? WHERE id = ?",
                (order_id, number, sale_id),
            )

    def set_status(
        self, sale_id: int, status: SaleStatus, *, receipt: Receipt | None = None
    ) -> None:
        """The sale's status; a paid sale's ``receipt`` with it, unless it has one. The
        receipt goes into the open day (one is opened when none is: :func:`day_for`), so
        the sale counts in the day it was paid in, once: a sale resumed after a restart
        keeps its first receipt, in that receipt's day."""
        now = time.time()
        finished = now if status is SaleStatus.DONE else None
        with self._write() as db:
            db.execute(
                "UPDATE sale SET status = ?, finished_at = ? WHERE id = ?",
                (status.value, finished, sale_id),
            )
            had = db.execute("SELECT 1 FROM receipt WHERE sale_id = ?", (sale_id,)).fetchone()
            if receipt is not None and had is None:
                db.execute(
                    "INSERT INTO receipt (sale_id, document, day_id, cashier) VALUES (?, ?, ?, ?)",
                    (sale_id, encode(receipt), day_for(db, now), receipt.cashier),
                )

    def note(self, sale_id: int) -> SaleNote:
        return self.sale(sale_id).note

    def edit_note(self, sale_id: int, edit: Callable[[SaleNote], SaleNote]) -> SaleNote:
        """Change the sale's note in one synced transaction; returns the new note."""
        with self._write() as db:
            (text,) = db.execute("SELECT note FROM sale WHERE id = ?", (sale_id,)).fetchone()
            note = edit(self._read(SaleNote, text, f"sale {sale_id} note"))
            db.execute("UPDATE sale SET note = ? WHERE id = ?", (encode(note), sale_id))
        return note

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
        rows = self._query(
            "SELECT sku, quantity FROM cart WHERE sale_id = ? ORDER BY position", sale_id
        )
        return dict(rows)

    # --- receipts ---

    def receipt(self, sale_id: int | None = None) -> Receipt | None:
        """The receipt of sale ``sale_id`` (else of the newest paid sale), with the
        invoice as the sale's note has it now (the outbox may have made it since)."""
        if sale_id is None:
            row = self._first("SELECT sale_id, document FROM receipt ORDER BY sale_id DESC LIMIT 1")
        else:
            row = self._first("SELECT sale_id, document FROM receipt WHERE sale_id = ?", sale_id)
        if row is None:
            return None
        receipt = self._read(Receipt, row[1], f"sale {row[0]} receipt")
        note = self.note(row[0])  # the truth for the invoice: it may come after the receipt
        return replace(receipt, invoice_number=note.invoice_number, invoice_url=note.invoice_url)

    def begin_printout(self, kind: PrintKind, sale_id: int | None, *, copy: bool = False) -> int:
        """Journal a printout (or a drawer opening) before it goes to the printer. A
        drawer opening belongs to the open day (one is opened when none is, as for a
        sale: :func:`day_for`); a receipt or a report to the open day, if one is (a
        reprint or the Z printed after the close opens no day)."""
        now = time.time()
        with self._write() as db:
            opens = kind in (PrintKind.DRAWER, PrintKind.NO_SALE, PrintKind.CASH_MOVE)
            day = day_for(db, now) if opens else open_day(db)
            cursor = db.execute(
                "INSERT INTO printout (kind, sale_id, copy, sent_at, day_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind.value, sale_id, int(copy), now, day),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def end_printout(
        self, printout_id: int, problem: str | None = None, *, partly: bool = False
    ) -> None:
        """How it went: done (``problem`` None), or failed, perhaps ``partly`` printed."""
        state = PrintState.DONE if problem is None else PrintState.FAILED
        with self._write() as db:
            db.execute(
                "UPDATE printout SET state = ?, problem = ?, partly = ?, ended_at = ? WHERE id = ?",
                (state.value, problem, int(partly), time.time(), printout_id),
            )

    def printouts(
        self, sale_id: int | None = None, *, kind: PrintKind | None = None, limit: int = 50
    ) -> list[Printout]:
        """The newest printouts first: of one sale, or of the till."""
        query, args = f"SELECT {_PRINTOUT_COLUMNS} FROM printout WHERE 1", list[Any]()
        if sale_id is not None:
            query, args = query + " AND sale_id = ?", [*args, sale_id]
        if kind is not None:
            query, args = query + " AND kind = ?", [*args, kind.value]
        rows = self._query(query + " ORDER BY id DESC LIMIT ?", *args, limit)
        return [self._printout(row) for row in rows]

    # --- steps: intent before the call, result after ---

    def begin(self, sale_id: int, intent: Intent) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO step (sale_id, kind, intent, sent_at) VALUES (?, ?, ?, ?)",
                (sale_id, intent.KIND.value, encode(intent), time.time()),
            )
        assert cursor.lastrowid is not None  # SQLite gives every inserted row one
        return cursor.lastrowid

    def end(self, step_id: int, result: Result | None = None, *, ok: bool = True) -> None:
        state = StepState.DONE if ok else StepState.FAILED
        with self._write() as db:
            db.execute(
                "UPDATE step SET result = ?, state = ?, ended_at = ? WHERE id = ?",
                (None if result is None else encode(result), state.value, time.time(), step_id),
            )

    @overload
    def steps(self, sale_id: int) -> list[Step[Intent]]: ...
    @overload
    def steps(self, sale_id: int, kind: type[I]) -> list[Step[I]]: ...
    def steps(self, sale_id: int, kind: type[Any] | None = None) -> list[Step[Any]]:
        query = f"SELECT {_STEP_COLUMNS} FROM step WHERE sale_id = ?"
        args: tuple[Any, ...] = (sale_id,)
        if kind is not None:
            query += " AND kind = ?"
            args += (kind.KIND.value,)
        return [self._step(row) for row in self._query(query + " ORDER BY id", *args)]

    def step(self, step_id: int) -> Step[Intent]:
        return self._step(self._first(f"SELECT {_STEP_COLUMNS} FROM step WHERE id = ?", step_id))

    def unresolved(self, sale_id: int) -> list[Step[Intent]]:
        """Steps sent whose outcome was never recorded: read their state back first."""
        rows = self._query(
            f"SELECT {_STEP_COLUMNS} FROM step WHERE sale_id = ? AND state = 'sent' ORDER BY id",
            sale_id,
        )
        return [self._step(row) for row in rows]

    # --- reading rows as records ---

    def _read(self, cls: type[R], text: str, where: str) -> R:
        try:
            return decode(cls, text, where)
        except Unreadable as exc:
            raise JournalDamaged(self.path, f"holds a record the till cannot read ({exc})") from exc

    def _sale(self, row: tuple[Any, ...]) -> SaleRecord:
        sale_id, order_id, number, status, note, started, started_by = row
        try:
            sale_status = SaleStatus(status)
        except ValueError:
            raise JournalDamaged(self.path, f"has sale {sale_id} in status {status!r}") from None
        parsed = self._read(SaleNote, note, f"sale {sale_id} note")
        return SaleRecord(sale_id, order_id, number, sale_status, parsed, started, started_by)

    def _printout(self, row: tuple[Any, ...]) -> Printout:
        printout_id, kind, sale_id, copy, state, problem, partly, sent_at = row
        try:
            return Printout(
                printout_id,
                PrintKind(kind),
                sale_id,
                bool(copy),
                PrintState(state),
                problem,
                bool(partly),
                sent_at,
            )
        except ValueError:
            what = f"has printout {printout_id} of kind {kind!r}"
            raise JournalDamaged(self.path, what) from None

    def _step(self, row: tuple[Any, ...]) -> Step[Any]:
        step_id, kind, intent, result, state, sent_at = row
        where = f"step {step_id}"
        try:
            cls = INTENTS[StepKind(kind)]
        except ValueError:
            raise JournalDamaged(self.path, f"has {where} of unknown kind {kind!r}") from None
        return Step(
            step_id,
            self._read(cls, intent, f"{where} {kind} intent"),
            None if result is None else self._read(cls.RESULT, result, f"{where} {kind} result"),
            StepState(state),
            sent_at,
        )


_SALE_COLUMNS = "id, order_id, order_number, status, note, started_at, started_by"
_PRINTOUT_COLUMNS = "id, kind, sale_id, copy, state, problem, partly, sent_at"
_STEP_COLUMNS = "id, kind, intent, result, state, sent_at"


def open_day(db: sqlite3.Connection) -> int | None:
    """The number of the open day, if one is."""
    row = db.execute("SELECT id FROM day WHERE closed_at IS NULL").fetchone()
    return None if row is None else int(row[0])


def day_for(db: sqlite3.Connection, at: float) -> int:
    """The number of the open day; when none is, in the caller's transaction, a day
    opened at ``at`` by nobody with a float of 0: what the till takes or hands out
    belongs to exactly one day."""
    found = open_day(db)
    if found is not None:
        return found
    cursor = db.execute("INSERT INTO day (opened_at, float_amount) VALUES (?, 0)", (at,))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def rollback(db: sqlite3.Connection) -> None:
    """Undo the open transaction, if SQLite has not undone it itself (it does on a full
    disk); never hiding the error that led here."""
    if db.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")


def _damaged(exc: BaseException) -> bool:
    """Whether SQLite says the file is no (whole) database: corrupt or not one at all."""
    return _BY_CODE.get(_primary_code(exc)) is JournalProblem.DAMAGED


def _mark(path: Path) -> None:
    """Write :func:`marker_path` once the journal holds its tables (best effort: on a
    full disk the journal says so itself at its first write)."""
    marker = marker_path(path)
    if marker.exists():
        return
    try:
        with marker.open("w") as out:
            out.write(
                f"The till's journal {path.name} was made here on "
                f"{time.strftime('%Y-%m-%d %H:%M:%S')}. If it goes missing or empty the "
                f"till will not start over it; support: {REPAIR}.\n"
            )
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        pass


_BY_CODE = {
    sqlite3.SQLITE_FULL: JournalProblem.FULL,
    sqlite3.SQLITE_READONLY: JournalProblem.READ_ONLY,
    sqlite3.SQLITE_PERM: JournalProblem.READ_ONLY,
    sqlite3.SQLITE_BUSY: JournalProblem.LOCKED,
    sqlite3.SQLITE_LOCKED: JournalProblem.LOCKED,
    sqlite3.SQLITE_CORRUPT: JournalProblem.DAMAGED,
    sqlite3.SQLITE_NOTADB: JournalProblem.DAMAGED,
}
"""SQLite's primary result codes (extended ones reduce to them) that say why."""
_BY_ERRNO = {
    errno.ENOSPC: JournalProblem.FULL,
    errno.EDQUOT: JournalProblem.FULL,
    errno.EROFS: JournalProblem.READ_ONLY,
    errno.EACCES: JournalProblem.READ_ONLY,
    errno.EPERM: JournalProblem.READ_ONLY,
}


def _primary_code(exc: BaseException) -> int:
    """SQLite's primary result code of ``exc`` (0, SQLITE_OK, when it has none)."""
    code: int | None = getattr(exc, "sqlite_errorcode", None)
    return 0 if code is None else code & 0xFF


def _reason(exc: BaseException, path: Path) -> tuple[JournalProblem, str]:
    """Why ``exc`` (from SQLite, or the OS) keeps the journal at ``path`` from being
    used, by SQLite's result code or the OS's errno, and the detail for the log. SQLite
    cannot open a file on a read-only filesystem, and says only that."""
    if isinstance(exc, OSError):
        reason = _BY_ERRNO.get(exc.errno or 0, JournalProblem.UNWRITABLE)
    else:
        reason = _BY_CODE.get(_primary_code(exc), JournalProblem.UNWRITABLE)
    if reason is JournalProblem.UNWRITABLE and _read_only(path):
        reason = JournalProblem.READ_ONLY
    detail = {
        JournalProblem.FULL: f"the disk holding {path} is full",
        JournalProblem.READ_ONLY: f"{path} cannot be written (read-only)",
        JournalProblem.LOCKED: f"{path} is locked by another program ({exc})",
        JournalProblem.DAMAGED: f"{path} is damaged (SQLite says: {exc})",
    }.get(reason, f"{path} cannot be written ({exc})")
    return reason, detail


def _read_only(path: Path) -> bool:
    """Whether the filesystem holding ``path`` is mounted read-only (SQLite then says only
    "unable to open database file")."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


# --- a damaged journal: checked, and set aside with what it still says ----------------


@dataclass(frozen=True)
class Unfinished:
    """A sale read from a damaged journal that was not finished: support finishes its
    order at Afosto (``order_id`` may be unknown when only the raw bytes were read)."""

    sale_id: int | None
    order_id: str | None
    order_number: str | None
    status: str
    started_at: float | None
    cart: dict[str, int]


def check(path: Path, *, in_use: bool = False) -> str | None:
    """What is wrong with the journal at ``path`` (as :class:`JournalDamaged` says it),
    or ``None`` when it is sound. Reads a copy, so that a damaged file is left as it is;
    ``in_use`` (a till has it open) reads the file itself, alongside the till, as a copy
    taken mid-write could be torn."""
    gone = lost(path)
    if gone is not None:
        return gone
    with tempfile.TemporaryDirectory(prefix="tui-pos-check-") as scratch:
        target = path if in_use else _copy(path, Path(scratch))
        try:
            db = sqlite3.connect(target, timeout=5)
            try:
                return damage(db)
            finally:
                db.close()
        except sqlite3.Error as exc:
            if _damaged(exc):
                return f"is damaged (SQLite says: {exc})"
            return f"cannot be read ({exc})"


def set_aside(path: Path, now: float | None = None) -> tuple[list[Path], list[Unfinished], str]:
    """Rename the journal at ``path`` and its side files (``-wal``, ``-shm``, the
    marker) to ``<name>.damaged-<time>...`` in the same directory (nothing is deleted),
    so that the till starts a fresh one; then read what it can of the unfinished sales
    from a copy. Returns the new names, those sales, and how they were read. The till
    must not be running (the caller holds the state directory's lock)."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(now))
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    moved = []
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            target = aside.with_name(aside.name + suffix)
            source.rename(target)
            moved.append(target)
    marker = marker_path(path)
    if marker.exists():
        target = aside.with_name(aside.name + ".created")
        marker.rename(target)
        moved.append(target)
    _sync_dir(path.parent)
    sales, how = salvage(aside)
    return moved, sales, how


def salvage(path: Path) -> tuple[list[Unfinished], str]:
    """The unfinished sales SQLite can still read from the journal at ``path`` (a copy
    is read), and how they were read; from the raw bytes when SQLite reads none."""
    if not path.exists() or path.stat().st_size == 0:
        return [], "the file is empty: no sale could be read from it"
    with tempfile.TemporaryDirectory(prefix="tui-pos-salvage-") as scratch:
        copy = _copy(path, Path(scratch))
        sales, complete = _read_unfinished(copy)
    if complete:
        return sales, "read by SQLite"
    if sales:
        return sales, "read by SQLite from the pages still readable (some may be missing)"
    raw = _scan_bytes(path)
    if raw:
        return raw, "SQLite cannot read it; these order numbers were found in its bytes"
    return [], "SQLite cannot read it, and no order number was found in its bytes"


def _read_unfinished(path: Path) -> tuple[list[Unfinished], bool]:
    """Rows of unfinished sales: the whole table when it reads, else the rows before
    the first bad page (from the front) and after the last one (from the back)."""
    found: dict[int, Unfinished] = {}
    complete = True
    try:
        db = sqlite3.connect(path)
    except sqlite3.Error:
        return [], False
    try:
        for order in ("ASC", "DESC"):
            try:
                query = (
                    "SELECT id, order_id, order_number, status, started_at FROM sale "
                    f"WHERE status != 'done' ORDER BY id {order}"
                )
                for sale_id, order_id, number, status, started in db.execute(query):
                    if sale_id not in found and (order_id or status != SaleStatus.ACTIVE):
                        found[sale_id] = Unfinished(
                            sale_id, order_id, number, status, started, _cart(db, sale_id)
                        )
            except sqlite3.Error:
                complete = False
                continue
            if complete:
                break
    finally:
        db.close()
    return sorted(found.values(), key=lambda sale: sale.sale_id or 0), complete


def _cart(db: sqlite3.Connection, sale_id: int) -> dict[str, int]:
    try:
        rows = db.execute(
            "SELECT sku, quantity FROM cart WHERE sale_id = ? ORDER BY position", (sale_id,)
        ).fetchall()
    except sqlite3.Error:
        return {}
    return {sku: quantity for sku, quantity in rows if quantity}


_RAW_SALE = re.compile(rb"[\x08-\x0a]\x00\x07([\x0d-\x7f])([\x0d-\x7f])(\x15|\x19|\x2b)")
"""The start of a sale row's record as SQLite stores it: the header's size (one byte
more since version 4's ``started_by``; a row written before keeps its seven columns),
then the serial types of id (NULL: the rowid), started_at (a float), order_id,
order_number (two short texts) and status (``done``, ``active`` or ``invoice_pending``)."""
_STATUS_RANK = {"active": 0, "invoice_pending": 1, "done": 2}


def _scan_bytes(path: Path) -> list[Unfinished]:
    """Sale rows found in the file's (and its WAL's) raw bytes, by their record format.
    A status only moves on (active, invoice_pending, done), and an old version of a row
    may linger, so an order is taken at the furthest status any version of it shows."""
    seen: dict[str, tuple[str, str]] = {}
    for suffix in ("", "-wal"):
        try:
            data = path.with_name(path.name + suffix).read_bytes()
        except OSError:
            continue
        for match in _RAW_SALE.finditer(data):
            lengths = [(match.group(n)[0] - 13) // 2 for n in (1, 2, 3)]
            if any(match.group(n)[0] % 2 == 0 for n in (1, 2)):
                continue  # a blob, not a text
            at = match.start() + data[match.start()] + 8  # past the header and started_at
            fields = []
            for length in lengths:
                fields.append(data[at : at + length])
                at += length
            order_id, number, status = (field.decode("ascii", "replace") for field in fields)
            if status not in _STATUS_RANK or not number.isprintable():
                continue
            known = seen.get(number)
            if known is None or _STATUS_RANK[status] > _STATUS_RANK[known[1]]:
                seen[number] = (order_id, status)
    return [
        Unfinished(None, order_id, number, status, None, {})
        for number, (order_id, status) in seen.items()
        if status != SaleStatus.DONE
    ]


def _copy(path: Path, directory: Path) -> Path:
    """``path`` and its ``-wal`` copied into ``directory`` (SQLite may write to what it
    opens: a WAL is checkpointed into the file when the last connection closes)."""
    copy = directory / JOURNAL_NAME
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, directory / "journal.sqlite3-wal")
    return copy


def _sync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
