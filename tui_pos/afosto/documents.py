"""The GraphQL documents the till sends, one named operation each.

A test validates every document here against the contract schema, so a misspelled
field fails CI instead of a sale.
"""

from __future__ import annotations

from tui_pos.afosto.assumed import (
    ORDER_STATE_SELECTION,
    PAYMENT_OPTIONS_SELECTION,
    REMOVE_ITEMS_MUTATION,
)

ORDER_FRAGMENT = f"""
fragment OrderFields on Order {{
  id number status currency subtotal total
  items {{ ids sku label quantity subtotal total }}
  {ORDER_STATE_SELECTION}
  invoices {{ id number total created_at pdf_url }}
}}
"""

OPTIONS_FRAGMENT = f"""
fragment OrderOptionsFields on Order {{
  options {{
    proceeding_step {{
      is_action_required
      proceeding {{ action options {{ type method url }} }}
    }}
    {PAYMENT_OPTIONS_SELECTION}
  }}
}}
"""


def _order_mutation(name: str, field: str, input_type: str) -> str:
    return f"""
mutation {name}($input: {input_type}!) {{
  {field}(input: $input) {{ order {{ ...OrderFields }} }}
}}
{ORDER_FRAGMENT}"""


CREATE_ORDER = _order_mutation("CreateOrder", "createOrder", "CreateOrderInput")
ADD_ITEMS = _order_mutation("AddItems", "addItemsToOrder", "AddItemsToOrderInput")
REMOVE_ITEMS = _order_mutation("RemoveItems", REMOVE_ITEMS_MUTATION, "RemoveItemsFromOrderInput")
ADD_PAYMENT_METHOD = _order_mutation(
    "AddPaymentMethod", "addPaymentMethodToOrder", "AddPaymentMethodToOrderInput"
)
OPEN_ORDER = _order_mutation("OpenOrder", "openOrder", "OpenOrderInput")

GET_ORDER = f"""
query GetOrder($id: String!, $withOptions: Boolean! = false) {{
  order(id: $id) {{
    ...OrderFields
    ...OrderOptionsFields @include(if: $withOptions)
  }}
}}
{ORDER_FRAGMENT}
{OPTIONS_FRAGMENT}"""

INVOICE_ITEMS = """
mutation InvoiceItems($input: InvoiceItemsInput!) {
  invoiceItems(input: $input) { invoice { id number total created_at pdf_url } }
}
"""
