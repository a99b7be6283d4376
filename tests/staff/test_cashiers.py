"""The cashier file: reading it, checking PINs, and writing it atomically."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import argon2
import pytest
from argon2.exceptions import VerifyMismatchError
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.staffkit import PINS, CountingHasher
from tui_pos.staff import (
    Cashier,
    CashierFile,
    CashierFileError,
    add_or_change,
    load_cashiers,
    pin_problem,
    remove,
)
from tui_pos.staff.cashiers import toml_string

GOOD_HASH = (
    "$argon2id$v=19$m=8,t=1,p=1$SvVyRgIc0I6AY8KhSdMVsw$3OZAIwMNyJ+swiuFkPlILI7tVjJvjC5smdGQ/dsbxdo"
)


def record(
    number: object = 12, name: object = "Anna", role: object = "manager", pin: object = GOOD_HASH
) -> str:
    values = {"number": number, "name": name, "role": role, "pin": pin}
    lines = [f"{key} = {_toml(value)}" for key, value in values.items()]
    return "[[cashier]]\n" + "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    return toml_string(value) if isinstance(value, str) else str(value).lower()


def test_the_cashiers_in_the_files_order(cashiers: CashierFile) -> None:
    assert list(cashiers.cashiers) == [12, 3, 7]
    assert cashiers.get(12) == Cashier(12, "Anna", "manager")
    assert cashiers.get(12) is not None and cashiers.get(12).is_manager  # type: ignore[union-attr]
    assert cashiers.get(7) == Cashier(7, "Zoë", "cashier")
    assert not Cashier(3, "Bob", "cashier").is_manager
    assert cashiers.get(99) is None


def test_verify_right_wrong_and_unknown(cashiers: CashierFile, hasher: CountingHasher) -> None:
    assert cashiers.verify(12, PINS[12]) == Cashier(12, "Anna", "manager")
    assert cashiers.verify(12, PINS[3]) is None
    assert cashiers.verify(3, "") is None
    assert cashiers.verify(99, PINS[12]) is None
    assert len(hasher.verified) == 4


def test_an_unknown_number_still_checks_one_pin_against_a_real_hash(
    cashiers: CashierFile, hasher: CountingHasher
) -> None:
    """Against a dummy of the hasher's own parameters, so it takes as long as a cashier's."""
    assert cashiers.verify(4242, "4711") is None
    assert cashiers.verify(0, "4711") is None
    assert len(hasher.verified) == 2
    dummy = hasher.verified[0]
    assert dummy == hasher.verified[1]
    parameters = argon2.extract_parameters(dummy)
    assert parameters == argon2.extract_parameters(hasher.hash("x"))
    with pytest.raises(VerifyMismatchError):  # computed and refused, not an invalid hash
        argon2.PasswordHasher().verify(dummy, "4711")


def test_no_pin_is_ever_in_the_file_a_log_or_a_repr(
    tmp_path: Path, hasher: CountingHasher, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cashiers.toml"
    with caplog.at_level(logging.DEBUG):
        add_or_change(path, 12, "Anna", "manager", "4711", hasher=hasher)
        add_or_change(path, 3, "Bob", "cashier", "90210", hasher=hasher)
        cashiers = CashierFile.load(path, hasher)
        cashiers.verify(12, "4711")
        cashiers.verify(3, "0000")
    data = path.read_bytes()
    assert b"4711" not in data and b"90210" not in data
    assert data.count(b"$argon2id$") == 2
    shown = " ".join([caplog.text, repr(cashiers), repr(cashiers.cashiers), repr(cashiers.get(12))])
    assert "4711" not in shown and "90210" not in shown and "argon2" not in shown


def test_reading_the_file_needs_no_argon2(cashier_path: Path) -> None:
    """The till reads the file at start-up; argon2 is imported at the first PIN."""
    code = (
        "import sys; from pathlib import Path; from tui_pos.staff import load_cashiers; "
        f"assert load_cashiers(Path({str(cashier_path)!r})) is not None; "
        "assert 'argon2' not in sys.modules, 'argon2 imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_file_means_no_cashiers(tmp_path: Path) -> None:
    assert load_cashiers(tmp_path / "cashiers.toml") is None


def test_a_file_without_a_cashier_stops_the_till(tmp_path: Path) -> None:
    path = tmp_path / "cashiers.toml"
    path.write_text("")
    assert CashierFile.load(path).cashiers == {}
    with pytest.raises(CashierFileError, match=f"^cashier file {path}: no cashier in it"):
        load_cashiers(path)


BAD_FILES = {
    "not TOML": ("[[cashier]\nnumber = 1\n", "not valid TOML: .*line 1"),
    "not UTF-8": (record().encode().replace(b"Anna", b"Ann\xe4"), "is not UTF-8 text"),
    "duplicate number": (record() + record(name="Other"), "cashier 2: number 12 is there twice"),
    "number 0": (record(number=0), "cashier 1: number 0 is not 1 to 9999"),
    "number 10000": (record(number=10000), "number 10000 is not 1 to 9999"),
    "number text": (record(number="12"), "cashier 1: number is not a whole number"),
    "number true": (record(number=True), "number is not a whole number"),
    "empty name": (record(name=""), r"cashier 1 \(number 12\): name is empty"),
    "blank name": (record(name="  "), "name is empty"),
    "control in name": (record(name="A\nB"), "name has a control character"),
    "name number": (record(name=5), "name is empty"),
    "bad role": (record(role="boss"), "role 'boss' is not cashier or manager"),
    "clear PIN": (record(pin="4711"), "pin is not an argon2 hash"),
    "PIN number": (record(pin=4711), "pin is not an argon2 hash"),
    "bcrypt": (record(pin="$2b$12$" + "a" * 53), "pin is not an argon2 hash"),
    "cut hash": (record(pin=GOOD_HASH[:30]), "pin is not an argon2 hash"),
    "missing pin": ('[[cashier]]\nnumber = 1\nname = "A"\nrole = "cashier"\n', "pin is missing"),
    "unknown key": (record() + 'colour = "red"\n', "unknown key 'colour'"),
    "top key": ('title = "x"\n' + record(), "unknown key 'title'"),
    "not tables": ("cashier = [1, 2]\n", r"cashier must be tables"),
}


@pytest.mark.parametrize("text, problem", BAD_FILES.values(), ids=BAD_FILES)
def test_a_bad_file_is_one_line_naming_it(tmp_path: Path, text: str | bytes, problem: str) -> None:
    path = tmp_path / "cashiers.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(CashierFileError) as caught:
        load_cashiers(path)
    words = str(caught.value)
    assert words.startswith(f"cashier file {path}: ")
    assert "\n" not in words
    assert "4711" not in words
    assert caught.match(problem)


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(
        CashierFileError, match=f"^cashier file {tmp_path}: cannot read it: Is a directory$"
    ):
        CashierFile.load(tmp_path)
    path = tmp_path / "cashiers.toml"
    path.write_text(record())
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: every file is readable")
    with pytest.raises(CashierFileError, match=r"cannot read it: Permission denied$"):
        load_cashiers(path)


def test_every_kind_of_argon2_hash_is_a_pin(tmp_path: Path) -> None:
    path = tmp_path / "cashiers.toml"
    for kind in (argon2.Type.ID, argon2.Type.I, argon2.Type.D):
        hasher = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=kind)
        path.write_text(record(pin=hasher.hash("4711")))
        assert CashierFile.load(path, hasher).verify(12, "4711") is not None


TRICKY_NAMES = [
    'Zoë "Z" O\'Neil',
    "back\\slash \\n \\u0041",
    "Åsa Ñúñez",
    "李小龙",
    "tab\there",
    "🙂",
]


def test_the_writer_round_trips_tricky_names(tmp_path: Path, hasher: CountingHasher) -> None:
    path = tmp_path / "cashiers.toml"
    names = [name.replace("\t", " ") for name in TRICKY_NAMES]
    for number, name in enumerate(names, start=1):
        add_or_change(path, number, name, "cashier", "1234", hasher=hasher)
    cashiers = CashierFile.load(path, hasher)
    assert [c.name for c in cashiers.cashiers.values()] == names
    assert cashiers.verify(2, "1234") == Cashier(2, names[1], "cashier")


@given(st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1))
def test_toml_strings_round_trip(text: str) -> None:
    assert tomllib.loads(f"name = {toml_string(text)}")["name"] == text


def test_toml_strings_escape_control_characters() -> None:
    text = "".join(map(chr, range(0x20))) + "\x7f\x85"
    assert tomllib.loads(f"name = {toml_string(text)}")["name"] == text


@settings(max_examples=25, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1).filter(str.strip))
def test_the_file_round_trips_any_name(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    path = tmp_path_factory.mktemp("names") / "cashiers.toml"
    hasher = CountingHasher()
    add_or_change(path, 1, name, "manager", "1234", hasher=hasher)
    assert CashierFile.load(path, hasher).get(1) == Cashier(1, name, "manager")


def test_change_keeps_the_others_and_their_order(
    cashier_path: Path, hasher: CountingHasher
) -> None:
    before = CashierFile.load(cashier_path).cashiers
    add_or_change(cashier_path, 3, "Robert", "manager", "5555", hasher=hasher)
    after = CashierFile.load(cashier_path, hasher)
    assert list(after.cashiers) == [12, 3, 7]
    assert after.get(3) == Cashier(3, "Robert", "manager")
    assert after.get(12) == before[12] and after.get(7) == before[7]
    assert after.verify(3, "5555") is not None and after.verify(3, PINS[3]) is None
    assert after.verify(12, PINS[12]) is not None and after.verify(7, PINS[7]) is not None
    add_or_change(cashier_path, 99, "New", "cashier", "1111", hasher=hasher)
    assert list(CashierFile.load(cashier_path).cashiers) == [12, 3, 7, 99]


def test_remove_keeps_the_others(cashier_path: Path, hasher: CountingHasher) -> None:
    assert remove(cashier_path, 3) == Cashier(3, "Bob", "cashier")
    cashiers = CashierFile.load(cashier_path, hasher)
    assert list(cashiers.cashiers) == [12, 7]
    assert cashiers.verify(7, PINS[7]) is not None
    with pytest.raises(ValueError, match=f"^no cashier 3 in {cashier_path}$"):
        remove(cashier_path, 3)


def test_the_file_is_written_0640_with_nothing_left_over(
    tmp_path: Path, hasher: CountingHasher
) -> None:
    path = tmp_path / "cashiers.toml"
    add_or_change(path, 1, "A", "cashier", "1234", hasher=hasher)
    path.chmod(0o644)
    add_or_change(path, 2, "B", "cashier", "1234", hasher=hasher)
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["cashiers.toml"]


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_whole(
    cashier_path: Path, hasher: CountingHasher, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    before = cashier_path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, step, fail)
    words = f"^cashier file {cashier_path}: cannot write it: No space left on device$"
    with pytest.raises(CashierFileError, match=words):
        add_or_change(cashier_path, 3, "Robert", "manager", "5555", hasher=hasher)
    with pytest.raises(CashierFileError, match=words):
        remove(cashier_path, 3)
    monkeypatch.undo()
    assert cashier_path.read_bytes() == before
    assert os.listdir(cashier_path.parent) == ["cashiers.toml"]


def test_a_read_only_directory_leaves_the_old_file_whole(
    cashier_path: Path, hasher: CountingHasher
) -> None:
    before = cashier_path.read_bytes()
    cashier_path.parent.chmod(0o555)
    try:
        if os.access(cashier_path.parent, os.W_OK):
            pytest.skip("running as root: every directory is writable")
        with pytest.raises(CashierFileError, match=r"cannot write it: Permission denied$"):
            add_or_change(cashier_path, 3, "Robert", "manager", "5555", hasher=hasher)
    finally:
        cashier_path.parent.chmod(0o755)
    assert cashier_path.read_bytes() == before


def test_a_bad_file_is_not_overwritten(tmp_path: Path, hasher: CountingHasher) -> None:
    path = tmp_path / "cashiers.toml"
    path.write_text(record(pin="4711"))
    with pytest.raises(CashierFileError, match="pin is not an argon2 hash"):
        add_or_change(path, 3, "Bob", "cashier", "5555", hasher=hasher)
    assert path.read_text() == record(pin="4711")


@pytest.mark.parametrize(
    "pin", ["1234", "0000", "12345678", "00000001"], ids=["4", "zeros", "8", "leading zeros"]
)
def test_a_good_pin(pin: str) -> None:
    assert pin_problem(pin) is None


@pytest.mark.parametrize(
    "pin, problem",
    [
        ("123", "a PIN is 4 to 8 digits"),
        ("123456789", "a PIN is 4 to 8 digits"),
        ("", "a PIN is digits 0-9 only"),
        ("12²4", "a PIN is digits 0-9 only"),  # Belgian keyboard
        ("١٢٣٤", "a PIN is digits 0-9 only"),  # Arabic-Indic digits
        ("\uff11\uff12\uff13\uff14", "a PIN is digits 0-9 only"),  # full-width
        ("12a4", "a PIN is digits 0-9 only"),
        ("12 34", "a PIN is digits 0-9 only"),
        ("-1234", "a PIN is digits 0-9 only"),
    ],
)
def test_a_bad_pin_is_refused(
    tmp_path: Path, hasher: CountingHasher, pin: str, problem: str
) -> None:
    assert pin_problem(pin) == problem
    with pytest.raises(ValueError, match=f"^{problem}$"):
        add_or_change(tmp_path / "cashiers.toml", 1, "A", "cashier", pin, hasher=hasher)
    assert not (tmp_path / "cashiers.toml").exists()


@pytest.mark.parametrize(
    "number, name, role, problem",
    [
        (0, "A", "cashier", "number 0 is not 1 to 9999"),
        (10000, "A", "cashier", "number 10000 is not 1 to 9999"),
        (1, " ", "cashier", "name is empty"),
        (1, "A\x1b[2J", "cashier", "name has a control character"),
        (1, "\udcff", "cashier", "name has a control character or a byte that is not UTF-8"),
        (1, "A", "boss", "role 'boss' is not cashier or manager"),
    ],
)
def test_a_bad_cashier_is_refused(
    tmp_path: Path, hasher: CountingHasher, number: int, name: str, role: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        add_or_change(tmp_path / "cashiers.toml", number, name, role, "1234", hasher=hasher)  # type: ignore[arg-type]
    assert not (tmp_path / "cashiers.toml").exists()


def test_the_file_keeps_its_group(tmp_path: Path, hasher: CountingHasher) -> None:
    """``/etc/tui-pos`` is ``root:tui-pos``: a file root writes stays readable by the till."""
    if os.geteuid() != 0:
        pytest.skip("only root gives a file another group")
    os.chown(tmp_path, -1, 4242)
    path = tmp_path / "cashiers.toml"
    add_or_change(path, 1, "A", "cashier", "1234", hasher=hasher)
    assert path.stat().st_gid == 4242
    os.chown(path, -1, 4343)
    add_or_change(path, 2, "B", "cashier", "1234", hasher=hasher)
    assert path.stat().st_gid == 4343
