"""The Afosto API client: HTTP, GraphQL and pydantic models, nothing of sales or screens."""

from tui_pos.afosto.assumed import CustomerMatch
from tui_pos.afosto.client import AfostoClient
from tui_pos.afosto.errors import (
    AfostoError,
    Conflict,
    Forbidden,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from tui_pos.afosto.models import CustomerInput, Invoice, Order, OrderCustomer, OrderItem, Payment

__all__ = [
    "AfostoClient",
    "AfostoError",
    "Conflict",
    "CustomerInput",
    "CustomerMatch",
    "Forbidden",
    "InvalidResponse",
    "Invoice",
    "NotFound",
    "Order",
    "OrderCustomer",
    "OrderItem",
    "OutcomeUnknown",
    "Payment",
    "RateLimited",
    "Unauthorized",
    "Unavailable",
    "ValidationFailed",
]
