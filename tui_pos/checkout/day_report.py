"""The day's reports as plain text lines, the same on screen and on paper: money as the
screen shows it (:func:`tui_pos.money.format_money`), ASCII and the euro sign only (the
console font and the printer's code page both have it)."""

from __future__ import annotations

import textwrap
import time
import unicodedata
from collections.abc import Iterable

from tui_pos.checkout.cash import CASH, Piece
from tui_pos.checkout.day import XReport, ZReport
from tui_pos.checkout.receipt import tender_name
from tui_pos.money import DEFAULT_LOCALE, Locale, format_money

MIN_COLUMNS = 24
"""Narrower, a label and an amount no longer fit on one line."""


def report_lines(report: XReport | ZReport, columns: int, locale: Locale) -> list[str]:
    """The X or Z report as lines of at most ``columns`` characters."""
    if columns < MIN_COLUMNS:
        raise ValueError(f"A day's report needs {MIN_COLUMNS} columns or more, not {columns}.")
    x = report.x if isinstance(report, ZReport) else report
    totals = x.totals

    def money(cents: int) -> str:
        return format_money(cents, locale)

    def pair(label: str, value: str) -> str:
        return _pair(label, value, columns)

    rule = "-" * columns
    closed = isinstance(report, ZReport)
    title = f"Z REPORT - day {x.day}" if closed else f"X REPORT - day {x.day} (open)"
    lines = [title, pair("Opened", _time(x.opened_at)), f"  by {_who(x.opened_by)}"]
    if isinstance(report, ZReport):
        lines += [pair("Closed", _time(report.closed_at)), f"  by {_who(report.closed_by)}"]
        if report.approved_by is not None:
            lines.append(f"  approved by manager {report.approved_by}")
    else:
        lines.append(pair("Taken", _time(x.at)))
    lines += [rule, pair("Sales", str(totals.sales)), pair("Revenue", money(totals.revenue))]
    lines += [pair(f"  {_ascii(tender_name(t.method))}", money(t.amount)) for t in totals.tenders]
    lines += [
        pair("Change given", money(totals.change)),
        pair("No sale openings", str(totals.no_sales)),
        rule,
        pair("Float", money(totals.float_amount)),
        *_pieces(x.float_counts, columns, locale),
        pair("Cash payments", money(totals.tender(CASH))),
        pair("Cash in", money(totals.cash_in)),
        pair("Cash out", money(totals.cash_out)),
        pair("Expected in drawer", money(x.expected)),
    ]
    if isinstance(report, ZReport):
        difference = report.difference
        word = " (over)" if difference > 0 else " (short)" if difference < 0 else ""
        lines += [
            pair("Counted", money(report.counted)),
            *_pieces(report.counts, columns, locale),
            pair(f"Difference{word}", money(difference)),
        ]
        if report.note:
            lines += textwrap.wrap(f"Note: {_ascii(report.note)}", columns)
    if totals.cashiers:
        lines += [rule, "Per cashier"]
        count = max(len(str(cashier.sales)) for cashier in totals.cashiers)
        width = max(len(money(cashier.revenue)) for cashier in totals.cashiers)
        for cashier in totals.cashiers:
            who = "no cashier" if cashier.cashier is None else str(cashier.cashier)
            if cashier.name:
                who += f" {_ascii(cashier.name)}"
            value = f"{cashier.sales:>{count}} x {money(cashier.revenue):>{width}}"
            lines.append(pair(who, value))
    return lines


def list_lines(z_reports: Iterable[ZReport], locale: Locale = DEFAULT_LOCALE) -> list[str]:
    """One line per Z report: the day's number, when it closed, its revenue and the
    difference counted."""
    return [
        f"{z.day:>5}  {_time(z.closed_at)}  {format_money(z.totals.revenue, locale):>15}  "
        f"{format_money(z.difference, locale):>13}"
        for z in z_reports
    ]


def _pair(label: str, value: str, columns: int) -> str:
    """``label`` left and ``value`` right on one line; a label too long is shortened."""
    room = columns - len(value) - 1
    if len(label) > room:
        label = label[: max(room - 3, 0)] + "..."
    return f"{label} {value.rjust(columns - len(label) - 1)}"


def _pieces(pieces: tuple[Piece, ...] | None, columns: int, locale: Locale) -> list[str]:
    """A line per denomination counted, aligned: ``  20 x € 50,00      € 1.000,00``."""
    if not pieces:
        return []
    count = max(len(str(piece.count)) for piece in pieces)
    width = max(len(format_money(piece.cents, locale)) for piece in pieces)
    return [
        _pair(
            f"  {piece.count:>{count}} x {format_money(piece.cents, locale):>{width}}",
            format_money(piece.total, locale),
            columns,
        )
        for piece in pieces
    ]


def _time(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


def _who(cashier: int | None) -> str:
    return "nobody signed in" if cashier is None else f"cashier {cashier}"


def _ascii(text: str) -> str:
    """``text`` in ASCII and the euro sign: accents dropped (é as e), anything else
    as ``?``, line breaks as spaces."""
    plain = unicodedata.normalize("NFKD", " ".join(text.split()))
    kept = (char for char in plain if not unicodedata.combining(char))
    return "".join(char if char == "€" or " " <= char <= "~" else "?" for char in kept)
