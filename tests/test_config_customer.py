"""The customer-card pattern: its default matches the demo's cards, and a bad one is a
clear line at startup; the engine gets it as the app reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_config import write
from tui_pos.config import ConfigError, load_settings
from tui_pos.sim.customers import CUSTOMERS

BASE = 'channel_id = "shop"\napi_token = "t"\n'


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in [n for n in os.environ if n.startswith("TUI_POS_")]:
        monkeypatch.delenv(name)


def test_the_default_matches_every_demo_card_and_no_demo_product(tmp_path: Path) -> None:
    from tui_pos.sim.catalog import CATALOG

    pattern = load_settings(write(tmp_path, BASE)).customer_card_pattern
    assert all(re.fullmatch(pattern, customer.number) for customer in CUSTOMERS)
    assert not any(re.fullmatch(pattern, sku) for sku in CATALOG)


def test_a_pattern_set_and_one_that_is_no_regular_expression(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, BASE + 'customer_card_pattern = "2[0-9]{12}"\n'))
    assert settings.customer_card_pattern == "2[0-9]{12}"
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, BASE + 'customer_card_pattern = "K(["\n'))
    assert "customer_card_pattern" in str(caught.value) and "\n" not in str(caught.value)
