"""GS1 check digits: properties for every format, published example codes, pass-through."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tui_pos.gtin import Verdict, check_digit, classify, is_valid_gtin, upce_to_upca

# A valid EAN-13 in full-width digits (U+FF10..): digits to str.isdigit(), not to a GTIN.
FULL_WIDTH_EAN = "4006381333931".translate({ord("0") + i: 0xFF10 + i for i in range(10)})


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


@st.composite
def one_digit_changed(draw: st.DrawFn, code: str, positions: range) -> str:
    """``code`` with the digit at one of ``positions`` replaced by another digit."""
    at = draw(st.sampled_from(positions))
    new = draw(st.sampled_from([d for d in "0123456789" if d != code[at]]))
    return code[:at] + new + code[at + 1 :]


def upce(system: str, middle: str) -> str:
    """A UPC-E code with the check digit of the UPC-A code it abbreviates."""
    return system + middle + check_digit(upce_to_upca(system + middle + "0")[:11])


@pytest.mark.parametrize("length", [12, 13, 14])
@given(data=st.data())
def test_upc_a_ean_13_and_gtin_14_check_digits(length: int, data: st.DataObject) -> None:
    code = (body := data.draw(digits(length - 1))) + check_digit(body)
    assert is_valid_gtin(code) and classify(code) is Verdict.VALID
    changed = data.draw(one_digit_changed(code, range(length)))
    assert not is_valid_gtin(changed) and classify(changed) is Verdict.BAD_CHECK_DIGIT


@given(data=st.data())
def test_ean_8_check_digit(data: st.DataObject) -> None:
    code = (body := data.draw(digits(7))) + check_digit(body)
    assert is_valid_gtin(code)
    changed = data.draw(one_digit_changed(code, range(8)))
    assume(changed[0] not in "01")  # those might, by chance, be valid as UPC-E
    assert classify(changed) is Verdict.BAD_CHECK_DIGIT


@given(data=st.data())
def test_upc_e_check_digit_via_its_upc_a_expansion(data: st.DataObject) -> None:
    code = upce(data.draw(st.sampled_from("01")), data.draw(digits(6)))
    assert is_valid_gtin(code)
    # The number system, d1..d5 and the check digit each land on one UPC-A digit; the
    # sixth digit picks the expansion rule, so changing it may go unnoticed.
    changed = data.draw(one_digit_changed(code, range(8)))
    assume(changed[0] in "01" and changed[6] == code[6])
    assert check_digit(upce_to_upca(changed)[:11]) != changed[7]


@pytest.mark.parametrize(
    ("code", "upc_a"),
    [
        ("01234505", "012000003455"),  # d6 0-2: mfr d1 d2 d6 00, item 00 d3 d4 d5
        ("01234515", "012100003455"),
        ("01234525", "012200003455"),
        ("01234535", "012300000455"),  # d6 3: mfr d1 d2 d3 00, item 000 d4 d5
        ("01234545", "012340000055"),  # d6 4: mfr d1..d4 0, item 0000 d5
        ("11234555", "112345000055"),  # d6 5-9: mfr d1..d5, item 0000 d6
        ("01234595", "012345000095"),
        ("01234565", "012345000065"),  # published examples
        ("04252614", "042100005264"),
    ],
)
def test_upc_e_expansion_rules(code: str, upc_a: str) -> None:
    assert upce_to_upca(code) == upc_a


@pytest.mark.parametrize("code", ["21234565", "0123456", "0123456a"])
def test_upc_e_expansion_refuses_other_codes(code: str) -> None:
    with pytest.raises(ValueError, match="not a UPC-E code"):
        upce_to_upca(code)


@pytest.mark.parametrize(
    "code",
    [
        "4006381333931",  # EAN-13 (Stabilo, the Wikipedia EAN-13 example)
        "5901234123457",  # EAN-13 (GS1 example)
        "9780306406157",  # EAN-13 ISBN (the Wikipedia ISBN-13 example)
        "036000291452",  # UPC-A (the Wikipedia UPC-A example)
        "96385074",  # EAN-8 (the Wikipedia EAN-8 example)
        "01234565",  # UPC-E, valid as EAN-8 as well
        "04252614",  # UPC-E only: as EAN-8 its check digit would be 0
        "04252610",  # EAN-8 only: as UPC-E its check digit would be 4
        "10012345678902",  # GTIN-14
    ],
)
def test_published_codes_are_valid(code: str) -> None:
    assert classify(code) is Verdict.VALID


@pytest.mark.parametrize(
    "code",
    [
        "8710398503968",  # GS1 Netherlands prefix 871, but the check digit would be 1
        "4006381333932",
        "036000291453",
        "96385075",
        "04252615",  # neither EAN-8 (0) nor UPC-E (4)
        "10012345678903",
        "12345678",  # an all-digit in-house SKU of GTIN length is refused too
    ],
)
def test_wrong_check_digits_are_refused(code: str) -> None:
    assert classify(code) is Verdict.BAD_CHECK_DIGIT


@pytest.mark.parametrize(
    "code",
    [
        "BAG-PAPER",
        "ABC-123",
        "",
        "12345",
        "1234567",
        "123456789",
        "123456789012345",
        "4006381333931 ",
        FULL_WIDTH_EAN,
    ],
)
def test_other_codes_pass_through(code: str) -> None:
    assert classify(code) is Verdict.OTHER
    assert not is_valid_gtin(code)
