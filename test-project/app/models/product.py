"""The Product model: one row of the ``products`` table."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from foundry.domain.clock import utcnow
from foundry.domain.sql import UTCDateTime
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    """Something the catalogue sells."""

    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64, sa_column_kwargs={"unique": True}, index=True)
    name: str = Field(max_length=200, index=True)
    description: str | None = Field(default=None, sa_type=sa.Text)
    price: Decimal = Field(max_digits=10, decimal_places=2)
    stock: int = Field(default=0)
    active: bool = Field(default=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
