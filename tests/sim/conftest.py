"""Fixtures for the simulator tests: a Simulator on a real socket and a client for it."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.simkit import FAST, Api
from tui_pos.sim import DEMO_TOKEN, SimServer, Simulator

# httpx builds a TLS context per client unless given one; the tests never use TLS.
TLS = ssl.create_default_context()


@pytest.fixture
def sim() -> Simulator:
    return Simulator(**FAST)


@pytest.fixture
async def server(sim: Simulator) -> AsyncIterator[SimServer]:
    async with SimServer(sim) as running:
        yield running
    await sim.wait_idle()


@pytest.fixture
async def client(server: SimServer) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=headers, timeout=5, verify=TLS
    ) as http:
        yield http


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)
