"""Waits on state, never on time: each polls its condition until a deadline and fails
with what it waited for."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual.pilot import Pilot

T = TypeVar("T")

POLL = 0.01
"""Seconds between two looks at the condition (the wait's length does not depend on it)."""


def eventually(condition: Callable[[], object], what: str, seconds: float = 15) -> None:
    """Block until ``condition()`` holds; AssertionError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened (waited {seconds} s)")
        time.sleep(POLL)


async def until(condition: Callable[[], object], what: str, seconds: float = 5) -> None:
    """Let the event loop run until ``condition()`` holds; AssertionError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened (waited {seconds} s)")
        await asyncio.sleep(POLL)


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], seconds: float = 5, what: str = "the app"
) -> None:
    """Let a Textual app (driven by ``pilot``) run until ``condition()`` holds, bounded."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} (waited {seconds} s)")
        await pilot.pause(0.02)


async def polled(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], object], what: str, seconds: float = 5
) -> T:
    """Await ``probe()`` again and again until ``done`` holds of what it returns, which
    is returned; AssertionError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done(value := await probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened (waited {seconds} s); last {value!r}")
        await asyncio.sleep(POLL)
    return value
