"""The cashier file: each cashier's number, name, role and PIN (an argon2 hash, never the
PIN itself), read with ``tomllib`` and written atomically by a small writer of our own.

argon2 is imported only where a PIN is hashed or checked, not when the file is read."""

from __future__ import annotations

import base64
import fcntl
import functools
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from argon2 import PasswordHasher

Role = Literal["cashier", "manager"]
ROLES: tuple[Role, ...] = get_args(Role)
DEFAULT_CASHIERS = Path("/etc/tui-pos/cashiers.toml")
NUMBERS = range(1, 10000)
PIN_LENGTHS = range(4, 9)
FILE_MODE = 0o640
KEYS = ("number", "name", "role", "pin")

ARGON2_HASH = re.compile(
    r"\$argon2(?:id|i|d)\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}"
)
"""An argon2 hash in the PHC string format argon2-cffi writes (checked without argon2)."""


@dataclass(frozen=True)
class Cashier:
    """One cashier of the till (the PIN's hash stays in the :class:`CashierFile`)."""

    number: int
    name: str
    role: Role

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


class CashierFileError(Exception):
    """The cashier file cannot be read or written; ``str()`` is one line naming it."""


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN (4 to 8 of the digits 0-9), or ``None`` when it can."""
    if not (pin.isascii() and pin.isdigit()):
        return "a PIN is digits 0-9 only"
    if len(pin) not in PIN_LENGTHS:
        return f"a PIN is {PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits"
    return None


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a cashier's name, or ``None`` when it can."""
    if not isinstance(name, str) or not name.strip():
        return "name is empty"
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        return "name has a control character or a byte that is not UTF-8 in it"
    return None


def _number_problem(number: object) -> str | None:
    if type(number) is not int:
        return "number is not a whole number"
    if number not in NUMBERS:
        return f"number {number} is not 1 to {NUMBERS.stop - 1}"
    return None


def _role_problem(role: object) -> str | None:
    if role not in ROLES:
        return f"role {role!r} is not {' or '.join(ROLES)}"
    return None


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's default parameters."""
    from argon2 import PasswordHasher

    return PasswordHasher()


