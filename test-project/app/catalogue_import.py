"""Importing the catalogue from CSV (``foundry products:import``).

The file is checked in full before anything is written: every row goes through the same
validation as the API (:class:`~app.http.schemas.ProductIn`), and one bad row (or a SKU
twice in the file) refuses the whole import with the row numbers at fault, so a fixed file
can simply be run again. Rows whose SKU is already in the catalogue are skipped, or updated
with ``--update``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from foundry.domain.database import Database
from foundry.domain.errors import CommandError, InputError
from pydantic import ValidationError
from sqlmodel import col, select

from app.http.schemas import ProductIn
from app.models import Product

COLUMNS = tuple(ProductIn.model_fields)
REQUIRED = ("sku", "name", "price")
SHOWN_ERRORS = 10


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's data rows with their line numbers (the header is line 1)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or ()]
        missing = [name for name in REQUIRED if name not in header]
        unknown = [name for name in header if name not in COLUMNS]
        if missing or unknown:
            problems = []
            if missing:
                problems.append("missing " + ", ".join(missing))
            if unknown:
                problems.append("unknown " + ", ".join(unknown))
            raise InputError(
                "file",
                f"{path.name}: the header needs the columns {', '.join(REQUIRED)} and may add "
                f"{', '.join(c for c in COLUMNS if c not in REQUIRED)} ({'; '.join(problems)}).",
            )
        reader.fieldnames = header
        for row in reader:
            # A blank cell means "not given", so the model's default applies.
            yield reader.line_num, {k: v.strip() for k, v in row.items() if v and v.strip()}


def _validated(path: Path) -> list[ProductIn]:
    """Every row as a ProductIn, or a CommandError listing the rows at fault."""
    products: list[ProductIn] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    for line, row in _rows(path):
        try:
            product = ProductIn.model_validate(row)
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"])
                errors.append(f"line {line}: {field}: {error['msg']}")
            continue
        if product.sku in first_line:
            errors.append(
                f"line {line}: sku: {product.sku} is already on line {first_line[product.sku]}"
            )
            continue
        first_line[product.sku] = line
        products.append(product)
    if errors:
        shown = "\n".join(f"  {error}" for error in errors[:SHOWN_ERRORS])
        more = len(errors) - SHOWN_ERRORS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise CommandError(
            f"{path.name} has {len(errors)} invalid value(s); nothing was imported:\n{shown}{tail}",
            context={"errors": errors},
        )
    return products


async def import_products(
    database: Database, path: Path, *, update: bool = False, dry_run: bool = False
) -> dict[str, int]:
    """Validate ``path`` in full, then add its new products (and change existing ones when
    ``update``) in one transaction; ``dry_run`` counts the same changes and rolls back.

    Returns:
        ``{"created": n, "updated": n, "skipped": n}``.

    Raises:
        InputError: the header lacks a required column or names an unknown one.
        CommandError: a row is invalid; nothing was written.
    """
    products = _validated(path)
    created = updated = skipped = 0
    async with database.session() as session:
        skus = [product.sku for product in products]
        query = select(Product).where(col(Product.sku).in_(skus))
        existing = {row.sku: row for row in (await session.exec(query)).all()}
        for product in products:
            current = existing.get(product.sku)
            if current is None:
                session.add(Product(**product.model_dump()))
                created += 1
            elif update:
                values: dict[str, Any] = product.model_dump(exclude_unset=True)
                for field, value in values.items():
                    setattr(current, field, value)
                updated += 1
            else:
                skipped += 1
        if dry_run:
            await session.rollback()
    return {"created": created, "updated": updated, "skipped": skipped}
