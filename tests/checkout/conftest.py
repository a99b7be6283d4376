"""Engine fixtures: a till on the simulator over a socket, restartable on one journal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.support.enginekit import FAST, MakeTill
from tui_pos.afosto import AfostoClient
from tui_pos.checkout import Journal, Sale, Till
from tui_pos.sim import DEMO_TOKEN


@pytest.fixture
async def make_till(sim_url: str, tmp_path: Path) -> AsyncIterator[MakeTill]:
    """Builds tills that share one journal file, each with a fresh client (a restart)."""
    made: list[Till] = []

    async def make(**changes: Any) -> Till:
        settings = replace(FAST, **changes)
        client = AfostoClient(
            sim_url, SecretStr(DEMO_TOKEN), timeout=2.0, rate_limit_backoff=(0.01, 0.01)
        )
        till = Till(client, Journal(tmp_path / "journal.sqlite3"), settings)
        made.append(till)
        return till

    yield make
    for till in made:
        await till.close()
        await till.client.aclose()


@pytest.fixture
async def till(make_till: MakeTill) -> Till:
    return await make_till()


@pytest.fixture
async def sale(till: Till) -> Sale:
    return await till.start()
