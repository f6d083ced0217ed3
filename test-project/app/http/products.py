"""The product API: list (paginated, filtered, sorted), show, create, update, delete."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.http.schemas import ProductEnvelope, ProductIn, ProductList, ProductOut, ProductPatch
from app.models import Product
from foundry.domain.errors import ConflictError, NotFoundError
from foundry.infra.http import DbSession

router = APIRouter(prefix="/api/products", tags=["products"])

Sort = Literal["name", "-name", "price", "-price", "created_at", "-created_at", "stock", "-stock"]


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
async def show(product_id: int, session: DbSession) -> ProductEnvelope:
    return ProductEnvelope(data=ProductOut.model_validate(await _find(session, product_id)))


@router.post(
    "",
    response_model=ProductEnvelope,
    status_code=status.HTTP_201_CREATED,
    summary="Create a product",
)
async def store(data: ProductIn, session: DbSession) -> ProductEnvelope:
    if await _sku_taken(session, data.sku):
        raise ConflictError(f"A product with SKU {data.sku} already exists.")
    product = Product.model_validate(data)
    session.add(product)
    try:
        await session.flush()
    except IntegrityError:  # the same SKU created concurrently
        raise ConflictError(f"A product with SKU {data.sku} already exists.") from None
    await session.refresh(product)
    return ProductEnvelope(data=ProductOut.model_validate(product))


@router.patch("/{product_id}", response_model=ProductEnvelope, summary="Update a product")
async def update(product_id: int, data: ProductPatch, session: DbSession) -> ProductEnvelope:
    product = await _find(session, product_id)
    changes = data.model_dump(exclude_unset=True)
    if "sku" in changes and await _sku_taken(session, changes["sku"], other_than=product_id):
        raise ConflictError(f"A product with SKU {changes['sku']} already exists.")
    for field, value in changes.items():
        setattr(product, field, value)
    session.add(product)
    await session.flush()
    await session.refresh(product)
    return ProductEnvelope(data=ProductOut.model_validate(product))


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a product",
)
async def destroy(product_id: int, session: DbSession) -> Response:
    await session.delete(await _find(session, product_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