class CashierFile:
    """The cashiers read from one file; :meth:`verify` checks a PIN against its hash."""

    def __init__(
        self,
        path: Path,
        cashiers: Mapping[int, Cashier],
        hashes: Mapping[int, str],
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.path = path
        self._cashiers = dict(cashiers)
        self._hashes = dict(hashes)
        self._hasher = hasher

    def __repr__(self) -> str:
        return f"CashierFile({str(self.path)!r}, {len(self._cashiers)} cashiers)"

    @classmethod
    def load(cls, path: Path, hasher: PasswordHasher | None = None) -> CashierFile:
        """Read ``path``; anything wrong in it raises :class:`CashierFileError`."""
        where = f"cashier file {path}"
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise CashierFileError(f"{where}: cannot read it: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CashierFileError(f"{where}: is not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise CashierFileError(f"{where}: not valid TOML: {exc}") from None
        unknown = sorted(set(data) - {"cashier"})
        if unknown:
            raise CashierFileError(f"{where}: unknown key {unknown[0]!r} (only [[cashier]])")
        records = data.get("cashier", [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise CashierFileError(f"{where}: cashier must be tables, each [[cashier]]")
        cashiers: dict[int, Cashier] = {}
        hashes: dict[int, str] = {}
        for index, record in enumerate(records, start=1):
            cashier, pin_hash = _record(record, f"{where}: cashier {index}")
            if cashier.number in cashiers:
                raise CashierFileError(
                    f"{where}: cashier {index}: number {cashier.number} is there twice"
                )
            cashiers[cashier.number] = cashier
            hashes[cashier.number] = pin_hash
        return cls(path, cashiers, hashes, hasher)

    @property
    def cashiers(self) -> Mapping[int, Cashier]:
        """Number -> cashier, in the file's order."""
        return MappingProxyType(self._cashiers)

    def get(self, number: int) -> Cashier | None:
        return self._cashiers.get(number)

    def verify(self, number: int, pin: str) -> Cashier | None:
        """The cashier if ``pin`` is theirs, else ``None``. An unknown number is checked
        against a dummy hash all the same, so the time taken does not tell it apart."""
        from argon2.exceptions import InvalidHashError, VerificationError

        hasher = self.hasher
        cashier = self._cashiers.get(number)
        if cashier is not None:
            pin_hash = self._hashes[number]
        else:
            pin_hash = _dummy_hash(
                hasher.memory_cost,
                hasher.time_cost,
                hasher.parallelism,
                hasher.salt_len,
                hasher.hash_len,
            )
        try:
            hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return None
        return cashier

    @property
    def hasher(self) -> PasswordHasher:
        if self._hasher is None:
            self._hasher = default_hasher()
        return self._hasher

    def _with(self, cashier: Cashier, pin_hash: str) -> CashierFile:
        cashiers = {**self._cashiers, cashier.number: cashier}
        return CashierFile(self.path, cashiers, {**self._hashes, cashier.number: pin_hash})

    def _without(self, number: int) -> CashierFile:
        cashiers = {n: c for n, c in self._cashiers.items() if n != number}
        hashes = {n: h for n, h in self._hashes.items() if n != number}
        return CashierFile(self.path, cashiers, hashes)

    def to_toml(self) -> str:
        """The file's text: one ``[[cashier]]`` table per cashier, in order."""
        tables = []
        for number, cashier in self._cashiers.items():
            tables.append(
                "[[cashier]]\n"
                f"number = {number}\n"
                f"name = {toml_string(cashier.name)}\n"
                f"role = {toml_string(cashier.role)}\n"
                f"pin = {toml_string(self._hashes[number])}\n"
            )
        return "\n".join(tables)


def _record(record: dict[str, Any], where: str) -> tuple[Cashier, str]:
    unknown = sorted(set(record) - set(KEYS))
    if unknown:
        raise CashierFileError(f"{where}: unknown key {unknown[0]!r}")
    missing = [key for key in KEYS if key not in record]
    if missing:
        raise CashierFileError(f"{where}: {missing[0]} is missing")
    number, name, role, pin_hash = (record[key] for key in KEYS)
    problem = _number_problem(number)
    if problem is None:
        where = f"{where} (number {number})"
        problem = name_problem(name) or _role_problem(role)
    if problem is None and not (isinstance(pin_hash, str) and ARGON2_HASH.fullmatch(pin_hash)):
        problem = "pin is not an argon2 hash (set the PIN with: tui-pos cashier add)"
    if problem is not None:
        raise CashierFileError(f"{where}: {problem}")
    return Cashier(number, name, role), pin_hash


@functools.cache
def _dummy_hash(memory: int, time: int, lanes: int, salt_len: int, hash_len: int) -> str:
    """A fixed hash that no PIN matches, with a hasher's parameters (so checking a PIN
    against it takes as long as against a cashier's)."""
    salt, digest = (base64.b64encode(bytes(n)).decode().rstrip("=") for n in (salt_len, hash_len))
    return f"$argon2id$v=19$m={memory},t={time},p={lanes}${salt}${digest}"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def add_or_change(
    path: Path,
    number: int,
    name: str,
    role: Role,
    pin: str,
    *,
    hasher: PasswordHasher | None = None,
) -> Cashier:
    """Add cashier ``number`` to the file at ``path`` (made if absent), or change their
    name, role and PIN; the other cashiers stay as they are. Raises ``ValueError`` for a
    number, name, role or PIN that is not allowed, :class:`CashierFileError` for a file
    that cannot be read or written."""
    problem = _number_problem(number) or name_problem(name) or _role_problem(role)
    problem = problem or pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    cashier = Cashier(number, name, role)
    with _locked(path):
        current = _current(path)
        pin_hash = (hasher or default_hasher()).hash(pin)
        _write(path, current._with(cashier, pin_hash).to_toml())
    return cashier


def remove(path: Path, number: int) -> Cashier:
    """Take cashier ``number`` out of the file; ``ValueError`` if they are not in it."""
    with _locked(path):
        current = _current(path)
        cashier = current.get(number)
        if cashier is None:
            raise ValueError(f"no cashier {number} in {path}")
        _write(path, current._without(number).to_toml())
    return cashier


def _current(path: Path) -> CashierFile:
    return CashierFile.load(path) if path.exists() else CashierFile(path, {}, {})


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Holds the directory's lock: two commands at once change the file one after the other."""
    try:
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise CashierFileError(
            f"cashier file {path}: cannot open its directory: {exc.strerror}"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` atomically (a crash leaves the old file or the new one),
    mode 0640, in the group of the old file (else the directory's)."""
    try:
        group = (path if path.exists() else path.parent).stat().st_gid
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                if os.fstat(handle.fileno()).st_gid != group:
                    os.fchown(handle.fileno(), -1, group)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as exc:
        raise CashierFileError(f"cashier file {path}: cannot write it: {exc.strerror}") from None
