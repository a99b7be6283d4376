"""A sale's items: the cart the cashier wants, journaled first, and the background sync
that brings the Afosto order in line with it, batching scans that arrive meanwhile."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from tui_pos.afosto import AfostoError, NotFound, Order, OutcomeUnknown, ValidationFailed
from tui_pos.checkout.codes import check_code
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.gone import ORDER_GONE_PAID, OrderGone
from tui_pos.checkout.journal import JournalError
from tui_pos.checkout.sale_base import retryable
from tui_pos.checkout.view import Phase
from tui_pos.money import format_money

log = logging.getLogger(__name__)

MAX_QUANTITY = 999


LINE_TRIES = 4
"""Calls that leave a line short before it is marked refused (each after a longer wait)."""


class ItemSync(OrderGone):
    """Scans, quantities and voids, and the sync that sends them to Afosto."""

    def scan(self, code: str, quantity: int = 1) -> None:
        """Add ``quantity`` of a scanned or typed code; the line shows at once."""
        try:
            check_code(code)
            self._check_open_for_items()
            self._set_wanted(code, self._wanted.get(code, 0) + quantity)
        except (NotAllowed, JournalError) as exc:
            self._fail(exc)

    def set_quantity(self, sku: str, quantity: int) -> None:
        """Set a line's quantity; 0 voids it."""
        try:
            self._check_open_for_items()
            if sku not in self._wanted:
                if any(line.sku == sku and line.by_afosto for line in self._view.lines):
                    raise NotAllowed(
                        f"{sku} was added to the order in Afosto; the till cannot change it."
                    )
                raise NotAllowed(f"{sku} is not in this sale.")
            self._set_wanted(sku, quantity)
        except (NotAllowed, JournalError) as exc:
            self._fail(exc)

    def void(self, sku: str) -> None:
        self.set_quantity(sku, 0)

    def _check_open_for_items(self) -> None:
        if self._view.order_gone:
            raise NotAllowed(ORDER_GONE_PAID)
        if self._view.phase not in (Phase.SCANNING, Phase.TENDER) or self._paying:
            raise NotAllowed("The sale is being paid; items can no longer change.")

    def _set_wanted(self, sku: str, quantity: int) -> None:
        if not 0 <= quantity <= MAX_QUANTITY:
            raise NotAllowed(f"A quantity must be between 0 and {MAX_QUANTITY}.")
        self._journal.set_quantity(self.id, sku, quantity)
        self._wanted[sku] = quantity
        self._refused.discard(sku)
        self._strikes.pop(sku, None)
        self._line_wait = 0.0
        self._last_change = time.monotonic()
        if self._first_unsent is None:
            self._first_unsent = self._last_change
        self._refresh_lines(error=None)
        self._kick_sync()

    def _kick_sync(self) -> None:
        if self._sync_task is None or self._sync_task.done():
            self._sync_task = self._spawn(self._sync_loop())

    async def settle_items(self) -> None:
        """Wait until Afosto holds the cart as the cashier wants it (or refused lines)."""
        while self._sync_task is not None and not self._sync_task.done():
            await asyncio.shield(self._sync_task)

    async def _sync_loop(self) -> None:
        delay = self._settings.retry_interval
        failed = False  # clear only the error this loop showed, not a refusal
        while True:
            try:
                if self._order_id is not None:  # the order is created at once, items batched
                    await self._batch_wait()
                async with self._lock:
                    if not await self._sync_once():
                        self._publish(busy=False, **({"error": None} if failed else {}))
                        return
                delay = self._settings.retry_interval
                wait = self._line_wait - time.monotonic()
                if wait > 0:  # a line Afosto answered without taking: not 50 calls a second
                    await asyncio.sleep(wait)
            except (NotAllowed, JournalError) as exc:
                self._publish(busy=False)
                self._fail(exc)
                return
            except AfostoError as exc:
                self._fail(exc)
                if not retryable(exc):
                    self._publish(busy=False)
                    return
                failed = True
                delay = await self._wait_after(exc, delay)

    async def _batch_wait(self) -> None:
        """Let a burst of scans end (``batch_quiet``), so that it goes in one call; never
        holding a scan back longer than ``batch_max``."""
        settings = self._settings
        while self._first_unsent is not None:
            until = min(
                self._last_change + settings.batch_quiet, self._first_unsent + settings.batch_max
            )
            wait = until - time.monotonic()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _sync_once(self) -> bool:
        """One call towards the wanted cart; False when nothing is left to do."""
        if self._view.order_gone:
            raise NotAllowed(ORDER_GONE_PAID)
        try:
            return await self._sync_step()
        except NotFound:
            if not await self._order_is_gone():
                raise
            await self._order_gone()  # raises when money was taken on it
            return True

    async def _sync_step(self) -> bool:
        await self._resolve_and_learn()
        if self._order is None and self._order_id is not None:
            await self._read_order()  # a resumed sale has its order: never make a second
        if self._order is None and not any(self._wanted.values()):
            return False
        self._publish(busy=True)
        if self._order is None:
            await self._create_order()
            return True
        have = self._units_by_code()
        surplus = [
            unit for sku, units in have.items() for unit in units[self._wanted.get(sku, 0) :]
        ]
        missing = {
            sku: quantity - len(have.get(sku, []))
            for sku, quantity in self._wanted.items()
            if quantity > len(have.get(sku, [])) and sku not in self._refused
        }
        self._first_unsent = None  # this call carries every change made so far
        if surplus:
            await self._remove(surplus, have)
            self._count_strikes(
                {code for code, units in have.items() if len(units) > self._wanted.get(code, 0)}
            )
        elif missing:
            await self._add(missing)
            self._count_strikes(set(missing))
        return bool(surplus or missing)

    def _count_strikes(self, codes: set[str]) -> None:
        """A call that Afosto answered but that left a line short (or long) is a strike
        for that line: the next call waits longer (doubling, capped), and after
        ``LINE_TRIES`` the line is marked refused, in words. No line is sent without end."""
        have = self._units_by_code()
        for code in codes:
            if code in self._refused or len(have.get(code, [])) == self._wanted.get(code, 0):
                self._strikes.pop(code, None)
                continue
            strikes = self._strikes[code] = self._strikes.get(code, 0) + 1
            if strikes >= LINE_TRIES:
                self._strikes.pop(code)
                self._refuse(code, None)
                continue
            retry = self._settings.retry_interval
            wait = min(retry * 2 ** (strikes - 1), retry * 8)
            self._line_wait = max(self._line_wait, time.monotonic() + wait)

    async def _add(self, missing: dict[str, int]) -> None:
        try:
            await self._mutate("add_items", {"items": missing})
        except ValidationFailed as exc:
            if len(missing) == 1:
                (sku,) = missing
                self._refuse(sku, exc)
                return
            for sku, quantity in missing.items():  # find the line Afosto refuses
                try:
                    await self._mutate("add_items", {"items": {sku: quantity}})
                except ValidationFailed as single:
                    self._refuse(sku, single)

    async def _remove(self, surplus: list[str], have: dict[str, list[str]]) -> None:
        try:
            await self._mutate("remove_items", {"ids": surplus})
        except ValidationFailed as exc:  # e.g. it would leave less than is already paid
            for sku, units in have.items():
                if self._wanted.get(sku, 0) < len(units):
                    self._journal.set_quantity(self.id, sku, len(units))
                    self._wanted[sku] = len(units)
            log.warning("sale %s: remove refused: %s", self._view.order_number, exc.message)
            paid = format_money(self._order.paid if self._order else 0, self._settings.locale)
            self._refresh_lines(
                error=f"Not removed: {paid} is paid already, and the total may not go below it."
            )

    def _refuse(self, sku: str, exc: ValidationFailed | None) -> None:
        """Drop a line Afosto will not take back to what it holds, and say why."""
        self._refused.add(sku)
        confirmed = len(self._units_by_code().get(sku, []))
        self._journal.set_quantity(self.id, sku, confirmed)
        self._wanted[sku] = confirmed
        if exc is None:  # answered, but the line never came: after LINE_TRIES calls
            self._refresh_lines(error=f"Not added: Afosto did not put {sku} on the order.")
        else:  # Afosto's reason is for the log; the cashier needs what to do
            log.warning("sale %s: %s refused: %s", self._view.order_number, sku, exc.message)
            self._refresh_lines(error=f"Not added: Afosto does not sell {sku}. Check the code.")

    async def _create_order(self) -> None:
        settings = self._settings
        step = self._journal.begin(self.id, "create_order", {"channel_id": settings.channel_id})
        try:
            order = await self._client.create_order(settings.channel_id, settings.currency)
        except OutcomeUnknown:
            # The answer is lost and no order id came back: nothing can be read back.
            self._journal.end(step, {"lost": True}, ok=False)
            raise
        except AfostoError:
            self._journal.end(step, ok=False)
            raise
        self._journal.set_order(self.id, order.id, order.number)
        self._journal.end(step, {"order_id": order.id})
        self._order_id = order.id
        self._prefetch = self._spawn(self._prefetch_options(order))
        self._apply(order)
        self._publish(order_number=order.number)

    async def _mutate(self, kind: str, data: dict[str, Any]) -> None:
        """Add or remove units: journal the intent, send, and read back if unsure."""
        assert self._order_id is not None
        before = self._line_counts()
        extra = {"before": before} if kind == "add_items" else {}
        step = self._journal.begin(self.id, kind, {"order_id": self._order_id, **data, **extra})
        try:
            if kind == "add_items":
                order = await self._client.add_items(self._order_id, data["items"])
            else:
                order = await self._client.remove_items(self._order_id, data["ids"])
        except OutcomeUnknown:
            await self._resolve()
            if kind == "add_items" and self._order is not None:
                self._learn(data["items"], before, self._order)
            raise  # read back; the caller waits before sending what is still missing
        except AfostoError:
            self._journal.end(step, ok=False)
            raise
        if kind == "add_items":
            self._learn(data["items"], before, order)
        self._journal.end(step, {"units": len(order.unit_ids)})
        self._apply(order)

    def _line_counts(self) -> dict[str, int]:
        """Units per order line, as the intent of an add keeps them (to learn from)."""
        return {item.sku: item.quantity for item in self._order.items} if self._order else {}

    async def _resolve_and_learn(self) -> None:
        """Settle the steps of unknown outcome; an add that went through, read back, still
        tells which lines it went to (by its intent's line counts before it)."""
        adds = [step for step in self._journal.unresolved(self.id) if step.kind == "add_items"]
        await self._resolve()
        for step in adds:
            if self._order is not None and "before" in step.intent:
                self._learn(step.intent["items"], step.intent["before"], self._order)

    def _learn(self, asked: dict[str, int], before: dict[str, int], after: Order) -> None:
        """Which order line each code asked for went to, by what the answer added (Afosto
        may file a barcode under another SKU, or in another case), journaled in the
        sale's note so that it holds after a restart."""
        grown = [item.sku for item in after.items if item.quantity > before.get(item.sku, 0)]
        known = {code: self._order_sku(code) for code in asked if self._sku_of.get(code)}
        unplaced = [code for code in asked if code not in known and code not in grown]
        taken = set(known.values()) | {code for code in asked if code in grown}
        left = [sku for sku in grown if sku not in taken]
        learned: dict[str, str] = {}
        if unplaced and len(left) == len(unplaced):
            learned = dict(zip(unplaced, left, strict=True))
        elif unplaced and len(left) == 1:
            learned = dict.fromkeys(unplaced, left[0])
        else:
            folded = {sku.casefold(): sku for sku in left}
            learned = {
                code: folded[code.casefold()] for code in unplaced if code.casefold() in folded
            }
        if learned:
            self._sku_of.update(learned)
            self._journal.update_note(self.id, sku_map=self._sku_of)
            self._refresh_lines()
