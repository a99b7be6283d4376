"""The till's own disk fails under it: full, or read-only. No payment starts (nothing of
it reaches Afosto) and the cashier is told why; once the disk is fine again the sale goes
on. The journal lives on a 4 MiB tmpfs of its own: filled with a file until the kernel
says ENOSPC, or remounted read-only while the till is down (a mounted filesystem cannot
be made read-only while the till holds its journal open for writing; the kernel's own
remount-ro after I/O errors cannot be provoked from a test).

The scanner unplugged mid-scan is covered in-process: tests/scanner/
test_scanner_in_the_app.py (a half code is never added, the scanner is taken back when
plugged in again) and, for every cut, test_bad_input.py's decoder properties."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.chaoskit import (
    LABEL,
    A,
    B,
    Chaos,
    TillProcess,
    assert_money_invariants,
    assert_sale_completed,
    cart,
    lines,
    newest,
    pay_cash,
    scan,
)

pytestmark = pytest.mark.chaos

NO_PAYMENT = "No payment can start"


def remount(disk: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(disk)], check=True, timeout=10)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass  # ENOSPC: the disk is full
    return filler


def nothing_paid(world: Chaos) -> None:
    state = world.server.state()
    assert not any(state["requests"].get(op) for op in ("createPayment", "payPayment"))
    assert not newest(world)["payments"]


def refused_payments(world: Chaos, till: TillProcess, why: str) -> None:
    """PIN and cash both refused, said on the screen, and nothing of them sent."""
    till.press("f9")
    till.wait_for(NO_PAYMENT, why)
    till.press("f10")  # refused before the cash screen opens
    till.wait_for(NO_PAYMENT)
    assert not till.screen.showed("Cash payment")
    nothing_paid(world)


def test_a_full_disk_stops_payments_and_says_so(disk_world: Chaos) -> None:
    world = disk_world
    till = world.start_till()
    scan(world, till, A)
    filler = fill(world.state_dir)

    till.type(B)  # not journaled, so not sent either: the cashier is told to call support
    till.wait_for("cannot save its records", "is full")
    assert cart(world.state_dir) == {A: 1} and lines(newest(world)) == {A: 1}
    refused_payments(world, till, "full")

    filler.unlink()  # support made room
    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1})


def test_a_read_only_disk_after_a_crash_stops_payments_and_says_so(
    disk_world: Chaos, small_disk: Path
) -> None:
    world = disk_world
    till = world.start_till()
    scan(world, till, A)
    till.kill()  # the power goes; the SD card comes back read-only
    remount(small_disk, "ro")
    try:
        till = world.start_till(LABEL[A])  # the sale is read back from the journal
        till.type(B)
        till.wait_for("cannot save its records", "read-only")
        refused_payments(world, till, "read-only")
        assert lines(newest(world)) == {A: 1}
        till.kill()
    finally:
        remount(small_disk, "rw")
    till = world.start_till(LABEL[A])  # writable again: the sale goes on
    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1})


def test_a_read_only_disk_at_start_is_said_in_one_line(disk_world: Chaos, small_disk: Path) -> None:
    world = disk_world
    till = world.start_till()
    scan(world, till, A)
    till.kill(15)  # a clean stop: the journal is closed, only its main file is left
    assert till.status == 0
    remount(small_disk, "ro")
    try:
        till = TillProcess(world.base_env())
        world.tills.append(till)
        till.wait_until(lambda: not till.alive(), "the till stopping", seconds=30)
        till.pump(0.2)
    finally:
        remount(small_disk, "rw")
    assert till.status == 2  # systemd starts it again in 3 s, until the disk is fixed
    said = " ".join(till.screen.raw.decode(errors="replace").split())
    assert "The till cannot save its records:" in said and "read-only" in said
    assert "No sale can start. Call support." in said and "Traceback" not in said
    assert_money_invariants(world.server.orders())
