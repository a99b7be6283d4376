"""`tui-pos doctor --json` in the states of the text doctor's tests (tests/system/
test_doctor.py, whose fixtures these are): one document valid against its schema, the
same problems and exit code as the text, never the token."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import SecretStr

from tests.support.netprinter import NetPrinter, PrinterState, closed_port
from tests.system import test_doctor as text_doctor
from tui_pos.checkout import Journal
from tui_pos.checkout.journal import JOURNAL_NAME
from tui_pos.checkout.printouts import PrintKind
from tui_pos.checkout.steps import AddItems
from tui_pos.config import PrinterSettings, ScannerSettings, Settings
from tui_pos.doctor import SCHEMA_FILE, STALE_STEP, Problem, diagnose

TOKEN = text_doctor.TOKEN
order_id, journal, settings = text_doctor.order_id, text_doctor.journal, text_doctor.settings
"""The text doctor's fixtures: a simulator's order, the till's journal, its settings."""
SCHEMA = json.loads(SCHEMA_FILE.read_text())
VALIDATOR = Draft202012Validator(SCHEMA)


def valid(text: str) -> dict[str, Any]:
    """The one JSON document of ``text``, checked against the schema."""
    assert TOKEN not in text
    document: dict[str, Any] = json.loads(text)  # the whole output: nothing else in it
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert not errors, errors
    assert document["healthy"] is (document["exit_code"] == 0)
    return document


async def both(settings: Settings, **changes: Any) -> tuple[dict[str, Any], str]:
    """The JSON document and the text report of the same till, each with its exit code
    checked against the other's."""
    changed = settings.model_copy(update=changes)
    out, text = io.StringIO(), io.StringIO()
    code = await diagnose(changed, out=out, as_json=True)
    text_code = await diagnose(changed, out=text)
    document = valid(out.getvalue())
    assert code == text_code == document["exit_code"]
    said = [line.removeprefix("  PROBLEM: ") for line in text.getvalue().splitlines()]
    problems = [line for line in said if not line.startswith(" ")]
    messages = [p["message"] for p in document["problems"]]
    assert all(message in problems for message in messages)
    assert len(messages) == text.getvalue().count("  PROBLEM: ")
    for key, value in document.items():
        if isinstance(value, dict) and "title" in value:
            assert f"\n{value['title']}\n" in text.getvalue(), key
    return document, text.getvalue()


def codes(document: dict[str, Any]) -> list[str]:
    return [problem["code"] for problem in document["problems"]]


def test_the_schemas_codes_are_the_doctors() -> None:
    listed = [option["const"] for option in SCHEMA["$defs"]["code"]["oneOf"]]
    assert sorted(listed) == sorted(code.value for code in Problem)
    assert all(option["description"] for option in SCHEMA["$defs"]["code"]["oneOf"])
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert [code for code in listed if f"\n| `{code}` | " not in readme] == []


async def test_a_healthy_till(settings: Settings) -> None:
    document, _ = await both(settings)
    assert document["schema_version"] == 1 and document["exit_code"] == 0
    assert document["healthy"] is True and document["problems"] == []
    assert document["sale_in_progress"] is False
    assert document["settings"]["api_token"] == {
        "set": True,
        "source": "inline (prefer a token file)",
        "length": len(TOKEN),
    }
    assert document["settings"]["values"]["terminal_id"] == "term_front"
    api = document["api"]
    assert api["reachable"] is True and api["token_valid"] is True and api["call_ms"] >= 0
    terminals = {t["id"]: t for t in document["terminals"]["terminals"]}
    assert terminals["term_front"]["online"] and terminals["term_front"]["configured"]
    assert not terminals["term_back"]["online"]
    assert document["terminals"]["card_terminal"] == "term_front"
    methods = {m["code"]: m["payment_page"] for m in document["payment_methods"]["methods"]}
    assert methods["PIN"] is False and methods["IDEAL"] is True
    assert document["scanner"]["enabled"] is False
    kept = document["journal"]
    assert kept["readable"] and kept["writable"] and kept["sale"] is None
    assert kept["recent_sales"][-1]["order_number"] == "1000001"
    assert datetime.fromisoformat(document["checked_at"]).tzinfo is not None


async def test_the_api_is_down(settings: Settings) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    document, _ = await both(settings, api_url=f"http://127.0.0.1:{port}")
    assert document["exit_code"] == 1 and document["healthy"] is False
    assert codes(document) == ["api_unreachable"]
    assert document["problems"][0]["section"] == "api"
    assert document["api"]["reachable"] is False and "terminals" not in document
    assert document["sale_in_progress"] is False


async def test_the_token_is_invalid(settings: Settings) -> None:
    document, _ = await both(settings, api_token=SecretStr("tok_wrong_0000"))
    assert codes(document) == ["token_refused"]
    assert document["api"]["token_valid"] is False
    assert "tok_wrong_0000" not in json.dumps(document)


