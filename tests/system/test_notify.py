"""systemd notifications arrive as datagrams on a real unix socket, path or abstract."""

from __future__ import annotations

import os

import pytest

from tests.support.systemkit import datagram_socket
from tui_pos.system import notify


@pytest.fixture(autouse=True)
def no_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("abstract", [False, True], ids=["path", "abstract"])
def test_each_notification_is_one_datagram(monkeypatch: pytest.MonkeyPatch, abstract: bool) -> None:
    with datagram_socket(abstract=abstract) as listener:
        monkeypatch.setenv("NOTIFY_SOCKET", listener.address)
        assert notify.ready()
        assert listener.receive() == "READY=1"
        assert notify.ready("sale screen up")
        assert listener.receive() == "READY=1\nSTATUS=sale screen up"
        assert notify.watchdog()
        assert listener.receive() == "WATCHDOG=1"
        assert notify.status("API unreachable")
        assert listener.receive() == "STATUS=API unreachable"
        assert notify.stopping()
        assert listener.receive() == "STOPPING=1"


def test_a_status_cannot_smuggle_in_another_field(monkeypatch: pytest.MonkeyPatch) -> None:
    with datagram_socket() as listener:
        monkeypatch.setenv("NOTIFY_SOCKET", listener.address)
        notify.status("almost\nREADY=1")
        assert listener.receive() == "STATUS=almost READY=1"


@pytest.mark.parametrize("address", [None, "", "vsock:2:1234"])
def test_outside_systemd_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch, address: str | None
) -> None:
    if address is not None:
        monkeypatch.setenv("NOTIFY_SOCKET", address)
    assert not notify.ready()
    assert not notify.watchdog()
    assert not notify.stopping()


def test_a_vanished_socket_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    with datagram_socket() as listener:
        address = listener.address
    monkeypatch.setenv("NOTIFY_SOCKET", address)
    assert not notify.watchdog()


@pytest.mark.parametrize(
    ("usec", "pid", "expected"),
    [
        ("30000000", None, 15.0),
        ("30000000", "self", 15.0),
        ("30000000", "other", None),
        ("0", None, None),
        ("soon", None, None),
        (None, None, None),
    ],
)
def test_the_watchdog_interval_is_half_of_watchdog_sec(
    monkeypatch: pytest.MonkeyPatch, usec: str | None, pid: str | None, expected: float | None
) -> None:
    if usec is not None:
        monkeypatch.setenv("WATCHDOG_USEC", usec)
    if pid is not None:
        monkeypatch.setenv("WATCHDOG_PID", str(os.getpid() + (pid == "other")))
    assert notify.watchdog_interval() == expected
