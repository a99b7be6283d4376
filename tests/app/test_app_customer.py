"""The sale's customer from the keys: F5, a search as the cashier types, Up/Down and
Enter to pick; a customer card scanned or typed; F4 in the dialog removes; Esc leaves."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tests.support.appkit import CODES, fast_simulator, make_app, scan, screen_text, type_code
from tests.support.scenarios import customer_dialog
from tests.support.waiting import wait_for
from tui_pos.app.console import key_name
from tui_pos.app.screens.customer import CustomerDialog
from tui_pos.app.screens.info import InfoScreen, own_bindings
from tui_pos.app.screens.sale import SaleScreen, shorten
from tui_pos.sim import Fault


async def test_search_pick_with_the_arrows_and_the_header_names_the_customer() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        dialog = await customer_dialog(pilot, app, "janss")
        assert [c.number for c in dialog.matches] == ["K100008", "K100001"]
        assert sim.requests["searchCustomers"] == 1  # typed fast: one search, not five
        assert "Zoë Janssens  K100001" in screen_text(app)
        await pilot.press("down", "down", "up", "down")  # stays on the last
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.view.customer is not None, what="the customer")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert app.view.customer is not None and app.view.customer.name == "Zoë Janssens"
        assert "Sale 1000001  |  1 item  |  Zoë Janssens (K100001)" in screen_text(app)
        assert sim.store.customer_of(next(iter(sim.store.orders.values()))) is not None


async def test_f4_in_the_dialog_removes_the_customer_and_esc_leaves() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await customer_dialog(pilot, app, "zwaan")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.view.customer is not None, what="the customer")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerDialog))
        await pilot.pause()
        assert "On the sale: Café De Zwaan BV (K200002)" in screen_text(app)
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.view.customer is None, what="the customer removed")
        assert isinstance(app.screen, SaleScreen)
        assert sim.store.customer_of(next(iter(sim.store.orders.values()))) is None
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))
        assert app.view.customer is None and len(app.view.lines) == 1


async def test_a_customer_card_typed_or_burst_from_a_scanner_attaches_its_customer() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await type_code(pilot, "K100002")  # as fast as a wedge scanner types
        await wait_for(pilot, lambda: app.view.customer is not None, what="the card's customer")
        assert app.view.customer is not None and app.view.customer.name == "Jérôme Dubois"
        assert [line.sku for line in app.view.lines] == [CODES[0]]
        assert sim.requests["addItemsToOrder"] == 1
        await type_code(pilot, "K999999")
        await wait_for(pilot, lambda: app.view.error is not None, what="the unknown card said")
        await pilot.pause()
        assert "No customer has card K999999" in screen_text(app)
        assert app.view.customer is not None and app.view.customer.number == "K100002"


async def test_the_latest_query_wins_and_a_late_answer_is_dropped() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        sim.inject("searchCustomers", Fault("delay", seconds=0.6))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerDialog))
        dialog = app.screen
        assert isinstance(dialog, CustomerDialog)
        await pilot.press("b", "a")
        await wait_for(pilot, lambda: dialog.asked == "ba", what="the first search sent")
        await pilot.press("k", "k")  # typed while "ba" is in flight: it waits its turn
        await wait_for(pilot, lambda: dialog.shown == "bakk", seconds=5, what="the latest")
        assert dialog.asked is None and sim.requests["searchCustomers"] == 2
        assert [c.number for c in dialog.matches] == ["K200001", "K100006"]


async def test_afosto_down_says_so_in_the_dialog_and_the_sale_goes_on() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        sim.inject("searchCustomers", Fault("status", status=503))
        dialog = await customer_dialog(pilot, app, "zoë")
        assert dialog.matches == ()
        assert "No search: Afosto has a problem on its side" in screen_text(app)
        await pilot.press("escape")
        await scan(pilot, app, CODES[1])
        assert len(app.view.lines) == 2 and app.view.customer is None


def test_a_long_name_is_cut_to_fit() -> None:
    assert shorten("Bakkerij Het Gouden Korenaar (K200001)", 20) == "Bakkerij Het Goud..."
    assert shorten("Zoë (K1)", 20) == "Zoë (K1)"


async def test_f1_in_the_dialog_lists_its_keys_and_fits() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await customer_dialog(pilot, app, "zo")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        await pilot.pause()
        text = screen_text(app)
        for binding in own_bindings(dialog):
            assert f"  {key_name(binding.key)} " in text and binding.tooltip in text
        assert "name, email, phone or number" in text
        page = app.screen.query_one(VerticalScroll)
        assert page.virtual_size.height <= page.size.height, "the help needs scrolling"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dialog)
