"""`tui-pos doctor` against the simulator on loopback: healthy, and each way a till can be
unwell, with the exit code, the words support reads, and never the token."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import socket
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tui_pos.afosto import AfostoClient
from tui_pos.checkout import Journal, SaleStatus
from tui_pos.checkout.journal import JOURNAL_NAME
from tui_pos.checkout.schema import CURRENT, stored_version
from tui_pos.checkout.steps import AddItems, PaymentOutcome, StartTerminal, WatchPage
from tui_pos.config import ScannerSettings, Settings, load_settings
from tui_pos.doctor import STALE_STEP, diagnose, run_doctor, support_report
from tui_pos.sim import DEMO_CHANNEL_ID, Simulator

TOKEN = "tok_till_4b9e1f7c2d8a6e30"
FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IMMUTABLE_FL = 0x80086601, 0x40086602, 0x10


@pytest.fixture
async def order_id(sim: Simulator, sim_url: str) -> str:
    """An order made by an earlier sale: the doctor reads the terminals from it."""
    sim.tokens = {TOKEN}
    async with AfostoClient(sim_url, SecretStr(TOKEN)) as client:
        return (await client.create_order(DEMO_CHANNEL_ID)).id


@pytest.fixture
def journal(tmp_path: Path, order_id: str) -> Iterator[Journal]:
    """The live till's journal: one sale done, the next one waiting for a scan."""
    journal = Journal(tmp_path / JOURNAL_NAME)
    sale = journal.new_sale()
    journal.set_order(sale, order_id, "1000001")
    journal.set_status(sale, SaleStatus.DONE)
    journal.new_sale()
    yield journal
    journal.close()


@pytest.fixture
def settings(sim_url: str, tmp_path: Path, journal: Journal) -> Settings:
    return Settings(
        api_url=sim_url,
        api_token=SecretStr(TOKEN),
        channel_id=DEMO_CHANNEL_ID,
        terminal_id="term_front",
        state_dir=tmp_path,
        scanner=ScannerSettings(enabled=False),
    )


