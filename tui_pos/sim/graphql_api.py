"""The GraphQL endpoint: the contract's schema (``schema.graphql``) run by graphql-core.

Resolvers turn ``Store`` objects into plain dicts with the wire's snake_case names.
Every error takes the contract's shape, ``{"message", "path", "extensions": {"code",
"status"}}``: domain refusals keep their code, documents that fail to parse or validate
(and variables that do not coerce) are ``VALIDATION_ERROR``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    execute_sync,
    parse,
    validate,
)

from tui_pos.sim.customers import Customer
from tui_pos.sim.errors import DomainError, ErrorCode
from tui_pos.sim.responses import SimResponse, graphql_error, graphql_failure, json_response
from tui_pos.sim.state import Invoice, Order, OrderStatus, Store
from tui_pos.sim.tenant import PAYMENT_METHODS, Choice

logger = logging.getLogger(__name__)


class BadGraphQLRequest(Exception):
    """The HTTP body is not a GraphQL request at all: [assumed] answered with HTTP 400."""


@dataclass(frozen=True)
class GraphQLContext:
    """What resolvers need besides their arguments."""

    store: Store
    invoice_delay: float
    base_url: str


@dataclass(frozen=True)
class GraphQLRequest:
    """A GraphQL request body; ``document`` is None when the query does not parse."""

    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    document: DocumentNode | None
    syntax_error: GraphQLError | None = field(default=None, compare=False)

    @property
    def root_fields(self) -> tuple[str, ...]:
        """The root field names of the operation(s) to run, e.g. ``("createOrder",)``."""
        if self.document is None:
            return ()
        fragments = {
            definition.name.value: definition
            for definition in self.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        names: list[str] = []
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode) and (
                self.operation_name is None
                or (definition.name is not None and definition.name.value == self.operation_name)
            ):
                _collect_fields(definition.selection_set, fragments, names, set())
        return tuple(names)


def _collect_fields(
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    names: list[str],
    seen_fragments: set[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.append(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            _collect_fields(selection.selection_set, fragments, names, seen_fragments)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen_fragments:
                seen_fragments.add(name)
                _collect_fields(fragments[name].selection_set, fragments, names, seen_fragments)


def parse_request(body: bytes) -> GraphQLRequest:
    """Reads ``{"query", "variables", "operationName"}``; raises BadGraphQLRequest."""
    try:
        payload = json.loads(body)
    except ValueError:
        raise BadGraphQLRequest("body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadGraphQLRequest("body must be a JSON object")
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise BadGraphQLRequest("query is required")
    if variables is not None and not isinstance(variables, dict):
        raise BadGraphQLRequest("variables must be a JSON object")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadGraphQLRequest("operationName must be a string")
    try:
        return GraphQLRequest(query, variables, operation_name, parse(query))
    except GraphQLError as error:
        return GraphQLRequest(query, variables, operation_name, None, error)


def execute(request: GraphQLRequest, context: GraphQLContext) -> SimResponse:
    """Runs a parsed request; the answer is HTTP 200 whatever went wrong."""
    if request.document is None:
        assert request.syntax_error is not None
        return graphql_failure(ErrorCode.VALIDATION_ERROR, request.syntax_error.message, None)
    invalid = validate(SCHEMA, request.document)
    if invalid:
        errors = [
            graphql_error(ErrorCode.VALIDATION_ERROR, error.message, None) for error in invalid
        ]
        return json_response(200, {"data": None, "errors": errors})
    result = execute_sync(
        SCHEMA,
        request.document,
        context_value=context,
        variable_values=request.variables,
        operation_name=request.operation_name,
    )
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [_error_entry(error) for error in result.errors]
    return json_response(200, payload)


def _error_entry(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, DomainError):
        return graphql_error(original.code, original.message, error.path)
    if error.path is None:  # variables that do not coerce, an unknown operationName
        return graphql_error(ErrorCode.VALIDATION_ERROR, error.message, None)
    logger.error("simulator resolver failed at %s", error.path, exc_info=original)
    return graphql_error(ErrorCode.INTERNAL_SERVER_ERROR, error.message, error.path)


# Views: Store objects as the schema's types


def _order_view(order: Order, context: GraphQLContext) -> dict[str, Any]:
    invoiceable = context.store.invoiceable_ids(order)
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status.value,
        "currency": order.currency,
        "subtotal": order.total,
        "total": order.total,
        "items": [
            {
                "ids": list(line.unit_ids),
                "sku": line.sku,
                "label": line.label,
                "quantity": line.quantity,
                "subtotal": line.total,
                "total": line.total,
            }
            for line in order.lines
        ],
        "options": {
            "proceeding_step": _proceeding_step(order),
            "payment": {"methods": _payment_methods(context.store)},
        },
        "actions": [{"action": "invoice", "ids": invoiceable}] if invoiceable else [],
        "payments": [
            {
                "id": payment.id,
                "amount": payment.amount,
                "status": payment.status.value,
                "is_paid": payment.is_paid,
                "method_code": payment.method.code,
            }
            for payment in order.payments
        ],
        "invoices": [_invoice_view(invoice, context) for invoice in order.invoices],
        "customer": _customer_view(context.store.customer_of(order)),
    }


def _customer_view(customer: Customer | None) -> dict[str, Any] | None:
    """``OrderCustomer`` and ``CustomerMatch``: the contact or the organisation."""
    if customer is None:
        return None
    if customer.is_contact:
        contact = {
            "id": customer.id,
            "number": customer.number,
            "given_name": customer.given_name,
            "family_name": customer.family_name,
            "email": customer.email,
            "phone": customer.phone,
        }
        return {"contact": contact, "organisation": None}
    organisation = {"id": customer.id, "number": customer.number, "name": customer.name}
    return {"contact": None, "organisation": organisation}


def _proceeding_step(order: Order) -> dict[str, Any] | None:
    """[assumed] None until a method is attached; then a PAYMENT step while money is due."""
    if order.method is None:
        return None
    if order.status is not OrderStatus.CONCEPT or order.due <= 0:
        return {"is_action_required": False, "proceeding": None}
    option = {"type": order.method.action_type, "method": order.method.code, "url": None}
    return {"is_action_required": True, "proceeding": {"action": "PAYMENT", "options": [option]}}


def _payment_methods(store: Store) -> list[dict[str, Any]]:
    def choices(items: tuple[Choice, ...]) -> list[dict[str, str]]:
        return [{"id": choice.id, "label": choice.label} for choice in items]

    return [
        {
            "id": spec.id,
            "code": spec.code,
            "name": spec.name,
            "terminals": [
                {
                    "id": choice.id,
                    "label": choice.label,
                    "is_online": store.terminals[choice.id].is_online,
                }
                for choice in spec.terminals
            ],
            "drawers": choices(spec.drawers),
            "issuers": choices(spec.issuers),
        }
        for spec in PAYMENT_METHODS.values()
    ]


def _invoice_view(invoice: Invoice, context: GraphQLContext) -> dict[str, Any]:
    """[assumed] pdf_url points under the base URL; the simulator does not serve it."""
    return {
        "id": invoice.id,
        "number": invoice.number,
        "total": invoice.total,
        "created_at": invoice.created_at,
        "pdf_url": f"{context.base_url}/api/commerce/invoices/{invoice.id}/pdf",
    }


# Resolvers of the root fields

if TYPE_CHECKING:  # graphql-core 3.2's GraphQLResolveInfo is not generic at runtime
    Info = GraphQLResolveInfo[GraphQLContext]
Input = dict[str, Any]
Resolver = Callable[..., Any]


def _resolve_order(_root: None, info: Info, id: str) -> dict[str, Any]:
    return _order_view(info.context.store.order(id), info.context)


def _resolve_search_customers(
    _root: None, info: Info, query: str, limit: int | None = 10
) -> list[dict[str, Any] | None]:
    found = info.context.store.search_customers(query, 10 if limit is None else limit)
    return [_customer_view(customer) for customer in found]


def _order_payload(change: Callable[[GraphQLContext, Input], Order]) -> Resolver:
    """A mutation resolver answering ``{order}`` after ``change``."""

    def resolve(_root: None, info: Info, input: Input) -> dict[str, Any]:
        return {"order": _order_view(change(info.context, input), info.context)}

    return resolve


def _resolve_invoice_items(_root: None, info: Info, input: Input) -> dict[str, Any]:
    invoice = info.context.store.invoice_items(input["items"], input.get("invoice_id"))
    return {"invoice": _invoice_view(invoice, info.context)}


_RESOLVERS: dict[str, dict[str, Resolver]] = {
    "Query": {"order": _resolve_order, "searchCustomers": _resolve_search_customers},
    "Mutation": {
        "createOrder": _order_payload(
            lambda context, input: context.store.create_order(
                input.get("channel_id"), input.get("currency"), input.get("customer")
            )
        ),
        "addItemsToOrder": _order_payload(
            lambda context, input: context.store.add_items(
                input["order_id"], [(item["sku"], item["quantity"]) for item in input["items"]]
            )
        ),
        "removeItemsFromOrder": _order_payload(
            lambda context, input: context.store.remove_items(input["order_id"], input["ids"])
        ),
        "addPaymentMethodToOrder": _order_payload(
            lambda context, input: context.store.attach_payment_method(
                input["order_id"],
                input["method_id"],
                terminal_id=input.get("terminal_id"),
                drawer_id=input.get("drawer_id"),
                issuer_id=input.get("issuer_id"),
            )
        ),
        "openOrder": _order_payload(
            lambda context, input: context.store.open_order(
                input["order_id"], context.invoice_delay
            )
        ),
        "invoiceItems": _resolve_invoice_items,
        "addCustomerToOrder": _order_payload(
            lambda context, input: context.store.add_customer(input["order_id"], input["customer"])
        ),
        "removeCustomerFromOrder": _order_payload(
            lambda context, input: context.store.remove_customer(input["order_id"])
        ),
    },
}


def _integer_output(scalar: str) -> Callable[[Any], int]:
    def coerce(value: Any) -> int:
        if type(value) is not int:
            raise GraphQLError(f"{scalar} cannot represent non-integer value: {value!r}")
        return value

    return coerce


def _build() -> GraphQLSchema:
    schema = build_schema(resources.files("tui_pos.sim").joinpath("schema.graphql").read_text())
    for scalar in ("Money", "Int64"):
        coerce = _integer_output(scalar)
        # graphql-core 3.3 calls coerce_output_value; 3.2 calls serialize.
        for attribute in ("coerce_output_value", "serialize"):
            setattr(schema.type_map[scalar], attribute, coerce)
    for type_name, fields in _RESOLVERS.items():
        root = schema.get_type(type_name)
        for field_name, resolver in fields.items():
            root.fields[field_name].resolve = resolver  # type: ignore[union-attr]
    return schema


SCHEMA = _build()
