"""The error envelope in the OpenAPI document.

FastAPI documents its own ``{"detail": [...]}`` body for 422 responses, which is not what
a Foundry app answers. :func:`document_error_envelope` rewrites the generated document so
every operation's ``default`` response, and every 422, is the envelope schema — what a
client generator needs to type the errors it will really get.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ErrorEnvelope", "ErrorEnvelopeBody", "document_error_envelope"]

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")


class ErrorEnvelopeBody(BaseModel):
    """What went wrong: a stable code, a message that says the fix, the HTTP status."""

    code: str = Field(examples=["VALIDATION_ERROR"])
    message: str = Field(examples=["body.email: value is not a valid email address."])
    status: int = Field(examples=[422])
    fields: dict[str, list[str]] | None = Field(
        default=None,
        description="Validation messages by field path (body.email, query.page).",
    )
    context: dict[str, Any] | None = Field(
        default=None, description="Details of the error (never secrets)."
    )


class ErrorEnvelope(BaseModel):
    """Every error response of a Foundry application."""

    error: ErrorEnvelopeBody


def _envelope_components() -> dict[str, Any]:
    schema = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions: dict[str, Any] = schema.pop("$defs", {})
    return {**definitions, "ErrorEnvelope": schema}


def apply_error_envelope(document: dict[str, Any]) -> dict[str, Any]:
    """Rewrite an OpenAPI ``document`` in place to use the envelope; returns it."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(_envelope_components())
    content = {"application/json": {"schema": _REF}}
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            validation = responses.get("422")
            if validation is not None and "HTTPValidationError" in json.dumps(validation):
                validation["content"] = content
            responses.setdefault(
                "default",
                {"description": "Error (the Foundry error envelope)", "content": content},
            )
    for name in _FASTAPI_SCHEMAS:
        if f'"#/components/schemas/{name}"' not in json.dumps(document):
            schemas.pop(name, None)
    return document


def document_error_envelope(api: FastAPI) -> None:
    """Make ``api.openapi()`` document the error envelope (idempotent)."""
    original = api.openapi
    if getattr(original, "__foundry_envelope__", False):
        return

    rewritten: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        document = original()  # FastAPI caches it, and rebuilds it when routes change
        if not rewritten or rewritten[0] is not document:
            rewritten[:] = [apply_error_envelope(document)]
        return document

    openapi.__foundry_envelope__ = True  # type: ignore[attr-defined]
    api.openapi = openapi  # type: ignore[method-assign]
