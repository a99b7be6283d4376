"""A journal written by the till before the journal had a schema version (commit 0299db7)
resumes: each fixture in ``data/journals`` (see its ``capture.py``), a journal captured
mid-sale with the simulator's state at that moment, is recovered and finished by the
engine of today, and its sale ends as ``fixtures.json`` says, the money safe."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.support.enginekit import FAST, assert_money_invariants, cashier_finishes
from tui_pos.afosto import AfostoClient
from tui_pos.checkout import Journal, JournalError, SaleStatus, Till, schema
from tui_pos.checkout.journal import JOURNAL_NAME, JournalDamaged, marker_path
from tui_pos.checkout.steps import AddItems, AttachMethod, PayCash
from tui_pos.sim import DEMO_TOKEN, SimServer, Simulator
from tui_pos.sim.snapshot import restore

FIXTURES = Path(__file__).parent / "data" / "journals"
INDEX: dict[str, dict[str, Any]] = json.loads((FIXTURES / "fixtures.json").read_text())["fixtures"]


def journal_version(path: Path) -> int:
    """The journal's schema version: its ``PRAGMA user_version`` (0 before there was one)."""
    db = sqlite3.connect(path)
    try:
        version: int = db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()
    return version


def rebuild_journal(name: str, directory: Path) -> Path:
    """The fixture's journal file, rebuilt from its SQL, with the marker the till wrote
    beside it (``marker_path``: a journal that was made)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / JOURNAL_NAME
    db = sqlite3.connect(path)
    try:
        db.executescript((FIXTURES / f"{name}.sql").read_text())
    finally:
        db.close()
    marker_path(path).write_text("The till's journal was made here (a test fixture).\n")
    return path


def snapshot_of(name: str) -> dict[str, Any]:
    snapshot: dict[str, Any] = json.loads((FIXTURES / f"{name}.sim.json").read_text())
    return snapshot


def restored_sim(name: str) -> Simulator:
    """A fast simulator holding the state captured with the fixture's journal."""
    sim = Simulator(terminal_delay=0.05, invoice_delay=0.05)
    sim.store = restore(snapshot_of(name))
    return sim


def order_of(sim: Simulator, order_id: str | None) -> dict[str, Any] | None:
    orders: list[dict[str, Any]] = sim.store.snapshot()["orders"]
    return next((order for order in orders if order["id"] == order_id), None)


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait on state (bounded), never for a fixed time."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the state was not reached"
        await asyncio.sleep(0.02)


def test_the_fixtures_are_journals_of_version_0(tmp_path: Path) -> None:
    """As the version before wrote them: no schema version, and each step fixture with
    its step sent and its answer not recorded."""
    assert INDEX, "no fixtures"
    for name, fixture in INDEX.items():
        path = rebuild_journal(name, tmp_path / name)
        assert journal_version(path) == 0, name
        db = sqlite3.connect(path)
        try:
            sent = db.execute("SELECT kind, result FROM step WHERE state = 'sent'").fetchall()
        finally:
            db.close()
        assert sent == [(kind, None) for kind in fixture["in_flight"]], name


