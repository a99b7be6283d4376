"""The demo tenant's customers: contacts and organisations with the numbers their customer
cards carry, and the search over them [assumed: the contract shows no search].

Numbers are ``K1xxxxx`` for contacts and ``K2xxxxx`` for organisations; the till's
default customer-card pattern matches them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_QUERY = 2
"""The shortest query ``searchCustomers`` takes."""

MAX_LIMIT = 50
"""The most matches one search may ask for."""


@dataclass(frozen=True)
class Customer:
    """A contact (``given_name`` and ``family_name``) or an organisation (``name`` only)."""

    id: str
    number: str
    name: str
    email: str | None = None
    phone: str | None = None
    given_name: str | None = None
    family_name: str | None = None

    @property
    def is_contact(self) -> bool:
        return self.given_name is not None

    @property
    def input_key(self) -> str:
        """The ``CustomerInput`` field that names this customer."""
        return "contact_id" if self.is_contact else "organisation_id"


def _contact(
    id: str, number: str, given: str, family: str, email: str, phone: str | None
) -> Customer:
    return Customer(id, number, f"{given} {family}", email, phone, given, family)


CUSTOMERS: tuple[Customer, ...] = (
    _contact(
        "con_1001", "K100001", "Zoë", "Janssens", "zoe.janssens@example.be", "+32 470 12 34 56"
    ),
    _contact(
        "con_1002", "K100002", "Jérôme", "Dubois", "jerome.dubois@example.be", "+32 485 98 76 54"
    ),
    _contact(
        "con_1003", "K100003", "Sanne", "de Vries", "sanne.devries@example.nl", "+31 6 12345678"
    ),
    _contact(
        "con_1004",
        "K100004",
        "Daan",
        "van den Berg",
        "daan@vandenberg.example.nl",
        "+31 6 87654321",
    ),
    _contact(
        "con_1005", "K100005", "Anaïs", "Peeters", "anais.peeters@example.be", "+32 476 55 44 33"
    ),
    _contact("con_1006", "K100006", "Thijs", "Bakker", "thijs.bakker@example.nl", None),
    _contact("con_1007", "K100007", "Noëlle", "Maes", "noelle.maes@example.be", "+32 472 11 22 33"),
    _contact("con_1008", "K100008", "Jan", "Janssen", "jan.janssen@example.nl", "+31 6 11223344"),
    Customer(
        "org_2001",
        "K200001",
        "Bakkerij Het Gouden Korenaar",
        "info@korenaar.example.nl",
        "+31 20 555 0101",
    ),
    Customer("org_2002", "K200002", "Café De Zwaan BV", "zwaan@example.be", "+32 9 555 02 02"),
    Customer("org_2003", "K200003", "Brasserie Léon & Fils", "bonjour@leon.example.be", None),
)


class Directory:
    """The customers by id, and the search the till's cashier runs over them."""

    def __init__(self, customers: Iterable[Customer] = CUSTOMERS) -> None:
        self.by_id = {customer.id: customer for customer in customers}

    def search(self, query: str, limit: int) -> list[Customer]:
        """A number matched exactly, else a part of the name, email or phone, both
        case-insensitively; best first (a number, then a name that starts with the query
        or has a word that does, then the rest), at most ``limit``. Raises ValueError."""
        wanted = query.strip().casefold()
        if len(wanted) < MIN_QUERY:
            raise ValueError(f"a search needs at least {MIN_QUERY} characters")
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
        numbered = [c for c in self.by_id.values() if c.number.casefold() == wanted]
        if numbered:
            return numbered[:limit]
        ranked = [(rank, c) for c in self.by_id.values() if (rank := _rank(c, wanted)) is not None]
        ranked.sort(key=lambda pair: (pair[0], pair[1].name.casefold(), pair[1].number))
        return [customer for _, customer in ranked[:limit]]


def _rank(customer: Customer, wanted: str) -> int | None:
    """0: a word of the name starts with the query; 1: the name holds it; 2: the email
    or phone does; None: no match."""
    name = customer.name.casefold()
    if any(word.startswith(wanted) for word in name.split()) or name.startswith(wanted):
        return 0
    if wanted in name:
        return 1
    others = (customer.email or "", customer.phone or "")
    if any(wanted in other.casefold() for other in others):
        return 2
    return None
