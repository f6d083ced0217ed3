"""The storage package's provider: the disk manager, its variables, routes and command."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.clock import Clock
from foundry.domain.config import ConfigRepository
from foundry.domain.env import EnvVar, parse_bool
from foundry.domain.provider import ServiceProvider
from foundry.domain.storage import Storage

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["StorageServiceProvider"]


class _ContainerClock:
    """The container's current ``Clock``, looked up at each call.

    The manager is a singleton built once; resolving the clock per call means a clock
    bound later (a ``FrozenClock`` in a test) still decides expiry.
    """

    def __init__(self, app: Application) -> None:
        self._app = app

    def _clock(self) -> Clock:
        return self._app.make(Clock)

    def now(self) -> datetime:
        return self._clock().now()

    def timestamp(self) -> float:
        return self._clock().timestamp()

    def monotonic(self) -> float:
        return self._clock().monotonic()


class StorageServiceProvider(ServiceProvider):
    """Binds ``Storage`` (a ``StorageManager``), serves signed URLs, adds ``storage:link``."""

    name = "storage"
    provides = (Storage,)
    after = (Clock, ConfigRepository)
    commands = ("foundry.storage.commands:StorageLinkCommand",)
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "FILESYSTEM_DISK",
            "storage.default",
            "str",
            "local",
            description="The default disk: local, public, memory, s3 or one in storage.disks",
        ),
        EnvVar(
            "STORAGE_LOCAL_ROOT",
            "storage.local_root",
            "path",
            description="Folder of the local disk (default storage/app)",
        ),
        EnvVar(
            "STORAGE_PUBLIC_ROOT",
            "storage.public_root",
            "path",
            description="Folder of the public disk (default storage/app/public)",
        ),
        EnvVar(
            "STORAGE_PUBLIC_URL",
            "storage.public_url",
            "url",
            description="Base URL of public files (default APP_URL/storage)",
        ),
        EnvVar(
            "STORAGE_SERVE_PUBLIC",
            "storage.serve_public",
            "bool",
            False,
            description="Serve the public disk at /storage from the app (use storage:link "
            "and a web server in production)",
        ),
        EnvVar(
            "AWS_ACCESS_KEY_ID",
            "storage.s3.key",
            description="S3 access key id (the s3 disk)",
        ),
        EnvVar(
            "AWS_SECRET_ACCESS_KEY",
            "storage.s3.secret",
            secret=True,
            description="S3 secret access key",
        ),
        EnvVar(
            "AWS_DEFAULT_REGION",
            "storage.s3.region",
            "str",
            "us-east-1",
            description="S3 region",
        ),
        EnvVar(
            "AWS_BUCKET", "storage.s3.bucket", description="S3 bucket; set it to get the s3 disk"
        ),
        EnvVar(
            "AWS_ENDPOINT",
            "storage.s3.endpoint",
            "url",
            description="S3-compatible server URL (MinIO, R2 ...); unset for AWS",
        ),
        EnvVar(
            "AWS_USE_PATH_STYLE_ENDPOINT",
            "storage.s3.use_path_style_endpoint",
            "bool",
            False,
            description="Address buckets as endpoint/bucket (most S3-compatible servers)",
        ),
    )

    def register(self, app: Application) -> None:
        def build(_: Any) -> Storage:
            from foundry.storage.manager import StorageManager

            return StorageManager(app.config, base_path=app.base_path, clock=_ContainerClock(app))

        app.singleton(Storage, build)
        from foundry.storage.manager import StorageManager

        app.alias(Storage, StorageManager)

    def boot(self, app: Application) -> None:
        async def close() -> None:
            if app.bound(Storage):
                from foundry.storage.manager import StorageManager

                storage = app.make(Storage)
                if isinstance(storage, StorageManager):
                    await storage.aclose()

        app.terminating(close)

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.storage.http import storage_router

        serve = app.config.get("storage.serve_public", False)
        serve_public = parse_bool(serve) if isinstance(serve, str) else bool(serve)
        return [storage_router(app, serve_public=serve_public)]