@pytest.mark.parametrize("name", sorted(INDEX))
async def test_a_journal_of_the_version_before_resumes(name: str, tmp_path: Path) -> None:
    """Opened and recovered (then the cashier's part, if any), the sale ends as its
    fixture says."""
    fixture = INDEX[name]
    ends = fixture["ends"]
    sale_id = fixture["sale_id"]
    sim = restored_sim(name)
    path = rebuild_journal(name, tmp_path)
    async with SimServer(sim) as server:
        client = AfostoClient(
            server.base_url, SecretStr(DEMO_TOKEN), timeout=2.0, rate_limit_backoff=(0.01, 0.01)
        )
        journal = Journal(path)
        assert journal_version(path) == schema.CURRENT  # migrated as it was opened
        captured = order_of(sim, journal.sale(sale_id).order_id)
        till = Till(client, journal, FAST)
        try:
            sale = await till.start()
            assert sale.view.phase == fixture["resumes"], sale.view
            assert sale.view.card_unconfirmed is fixture.get("card_unconfirmed", False)
            if sale.id == sale_id and ends["phase"] != "done":
                assert {line.sku: line.quantity for line in sale.view.lines} == ends["cart"]
            if fixture["cashier"] == "check":
                await sale.pay_pin()  # with a card payment unconfirmed, this only checks it
            elif fixture["cashier"] is not None:
                await cashier_finishes(sale, sim, fixture["cashier"])
            if fixture.get("outbox"):
                await until(lambda: journal.sale(sale_id).status is SaleStatus.DONE)
            record = journal.sale(sale_id)
            assert record.status == ends["status"]
            for earlier in range(1, sale_id):
                assert journal.sale(earlier).status is SaleStatus.DONE
            if sale.id == sale_id:
                view = sale.view
                assert view.phase == ends["phase"], view
                assert {line.sku: line.quantity for line in view.lines} == ends["cart"]
                assert (view.total, view.paid) == (ends["total"], ends["paid"])
                assert view.change == ends["change"]
                assert view.card_unconfirmed is (ends["phase"] == "terminal")
                assert bool(view.invoice_number) is (ends["invoice"] == "made")
                assert not view.invoice_pending
        finally:
            await till.close()
            await client.aclose()
        await sim.wait_idle()

    assert_order_ends(sim, name, order_of(sim, record.order_id), captured)


def assert_order_ends(
    sim: Simulator, name: str, order: dict[str, Any] | None, captured: dict[str, Any] | None
) -> None:
    """The sale's order as the fixture says it ends, the money safe: nothing paid twice,
    no new payment once it was paid, no card started twice, the held units not invoiced
    (``captured``: the order as the fixture's snapshot holds it)."""
    fixture = INDEX[name]
    ends = fixture["ends"]
    assert_money_invariants(sim)
    assert order is not None
    assert (order["total"], order["paid"]) == (ends["total"], ends["paid"])
    assert len(order["payments"]) == ends["payments"]
    before = [p["id"] for p in captured["payments"]] if captured else []
    assert [p["id"] for p in order["payments"]][: len(before)] == before
    assert all(p["start_count"] <= 1 for p in order["payments"]), "a card was started twice"
    if captured is not None and captured["total"] == captured["paid"] > 0:
        assert len(order["payments"]) == len(before) and sim.requests["createPayment"] == 0
    if fixture.get("card_unconfirmed"):  # never charged again while it may still pay
        assert sim.requests["createPayment"] == sim.requests["startPayment"] == 0
    held = [unit for line in order["lines"] if line["sku"] in ends["held"] for unit in line["ids"]]
    if ends["invoice"] == "made":
        assert len(order["invoices"]) == 1
        assert order["invoiceable_ids"] == held  # every unit invoiced but the held ones
    else:
        assert order["invoices"] == []
    new_orders = len(sim.store.orders) - len(snapshot_of(name)["orders"])
    assert new_orders == fixture.get("new_orders", 0)  # the lost createOrder's is left empty


def test_every_record_of_a_migrated_journal_reads_as_its_type(tmp_path: Path) -> None:
    """Each fixture migrated: every step and note reads back as its typed record (each
    read checks the shape), and what version 0 wrote differently is converted: the
    attach intent's route, a read-back count of units."""
    attached = 0
    for name in INDEX:
        path = rebuild_journal(name, tmp_path / name)
        journal = Journal(path)
        try:
            for record in journal.recent_sales(100):
                for step in journal.steps(record.id):
                    if isinstance(step.intent, AttachMethod):
                        attached += 1
                        assert step.intent.method_id, name
        finally:
            journal.close()
        db = sqlite3.connect(path)
        try:
            texts = [
                row[0] for row in db.execute("SELECT intent || coalesce(result, '') FROM step")
            ]
        finally:
            db.close()
        assert not any('"route"' in text or '"read_back": 1' in text for text in texts), name
    assert attached, "no fixture has an attach step"


