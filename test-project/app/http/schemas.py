"""What the product API accepts and returns (validation lives here)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Sku = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9][A-Z0-9-]{1,63}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Price = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]


class ProductIn(BaseModel):
    """A new product."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku
    name: Name
    description: str | None = Field(default=None, max_length=5000)
    price: Price
    stock: int = Field(default=0, ge=0)
    active: bool = True


class ProductPatch(BaseModel):
    """Changes to a product: only the fields given are changed."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku | None = None
    name: Name | None = None
    description: str | None = Field(default=None, max_length=5000)
    price: Price | None = None
    stock: int | None = Field(default=None, ge=0)
    active: bool | None = None


class ProductOut(BaseModel):
    """A product as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    description: str | None
    price: Decimal
    stock: int
    active: bool
    created_at: datetime
    updated_at: datetime


class Page(BaseModel):
    page: int
    per_page: int
    total: int
    last_page: int


class ProductList(BaseModel):
    data: list[ProductOut]
    meta: Page


class ProductEnvelope(BaseModel):
    data: ProductOut
