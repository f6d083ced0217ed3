"""DatabaseSeeder: the rows `foundry db:seed` (and `migrate --seed`) adds."""

from __future__ import annotations

from foundry.infra import Seeder
from sqlmodel.ext.asyncio.session import AsyncSession

from database.factories.product_factory import ProductFactory

CATALOGUE_SIZE = 50


class DatabaseSeeder(Seeder):
    """Fills the catalogue with fake products, so the API has something to show."""

    async def run(self, session: AsyncSession) -> None:
        """Add the rows to ``session``; db:seed commits them together (all or nothing)."""
        await ProductFactory().create_many(session, CATALOGUE_SIZE)