def test_a_journal_of_a_newer_version_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = rebuild_journal("state-scanning", tmp_path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {schema.CURRENT + 1}")
    db.close()
    before = (FIXTURES / "state-scanning.sql").read_text()
    with pytest.raises(JournalError, match="newer version of the till"):
        Journal(path)
    assert journal_version(path) == schema.CURRENT + 1
    db = sqlite3.connect(path)
    try:
        assert "\n".join(db.iterdump()).count("INSERT INTO") == before.count("INSERT INTO")
    finally:
        db.close()


def test_a_version_0_record_the_till_cannot_read_stops_the_migration(tmp_path: Path) -> None:
    """A step to convert of a shape no version wrote: the journal is reported damaged
    (support sets it aside), and nothing of the migration is left half-done."""
    path = rebuild_journal("step-attach_method", tmp_path)
    db = sqlite3.connect(path)
    db.execute("UPDATE step SET intent = '{\"route\": 5}' WHERE kind = 'attach_method'")
    db.commit()
    db.close()
    with pytest.raises(JournalDamaged, match="cannot read"):
        Journal(path)
    assert journal_version(path) == 0


def test_a_record_left_as_it_was_is_checked_when_it_is_read(tmp_path: Path) -> None:
    path = rebuild_journal("state-scanning", tmp_path)
    db = sqlite3.connect(path)
    db.execute("UPDATE step SET intent = '{\"skus\": 5}' WHERE kind = 'add_items'")
    db.commit()
    db.close()
    journal = Journal(path)
    try:
        active = journal.active_sale()
        assert active is not None
        with pytest.raises(JournalDamaged, match="add_items intent: unknown field 'skus'"):
            journal.steps(active.id)
    finally:
        journal.close()


def test_two_openers_at_once_migrate_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The till and the doctor opening the journal first after the upgrade: the second
    read version 0 before the first committed, and finds it migrated once it holds the
    write lock (converting version-1 records again would call them damaged)."""
    path = rebuild_journal("step-attach_method", tmp_path)
    Journal(path).close()  # the first opener migrated it
    read = schema.version
    reads: list[int] = []

    def stale_at_first(db: sqlite3.Connection) -> int:
        reads.append(read(db))
        return 0 if len(reads) == 1 else reads[-1]

    monkeypatch.setattr(schema, "version", stale_at_first)
    second = sqlite3.connect(path, isolation_level=None)
    try:
        schema.upgrade(second)
    finally:
        second.close()
    assert len(reads) == 2
    monkeypatch.undo()
    journal = Journal(path)
    try:
        for record in journal.recent_sales(100):
            journal.steps(record.id)  # every record reads as its type
    finally:
        journal.close()


def test_shapes_of_still_earlier_versions_are_read(tmp_path: Path) -> None:
    """Version 0 covers every till before the schema version: a cash step that kept only
    the payment, an add without the line counts before it, a cashier's "it failed"
    without the start it followed, a note with the cash handed over."""
    path = rebuild_journal("state-scanning", tmp_path)
    db = sqlite3.connect(path)
    note = {"tendered": 500, "change": 100, "confirmed_failed": [{"payment_id": "p1", "at": 1.5}]}
    cursor = db.execute(
        "INSERT INTO sale (started_at, status, note) VALUES (1, 'done', ?)", (json.dumps(note),)
    )
    old = cursor.lastrowid
    steps = [
        ("add_items", {"order_id": "o1", "items": {"A": 1}}, {"units": 1}),
        ("pay_cash", {"payment_id": "p1"}, {"payment_id": "p1", "status": "PAID", "paid": True}),
    ]
    for kind, intent, result in steps:
        db.execute(
            "INSERT INTO step (sale_id, kind, intent, result, state, sent_at) "
            "VALUES (?, ?, ?, ?, 'done', 1)",
            (old, kind, json.dumps(intent), json.dumps(result)),
        )
    db.commit()
    db.close()
    journal = Journal(path)
    try:
        record = journal.sale(old)
        assert record.note.change == 100 and record.note.confirmed_failed[0].after_step == 0
        add, cash = journal.steps(old)
        assert isinstance(add.intent, AddItems) and add.intent.before is None
        assert isinstance(cash.intent, PayCash) and cash.intent.amount is None
    finally:
        journal.close()
