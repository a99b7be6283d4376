"""``tui-pos cashier add|list|remove``: PINs asked twice, never shown, hashes never listed."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.staffkit import PINS, CountingHasher
from tui_pos.staff import Cashier, CashierFile
from tui_pos.staff.command import add_arguments, run


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tui-pos")
    add_arguments(parser.add_subparsers(dest="command"))
    return parser.parse_args(["cashier", *argv])


def typed(*answers: str) -> Callable[[str], str]:
    """A ``getpass`` that answers in turn (and fails a test that asks once too often)."""
    left = list(answers)

    def getpass(prompt: str) -> str:
        return left.pop(0)

    return getpass


def cashier(path: Path, hasher: CountingHasher, *argv: str, pins: tuple[str, ...] = ()) -> int:
    return run(parse(*argv), path, getpass=typed(*pins), hasher=hasher)


def test_add_asks_the_pin_twice_and_stores_only_its_hash(
    tmp_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cashiers.toml"
    assert cashier(path, hasher, "add", "12", "Anna", "--role", "manager", pins=("4711",) * 2) == 0
    assert cashier(path, hasher, "add", "3", "Bob", pins=("90210",) * 2) == 0
    out = capsys.readouterr().out
    assert out == (
        f"added cashier 12 Anna (manager) in {path}\nadded cashier 3 Bob (cashier) in {path}\n"
    )
    cashiers = CashierFile.load(path, hasher)
    assert cashiers.verify(12, "4711") == Cashier(12, "Anna", "manager")
    assert cashiers.verify(3, "90210") == Cashier(3, "Bob", "cashier")
    assert b"4711" not in path.read_bytes() and b"90210" not in path.read_bytes()


def test_add_again_changes_the_cashier(
    cashier_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cashier(cashier_path, hasher, "add", "3", "Robert", pins=("5555", "5555")) == 0
    assert capsys.readouterr().out == f"changed cashier 3 Robert (cashier) in {cashier_path}\n"
    assert CashierFile.load(cashier_path, hasher).verify(3, "5555") is not None


@pytest.mark.parametrize(
    "pins, problem",
    [
        (("4711", "4712"), "the two PINs differ"),
        (("12²4",), "a PIN is digits 0-9 only"),
        (("123",), "a PIN is 4 to 8 digits"),
    ],
)
def test_add_refuses_a_mismatch_or_a_bad_pin(
    cashier_path: Path,
    hasher: CountingHasher,
    capsys: pytest.CaptureFixture[str],
    pins: tuple[str, ...],
    problem: str,
) -> None:
    before = cashier_path.read_bytes()
    assert cashier(cashier_path, hasher, "add", "3", "Bob", pins=pins) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"tui-pos: {problem}: nothing changed\n")
    assert cashier_path.read_bytes() == before


def test_a_bad_name_is_refused_before_the_pin_is_asked(
    tmp_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cashiers.toml"
    assert cashier(path, hasher, "add", "1", " ") == 1  # typed() has no answer to give
    assert capsys.readouterr().err == "tui-pos: name is empty: nothing changed\n"
    assert not path.exists()


def test_add_without_a_pin_typed_changes_nothing(
    tmp_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    def end_of_input(prompt: str) -> str:
        raise EOFError

    path = tmp_path / "cashiers.toml"
    assert run(parse("add", "1", "A"), path, getpass=end_of_input, hasher=hasher) == 1
    assert capsys.readouterr().err == "tui-pos: no PIN given: nothing changed\n"
    assert not path.exists()


def test_the_pin_is_never_an_argument() -> None:
    with pytest.raises(SystemExit):
        parse("add", "12", "Anna", "4711")
    with pytest.raises(SystemExit):
        parse("add", "12", "Anna", "--pin", "4711")


@pytest.mark.parametrize("number", ["0", "10000", "١٢", "x", "-1"])
def test_a_bad_number_is_refused_by_the_parser(
    number: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        parse("add", number, "Anna")
    assert caught.value.code == 2
    assert "a cashier number is 1 to 9999" in capsys.readouterr().err


def test_list_shows_no_hash(
    cashier_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cashier(cashier_path, hasher, "list") == 0
    assert capsys.readouterr().out == (
        "  12  manager  Anna\n   3  cashier  Bob\n   7  cashier  Zoë\n"
    )


def test_list_without_a_file(
    tmp_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cashiers.toml"
    assert cashier(path, hasher, "list") == 0
    assert capsys.readouterr().out == (
        f"no cashier file {path}: the till runs with one anonymous cashier, no sign-in\n"
    )


def test_a_bad_file_is_one_line_and_exit_2(
    tmp_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cashiers.toml"
    path.write_text('[[cashier]]\nnumber = 1\nname = "A"\nrole = "cashier"\npin = "4711"\n')
    for argv, pins in ((("list",), ()), (("add", "2", "B"), ()), (("remove", "1"), ())):
        assert cashier(path, hasher, *argv, pins=pins) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"tui-pos: cashier file {path}: cashier 1 (number 1): pin is not")
        assert err.count("\n") == 1 and "4711" not in err


def test_remove(
    cashier_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cashier(cashier_path, hasher, "remove", "3") == 0
    assert capsys.readouterr().out == f"removed cashier 3 Bob from {cashier_path}\n"
    cashiers = CashierFile.load(cashier_path, hasher)
    assert list(cashiers.cashiers) == [12, 7]
    assert cashiers.verify(12, PINS[12]) is not None
    assert cashier(cashier_path, hasher, "remove", "3") == 1
    assert capsys.readouterr().err == f"tui-pos: no cashier 3 in {cashier_path}\n"


def test_removing_the_last_cashier_says_what_follows(
    tmp_path: Path, hasher: CountingHasher, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cashiers.toml"
    assert cashier(path, hasher, "add", "1", "A", pins=("1234", "1234")) == 0
    assert cashier(path, hasher, "remove", "1") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "no cashier left: the till will not start until one is added or the file deleted"
    )


def test_the_help_is_plain_text() -> None:
    parser = argparse.ArgumentParser(prog="tui-pos")
    commands = parser.add_subparsers(dest="command")
    add_arguments(commands)
    cashier_parser = commands.choices["cashier"]
    texts = [cashier_parser.format_help()]
    for action in cashier_parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [sub.format_help() for sub in action.choices.values()]
    assert len(texts) == 4
    assert not any("`" in text for text in texts)
