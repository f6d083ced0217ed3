"""The product API: every route, the happy paths and the ways requests go wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from foundry.auth_scaffolding import User
from foundry.testing import assert_error, assert_json_path, assert_status

from app.models import Product


@pytest.fixture
async def writer(factories, acting_as):
    """A signed-in user holding the ``products:write`` ability."""
    user = await factories.create(User)
    acting_as(user, abilities=["products:write"])
    return user


def product(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"sku": "ANVIL-1", "name": "Anvil", "price": "49.90", "stock": 3}
    body.update(overrides)
    return body


async def test_create_then_show(client, writer):
    created = await client.post("/api/products", json=product(description="Heavy."))
    assert_status(created, 201)
    product_id = assert_json_path(created, "data.id")
    shown = await client.get(f"/api/products/{product_id}")
    assert_status(shown, 200)
    data = shown.json()["data"]
    assert (data["sku"], data["name"], data["price"], data["stock"], data["active"]) == (
        "ANVIL-1",
        "Anvil",
        "49.90",
        3,
        True,
    )
    assert data["created_at"].endswith("Z") or data["created_at"].endswith("+00:00")


async def test_validation_errors_name_every_field(client, db, writer):
    response = await client.post("/api/products", json={"sku": "bad sku", "name": "", "price": -1})
    assert_error(response, "VALIDATION_ERROR", fields=["sku", "name", "price"], status=422)
    assert (await db.exec(Product.__table__.select())).all() == []  # nothing half-written


async def test_unknown_fields_are_refused(client, writer):
    response = await client.post("/api/products", json=product(colour="red"))
    assert_error(response, "VALIDATION_ERROR", fields=["colour"])


async def test_malformed_json_is_a_400(client, writer):
    response = await client.post(
        "/api/products", content=b'{"sku": ', headers={"content-type": "application/json"}
    )
    assert_error(response, "MALFORMED_JSON", status=400)


async def test_a_duplicate_sku_conflicts(client, factories, writer):
    await factories.create(Product, sku="DUP-1")
    assert_error(
        await client.post("/api/products", json=product(sku="DUP-1")), "CONFLICT", status=409
    )


async def test_unknown_product_is_a_404_envelope(client):
    response = await client.get("/api/products/999999")
    assert_error(response, "NOT_FOUND", status=404, message="Product 999999 does not exist.")


async def test_list_paginates(client, factories):
    await factories.create_many(Product, 25)
    first = await client.get("/api/products", params={"per_page": 10})
    assert_status(first, 200)
    assert first.json()["meta"] == {"page": 1, "per_page": 10, "total": 25, "last_page": 3}
    last = await client.get("/api/products", params={"per_page": 10, "page": 3})
    assert len(last.json()["data"]) == 5
    beyond = await client.get("/api/products", params={"per_page": 10, "page": 4})
    assert beyond.json()["data"] == []
    assert_error(await client.get("/api/products", params={"per_page": 1000}), "VALIDATION_ERROR")


async def test_list_filters_and_sorts(client, factories):
    await factories.create(
        Product, sku="A-1", name="Red kettle", price=Decimal("30.00"), active=True
    )
    await factories.create(
        Product, sku="B-2", name="Blue kettle", price=Decimal("10.00"), active=True
    )
    await factories.create(Product, sku="C-3", name="Red mug", price=Decimal("5.00"), active=False)
    kettles = await client.get("/api/products", params={"search": "KETTLE", "sort": "-price"})
    assert [p["sku"] for p in kettles.json()["data"]] == ["A-1", "B-2"]
    active = await client.get("/api/products", params={"active": "false"})
    assert [p["sku"] for p in active.json()["data"]] == ["C-3"]
    cheap = await client.get("/api/products", params={"max_price": "10", "sort": "price"})
    assert [p["sku"] for p in cheap.json()["data"]] == ["C-3", "B-2"]
    assert_error(await client.get("/api/products", params={"sort": "colour"}), "VALIDATION_ERROR")


async def test_patch_changes_only_what_is_given(client, factories, writer):
    item = await factories.create(Product, sku="P-1", name="Old", stock=1)
    response = await client.patch(f"/api/products/{item.id}", json={"name": "New"})
    assert_status(response, 200)
    assert (response.json()["data"]["name"], response.json()["data"]["stock"]) == ("New", 1)
    other = await factories.create(Product, sku="P-2")
    clash = await client.patch(f"/api/products/{other.id}", json={"sku": "P-1"})
    assert_error(clash, "CONFLICT", status=409)
    assert_error(await client.patch("/api/products/999999", json={"name": "x"}), "NOT_FOUND")


async def test_delete(client, factories, writer):
    item = await factories.create(Product)
    assert_status(await client.delete(f"/api/products/{item.id}"), 204)
    assert_status(await client.get(f"/api/products/{item.id}"), 404)
    assert_error(await client.delete(f"/api/products/{item.id}"), "NOT_FOUND")


async def test_every_test_starts_with_an_empty_catalogue(client):
    response = await client.get("/api/products")
    assert response.json()["meta"]["total"] == 0


async def test_writes_need_a_user(client, factories):
    item = await factories.create(Product)
    assert_error(await client.post("/api/products", json=product()), status=401)
    json_client = {"accept": "application/json"}
    assert_error(await client.delete(f"/api/products/{item.id}", headers=json_client), status=401)


async def test_a_token_without_the_ability_is_refused(client, factories, acting_as):
    acting_as(await factories.create(User), abilities=["products:read"])
    assert_error(await client.post("/api/products", json=product()), status=403)


async def test_an_update_is_seen_by_the_next_read_despite_the_cache(client, factories, writer):
    item = await factories.create(Product, name="Before")
    assert (await client.get(f"/api/products/{item.id}")).json()["data"]["name"] == "Before"
    await client.patch(f"/api/products/{item.id}", json={"name": "After"})
    assert (await client.get(f"/api/products/{item.id}")).json()["data"]["name"] == "After"
