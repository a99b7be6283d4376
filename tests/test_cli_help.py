"""``tui-pos --help`` and each subcommand's help are plain text, not reStructuredText."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_pos.cli import build_parser


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser under it, however deep."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from parsers(sub)


def test_every_help_is_plain_text() -> None:
    helps = {p.prog: p.format_help() for p in parsers(build_parser())}
    assert {"tui-pos doctor", "tui-pos journal check", "tui-pos sim"} <= set(helps)
    assert {prog: text for prog, text in helps.items() if "`" in text} == {}


def test_the_cashier_command_runs_on_the_settings_cashier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tui-pos cashier list`` through main(), on the file ``cashiers_file`` names."""
    from tests.support.staffkit import CountingHasher, write_cashiers
    from tui_pos.cli import main

    path = write_cashiers(tmp_path / "cashiers.toml", CountingHasher())
    monkeypatch.setenv("TUI_POS_CASHIERS_FILE", str(path))
    assert main(["cashier", "list"]) == 0
    out = capsys.readouterr().out
    assert "Anna" in out and "$argon2" not in out


def test_the_day_command_lists_and_shows_the_z_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tui-pos day list|show N`` read the Z reports the till kept in its journal."""
    from tests.support.daykit import pay
    from tui_pos.checkout import DayBook, Journal
    from tui_pos.checkout.cash import Count
    from tui_pos.checkout.journal import JOURNAL_NAME
    from tui_pos.cli import main

    journal = Journal(tmp_path / JOURNAL_NAME)
    book = DayBook(journal)
    book.open_day(Count(amount=10000), by=None)
    pay(journal, [("CASH", 1234)])
    book.close_day(Count(amount=11000), "a coin lost", by=None, approved_by=None)
    journal.close()
    monkeypatch.setenv("TUI_POS_STATE_DIR", str(tmp_path))
    assert main(["day", "list"]) == 0
    listed = capsys.readouterr().out
    (line,) = listed.splitlines()[1:]
    assert line.split()[:1] == ["1"] and line.endswith("€ 12,34        € -2,34")
    assert main(["day", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "Z REPORT - day 1" in shown and "a coin lost" in shown
    assert main(["day", "show", "2"]) == 1
