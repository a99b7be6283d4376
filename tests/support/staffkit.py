"""Helpers of the staff tests: a cheap argon2 hasher that counts its calls, a clock the
test moves, and cashier files written straight to disk."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher

PINS = {12: "4711", 3: "90210", 7: "12345678"}
"""The PIN of each cashier of :func:`write_cashiers`' file."""


class CountingHasher(PasswordHasher):
    """argon2id with the cheapest parameters (tests stay fast); remembers each hash it was
    asked to verify against."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def write_cashiers(path: Path, hasher: PasswordHasher) -> Path:
    """A cashier file of a manager (12), a cashier (3) and another (7), PINs :data:`PINS`."""
    roles = {12: ("Anna", "manager"), 3: ("Bob", "cashier"), 7: ("Zoë", "cashier")}
    path.write_text(
        "\n".join(
            f'[[cashier]]\nnumber = {n}\nname = "{name}"\nrole = "{role}"\n'
            f'pin = "{hasher.hash(PINS[n])}"\n'
            for n, (name, role) in roles.items()
        ),
        encoding="utf-8",
    )
    return path
