"""``tui-pos cashier add|list|remove``: the cashier file from the command line. A PIN is
asked twice with ``getpass``, never taken from the command line."""

from __future__ import annotations

import argparse
import getpass as terminal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui_pos.staff.cashiers import (
    NUMBERS,
    PIN_LENGTHS,
    ROLES,
    CashierFile,
    CashierFileError,
    add_or_change,
    name_problem,
    pin_problem,
    remove,
)
from tui_pos.staff.signin import parse_number

if TYPE_CHECKING:
    from argon2 import PasswordHasher


def add_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``cashier`` command to the subparsers ``commands``."""
    cashier = commands.add_parser("cashier", help="add, change, list or remove the cashiers")
    actions = cashier.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add", help="add a cashier, or change one's name, role and PIN (the PIN is asked twice)"
    )
    add.add_argument("number", type=_number, help=f"1 to {NUMBERS.stop - 1}")
    add.add_argument("name", help="as the till shows it")
    add.add_argument("--role", choices=ROLES, default="cashier", help="default: cashier")
    actions.add_parser("list", help="list the cashiers: number, role and name")
    gone = actions.add_parser("remove", help="remove a cashier")
    gone.add_argument("number", type=_number, help="the cashier's number")


def _number(text: str) -> int:
    number = parse_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"a cashier number is 1 to {NUMBERS.stop - 1}")
    return number


def run(
    args: argparse.Namespace,
    path: Path,
    *,
    getpass: Callable[[str], str] = terminal.getpass,
    hasher: PasswordHasher | None = None,
) -> int:
    """Run ``tui-pos cashier ...`` on the cashier file ``path``: 0 done, 1 refused (a bad
    or mismatched PIN, an unknown cashier), 2 the file cannot be read or written."""
    try:
        if args.action == "add":
            return _add(args, path, getpass, hasher)
        if args.action == "list":
            return _list(path)
        return _remove(args, path)
    except CashierFileError as exc:
        print(f"tui-pos: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"tui-pos: {exc}", file=sys.stderr)
        return 1


def _add(
    args: argparse.Namespace,
    path: Path,
    getpass: Callable[[str], str],
    hasher: PasswordHasher | None,
) -> int:
    known = path.exists() and CashierFile.load(path).get(args.number) is not None
    problem = name_problem(args.name)
    if problem is not None:  # said before the PIN is asked for
        print(f"tui-pos: {problem}: nothing changed", file=sys.stderr)
        return 1
    try:
        pin = getpass(
            f"PIN for {args.name} ({PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits): "
        )
        problem = pin_problem(pin)
        if problem is None and getpass("The same PIN again: ") != pin:
            problem = "the two PINs differ"
    except EOFError:
        problem = "no PIN given"
    if problem is not None:
        print(f"tui-pos: {problem}: nothing changed", file=sys.stderr)
        return 1
    cashier = add_or_change(path, args.number, args.name, args.role, pin, hasher=hasher)
    done = "changed" if known else "added"
    print(f"{done} cashier {cashier.number} {cashier.name} ({cashier.role}) in {path}")
    return 0


def _remove(args: argparse.Namespace, path: Path) -> int:
    cashier = remove(path, args.number)
    print(f"removed cashier {cashier.number} {cashier.name} from {path}")
    if not CashierFile.load(path).cashiers:
        print("no cashier left: the till will not start until one is added or the file deleted")
    return 0


def _list(path: Path) -> int:
    if not path.exists():
        print(f"no cashier file {path}: the till runs with one anonymous cashier, no sign-in")
        return 0
    cashiers = CashierFile.load(path).cashiers
    if not cashiers:
        print(f"no cashier in {path}")
    for cashier in cashiers.values():
        print(f"{cashier.number:>4}  {cashier.role:<7}  {cashier.name}")
    return 0
