"""ProductFactory: builds Product rows with believable fake data for seeders and tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from faker import Faker
from foundry.infra import Factory

from app.models import Product

fake = Faker()


class ProductFactory(Factory[Product]):
    """Products: ``make(**overrides)`` or ``await create(session, **overrides)``."""

    model = Product

    def definition(self) -> dict[str, Any]:
        """A new product; ``self.sequence`` keeps every SKU unique."""
        return {
            "sku": f"SKU-{self.sequence:05d}",
            "name": fake.unique.catch_phrase()[:200],
            "description": fake.paragraph(nb_sentences=3),
            "price": Decimal(fake.pydecimal(left_digits=3, right_digits=2, positive=True)),
            "stock": fake.random_int(min=0, max=500),
            "active": fake.boolean(chance_of_getting_true=85),
        }
