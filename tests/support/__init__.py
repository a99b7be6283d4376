"""Helpers shared by the tests, one of each: waits on state, keystrokes, kits per layer."""
