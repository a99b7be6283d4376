"""The back office behind the till's back: items added to an order, an order deleted, and
codes that Afosto files under another SKU."""

import httpx

from tests.support.simkit import BAG, BREAD, MILK, Api, error_code
from tui_pos.sim import Simulator


async def test_the_back_office_adds_items_to_an_order(api: Api, client: httpx.AsyncClient) -> None:
    order = await api.create_order()
    await api.add_items(order["id"], (MILK, 1))
    added = await client.post(
        f"/_sim/orders/{order['id']}/items", json={"items": [{"sku": BREAD, "quantity": 1}]}
    )
    assert added.status_code == 201 and added.json()["data"]["total"] == 119 + 269
    read = await api.order(order["id"])
    assert [(item["sku"], item["quantity"]) for item in read["items"]] == [(MILK, 1), (BREAD, 1)]
    unknown = await client.post(
        f"/_sim/orders/{order['id']}/items", json={"items": [{"sku": "NOPE", "quantity": 1}]}
    )
    assert unknown.status_code == 422
    assert (await client.post("/_sim/orders/nope/items", json={"items": []})).status_code == 404


async def test_a_deleted_order_is_not_found(api: Api, client: httpx.AsyncClient) -> None:
    order = await api.create_order()
    assert (await client.delete(f"/_sim/orders/{order['id']}")).status_code == 200
    assert error_code(await api.add_items(order["id"], (MILK, 1))) == "NOT_FOUND"
    assert (await client.delete(f"/_sim/orders/{order['id']}")).status_code == 404


async def test_a_code_filed_under_another_sku(
    api: Api, client: httpx.AsyncClient, sim: Simulator
) -> None:
    response = await client.post("/_sim/settings", json={"sku_aliases": {"bag-paper": BAG}})
    assert response.json()["data"]["sku_aliases"] == {"bag-paper": BAG}
    order = await api.create_order()
    answer = await api.add_items(order["id"], ("bag-paper", 2))
    items = answer["items"]
    assert [(item["sku"], item["quantity"]) for item in items] == [(BAG, 2)]
    assert sim.store.sku_aliases == {"bag-paper": BAG}
