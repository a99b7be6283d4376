"""The GraphQL documents the till sends, one named operation each.

A test validates every document here against the contract schema, so a misspelled
field fails CI instead of a sale.
"""

from __future__ import annotations

from tui_pos.afosto.assumed import (
    ADD_CUSTOMER_MUTATION,
    CUSTOMER_SELECTION,
    ORDER_STATE_SELECTION,
    PAYMENT_OPTIONS_SELECTION,
    REMOVE_CUSTOMER_MUTATION,
    REMOVE_ITEMS_MUTATION,
    SEARCH_CUSTOMERS_QUERY,
)

ORDER_FRAGMENT = f"""
fragment OrderFields on Order {{
  id number status currency subtotal total
  items {{ ids sku label quantity subtotal total }}
  {ORDER_STATE_SELECTION}
  invoices {{ id number total created_at pdf_url }}
  customer {{ {CUSTOMER_SELECTION} }}
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
ADD_CUSTOMER = _order_mutation("AddCustomer", ADD_CUSTOMER_MUTATION, "AddCustomerToOrderInput")
REMOVE_CUSTOMER = _order_mutation(
    "RemoveCustomer", REMOVE_CUSTOMER_MUTATION, "RemoveCustomerFromOrderInput"
)

SEARCH_CUSTOMERS = f"""
query SearchCustomers($query: String!, $limit: Int) {{
  {SEARCH_CUSTOMERS_QUERY}(query: $query, limit: $limit) {{ {CUSTOMER_SELECTION} }}
}}
"""

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
