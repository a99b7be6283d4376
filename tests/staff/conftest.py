"""Fixtures of the staff tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.staffkit import CountingHasher, write_cashiers
from tui_pos.staff import CashierFile


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def cashier_path(tmp_path: Path, hasher: CountingHasher) -> Path:
    """A cashier file of Anna (12, manager), Bob (3) and Zoë (7)."""
    return write_cashiers(tmp_path / "cashiers.toml", hasher)


@pytest.fixture
def cashiers(cashier_path: Path, hasher: CountingHasher) -> CashierFile:
    return CashierFile.load(cashier_path, hasher)
