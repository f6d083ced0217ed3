"""The application's table models (imported by `foundry tinker`, `make:migration` ...)."""

from app.models.product import Product

__all__ = ["Product"]
