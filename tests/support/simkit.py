"""Shared helpers of the simulator tests: catalogue SKUs and the checkout flow over the wire."""

from __future__ import annotations

from typing import Any

import httpx

from tui_pos.sim import DEMO_CHANNEL_ID
from tui_pos.sim.catalog import CATALOG

FAST = {"terminal_delay": 0.02, "invoice_delay": 0.02}
SKUS = [sku for sku, product in CATALOG.items() if product.price % 100 not in (13, 14, 15)]
"""Products whose price is no terminal test amount (the terminal pays them)."""
PAYMENTS = "/api/commerce/payments/management"
MILK = "8752601815904"  # 119 cents
BREAD = "8760913909969"  # 269 cents
BAG = "BAG-PAPER"  # 25 cents

ORDER_FIELDS = """
  id number status currency subtotal total
  items { ids sku label quantity subtotal total }
  actions { action ids }
  payments { id amount status is_paid method_code }
  invoices { id number total created_at pdf_url }
  options {
    proceeding_step { is_action_required proceeding { action options { type method url } } }
    payment { methods { id code name terminals { id label is_online }
                        drawers { id label } issuers { id label } } }
  }
"""


class Api:
    """Thin helpers over the wire protocol, so tests read as the checkout flow."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def mutate(self, field: str, input_type: str, input: dict[str, Any]) -> dict[str, Any]:
        """Runs a mutation that answers ``{order}`` and returns the order, or the errors."""
        selection = f"{field}(input: $input) {{ order {{ {ORDER_FIELDS} }} }}"
        query = f"mutation($input: {input_type}!) {{ {selection} }}"
        result = await self.graphql(query, input=input)
        if "errors" in result:
            return result
        order: dict[str, Any] = result["data"][field]["order"]
        return order

    async def order(self, order_id: str) -> dict[str, Any]:
        result = await self.graphql(
            f"query($id: String!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}", id=order_id
        )
        order: dict[str, Any] = result["data"]["order"]
        return order

    async def create_order(self) -> dict[str, Any]:
        return await self.mutate("createOrder", "CreateOrderInput", {"channel_id": DEMO_CHANNEL_ID})

    async def add_items(self, order_id: str, *items: tuple[str, int]) -> dict[str, Any]:
        lines = [{"sku": sku, "quantity": quantity} for sku, quantity in items]
        return await self.mutate(
            "addItemsToOrder", "AddItemsToOrderInput", {"order_id": order_id, "items": lines}
        )

    async def attach(self, order_id: str, method_id: str, **route: str) -> dict[str, Any]:
        return await self.mutate(
            "addPaymentMethodToOrder",
            "AddPaymentMethodToOrderInput",
            {"order_id": order_id, "method_id": method_id, **route},
        )

    async def open_order(self, order_id: str) -> dict[str, Any]:
        return await self.mutate("openOrder", "OpenOrderInput", {"order_id": order_id})

    async def invoice(self, ids: list[str], invoice_id: str | None = None) -> dict[str, Any]:
        return await self.graphql(
            "mutation($input: InvoiceItemsInput!) {"
            " invoiceItems(input: $input) { invoice { id number total created_at pdf_url } } }",
            input={"items": ids, "invoice_id": invoice_id},
        )

    async def create_payment(self, order_id: str, amount: Any) -> httpx.Response:
        return await self.client.post(
            PAYMENTS, json={"data": {"order_id": order_id, "amount": amount}}
        )

    async def pin_order(self, *items: tuple[str, int]) -> dict[str, Any]:
        """A CONCEPT order with items and the online PIN terminal attached."""
        order = await self.create_order()
        await self.add_items(order["id"], *items)
        return await self.attach(order["id"], "pm_pin", terminal_id="term_front")

    async def paid_pin_order(self, *items: tuple[str, int]) -> dict[str, Any]:
        order = await self.pin_order(*items)
        payment = (await self.create_payment(order["id"], order["total"])).json()["data"]
        settled = await self.client.get(payment["action"]["url"])
        assert settled.json()["data"]["is_paid"], settled.text
        return order


def error_code(result: dict[str, Any]) -> str:
    code: str = result["errors"][0]["extensions"]["code"]
    return code
