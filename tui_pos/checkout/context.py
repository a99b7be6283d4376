"""What the parts of one sale share: the client, the journal, the lock, the view they
publish, and the ways they read state back and send what must run once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, TypeVar

from tui_pos.afosto import (
    AfostoClient,
    AfostoError,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    ValidationFailed,
)
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import Journal
from tui_pos.checkout.settings import EngineSettings
from tui_pos.checkout.steps import I, Intent, Result, Step, StepKind, StepState
from tui_pos.checkout.view import PageState, Phase, SaleView, TerminalState
from tui_pos.checkout.words import explain, retrying

T = TypeVar("T")
log = logging.getLogger(__name__)
Listener = Callable[[SaleView], None]
Resolver = Callable[[Step[Any]], Awaitable[None]]


class SaleContext:
    """One sale's shared means; each part keeps its own state."""

    def __init__(
        self, sale_id: int, client: AfostoClient, journal: Journal, settings: EngineSettings
    ) -> None:
        self.sale_id = sale_id
        self.client = client
        self.journal = journal
        self.settings = settings
        self.cashier: tuple[int, str] | None = None
        """The signed-in cashier (number, name) whose receipts say so; none before
        cashiers sign in."""
        self.lock = asyncio.Lock()
        """Held while a part talks to Afosto for the sale: one conversation at a time."""
        self._view = SaleView()
        self._listeners: list[Listener] = []
        self._resolvers: dict[StepKind, Resolver] = {}

    # --- the view ---

    @property
    def view(self) -> SaleView:
        return self._view

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def publish(self, **changes: Any) -> None:
        self._view = replace(self._view, **changes)
        for listener in self._listeners:
            listener(self._view)

    def resting_phase(self) -> Phase:
        """Where the sale waits for the cashier: scanning, or tender once money is in."""
        if self._view.phase is Phase.DONE:
            return Phase.DONE
        return Phase.TENDER if self._view.paid else Phase.SCANNING

    def fail(self, exc: BaseException) -> None:
        """Say what went wrong in the cashier's words (Afosto's own go to the log)."""
        if isinstance(exc, AfostoError):
            log.warning("sale %s: %s", self._view.order_number, exc.message)
        self.publish(error=str(exc) if isinstance(exc, NotAllowed) else explain(exc))

    def fail_unexpectedly(self, exc: BaseException | None) -> None:
        """A step died of an error nobody foresaw: say so, and leave the cashier keys that
        work (a card payment that may have run stays "not confirmed", to be checked)."""
        log.error("sale %s: unexpected %r", self._view.order_number, exc, exc_info=exc)
        if self._view.phase is Phase.TERMINAL and self._view.card_unconfirmed:
            self.publish(terminal=TerminalState.UNKNOWN, busy=False)
        elif self._view.phase is Phase.PAGE and self._view.page is not None:
            self.publish(page=replace(self._view.page, state=PageState.UNKNOWN), busy=False)
        elif self._view.phase not in (Phase.DONE, Phase.TERMINAL, Phase.PAGE):
            self.publish(busy=False, phase=self.resting_phase())
        else:
            self.publish(busy=False)
        self.fail(exc or RuntimeError("unknown"))

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """A background task whose failure reaches the screen and the log."""

        def ended(task: asyncio.Task[None]) -> None:
            if not task.cancelled() and task.exception() is not None:
                self.fail_unexpectedly(task.exception())

        task = asyncio.get_running_loop().create_task(work)
        task.add_done_callback(ended)
        return task

    # --- talking to Afosto ---

    async def read(self, read: Callable[[], Awaitable[T]]) -> T:
        """Read with patience: an unknown outcome must be resolved before anything else."""
        delay = self.settings.retry_interval
        attempts = self.settings.read_attempts
        for attempt in range(attempts):
            try:
                return await read()
            except AfostoError as exc:
                if attempt == attempts - 1 or not retryable(exc):
                    raise
                self.fail(exc)
                delay = await self.wait_after(exc, delay)
        raise NotAllowed("Afosto did not answer. Try again.")  # read_attempts < 1

    async def wait_after(self, exc: AfostoError, delay: float) -> float:
        """Sleep before the next try: the server's Retry-After, else a doubling delay."""
        if isinstance(exc, Unauthorized) and self.reload_token():
            return delay
        wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else delay
        if isinstance(exc, RateLimited):  # what the screen says is what happens
            self.publish(error=retrying(exc, wait))
        await asyncio.sleep(wait)
        return min(delay * 2, self.settings.retry_interval * 8)

    def reload_token(self) -> bool:
        """After a 401, take a rotated token from its file; True when it changed."""
        source = self.settings.token_source
        if source is None:
            return False
        try:
            token = source()
        except Exception as exc:  # a rotated file that is bad: keep the old token, say so
            log.warning("the API token could not be read again: %s", exc)
            return False
        if token.get_secret_value() != self.client.token.get_secret_value():
            self.client.set_token(token)
            return True
        return False

    # --- steps of unknown outcome ---

    def on_unresolved(self, kind: type[I], resolver: Callable[[Step[I]], Awaitable[None]]) -> None:
        """``resolver`` settles a journaled step of ``kind`` whose outcome is unknown, by
        reading state back; each part registers its own kinds."""
        self._resolvers[kind.KIND] = resolver

    async def resolve(self) -> None:
        """Settle every journaled step whose outcome is unknown, in the order sent."""
        for step in self.journal.unresolved(self.sale_id):
            await self._resolvers[step.kind](step)

    async def exactly_once(
        self, intent: Intent, send: Callable[[], Awaitable[T]], result: Callable[[T], Result]
    ) -> T | None:
        """Send a mutation whose answer may be lost, without ever repeating it blindly.

        Returns the answer, or ``None`` when reading back showed that it went through
        (the part's resolver then holds the outcome). Only after reading back that it
        did not go through is it sent again."""
        for _ in range(self.settings.read_attempts):
            step = self.journal.begin(self.sale_id, intent)
            try:
                answer = await send()
            except OutcomeUnknown:
                await self.resolve()
                if self.journal.step(step).state is StepState.DONE:
                    return None
                continue
            except AfostoError as exc:
                self.journal.end(step, ok=False)
                if isinstance(exc, Unauthorized) and self.reload_token():
                    continue  # refused, not run: send it again with the renewed token
                raise
            self.journal.end(step, result(answer))
            return answer
        raise NotAllowed("Afosto did not confirm this step. Try again.")


async def cancel(task: asyncio.Task[Any] | None) -> None:
    """Stop a part's background task and wait for it to end."""
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def retryable(exc: AfostoError) -> bool:
    return not isinstance(exc, (NotFound, ValidationFailed))
