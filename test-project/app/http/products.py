"""The product API: list (paginated, filtered, sorted), show, create, update, delete.

Reads are public and the show route is cached (shared by every instance when the cache is
Redis or the database; invalidated on change). Writes need a signed-in user or an API
token with the ``products:write`` ability, are rate-limited per user, and announce the
change on the public ``products`` channel once it is committed.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Response, status
from foundry.auth_scaffolding import require_abilities, verify_csrf
from foundry.domain.broadcasting import Broadcaster
from foundry.domain.cache import Cache
from foundry.domain.errors import ConflictError, FoundryError, NotFoundError
from foundry.infra.http import DbSession
from foundry.ratelimit import rate_limit
from foundry.service_container.fastapi import Inject
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.http.schemas import ProductEnvelope, ProductIn, ProductList, ProductOut, ProductPatch
from app.models import Product

log = logging.getLogger("app.products")

router = APIRouter(prefix="/api/products", tags=["products"])

CACHE_SECONDS = 300
CHANNEL = "products"
WRITE = [
    Depends(require_abilities("products:write")),  # who first: 401/403 before CSRF's 419
    Depends(verify_csrf),
    rate_limit("product-writes", per_minute=60),
]

Sort = Literal["name", "-name", "price", "-price", "created_at", "-created_at", "stock", "-stock"]
CacheDep = Annotated[Cache, Inject(Cache)]
BroadcasterDep = Annotated[Broadcaster, Inject(Broadcaster)]


def cache_key(product_id: int) -> str:
    return f"products:{product_id}"


async def _announce(broadcaster: Broadcaster, event: str, data: dict[str, Any]) -> None:
    """Tell live pages about a change; a broadcast failure never undoes the change."""
    try:
        await broadcaster.broadcast([CHANNEL], event, data)
    except FoundryError as exc:
        log.warning("could not broadcast %s: %s", event, exc.message)


async def _find(session: DbSession, product_id: int) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFoundError(f"Product {product_id} does not exist.")
    return product


async def _sku_taken(session: DbSession, sku: str, *, other_than: int | None = None) -> bool:
    query = select(Product.id).where(Product.sku == sku)
    if other_than is not None:
        query = query.where(Product.id != other_than)
    return (await session.exec(query)).first() is not None


@router.get("", response_model=ProductList, summary="List products")
async def index(
    session: DbSession,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    search: Annotated[str | None, Query(max_length=100)] = None,
    active: bool | None = None,
    min_price: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price: Annotated[Decimal | None, Query(ge=0)] = None,
    sort: Sort = "name",
) -> ProductList:
    """Products, `per_page` at a time; `search` matches name or SKU."""
    conditions = []
    if search:
        pattern = f"%{search.lower()}%"
        conditions.append(
            or_(func.lower(Product.name).like(pattern), func.lower(Product.sku).like(pattern))
        )
    if active is not None:
        conditions.append(col(Product.active).is_(active))
    if min_price is not None:
        conditions.append(col(Product.price) >= min_price)
    if max_price is not None:
        conditions.append(col(Product.price) <= max_price)
    total = (await session.exec(select(func.count()).select_from(Product).where(*conditions))).one()
    column = col(getattr(Product, sort.lstrip("-")))
    ordering = column.desc() if sort.startswith("-") else column.asc()
    rows = await session.exec(
        select(Product)
        .where(*conditions)
        .order_by(ordering, col(Product.id).asc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    last_page = max(1, -(-total // per_page))
    return ProductList(
        data=[ProductOut.model_validate(p) for p in rows.all()],
        meta={"page": page, "per_page": per_page, "total": total, "last_page": last_page},
    )


@router.get("/{product_id}", response_model=ProductEnvelope, summary="Show a product")
async def show(product_id: int, session: DbSession, cache: CacheDep) -> ProductEnvelope:
    async def load() -> dict[str, Any]:
        return ProductOut.model_validate(await _find(session, product_id)).model_dump(mode="json")

    return ProductEnvelope(data=await cache.remember(cache_key(product_id), CACHE_SECONDS, load))


@router.post(
    "",
    response_model=ProductEnvelope,
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
    dependencies=WRITE,
)
async def store(
    data: ProductIn, session: DbSession, broadcaster: BroadcasterDep, background: BackgroundTasks
) -> ProductEnvelope:
    if await _sku_taken(session, data.sku):
        raise ConflictError(f"A product with SKU {data.sku} already exists.")
    product = Product.model_validate(data)
    session.add(product)
    try:
        await session.flush()
    except IntegrityError:  # the same SKU created concurrently
        raise ConflictError(f"A product with SKU {data.sku} already exists.") from None
    await session.refresh(product)
    out = ProductOut.model_validate(product)
    background.add_task(_announce, broadcaster, "product.created", out.model_dump(mode="json"))
    return ProductEnvelope(data=out)


@router.patch(
    "/{product_id}",
    response_model=ProductEnvelope,
    summary="Update a product",
    dependencies=WRITE,
)
async def update(
    product_id: int,
    data: ProductPatch,
    session: DbSession,
    cache: CacheDep,
    broadcaster: BroadcasterDep,
    background: BackgroundTasks,
) -> ProductEnvelope:
    product = await _find(session, product_id)
    changes = data.model_dump(exclude_unset=True)
    if "sku" in changes and await _sku_taken(session, changes["sku"], other_than=product_id):
        raise ConflictError(f"A product with SKU {changes['sku']} already exists.")
    for field, value in changes.items():
        setattr(product, field, value)
    session.add(product)
    await session.flush()
    await session.refresh(product)
    # Forget now and again once committed: a read between the two cannot keep stale data.
    await cache.forget(cache_key(product_id))
    background.add_task(cache.forget, cache_key(product_id))
    out = ProductOut.model_validate(product)
    background.add_task(_announce, broadcaster, "product.updated", out.model_dump(mode="json"))
    return ProductEnvelope(data=out)


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a product",
    dependencies=WRITE,
)
async def destroy(
    product_id: int,
    session: DbSession,
    cache: CacheDep,
    broadcaster: BroadcasterDep,
    background: BackgroundTasks,
) -> Response:
    await session.delete(await _find(session, product_id))
    await cache.forget(cache_key(product_id))
    background.add_task(cache.forget, cache_key(product_id))
    background.add_task(_announce, broadcaster, "product.deleted", {"id": product_id})
    return Response(status_code=status.HTTP_204_NO_CONTENT)
