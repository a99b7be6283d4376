"""A sale's items: the cart the cashier wants, journaled first, and the background sync
that brings the Afosto order in line with it, batching scans that arrive meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

from tui_pos.afosto import AfostoError, NotFound, Order, OrderItem, OutcomeUnknown, ValidationFailed
from tui_pos.checkout.codes import check_code, check_count, check_quantity
from tui_pos.checkout.context import SaleContext, cancel, retryable
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import JournalError, SaleRecord
from tui_pos.checkout.order import ORDER_GONE_PAID, SaleOrder
from tui_pos.checkout.steps import AddItems, RemoveItems, Step, Units
from tui_pos.checkout.view import Line, PaymentLine, Phase
from tui_pos.money import format_money

log = logging.getLogger(__name__)

LINE_TRIES = 4
"""Calls that leave a line short before it is marked refused (each after a longer wait)."""
MAX_UNKNOWN = 300
"""Codes a sale remembers Afosto does not sell, refused again without asking (the
oldest is forgotten first)."""


class Cart:
    """Scans, quantities and voids, and the sync that sends them to Afosto."""

    def __init__(self, ctx: SaleContext, order: SaleOrder, record: SaleRecord) -> None:
        self._ctx = ctx
        self._order = order
        self._wanted = ctx.journal.cart(record.id)
        self._sku_of: dict[str, str] = dict(record.note.sku_map)
        """The SKU Afosto filed each scanned code under, when not the code itself."""
        self._lines: dict[str, tuple[int, OrderItem | None, Line]] = {}
        """Each code's line as last published, with the quantity and item it came from."""
        self._refused: set[str] = set()
        self._unknown: dict[str, None] = {}
        """Codes Afosto refused as not sold, in this sale, oldest first."""
        self._strikes: dict[str, int] = {}
        """Calls in a row that Afosto answered but that left a line short."""
        self._line_wait = 0.0
        """Monotonic time before which the sync sends nothing more (after a strike)."""
        self._first_unsent: float | None = None
        self._last_change = 0.0
        self._sync_task: asyncio.Task[None] | None = None
        self._frozen = False
        order.on_apply(self.refresh)
        order.on_forget(self._strikes.clear)
        ctx.on_unresolved(AddItems, self._resolve_add)
        ctx.on_unresolved(RemoveItems, self._resolve_remove)

    # --- what the cashier does ---

    def scan(self, code: str, quantity: int = 1) -> None:
        """Add ``quantity`` of a scanned or typed code; the line shows at once."""
        try:
            check_code(code)
            self._check_open()
            if code in self._unknown:  # Afosto said so in this sale: not asked again
                raise NotAllowed(_not_sold(code))
            have = self._wanted.get(code, 0)
            check_count(code, quantity, have)
            self._set_wanted(code, have + quantity)
        except (NotAllowed, JournalError) as exc:
            self._ctx.fail(exc)

    def set_quantity(self, code: str, quantity: int) -> None:
        """Set a line's quantity; 0 voids it."""
        try:
            self._check_open()
            if code not in self._wanted:
                if any(line.sku == code and line.by_afosto for line in self._ctx.view.lines):
                    raise NotAllowed(
                        f"{code} was added to the order in Afosto; the till cannot change it."
                    )
                raise NotAllowed(f"{code} is not in this sale.")
            check_quantity(quantity)
            self._set_wanted(code, quantity)
        except (NotAllowed, JournalError) as exc:
            self._ctx.fail(exc)

    @property
    def empty(self) -> bool:
        return not any(self._wanted.values())

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        """A payment is being made from the cart as it stands: it may not change."""
        self._frozen = True
        try:
            yield
        finally:
            self._frozen = False

    def _check_open(self) -> None:
        view = self._ctx.view
        if view.order_gone:
            raise NotAllowed(ORDER_GONE_PAID)
        if view.phase not in (Phase.SCANNING, Phase.TENDER) or self._frozen:
            raise NotAllowed("The sale is being paid; items can no longer change.")

    def _set_wanted(self, code: str, quantity: int) -> None:
        self._ctx.journal.set_quantity(self._ctx.sale_id, code, quantity)
        self._wanted[code] = quantity
        self._refused.discard(code)
        self._strikes.pop(code, None)
        self._line_wait = 0.0
        self._last_change = time.monotonic()
        if self._first_unsent is None:
            self._first_unsent = self._last_change
        self.refresh(error=None, **self._start_sync())  # one view: the line, and busy

    # --- the sync ---

    def kick(self) -> None:
        """Start the sync unless it runs; the sale is busy until it ends."""
        changes = self._start_sync()
        if changes:
            self._ctx.publish(**changes)

    def _start_sync(self) -> dict[str, bool]:
        """Start the sync unless it runs; the view's change that says so, if any."""
        if self._sync_task is not None and not self._sync_task.done():
            return {}
        self._sync_task = self._ctx.spawn(self._sync_loop())
        return {} if self._ctx.view.busy else {"busy": True}

    async def settle(self) -> None:
        """Bring the order in line with the cart now, inside the lock the caller holds."""
        while await self._sync_once():
            pass

    async def _sync_loop(self) -> None:
        ctx = self._ctx
        delay = ctx.settings.retry_interval
        failed = False  # clear only the error this loop showed, not a refusal
        while True:
            try:
                if self._order.id is not None:  # the order is made at once, items batched
                    await self._batch_wait()
                async with ctx.lock:
                    if not await self._sync_once():
                        ctx.publish(busy=False, **({"error": None} if failed else {}))
                        return
                delay = ctx.settings.retry_interval
                wait = self._line_wait - time.monotonic()
                if wait > 0:  # a line Afosto answered without taking: not 50 calls a second
                    await asyncio.sleep(wait)
            except (NotAllowed, JournalError) as exc:
                ctx.publish(busy=False)
                ctx.fail(exc)
                return
            except AfostoError as exc:
                ctx.fail(exc)
                if not retryable(exc):
                    ctx.publish(busy=False)
                    return
                failed = True
                delay = await ctx.wait_after(exc, delay)

    async def _batch_wait(self) -> None:
        """Let a burst of scans end (``batch_quiet``), so that it goes in one call; never
        holding a scan back longer than ``batch_max``."""
        settings = self._ctx.settings
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
        if self._ctx.view.order_gone:
            raise NotAllowed(ORDER_GONE_PAID)
        try:
            return await self._sync_step()
        except NotFound:
            if not await self._order.is_gone():
                raise
            await self._order.gone()  # raises when money was taken on it
            return True

    async def _sync_step(self) -> bool:
        await self._ctx.resolve()
        if self._order.last is None and self._order.id is not None:
            await self._order.read()  # a resumed sale has its order: never make a second
        if self._order.last is None and self.empty:
            return False
        if not self._ctx.view.busy:
            self._ctx.publish(busy=True)
        if self._order.last is None:
            await self._order.create()
            return True
        have = self.units_by_code()
        surplus = [
            unit for code, units in have.items() for unit in units[self._wanted.get(code, 0) :]
        ]
        missing = {
            code: quantity - len(have.get(code, []))
            for code, quantity in self._wanted.items()
            if quantity > len(have.get(code, [])) and code not in self._refused
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
        have = self.units_by_code()
        for code in codes:
            if code in self._refused or len(have.get(code, [])) == self._wanted.get(code, 0):
                self._strikes.pop(code, None)
                continue
            strikes = self._strikes[code] = self._strikes.get(code, 0) + 1
            if strikes >= LINE_TRIES:
                self._strikes.pop(code)
                self._refuse(code, None)
                continue
            retry = self._ctx.settings.retry_interval
            wait = min(retry * 2 ** (strikes - 1), retry * 8)
            self._line_wait = max(self._line_wait, time.monotonic() + wait)

    async def _add(self, missing: dict[str, int]) -> None:
        try:
            await self._send_add(missing)
        except ValidationFailed as exc:
            if len(missing) == 1:
                (code,) = missing
                self._refuse(code, exc)
                return
            for code, quantity in missing.items():  # find the line Afosto refuses
                try:
                    await self._send_add({code: quantity})
                except ValidationFailed as single:
                    self._refuse(code, single)

    async def _send_add(self, items: dict[str, int]) -> None:
        order = self._order.require()
        before = {item.sku: item.quantity for item in order.items}
        intent = AddItems(order.id, items, before)
        answer = await self._send(intent, lambda: self._ctx.client.add_items(order.id, items))
        self._learn(intent, answer)

    async def _remove(self, surplus: list[str], have: dict[str, list[str]]) -> None:
        order_id = self._order.require().id
        try:
            await self._send(
                RemoveItems(order_id, tuple(surplus)),
                lambda: self._ctx.client.remove_items(order_id, surplus),
            )
        except ValidationFailed as exc:  # e.g. it would leave less than is already paid
            for code, units in have.items():
                if self._wanted.get(code, 0) < len(units):
                    self._ctx.journal.set_quantity(self._ctx.sale_id, code, len(units))
                    self._wanted[code] = len(units)
            log.warning("sale %s: remove refused: %s", self._ctx.view.order_number, exc.message)
            last = self._order.last
            paid = format_money(last.paid if last else 0, self._ctx.settings.locale)
            self.refresh(
                error=f"Not removed: {paid} is paid already, and the total may not go below it."
            )

    async def _send(
        self, intent: AddItems | RemoveItems, call: Callable[[], Awaitable[Order]]
    ) -> Order:
        """Journal the intent, send, and apply the answer; when the answer is lost, read
        back (the resolver learns from it) and raise: the caller waits before sending
        what is still missing."""
        ctx = self._ctx
        step = ctx.journal.begin(ctx.sale_id, intent)
        try:
            order = await call()
        except OutcomeUnknown:
            await ctx.resolve()
            raise
        except AfostoError:
            ctx.journal.end(step, ok=False)
            raise
        ctx.journal.end(step, Units(len(order.unit_ids)))
        self._order.apply(order)
        return order

    async def _resolve_add(self, step: Step[AddItems]) -> None:
        """An add of unknown outcome: read back (the sync sends what is still missing);
        if it went through, it tells where its codes went."""
        self._learn(step.intent, await self._read_back(step.id))

    async def _resolve_remove(self, step: Step[RemoveItems]) -> None:
        await self._read_back(step.id)

    async def _read_back(self, step_id: int) -> Order:
        order = await self._order.read()
        self._ctx.journal.end(step_id, Units(len(order.unit_ids), read_back=True), ok=False)
        return order

    def _refuse(self, code: str, exc: ValidationFailed | None) -> None:
        """Drop a line Afosto will not take back to what it holds, and say why."""
        self._refused.add(code)
        confirmed = len(self.units_by_code().get(code, []))
        self._ctx.journal.set_quantity(self._ctx.sale_id, code, confirmed)
        self._wanted[code] = confirmed
        if exc is None:  # answered, but the line never came: after LINE_TRIES calls
            self.refresh(error=f"Not added: Afosto did not put {code} on the order.")
        else:  # Afosto's reason is for the log; the cashier needs what to do
            log.warning("sale %s: %s refused: %s", self._ctx.view.order_number, code, exc.message)
            if len(self._unknown) >= MAX_UNKNOWN:
                del self._unknown[next(iter(self._unknown))]
            self._unknown[code] = None
            self.refresh(error=_not_sold(code))

    def _learn(self, intent: AddItems, after: Order) -> None:
        """Which order line each code asked for went to, by what the answer added (Afosto
        may file a barcode under another SKU, or in another case), journaled in the
        sale's note so that it holds after a restart."""
        if intent.before is None:
            return
        asked, before = intent.items, intent.before
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
            sku_map = dict(self._sku_of)
            self._ctx.journal.edit_note(self._ctx.sale_id, lambda n: replace(n, sku_map=sku_map))
            self.refresh()

    # --- the lines as the order holds them ---

    def _order_sku(self, code: str) -> str:
        """The SKU of the order line a scanned code went to (by the add call's answer)."""
        return self._sku_of.get(code, code)

    def units_by_code(self) -> dict[str, list[str]]:
        """The order's units each cart code holds: a line's units go to the codes that
        were filed under its SKU, in the cart's order (the last takes what is over)."""
        order = self._order.last
        if order is None:
            return {}
        codes: dict[str, list[str]] = {}
        for code in self._wanted:
            codes.setdefault(self._order_sku(code), []).append(code)
        held: dict[str, list[str]] = {}
        for item in order.items:
            mine = codes.get(item.sku)
            if not mine:
                continue  # a line the back office added: Afosto's, never the sync's
            units = list(item.ids)
            for code in mine[:-1]:
                take = min(self._wanted[code], len(units))
                held[code], units = units[:take], units[take:]
            held[mine[-1]] = units
        return held

    def refresh(self, **changes: Any) -> None:
        """Publish the lines, totals and payments as the cart and the order hold them."""
        order = self._order.last
        order_items = order.items if order else []
        confirmed = {item.sku: item for item in order_items}
        units = self.units_by_code()
        lines = []
        for code, quantity in self._wanted.items():
            item = confirmed.get(self._order_sku(code))
            mine = units.get(code, [])
            if quantity == 0 and not mine:
                continue
            known = self._lines.get(code)
            if (
                known is not None
                and known[0] == quantity
                and known[1] is item
                and known[2].confirmed == len(mine)
            ):
                lines.append(known[2])  # the same line object: a long sale stays cheap
                continue
            line = Line(
                sku=code,
                quantity=quantity,
                confirmed=len(mine),
                label=item.label if item else None,
                unit_price=item.total // item.quantity if item and item.quantity else None,
                unit_ids=tuple(mine),
            )
            self._lines[code] = (quantity, item, line)
            lines.append(line)
        ours = {self._order_sku(code) for code in self._wanted}
        for item in order_items:
            if item.sku not in ours:  # added in Afosto (the back office): shown as it is
                lines.append(
                    Line(
                        sku=item.sku,
                        quantity=item.quantity,
                        confirmed=item.quantity,
                        label=f"{item.label} (added in Afosto)",
                        unit_price=item.total // item.quantity if item.quantity else None,
                        unit_ids=tuple(item.ids),
                        by_afosto=True,
                    )
                )
        payments = tuple(
            PaymentLine(p.id, p.method_code, p.amount, p.status.value, p.is_paid)
            for p in (order.payments if order else [])
        )
        self._ctx.publish(
            lines=tuple(lines),
            total=order.total if order else 0,
            paid=order.paid if order else 0,
            payments=payments,
            **changes,
        )

    async def close(self) -> None:
        await cancel(self._sync_task)


def _not_sold(code: str) -> str:
    """What the cashier reads of a code Afosto does not sell."""
    return f"Not added: Afosto does not sell {code}. Check the code."
