"""A customer on the sale against the simulator: before and after the first item,
replaced, removed, lost answers read back, a customer card, an unknown card, Afosto down,
an open order, the back office, a restart, and the receipt."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.enginekit import SKUS, Crash, MakeTill, crash_at, order_id, scan_all, settled
from tests.support.waiting import until
from tui_pos.checkout import Customer, Phase, Sale, Till
from tui_pos.checkout.customer import OPEN_ORDER
from tui_pos.checkout.steps import AttachCustomer, CustomerSet, RemoveCustomer, StepState
from tui_pos.sim import Fault, Simulator
from tui_pos.sim.errors import ErrorCode

CARD = r"K\d{6}"


async def pick(sale: Sale, query: str) -> Customer:
    """The first match of a search, as the cashier picks it from the list."""
    found = await sale.search_customers(query)
    assert found.words is None, found.words
    return found.matches[0]


def on_order(sim: Simulator, sale: Sale) -> dict[str, Any] | None:
    """The customer on the sale's order in Afosto (the simulator's record)."""
    oid = order_id(sim, sale)
    order = next(o for o in sim.store.snapshot()["orders"] if o["id"] == oid)
    customer: dict[str, Any] | None = order["customer"]
    return customer


@pytest.fixture
async def card_till(make_till: MakeTill) -> Till:
    return await make_till(customer_card_pattern=CARD)


async def test_search_by_name_number_email_or_phone(sale: Sale) -> None:
    found = await sale.search_customers("janss")
    assert [(m.name, m.number) for m in found.matches] == [
        ("Jan Janssen", "K100008"),
        ("Zoë Janssens", "K100001"),
    ]
    assert found.matches[1].detail == "zoe.janssens@example.be"
    (org,) = (await sale.search_customers("K200002")).matches
    assert (org.kind, org.name) == ("organisation", "Café De Zwaan BV")
    short = await sale.search_customers(" j ")
    assert short.matches == () and short.words == "Type at least 2 characters."
    none = await sale.search_customers("nobody here")
    assert none.matches == () and none.words == 'No customer matches "nobody here".'


async def test_a_search_while_afosto_is_down_says_so(sale: Sale, sim: Simulator) -> None:
    sim.inject("searchCustomers", Fault("status", status=503))
    found = await sale.search_customers("zoë")
    assert found.matches == () and found.words is not None
    assert found.words.startswith("No search: Afosto has a problem on its side")
    assert sale.view.error is None  # a search is no step of the sale


async def test_before_the_first_item_the_order_is_made_with_the_customer(
    sale: Sale, sim: Simulator
) -> None:
    zoe = await pick(sale, "zoë")
    await sale.attach_customer(zoe)
    assert sale.view.customer == zoe and sale.view.order_number is not None
    assert sim.requests["createOrder"] == 1 and sim.requests["addCustomerToOrder"] == 0
    await scan_all(sale, SKUS[0])
    assert sim.requests["createOrder"] == 1  # the items went on that order
    assert on_order(sim, sale) == {
        "kind": "contact",
        "id": "con_1001",
        "number": "K100001",
        "name": "Zoë Janssens",
    }
    assert sale.view.customer == zoe and sale.view.lines[0].confirmed == 1


async def test_after_the_first_item_the_customer_is_added_then_replaced_then_removed(
    sale: Sale, sim: Simulator
) -> None:
    await scan_all(sale, SKUS[0], SKUS[1])
    zoe, zwaan = await pick(sale, "zoë"), await pick(sale, "zwaan")
    await sale.attach_customer(zoe)
    assert sale.view.customer == zoe and sim.requests["addCustomerToOrder"] == 1
    await sale.attach_customer(zoe)  # already on it: nothing sent
    assert sim.requests["addCustomerToOrder"] == 1
    await sale.attach_customer(zwaan)
    assert sale.view.customer == zwaan and sale.view.customer.kind == "organisation"
    assert on_order(sim, sale) is not None and on_order(sim, sale)["id"] == "org_2002"  # type: ignore[index]
    await sale.remove_customer()
    assert sale.view.customer is None and on_order(sim, sale) is None
    assert sale.view.error is None and len(sale.view.lines) == 2


async def test_an_attach_whose_answer_is_lost_is_read_back_never_resent(
    sale: Sale, sim: Simulator, till: Till
) -> None:
    await scan_all(sale, SKUS[0])
    zoe = await pick(sale, "zoë")
    sim.inject("addCustomerToOrder", Fault("drop_after"))
    await sale.attach_customer(zoe)
    assert sale.view.customer == zoe and sale.view.error is None
    assert sim.requests["addCustomerToOrder"] == 1  # it went through: read back, not resent
    (step,) = till.journal.steps(sale.sale_id, AttachCustomer)
    assert step.state is StepState.DONE and step.result == CustomerSet("con_1001", read_back=True)


async def test_an_attach_lost_before_it_ran_is_read_back_then_sent_again(
    sale: Sale, sim: Simulator, till: Till
) -> None:
    await scan_all(sale, SKUS[0])
    zoe = await pick(sale, "zoë")
    sim.inject("addCustomerToOrder", Fault("drop_before"))
    await sale.attach_customer(zoe)
    assert sale.view.customer == zoe and on_order(sim, sale) is not None
    assert sim.requests["addCustomerToOrder"] == 2
    states = [step.state for step in till.journal.steps(sale.sale_id, AttachCustomer)]
    assert states == [StepState.FAILED, StepState.DONE]


async def test_a_remove_whose_answer_is_lost_is_read_back(
    sale: Sale, sim: Simulator, till: Till
) -> None:
    await scan_all(sale, SKUS[0])
    await sale.attach_customer(await pick(sale, "zoë"))
    sim.inject("removeCustomerFromOrder", Fault("drop_after"))
    await sale.remove_customer()
    assert sale.view.customer is None and on_order(sim, sale) is None
    assert sim.requests["removeCustomerFromOrder"] == 1
    (step,) = till.journal.steps(sale.sale_id, RemoveCustomer)
    assert step.state is StepState.DONE and step.result == CustomerSet(None, read_back=True)


async def test_afosto_down_keeps_the_customer_the_sale_had(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[0])
    zoe, zwaan = await pick(sale, "zoë"), await pick(sale, "zwaan")
    await sale.attach_customer(zoe)
    sim.inject("addCustomerToOrder", Fault("status", status=503))
    await sale.attach_customer(zwaan)
    assert sale.view.customer == zoe
    assert sale.view.error is not None
    assert sale.view.error.startswith("The customer did not change: Afosto has a problem")
    await scan_all(sale, SKUS[1])  # the sale goes on
    assert sale.view.customer == zoe and len(sale.view.lines) == 2


async def test_an_open_order_keeps_its_customer_said_in_words(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[0])
    oid = order_id(sim, sale)
    store = sim.store  # the back office takes the money and opens the order
    store.attach_payment_method(oid, "pm_cash", drawer_id="drawer_main")
    payment = store.create_payment(oid, store.order(oid).total)
    store.pay_manually(payment.id, payment.amount)
    store.open_order(oid, 0.0)
    await sale.attach_customer(await pick(sale, "zoë"))
    assert sale.view.customer is None and sale.view.error == OPEN_ORDER


async def test_a_customer_removed_in_the_back_office_disappears(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[0])
    await sale.attach_customer(await pick(sale, "zwaan"))
    sim.store.remove_customer(order_id(sim, sale))
    await scan_all(sale, SKUS[1])  # the next answer of Afosto's shows the order as it is
    assert sale.view.customer is None


async def test_a_customer_card_attaches_its_customer_and_is_no_item(
    card_till: Till, sim: Simulator
) -> None:
    sale = await card_till.start()
    await scan_all(sale, SKUS[0])
    sale.scan("K100002")
    await until(lambda: sale.view.customer is not None, "the card's customer")
    assert sale.view.customer is not None and sale.view.customer.name == "Jérôme Dubois"
    assert [line.sku for line in sale.view.lines] == [SKUS[0]]
    assert sim.requests["addItemsToOrder"] == 1  # the card never went to Afosto as an item
    sale.scan("K200003")  # another card replaces the first
    await until(
        lambda: sale.view.customer is not None and sale.view.customer.number == "K200003",
        "the second card's customer",
    )


async def test_a_card_before_the_first_item_makes_the_order_with_it(
    card_till: Till, sim: Simulator
) -> None:
    sale = await card_till.start()
    sale.scan("K100005")
    await until(lambda: sale.view.customer is not None, "the card's customer")
    await scan_all(sale, SKUS[0])
    assert on_order(sim, sale) is not None and sim.requests["createOrder"] == 1
    assert sim.requests["addCustomerToOrder"] == 0


async def test_an_unknown_card_is_said_and_the_sale_goes_on(
    card_till: Till, sim: Simulator
) -> None:
    sale = await card_till.start()
    await scan_all(sale, SKUS[0])
    await sale.attach_customer(await pick(sale, "zoë"))
    sale.scan("K999999")
    await until(lambda: sale.view.error is not None, "the unknown card said")
    assert sale.view.error == "No customer has card K999999. Search with F5 instead."
    assert sale.view.customer is not None and sale.view.customer.number == "K100001"
    assert [line.sku for line in sale.view.lines] == [SKUS[0]]
    assert sim.requests["addItemsToOrder"] == 1


async def test_a_card_while_afosto_is_down(card_till: Till, sim: Simulator) -> None:
    sale = await card_till.start()
    await scan_all(sale, SKUS[0])
    sim.inject("searchCustomers", Fault("graphql_error", code=ErrorCode.INTERNAL_SERVER_ERROR))
    sale.scan("K100001")
    await until(lambda: sale.view.error is not None, "the card not read, said")
    assert sale.view.error is not None and sale.view.error.startswith("Customer card not read:")
    assert sale.view.customer is None and len(sale.view.lines) == 1


async def test_without_the_pattern_a_card_is_an_item(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, "K100001")
    assert sim.requests["searchCustomers"] == 0 and sim.requests["addItemsToOrder"] == 1
    assert sale.view.customer is None


async def test_after_a_restart_the_customer_comes_back_from_the_order(
    make_till: MakeTill, sim: Simulator
) -> None:
    first = await make_till()
    sale = await first.start()
    await scan_all(sale, SKUS[0])
    await sale.attach_customer(await pick(sale, "anaïs"))
    await first.close()
    sim.store.add_customer(order_id(sim, sale), {"contact_id": "con_1007"})  # back office
    again = await (await make_till()).start()
    assert again.sale_id == sale.sale_id
    assert again.view.customer is not None and again.view.customer.name == "Noëlle Maes"


async def test_after_a_restart_without_afosto_the_journal_names_the_customer(
    make_till: MakeTill, sim: Simulator
) -> None:
    first = await make_till()
    sale = await first.start()
    await scan_all(sale, SKUS[0])
    anais = await pick(sale, "anaïs")
    await sale.attach_customer(anais)
    await first.close()
    sim.inject("*", Fault("status", status=503, times=None))
    again = await (await make_till()).start(recover=False)
    assert again.view.customer == anais


async def test_the_receipt_names_the_customer(sale: Sale, till: Till) -> None:
    await scan_all(sale, SKUS[2])
    await sale.attach_customer(await pick(sale, "K200001"))
    await settled(sale)
    await sale.pay_cash(tendered=sale.view.due)
    assert sale.view.phase is Phase.DONE
    receipt = till.journal.receipt(sale.sale_id)
    assert receipt is not None and receipt.customer == "Bakkerij Het Gouden Korenaar (K200001)"


async def test_an_order_gone_from_afosto_takes_its_customer_with_it(
    sale: Sale, sim: Simulator
) -> None:
    await scan_all(sale, SKUS[0])
    await sale.attach_customer(await pick(sale, "zoë"))
    sim.store.delete_order(order_id(sim, sale))
    await scan_all(sale, SKUS[1])  # the items go on a new order, without the customer
    assert sale.view.customer is None and on_order(sim, sale) is None
    assert sale.view.error is not None and "put on a new order" in sale.view.error


@pytest.mark.parametrize("after", [True, False], ids=["ran", "never-sent"])
async def test_a_crash_during_an_attach_is_read_back_after_the_restart(
    make_till: MakeTill, sim: Simulator, after: bool
) -> None:
    first = await make_till()
    sale = await first.start()
    await scan_all(sale, SKUS[0])
    zoe = await pick(sale, "zoë")
    crash_at(first.client, "add_customer_to_order", after=after)
    with pytest.raises(Crash):
        await sale.attach_customer(zoe)
    (step,) = first.journal.steps(sale.sale_id, AttachCustomer)
    assert step.state is StepState.SENT
    await first.close()
    second = await make_till()
    again = await second.start()
    (step,) = second.journal.steps(again.sale_id, AttachCustomer)
    assert step.result == CustomerSet("con_1001" if after else None, read_back=True)
    assert step.state is (StepState.DONE if after else StepState.FAILED)
    assert again.view.customer == (zoe if after else None)
    assert sim.requests["addCustomerToOrder"] == (1 if after else 0)  # never resent by itself
