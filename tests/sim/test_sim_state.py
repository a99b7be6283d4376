"""The domain rules on their own, without HTTP."""

import json
from collections.abc import Callable

import pytest

from tui_pos.sim.catalog import CATALOG
from tui_pos.sim.errors import DomainError, ErrorCode
from tui_pos.sim.state import Order, OrderStatus, PaymentStatus, Store, outcome_for_amount
from tui_pos.sim.tenant import DEMO_CHANNEL_ID

MILK, BREAD, BAG = "8752601815904", "8760913909969", "BAG-PAPER"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> Store:
    return Store(clock=clock)


def refused(code: ErrorCode, action: Callable[[], object], *words: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        action()
    assert caught.value.code is code, caught.value.message
    for word in words:
        assert word in caught.value.message
    return caught.value


def new_order(store: Store, *items: tuple[str, int]) -> Order:
    order = store.create_order(DEMO_CHANNEL_ID)
    if items:
        store.add_items(order.id, list(items))
    return order


def pay_in_full(store: Store, order: Order) -> None:
    store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
    payment = store.create_payment(order.id, order.total)
    store.pay_manually(payment.id, payment.amount)


def opened(store: Store, *items: tuple[str, int], delay: float = 1.0) -> Order:
    order = new_order(store, *items)
    pay_in_full(store, order)
    return store.open_order(order.id, delay)


class TestCreateOrder:
    def test_new_orders_are_concept_eur_with_sequential_numbers(self, store: Store) -> None:
        first, second = new_order(store), new_order(store)
        assert (first.status, first.currency, first.total) == (OrderStatus.CONCEPT, "EUR", 0)
        assert int(second.number) == int(first.number) + 1
        assert first.id != second.id

    def test_channel_is_required_and_must_exist(self, store: Store) -> None:
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.create_order(None), "channel_id")
        refused(ErrorCode.NOT_FOUND, lambda: store.create_order("webshop"), "webshop")

    def test_only_euros(self, store: Store) -> None:
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.create_order(DEMO_CHANNEL_ID, "USD"))
        assert store.create_order(DEMO_CHANNEL_ID, "EUR").currency == "EUR"


class TestItems:
    def test_same_sku_merges_into_one_line_with_an_id_per_unit(self, store: Store) -> None:
        order = new_order(store, (MILK, 2), (BAG, 1))
        store.add_items(order.id, [(MILK, 1)])
        milk = order.lines[0]
        assert [line.sku for line in order.lines] == [MILK, BAG]
        assert milk.quantity == 3 and len(set(milk.unit_ids)) == 3
        assert all(unit_id.startswith("itm_") for unit_id in order.unit_ids())
        assert milk.total == 3 * CATALOG[MILK].price
        assert order.total == 3 * CATALOG[MILK].price + CATALOG[BAG].price

    def test_unknown_sku_fails_the_whole_batch(self, store: Store) -> None:
        order = new_order(store)
        refused(
            ErrorCode.VALIDATION_ERROR,
            lambda: store.add_items(order.id, [(MILK, 1), ("0000000000000", 1)]),
            "0000000000000",
        )
        assert order.lines == []

    @pytest.mark.parametrize("quantity", [0, -1, 1000])
    def test_quantity_must_be_sane(self, store: Store, quantity: int) -> None:
        order = new_order(store)
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.add_items(order.id, [(MILK, quantity)]))
        assert order.lines == []

    def test_empty_batch_refused(self, store: Store) -> None:
        order = new_order(store)
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.add_items(order.id, []))

    def test_items_only_while_concept(self, store: Store) -> None:
        order = opened(store, (MILK, 1))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.add_items(order.id, [(MILK, 1)]))
        refused(
            ErrorCode.VALIDATION_ERROR,
            lambda: store.remove_items(order.id, order.unit_ids()[:1]),
            "concept",
        )

    def test_unknown_order(self, store: Store) -> None:
        refused(ErrorCode.NOT_FOUND, lambda: store.add_items("nope", [(MILK, 1)]))

    def test_remove_units_and_empty_lines_disappear(self, store: Store) -> None:
        order = new_order(store, (MILK, 2), (BAG, 1))
        milk_ids = order.lines[0].unit_ids
        store.remove_items(order.id, [milk_ids[0], order.lines[1].unit_ids[0]])
        assert [(line.sku, line.quantity) for line in order.lines] == [(MILK, 1)]
        assert order.unit_ids() == [milk_ids[1]]

    def test_remove_is_atomic_and_unknown_ids_are_not_found(self, store: Store) -> None:
        order = new_order(store, (MILK, 2))
        other = new_order(store, (BAG, 1))
        before = order.unit_ids()
        refused(ErrorCode.NOT_FOUND, lambda: store.remove_items(order.id, [before[0], "itm_x"]))
        refused(ErrorCode.NOT_FOUND, lambda: store.remove_items(order.id, other.unit_ids()))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.remove_items(order.id, [before[0]] * 2))
        assert order.unit_ids() == before

    def test_remove_may_not_bring_the_total_below_what_is_paid(self, store: Store) -> None:
        order = new_order(store, (MILK, 1), (BREAD, 1))
        store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
        payment = store.create_payment(order.id, CATALOG[BREAD].price)
        store.pay_manually(payment.id, payment.amount)
        refused(
            ErrorCode.VALIDATION_ERROR,
            lambda: store.remove_items(order.id, order.lines[1].unit_ids),
            "already paid",
        )
        store.remove_items(order.id, order.lines[0].unit_ids)
        assert order.due == 0


