"""End to end: a scan decoded on the reader thread reaches the sale screen."""

from __future__ import annotations

from tests.support.keys import keystrokes
from tests.support.scankit import FakeBus
from tests.support.waiting import wait_for
from tui_pos.app import create_app
from tui_pos.app.runtime import Runtime
from tui_pos.config import ScannerSettings, Settings
from tui_pos.scanner import ScannerState
from tui_pos.sim import Simulator
from tui_pos.sim.catalog import CATALOG

PATH = "/dev/input/tui-pos-scanner"


async def test_scans_reach_the_sale_screen_and_unplugging_loses_no_half_code() -> None:
    bus = FakeBus()
    device = bus.plug(PATH)
    runtime = Runtime.demo_mode(Settings(), Simulator(admin=False))
    # training reads no scanner; this test gives it one, as a live till has
    runtime.settings.scanner = ScannerSettings(device=PATH)
    runtime.scanner_opener = bus
    app = create_app(runtime)
    code = next(iter(CATALOG))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.scanner_state == ScannerState.CONNECTED.value)
        assert device.grabbed
        device.send(keystrokes(code))
        await wait_for(pilot, lambda: app.view.synced and len(app.view.lines) == 1)
        assert app.view.lines[0].sku == code
        device.send(keystrokes(code[:6], terminator=None))
        device.unplug()  # mid-scan: the half code is never added
        await wait_for(pilot, lambda: app.scanner_state == ScannerState.DISCONNECTED.value)
        await pilot.pause()
        status = app.screen.query_one("StatusLine").render()
        assert "disconnected" in str(status)
        assert [line.quantity for line in app.view.lines] == [1]
        again = bus.plug(PATH)  # plugged back in
        await wait_for(pilot, lambda: app.scanner_state == ScannerState.CONNECTED.value)
        again.send(keystrokes(code))
        await wait_for(pilot, lambda: app.view.synced and app.view.lines[0].quantity == 2)
    assert not again.grabbed and again.closed  # released on exit
