"""The demo catalogue: valid barcodes, realistic prices, and the trainer's special SKUs."""

import pytest

from tui_pos.gtin import is_valid_gtin
from tui_pos.sim.catalog import ABORTED_SKU, CATALOG, DECLINED_SKU, TIMED_OUT_SKU
from tui_pos.sim.state import PaymentStatus, outcome_for_amount

EAN_SKUS = [sku for sku in CATALOG if sku.isdigit()]


@pytest.mark.parametrize("sku", EAN_SKUS)
def test_every_numeric_sku_is_a_valid_dutch_ean13(sku: str) -> None:
    assert len(sku) == 13 and is_valid_gtin(sku)
    assert sku.startswith("87")


def test_catalogue_size_and_shop_codes() -> None:
    assert len(EAN_SKUS) >= 25
    shop_codes = [sku for sku in CATALOG if not sku.isdigit()]
    assert 3 <= len(shop_codes) <= 4
    assert all(sku.isupper() and "-" in sku for sku in shop_codes)


def test_prices_are_positive_integer_cents_and_labels_unique() -> None:
    assert all(type(p.price) is int and p.price > 0 for p in CATALOG.values())
    labels = [p.label for p in CATALOG.values()]
    assert len(set(labels)) == len(labels)


def test_special_skus_trigger_each_unhappy_outcome_and_no_others_do() -> None:
    special = {
        DECLINED_SKU: PaymentStatus.CANCELLED,
        ABORTED_SKU: PaymentStatus.PENDING,
        TIMED_OUT_SKU: PaymentStatus.EXPIRED,
    }
    for sku, outcome in special.items():
        assert outcome_for_amount(CATALOG[sku].price) is outcome
    for sku, product in CATALOG.items():
        if sku not in special:
            assert outcome_for_amount(product.price) is PaymentStatus.PAID, sku
