"""The cashiers of a till and their sign-in (no screens): the cashier file, its PINs as
argon2 hashes, and the guard that makes guessing a PIN slow."""

from __future__ import annotations

from pathlib import Path

from tui_pos.staff.cashiers import (
    DEFAULT_CASHIERS,
    Cashier,
    CashierFile,
    CashierFileError,
    Role,
    add_or_change,
    name_problem,
    pin_problem,
    remove,
)
from tui_pos.staff.signin import SignIn, SignInGuard, verify_manager

__all__ = [
    "DEFAULT_CASHIERS",
    "Cashier",
    "CashierFile",
    "CashierFileError",
    "Role",
    "SignIn",
    "SignInGuard",
    "add_or_change",
    "load_cashiers",
    "name_problem",
    "pin_problem",
    "remove",
    "verify_manager",
]


def load_cashiers(path: Path) -> CashierFile | None:
    """The till's cashiers, or ``None`` when ``path`` does not exist (the till then runs
    with one anonymous cashier). A file that exists but is bad, or has no cashier in it,
    raises :class:`CashierFileError`."""
    try:
        path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CashierFileError(f"cashier file {path}: cannot read it: {exc.strerror}") from None
    cashiers = CashierFile.load(path)
    if not cashiers.cashiers:
        raise CashierFileError(
            f"cashier file {path}: no cashier in it "
            "(add one with: tui-pos cashier add; or delete the file to run without sign-in)"
        )
    return cashiers
