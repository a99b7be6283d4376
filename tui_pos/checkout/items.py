"""A sale's items: the cart the cashier wants, journaled first, and the background sync
that brings the Afosto order in line with it, batching scans that arrive meanwhile."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tui_pos.afosto import AfostoError, OutcomeUnknown, ValidationFailed
from tui_pos.checkout.codes import check_code
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import JournalError
from tui_pos.checkout.sale_base import SaleBase, retryable
from tui_pos.checkout.view import Phase

MAX_QUANTITY = 999


class ItemSync(SaleBase):
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
                raise NotAllowed(f"{sku} is not in this sale.")
            self._set_wanted(sku, quantity)
        except (NotAllowed, JournalError) as exc:
            self._fail(exc)

    def void(self, sku: str) -> None:
        self.set_quantity(sku, 0)

    def _check_open_for_items(self) -> None:
        if self._view.phase not in (Phase.SCANNING, Phase.TENDER):
            raise NotAllowed("The sale is being paid; items can no longer change.")

    def _set_wanted(self, sku: str, quantity: int) -> None:
        if not 0 <= quantity <= MAX_QUANTITY:
            raise NotAllowed(f"A quantity must be between 0 and {MAX_QUANTITY}.")
        self._journal.set_quantity(self.id, sku, quantity)
        self._wanted[sku] = quantity
        self._refused.discard(sku)
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
        await self._resolve()
        if self._order is None and self._order_id is not None:
            await self._read_order()  # a resumed sale has its order: never make a second
        if self._order is None and not any(self._wanted.values()):
            return False
        self._publish(busy=True)
        if self._order is None:
            await self._create_order()
            return True
        have = self._units_by_sku()
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
        elif missing:
            await self._add(missing)
        return bool(surplus or missing)

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
            self._refresh_lines(error=f"Not removed. {exc.message}")

    def _refuse(self, sku: str, exc: ValidationFailed) -> None:
        """Drop a line Afosto will not take back to what it holds, and say why."""
        self._refused.add(sku)
        confirmed = len(self._units_by_sku().get(sku, []))
        self._journal.set_quantity(self.id, sku, confirmed)
        self._wanted[sku] = confirmed
        self._refresh_lines(error=f"Not added: {sku}. {exc.message}")

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
        step = self._journal.begin(self.id, kind, {"order_id": self._order_id, **data})
        try:
            if kind == "add_items":
                order = await self._client.add_items(self._order_id, data["items"])
            else:
                order = await self._client.remove_items(self._order_id, data["ids"])
        except OutcomeUnknown:
            await self._resolve()
            raise  # read back; the caller waits before sending what is still missing
        except AfostoError:
            self._journal.end(step, ok=False)
            raise
        self._journal.end(step, {"units": len(order.unit_ids)})
        self._apply(order)

    def _units_by_sku(self) -> dict[str, list[str]]:
        if self._order is None:
            return {}
        return {item.sku: list(item.ids) for item in self._order.items}
