"""The base model and money type every Afosto model uses."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Money = Annotated[StrictInt, Field(description="integer cents")]
"""Money on the wire: an integer number of cents (``14994`` is EUR 149,94)."""


class Model(BaseModel):
    """Immutable, and ignores fields the till does not read."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class OrderStatus(StrEnum):
    CONCEPT = "CONCEPT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"
