"""Failures put in a cashier's words."""

from __future__ import annotations

from tui_pos.afosto import Unavailable
from tui_pos.checkout.words import explain


def test_no_connection_points_at_the_network() -> None:
    text = explain(Unavailable("addItems: cannot reach the API (connection refused)"))
    assert text == "Afosto cannot be reached. Check the network; the sale is kept."


def test_a_server_error_is_afostos_not_the_network() -> None:
    text = explain(Unavailable("addItems: HTTP 503", status=503))
    assert "network" not in text and "error 503" in text and "the sale is kept" in text
