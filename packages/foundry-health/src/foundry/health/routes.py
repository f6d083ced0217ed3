"""``GET /health`` (liveness) and ``GET /health/ready`` (readiness), documented in OpenAPI.

Liveness answers from memory with no I/O at all: it says the process serves requests, so
an orchestrator restarts the process only when that stops being true. Readiness runs the
checks: a failed critical check answers 503 so the load balancer stops sending traffic
until it recovers, without restarting anything.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from foundry.domain.application import Application
from foundry.health.runner import HealthRunner

__all__ = ["CheckBody", "LivenessBody", "ReadinessBody", "health_router"]

NO_STORE = {"Cache-Control": "no-store"}


class LivenessBody(BaseModel):
    status: Literal["ok"] = "ok"


class CheckBody(BaseModel):
    status: Literal["ok", "degraded", "failed"]
    message: str = Field(description="One line: what was found, or why it failed")
    duration_ms: float = Field(description="How long the check took, in milliseconds")
    details: dict[str, Any] = Field(default_factory=dict)


class ReadinessBody(BaseModel):
    status: Literal["ok", "degraded", "failed"] = Field(
        description="failed when a critical check failed; degraded when any other check is not ok"
    )
    checks: dict[str, CheckBody]


def health_router(app: Application) -> APIRouter:
    """The two health routes for ``app``."""
    router = APIRouter(tags=["health"])

    @router.get(
        "/health",
        response_model=LivenessBody,
        summary="Liveness",
        description="Answers while the process serves requests; touches no backing service.",
    )
    async def liveness() -> JSONResponse:
        return JSONResponse({"status": "ok"}, headers=NO_STORE)

    @router.get(
        "/health/ready",
        response_model=ReadinessBody,
        summary="Readiness",
        description="Runs every health check concurrently, each under its own timeout "
        "(HEALTH_TIMEOUT). 200 unless a critical check failed.",
        responses={503: {"model": ReadinessBody, "description": "A critical check failed"}},
    )
    async def readiness() -> JSONResponse:
        report = await app.make(HealthRunner).run()
        status = 200 if report.healthy else 503
        return JSONResponse(report.to_dict(), status_code=status, headers=NO_STORE)

    return router
