"""Refusals the engine gives the cashier before anything is sent."""


class NotAllowed(Exception):
    """The cashier asked for something the sale cannot do now; ``str()`` says why."""
