"""Helpers shared by the tinker tests: the temp app, its database, the foundry script."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from fastapi import APIRouter

from foundry.application import Application
from foundry.domain.database import Database
from foundry.domain.provider import ServiceProvider
from foundry.infra.provider import InfraServiceProvider
from foundry.tinker_enhanced.provider import TinkerEnhancedServiceProvider

CLEARED_PREFIXES = ("APP_", "DATABASE_", "FOUNDRY_", "TINKER_", "IPYTHON")

PRODUCT_MODEL = """
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    price: int
"""

ROUTES = """
from fastapi import APIRouter
from foundry.domain.provider import ServiceProvider

router = APIRouter(prefix="/products")


@router.get("/{product_id}", name="products.show")
async def show(product_id: int) -> dict[str, int]:
    return {"id": product_id}


class ShopServiceProvider(ServiceProvider):
    def routes(self, app):
        return (router,)
"""

shop_router = APIRouter(prefix="/products")


@shop_router.get("/{product_id}", name="products.show")
async def show_product(product_id: int) -> dict[str, int]:
    return {"id": product_id}


class ShopRoutesProvider(ServiceProvider):
    """The temp app's HTTP routes, for in-process tests (discover=False)."""

    name = "shop"

    def routes(self, app):
        return (shop_router,)


def make_app(base: Path, *, database: bool = True) -> Application:
    providers: list[type[ServiceProvider]] = [TinkerEnhancedServiceProvider, ShopRoutesProvider]
    if database:
        providers.insert(0, InfraServiceProvider)
    return Application(base_path=base, providers=providers, discover=False).boot()


async def seed(app: Application, *names: str) -> None:
    """Create the products table and insert one product per name."""
    from sqlmodel import SQLModel

    database = app.make(Database)
    product = database.models()["Product"]
    async with database.engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all, tables=[product.__table__])
    async with database.session() as session:
        for index, name in enumerate(names, start=1):
            session.add(product(name=name, price=1000 * index + 999))


def foundry_script() -> str:
    script = Path(sys.executable).parent / "foundry"
    if not script.exists():
        pytest.fail(f"the foundry script is not installed beside {sys.executable}")
    return str(script)


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED_PREFIXES)}
    env.update(
        HOME=str(tmp_path / "home"),
        PYTHONUNBUFFERED="1",
        PROMPT_TOOLKIT_NO_CPR="1",
        DATABASE_URL=f"sqlite:///{tmp_path}/shop.sqlite",
    )
    env.update(extra)
    return env
