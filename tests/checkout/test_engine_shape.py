"""The engine's shape: a sale is made of parts over a shared context, none of which
inherits from another (errors and enums aside)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import tui_pos.checkout

ALLOWED_BASES = (Exception, int, str)
"""Error classes (NoRoute is a NotAllowed) and enums may extend what they refine."""


def test_no_class_of_the_engine_inherits_from_another_of_its_classes() -> None:
    found = []
    for module in pkgutil.iter_modules(tui_pos.checkout.__path__):
        loaded = importlib.import_module(f"tui_pos.checkout.{module.name}")
        for cls in vars(loaded).values():
            if not inspect.isclass(cls) or cls.__module__ != loaded.__name__:
                continue
            if issubclass(cls, ALLOWED_BASES):
                continue
            mine = [base for base in cls.__mro__[1:] if base.__module__.startswith("tui_pos.")]
            if mine:
                found.append(f"{cls.__qualname__} inherits {[b.__qualname__ for b in mine]}")
    assert found == [], found
    assert importlib.import_module("tui_pos.checkout.sale").Sale.__bases__ == (object,)
