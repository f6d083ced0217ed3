"""``foundry products:import``: a CSV goes in whole, or not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from app.models import Product

HEADER = "sku,name,price,stock,description\n"


@pytest.fixture
def csv_file(tmp_path):
    def write(body: str, header: str = HEADER):
        path = tmp_path / "products.csv"
        path.write_text(header + body, encoding="utf-8")
        return path

    return write


async def skus(db) -> dict[str, Product]:
    return {p.sku: p for p in (await db.exec(select(Product))).all()}


async def test_a_valid_file_creates_every_product(run_command, db, csv_file):
    path = csv_file("ANVIL-1,Anvil,49.90,3,Heavy.\nROPE-2,Rope,5,,\n")
    result = await run_command("products:import", str(path))
    assert result.exit_code == 0, result.error
    assert result.data == {"created": 2, "updated": 0, "skipped": 0, "dry_run": False}
    rows = await skus(db)
    assert rows["ANVIL-1"].price == Decimal("49.90")
    assert rows["ANVIL-1"].description == "Heavy."
    assert rows["ROPE-2"].stock == 0  # a blank cell takes the model's default
    assert rows["ROPE-2"].active is True


async def test_one_bad_row_refuses_the_whole_file(run_command, db, csv_file):
    path = csv_file("ANVIL-1,Anvil,49.90,3,\nbad sku,Rope,-1,2,\nNAIL-3,,1,x,\n")
    result = await run_command("products:import", str(path))
    assert result.exit_code == 1
    assert "nothing was imported" in result.error
    assert "line 3: sku" in result.error
    assert "line 3: price" in result.error
    assert "line 4: name" in result.error
    assert "line 4: stock" in result.error
    assert await skus(db) == {}


async def test_a_sku_twice_in_the_file_is_refused(run_command, db, csv_file):
    path = csv_file("ANVIL-1,Anvil,49.90,3,\nANVIL-1,Anvil again,9,1,\n")
    result = await run_command("products:import", str(path))
    assert result.exit_code == 1
    assert "line 3: sku: ANVIL-1 is already on line 2" in result.error
    assert await skus(db) == {}


async def test_existing_skus_are_skipped_unless_update(run_command, db, csv_file):
    first = await run_command("products:import", str(csv_file("ANVIL-1,Anvil,49.90,3,\n")))
    assert first.exit_code == 0, first.output
    path = csv_file("ANVIL-1,Better anvil,59.90,,\nROPE-2,Rope,5,1,\n")

    skipped = await run_command("products:import", str(path))
    assert (skipped.data["skipped"], skipped.data["created"]) == (1, 1)
    assert (await skus(db))["ANVIL-1"].name == "Anvil"

    updated = await run_command("products:import", str(path), update=True)
    assert (updated.data["updated"], updated.data["created"]) == (2, 0)
    db.expire_all()  # the test's session saw the old row; read it again
    anvil = (await skus(db))["ANVIL-1"]
    assert (anvil.name, anvil.price) == ("Better anvil", Decimal("59.90"))
    assert anvil.stock == 3  # a blank cell does not overwrite


async def test_dry_run_counts_and_writes_nothing(run_command, db, csv_file):
    path = csv_file("ANVIL-1,Anvil,49.90,3,\n")
    result = await run_command("products:import", str(path), dry_run=True)
    assert result.exit_code == 0, result.error
    assert result.data == {"created": 1, "updated": 0, "skipped": 0, "dry_run": True}
    assert result.result.message.startswith("Would import products.csv")
    assert await skus(db) == {}


async def test_a_header_without_required_columns_is_a_usage_error(run_command, csv_file):
    path = csv_file("Anvil,49.90\n", header="name,cost\n")
    result = await run_command("products:import", str(path))
    assert result.exit_code == 2
    assert "missing sku, price" in result.error
    assert "unknown cost" in result.error


async def test_a_missing_file_names_the_argument(run_command, tmp_path):
    result = await run_command("products:import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv" in result.error
    assert "does not exist" in result.error