async def doctor(settings: Settings, **changes: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = await diagnose(settings.model_copy(update=changes), out=out)
    text = out.getvalue()
    assert TOKEN not in text
    return code, text


async def test_a_healthy_till(settings: Settings) -> None:
    code, text = await doctor(settings)
    assert code == 0, text
    assert f"set, inline (prefer a token file), {len(TOKEN)} characters" in text
    assert "reachable, " in text and "token: valid" in text
    assert "Kassa 1 - Worldline (term_front): online, the configured terminal_id" in text
    assert "Kassa 2 - CCV (term_back): offline" in text
    assert "card payments go to Kassa 1 - Worldline" in text
    assert "not used (scanner.enabled is false)" in text
    assert "writable" in text and "no sale in progress" in text and "done order 1000001" in text
    assert "PROBLEM" not in text and text.endswith("Result: OK, nothing wrong found.\n")


async def test_the_sync_entry_point_for_the_cli(settings: Settings) -> None:
    out = io.StringIO()
    assert await asyncio.to_thread(run_doctor, settings, out=out) == 0
    assert "token: valid" in out.getvalue()


async def test_the_token_from_the_systemd_credential(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "api_token").write_text(TOKEN + "\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    config = tmp_path / "config.toml"
    config.write_text(f'api_url = "{settings.api_url}"\nchannel_id = "{DEMO_CHANNEL_ID}"\n')
    loaded = load_settings(config, live=False)
    code, text = await doctor(settings, api_token=None, api_token_file=loaded.api_token_file)
    assert code == 0, text
    assert f"the systemd credential {credentials / 'api_token'}, {len(TOKEN)} characters" in text


async def test_the_api_is_down(settings: Settings) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    code, text = await doctor(settings, api_url=f"http://127.0.0.1:{port}")
    assert code == 1
    assert "PROBLEM: the API cannot be reached: GetOrder: cannot reach the API" in text
    assert "PIN terminals" not in text


async def test_the_token_is_invalid(settings: Settings) -> None:
    code, text = await doctor(settings, api_token=SecretStr("tok_wrong_0000"))
    assert code == 1
    assert "PROBLEM: the API refuses the token: invalid or expired (401)" in text
    assert "tok_wrong_0000" not in text


async def test_there_is_no_token(settings: Settings, tmp_path: Path) -> None:
    code, text = await doctor(settings, api_token=None, api_token_file=tmp_path / "none")
    assert code == 1
    assert f"PROBLEM: api_token_file: cannot read {tmp_path / 'none'}" in text
    assert "not checked: there is no token" in text


async def test_the_preferred_terminal_is_offline(settings: Settings) -> None:
    code, text = await doctor(settings, terminal_id="term_back")
    assert code == 1 and "PROBLEM: terminal_id term_back is offline" in text


async def test_two_terminals_online_and_none_configured(settings: Settings, sim: Simulator) -> None:
    sim.set_terminal_online("term_back", True)
    code, text = await doctor(settings, terminal_id=None)
    assert code == 1
    assert "PROBLEM: more than one PIN terminal is online: set terminal_id to one of them" in text


async def test_the_scanner_is_missing(settings: Settings, tmp_path: Path) -> None:
    scanner = ScannerSettings(device=tmp_path / "tui-pos-scanner")
    code, text = await doctor(settings, scanner=scanner)
    assert code == 1
    assert f"PROBLEM: scanner not found: {tmp_path / 'tui-pos-scanner'}" in text


async def test_the_scanner_is_no_input_device(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "not-a-device").write_text("")
    code, text = await doctor(settings, scanner=ScannerSettings(device=tmp_path / "not-a-device"))
    assert code == 1 and "not an input device" in text


async def test_an_invoice_is_pending(settings: Settings, journal: Journal) -> None:
    journal.set_status(journal.recent_sales()[-1].id, SaleStatus.INVOICE_PENDING)
    code, text = await doctor(settings)
    assert code == 1
    assert "PROBLEM: sale #1 (order 1000001) is paid but not invoiced yet" in text


async def test_a_call_of_unknown_outcome_for_too_long(settings: Settings, journal: Journal) -> None:
    active = journal.active_sale()
    assert active is not None
    journal.set_quantity(active.id, "8712345678906", 2)
    step = journal.begin(active.id, AddItems("ord_1", {"8712345678906": 2}))
    journal._db.execute("UPDATE step SET sent_at = sent_at - ? WHERE id = ?", (STALE_STEP, step))
    code, text = await doctor(settings)
    assert code == 1
    assert f"sale #{active.id} in progress since" in text and "2 item(s)" in text
    assert f"PROBLEM: sale #{active.id}: 1 call(s) of unknown outcome since" in text


async def test_a_failed_call_is_listed_as_a_recent_error(
    settings: Settings, journal: Journal
) -> None:
    sale = journal.recent_sales()[-1].id
    outcome = PaymentOutcome("pay_1", "CANCELLED", paid=False)
    journal.end(journal.begin(sale, StartTerminal("pay_1")), outcome, ok=False)
    code, text = await doctor(settings)
    said = "payment_id=pay_1 status=CANCELLED paid=False read_back=False"
    assert code == 0 and f"sale #{sale} start_terminal: {said}" in text


async def test_there_is_no_journal(settings: Settings, tmp_path: Path) -> None:
    code, text = await doctor(settings, state_dir=tmp_path / "elsewhere")
    assert code == 1
    assert "journal.sqlite3 does not exist (has the till started? is state_dir right?)" in text
    assert not (tmp_path / "elsewhere").exists()  # the doctor creates nothing
    assert "unknown until the first sale" in text


async def test_the_journal_cannot_be_written(settings: Settings, tmp_path: Path) -> None:
    with unwritable(tmp_path / JOURNAL_NAME):
        code, text = await doctor(settings)
    assert code == 1
    assert "PROBLEM: journal: " in text and "cannot be written (read-only)" in text


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make a file unwritable even for root (immutable), or by its mode for anyone else."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        path.chmod(0o644)
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        flags = struct.unpack("l", fcntl.ioctl(fd, FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
        try:
            fcntl.ioctl(fd, FS_IOC_SETFLAGS, struct.pack("l", flags | FS_IMMUTABLE_FL))
        except OSError as exc:
            pytest.skip(f"cannot make {path} immutable here: {exc.strerror}")
        try:
            yield
        finally:
            fcntl.ioctl(fd, FS_IOC_SETFLAGS, struct.pack("l", flags))
    finally:
        os.close(fd)


async def test_a_token_file_saved_by_notepad_is_valid(settings: Settings, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_bytes(b"\xef\xbb\xbf" + TOKEN.encode() + b"\r\n")  # a BOM and CRLF
    code, text = await doctor(settings, api_token=None, api_token_file=token)
    assert code == 0, text
    assert f"set, file {token}, {len(TOKEN)} characters" in text and "token: valid" in text


async def test_a_token_that_cannot_be_sent_is_a_problem_line(
    settings: Settings, tmp_path: Path
) -> None:
    token = tmp_path / "token"
    token.write_bytes(TOKEN.encode() + "\u00e9".encode())  # e.g. a stray key in an editor
    code, text = await doctor(settings, api_token=None, api_token_file=token)
    assert code == 1
    assert f"PROBLEM: api_token_file: {token} has a character that is not plain ASCII" in text
    assert "not checked: there is no token" in text and "Traceback" not in text


async def test_the_till_holding_the_state_dir_is_shown(settings: Settings, tmp_path: Path) -> None:
    from tui_pos.system.lock import lock_state_dir

    code, text = await doctor(settings)
    assert f"no till holds {tmp_path / 'till.lock'}: the till is not running" in text
    lock = lock_state_dir(tmp_path)  # as the till does at start
    try:
        code, text = await doctor(settings)
    finally:
        lock.release()
    assert code == 0, text
    assert f"running: pid {os.getpid()} (" in text


async def test_a_damaged_journal_is_a_problem_saying_what_to_run(
    settings: Settings, journal: Journal, tmp_path: Path
) -> None:
    journal.close()
    path = tmp_path / JOURNAL_NAME
    path.write_bytes(path.read_bytes()[:1024])  # cut short
    code, text = await doctor(settings)
    assert code == 1 and "Traceback" not in text
    assert f"PROBLEM: journal: {path} is damaged (SQLite says: " in text
    assert "run `tui-pos journal check`, then `tui-pos journal set-aside`" in text


async def test_an_emptied_journal_is_damaged_not_new(
    settings: Settings, journal: Journal, tmp_path: Path
) -> None:
    journal.close()
    (tmp_path / JOURNAL_NAME).write_bytes(b"")
    code, text = await doctor(settings)
    assert code == 1
    assert "is empty (0 bytes), though it held the till's records" in text


def test_the_support_screen_shows_the_report_without_probing(
    settings: Settings, journal: Journal, sim: Simulator
) -> None:
    asked = sum(sim.requests.values())
    text = support_report(
        settings.model_copy(update={"scanner": ScannerSettings()}),
        demo=False,
        reachable=False,
        latency=None,
        journal=journal,
        errors=["Afosto cannot be reached. Check the network; the sale is kept."],
        scanner="No USB scanner",
    )
    assert TOKEN not in text and sum(sim.requests.values()) == asked  # Afosto is not asked
    assert f"set, inline (prefer a token file), {len(TOKEN)} characters" in text
    assert "Afosto API at " in text and "  NOT reachable\n" in text
    scanner = text.split("\nScanner\n")[1].split("\n\n")[0].splitlines()
    assert scanner[0] == "  No USB scanner" and scanner[1:]  # the candidates, or none plugged in
    assert "done order 1000001" in text and "Afosto cannot be reached." in text
    assert "\nVersions\n  tui-pos " in text


async def test_a_journal_of_the_version_before_under_a_running_till_is_left_as_it_is(
    settings: Settings, journal: Journal, tmp_path: Path
) -> None:
    """After an upgrade, before the till restarted: opening the journal would migrate
    it under a till that goes on writing the old records; support is told to restart."""
    from tui_pos.system.lock import lock_state_dir

    journal.close()
    path = tmp_path / JOURNAL_NAME
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 0")  # as the version before left it
    lock = lock_state_dir(tmp_path)  # the old till runs
    try:
        code, text = await doctor(settings)
    finally:
        lock.release()
    assert code == 1 and "the till running on it is of an earlier version" in text
    assert stored_version(path) == 0
    code, text = await doctor(settings)  # the till stopped: the doctor may migrate it
    assert stored_version(path) == CURRENT and "earlier version" not in text


async def test_the_payment_methods_the_last_order_offered(settings: Settings) -> None:
    code, text = await doctor(settings)
    assert code == 0, text
    assert "Payment methods\n" in text and "as Afosto offers them on order 1000001:" in text
    assert "PIN: Pinnen (pm_pin)" in text and "CASH: Contant (pm_cash)" in text
    assert "IDEAL: iDEAL (pm_ideal), paid on a payment page (QR code)" in text
    assert "PAYCONIQ: Payconiq (pm_payconiq), paid on a payment page (QR code)" in text


@pytest.mark.parametrize("stopped", [False, True], ids=["watched", "stopped watching"])
async def test_a_page_payment_not_confirmed(
    settings: Settings, journal: Journal, stopped: bool
) -> None:
    active = journal.active_sale()
    assert active is not None
    journal.set_order(active.id, "ord_2", "1000002")
    step = journal.begin(active.id, WatchPage("pay_9"))
    if stopped:  # Esc: read back PENDING
        journal.end(step, PaymentOutcome("pay_9", "PENDING", paid=False, read_back=True))
    code, text = await doctor(settings)
    assert code == 1
    assert f"PROBLEM: sale #{active.id}: page payment pay_9 (shown since" in text
    assert "the customer may still pay it" in text


async def test_a_page_payment_that_ended_is_no_problem(
    settings: Settings, journal: Journal
) -> None:
    active = journal.active_sale()
    assert active is not None
    journal.set_order(active.id, "ord_2", "1000002")
    step = journal.begin(active.id, WatchPage("pay_9"))
    journal.end(step, PaymentOutcome("pay_9", "CANCELLED", paid=False))
    code, text = await doctor(settings)
    assert code == 0, text
    assert "page payment" not in text
