"""Fixtures shared by every layer's tests: the simulator on a real loopback socket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import SecretStr

from tui_pos.afosto import AfostoClient
from tui_pos.sim import DEMO_TOKEN, SimServer, Simulator
from tui_pos.system.redact import forget_secrets

FAST_BACKOFF = (0.01, 0.02, 0.04)


@pytest.fixture(autouse=True)
def no_tokens_of_other_tests() -> Iterator[None]:
    """The process remembers every token it reads, to blank it: each test its own."""
    forget_secrets()
    yield
    forget_secrets()


@pytest.fixture
def sim() -> Simulator:
    """A simulator with short terminal and invoicing delays, for fast tests."""
    simulator = Simulator()
    simulator.terminal_delay = 0.05
    simulator.invoice_delay = 0.05
    return simulator


@pytest.fixture
async def sim_url(sim: Simulator) -> AsyncIterator[str]:
    """The simulator served on an ephemeral 127.0.0.1 port, stopped after the test."""
    async with SimServer(sim, host="127.0.0.1", port=0) as server:
        yield server.base_url


@pytest.fixture
async def client(sim_url: str) -> AsyncIterator[AfostoClient]:
    """A client of the simulator with the demo token and a fast rate-limit back-off."""
    async with AfostoClient(
        sim_url, SecretStr(DEMO_TOKEN), timeout=2.0, rate_limit_backoff=FAST_BACKOFF
    ) as afosto:
        yield afosto