class TestPaymentMethod:
    def test_pin_needs_a_known_terminal_offline_allowed(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.attach_payment_method(order.id, "pm_pin"))
        refused(
            ErrorCode.NOT_FOUND,
            lambda: store.attach_payment_method(order.id, "pm_pin", terminal_id="term_x"),
        )
        store.attach_payment_method(order.id, "pm_pin", terminal_id="term_back")
        assert order.method is not None and order.method.terminal_id == "term_back"

    def test_cash_needs_a_drawer_and_takes_no_terminal(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        refused(
            ErrorCode.VALIDATION_ERROR, lambda: store.attach_payment_method(order.id, "pm_cash")
        )
        refused(
            ErrorCode.VALIDATION_ERROR,
            lambda: store.attach_payment_method(
                order.id, "pm_cash", drawer_id="drawer_main", terminal_id="term_front"
            ),
            "terminal_id",
        )

    def test_ideal_takes_an_issuer_or_none_and_unknown_methods_are_not_found(
        self, store: Store
    ) -> None:
        order = new_order(store, (MILK, 1))
        store.attach_payment_method(order.id, "pm_ideal")  # the customer picks on the page
        refused(
            ErrorCode.NOT_FOUND,
            lambda: store.attach_payment_method(order.id, "pm_ideal", issuer_id="NOPE"),
        )
        store.attach_payment_method(order.id, "pm_ideal", issuer_id="INGBNL2A")
        refused(ErrorCode.NOT_FOUND, lambda: store.attach_payment_method(order.id, "pm_bitcoin"))

    def test_a_new_method_replaces_the_old_one(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        store.attach_payment_method(order.id, "pm_pin", terminal_id="term_front")
        store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
        assert order.method is not None and order.method.code == "CASH"


class TestPayments:
    @pytest.mark.parametrize("amount", [0, -5, 120])
    def test_amount_must_be_positive_and_at_most_due(self, store: Store, amount: int) -> None:
        order = new_order(store, (MILK, 1))
        store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.create_payment(order.id, amount))

    def test_split_payments_count_only_when_paid(self, store: Store) -> None:
        order = new_order(store, (MILK, 2))
        store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
        first = store.create_payment(order.id, 100)
        assert order.due == 238
        store.pay_manually(first.id, 100)
        assert order.due == 138
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.create_payment(order.id, 139))
        second = store.create_payment(order.id, 138)
        store.pay_manually(second.id, 138)
        assert (order.paid, order.due) == (238, 0)

    def test_a_method_must_be_attached(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.create_payment(order.id, 119), "method")

    def test_manual_pay_checks_type_and_amount_and_is_idempotent(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
        payment = store.create_payment(order.id, 119)
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.pay_manually(payment.id, 118), "match")
        store.pay_manually(payment.id, 119)
        store.pay_manually(payment.id, 119)
        assert payment.is_paid and order.paid == 119

    @pytest.mark.parametrize(
        ("amount", "outcome"),
        [
            (613, PaymentStatus.CANCELLED),
            (1214, PaymentStatus.PENDING),
            (915, PaymentStatus.EXPIRED),
            (119, PaymentStatus.PAID),
            (100, PaymentStatus.PAID),
        ],
    )
    def test_outcome_by_the_last_two_digits(self, amount: int, outcome: PaymentStatus) -> None:
        assert outcome_for_amount(amount) is outcome

    def test_terminal_transaction_rules(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        store.attach_payment_method(order.id, "pm_pin", terminal_id="term_front")
        payment = store.create_payment(order.id, 119)
        scripted = ["CANCELLED"]
        assert store.begin_terminal_transaction(payment.id, scripted) is PaymentStatus.CANCELLED
        assert scripted == []
        assert store.terminals["term_front"].busy_with == payment.id
        refused(ErrorCode.CONFLICT, lambda: store.begin_terminal_transaction(payment.id), "busy")
        store.settle_terminal_transaction(payment.id, PaymentStatus.CANCELLED)
        assert store.terminals["term_front"].busy_with is None
        assert store.begin_terminal_transaction(payment.id) is PaymentStatus.PAID
        store.settle_terminal_transaction(payment.id, PaymentStatus.PAID)
        assert payment.start_count == 2 and payment.is_paid
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.begin_terminal_transaction(payment.id))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.pay_manually(payment.id, 119), "START")

    def test_offline_terminal_refuses_to_start(self, store: Store) -> None:
        order = new_order(store, (MILK, 1))
        store.attach_payment_method(order.id, "pm_pin", terminal_id="term_back")
        payment = store.create_payment(order.id, 119)
        refused(
            ErrorCode.VALIDATION_ERROR,
            lambda: store.begin_terminal_transaction(payment.id),
            "offline",
        )