async def test_the_scanner_is_missing(settings: Settings, tmp_path: Path) -> None:
    device = tmp_path / "tui-pos-scanner"
    document, _ = await both(settings, scanner=ScannerSettings(device=device))
    assert codes(document) == ["scanner_not_found"]
    assert str(device) in document["problems"][0]["message"]
    assert document["scanner"]["enabled"] is True and document["scanner"]["device"] is None


async def test_a_sale_in_progress(settings: Settings, journal: Journal) -> None:
    active = journal.active_sale()
    assert active is not None
    journal.set_quantity(active.id, "8712345678906", 2)
    document, _ = await both(settings)
    assert document["healthy"] is True and document["sale_in_progress"] is True
    assert document["journal"]["sale"]["id"] == active.id
    assert document["journal"]["sale"]["items"] == 2
    step = journal.begin(active.id, AddItems("ord_1", {"8712345678906": 2}))
    journal._db.execute("UPDATE step SET sent_at = sent_at - ? WHERE id = ?", (STALE_STEP, step))
    document, _ = await both(settings)
    assert codes(document) == ["outcome_unknown"] and document["sale_in_progress"] is True
    assert document["journal"]["sale"]["stale_calls"] == 1


async def test_a_damaged_journal_leaves_the_sale_unknown(
    settings: Settings, journal: Journal, tmp_path: Path
) -> None:
    journal.close()
    path = tmp_path / JOURNAL_NAME
    path.write_bytes(path.read_bytes()[:1024])  # cut short
    document, _ = await both(settings)
    assert codes(document) == ["journal_damaged"] and document["sale_in_progress"] is None
    assert document["journal"]["readable"] is False


async def test_no_journal(settings: Settings, tmp_path: Path) -> None:
    document, _ = await both(settings, state_dir=tmp_path / "elsewhere")
    assert codes(document) == ["journal_missing"] and document["sale_in_progress"] is None


async def test_the_token_is_redacted_wherever_it_would_show(settings: Settings) -> None:
    document, text = await both(settings, till_name=f"till {TOKEN}")  # a token pasted astray
    assert document["settings"]["values"]["till_name"] == "till [redacted]"
    assert "till [redacted]" in text


async def run_cli(config: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui_pos",
        "--config",
        str(config),
        "doctor",
        "--json",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_the_command_prints_one_document(settings: Settings, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n")
    config = tmp_path / "config.toml"
    config.write_text(
        f'api_url = "{settings.api_url}"\nchannel_id = "{settings.channel_id}"\n'
        f'api_token_file = "{token}"\nterminal_id = "term_front"\n'
        f'state_dir = "{tmp_path}"\n[scanner]\nenabled = false\n'
    )
    code, stdout, _ = await run_cli(config)
    document = valid(stdout)
    assert code == 0 and document["exit_code"] == 0, document["problems"]
    assert document["settings"]["api_token"]["source"] == f"file {token}"


async def test_a_broken_config_is_a_document_too(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("request_timeout = 'soon'\n")
    code, stdout, stderr = await run_cli(config)
    document = valid(stdout)
    assert code == 2 and document["exit_code"] == 2 and document["healthy"] is False
    assert codes(document) == ["config_invalid"] and document["sale_in_progress"] is None
    assert "request_timeout" in document["problems"][0]["message"]
    assert "configuration error" in stderr


async def test_the_printers_problems_have_their_codes(
    settings: Settings, journal: Journal, tmp_path: Path
) -> None:
    printing = PrinterSettings(kind="network", host="127.0.0.1", port=closed_port(), timeout=1)
    document, _ = await both(settings, printer=printing)
    assert codes(document) == ["printer_unreachable"] and document["printer"]["kind"] == "network"
    with NetPrinter(state=PrinterState(paper_out=True)) as printer:
        journal.end_printout(journal.begin_printout(PrintKind.RECEIPT, None), "out of paper")
        out_of_paper = printing.model_copy(update={"port": printer.port})
        document, _ = await both(settings, printer=out_of_paper)
    assert codes(document) == ["printer_not_ready", "printout_failed"]
    assert document["printer"]["printouts"][0]["problem"] == "out of paper"
    out = io.StringIO()  # no printer set up, and a test page asked for
    assert await diagnose(settings, out=out, as_json=True, test_page=True) == 1
    assert codes(valid(out.getvalue())) == ["printer_test_page_failed", "printout_failed"]


async def test_a_journal_that_cannot_be_written(settings: Settings, tmp_path: Path) -> None:
    with text_doctor.unwritable(tmp_path / JOURNAL_NAME):
        document, _ = await both(settings)
    assert codes(document) == ["journal_not_writable"]
    kept = document["journal"]
    assert kept["readable"] is True and kept["writable"] is False
    assert document["sale_in_progress"] is False  # read all the same
