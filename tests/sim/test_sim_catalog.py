"""The demo catalogue: valid barcodes, realistic prices, and the trainer's special SKUs."""

import pytest

from tui_pos.sim.catalog import (
    ABORTED_SKU,
    CATALOG,
    DECLINED_SKU,
    TIMED_OUT_SKU,
    ean13_check_digit,
    is_valid_ean13,
)
from tui_pos.sim.state import PaymentStatus, outcome_for_amount

EAN_SKUS = [sku for sku in CATALOG if sku.isdigit()]


def test_check_digit_matches_known_barcodes() -> None:
    assert ean13_check_digit("400638133393") == 1  # GS1's textbook example
    assert ean13_check_digit("871234567890") == 6  # 8+1+3+5+7+9 + 3*(7+2+4+6+8+0) = 114
    assert is_valid_ean13("4006381333931")
    assert not is_valid_ean13("4006381333932")
    assert not is_valid_ean13("400638133393")
    with pytest.raises(ValueError):
        ean13_check_digit("12345")


@pytest.mark.parametrize("sku", EAN_SKUS)
def test_every_numeric_sku_is_a_valid_dutch_ean13(sku: str) -> None:
    assert is_valid_ean13(sku)
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