class TestOpenAndInvoice:
    def test_open_only_when_fully_paid_with_items_and_only_once(self, store: Store) -> None:
        empty = new_order(store)
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.open_order(empty.id, 0), "no items")
        order = new_order(store, (MILK, 1))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.open_order(order.id, 0), "paid")
        pay_in_full(store, order)
        store.open_order(order.id, 0)
        assert order.status is OrderStatus.OPEN
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.open_order(order.id, 0), "concept")
        assert (order.open_count, order.open_attempts) == (1, 3)

    def test_invoice_action_only_after_processing(self, store: Store, clock: FakeClock) -> None:
        order = opened(store, (MILK, 2), delay=1.0)
        assert store.invoiceable_ids(order) == []
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.invoice_items(order.unit_ids()))
        clock.now += 1.0
        assert store.invoiceable_ids(order) == order.unit_ids()

    def test_partial_invoicing_then_adding_the_rest(self, store: Store, clock: FakeClock) -> None:
        order = opened(store, (MILK, 2), (BAG, 1), delay=0)
        first_id, *rest = order.unit_ids()
        invoice = store.invoice_items([first_id])
        assert invoice.total == CATALOG[MILK].price and invoice.number.startswith("F")
        assert store.invoiceable_ids(order) == rest
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.invoice_items([first_id]), first_id)
        refused(ErrorCode.NOT_FOUND, lambda: store.invoice_items(rest, "inv_nope"))
        same = store.invoice_items(rest, invoice.id)
        assert same is invoice and invoice.total == order.total
        assert store.invoiceable_ids(order) == []
        assert order.invoices == [invoice] and order.status is OrderStatus.OPEN

    def test_only_listed_ids_of_one_order(self, store: Store) -> None:
        first = opened(store, (MILK, 1), delay=0)
        second = opened(store, (BAG, 1), delay=0)
        concept = new_order(store, (BREAD, 1))
        mixed = [first.unit_ids()[0], second.unit_ids()[0]]
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.invoice_items(mixed), "one order")
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.invoice_items(concept.unit_ids()))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.invoice_items(["itm_unknown"]))
        refused(ErrorCode.VALIDATION_ERROR, lambda: store.invoice_items([]))
        invoice = store.invoice_items(first.unit_ids())
        refused(
            ErrorCode.VALIDATION_ERROR,
            lambda: store.invoice_items(second.unit_ids(), invoice.id),
            "another order",
        )


def test_snapshot_is_json_ready() -> None:

    store = Store()
    order = opened(store, (MILK, 1), delay=0)
    snapshot = json.loads(json.dumps(store.snapshot()))
    (entry,) = snapshot["orders"]
    assert entry["id"] == order.id and entry["open_count"] == 1
    assert entry["lines"][0]["ids"] == order.unit_ids()
    assert entry["payments"][0]["is_paid"] is True
    assert entry["invoiceable_ids"] == order.unit_ids()
