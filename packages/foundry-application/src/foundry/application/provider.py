"""The kernel's own provider: the variables every application reads, and the check of
``APP_KEY`` at boot."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from foundry.domain.console import InputParser, Output, Prompter
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["ApplicationServiceProvider"]


class ApplicationServiceProvider(ServiceProvider):
    """Declares ``APP_*``, binds the plain console fallbacks and checks ``APP_KEY``.

    The kernel provider always registers first, so ``foundry-console``,
    ``foundry-interactive`` and ``foundry-advanced-input`` replace these bindings with
    their own when installed.
    """

    name = "application"
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar("APP_NAME", "app.name", "str", "Foundry", description="The application's name"),
        EnvVar(
            "APP_ENV",
            "app.env",
            "str",
            "local",
            description="local, testing, staging or production",
        ),
        EnvVar("APP_DEBUG", "app.debug", "bool", False, description="Show internals in errors"),
        EnvVar("APP_URL", "app.url", "url", "http://localhost:8000", description="Public URL"),
        EnvVar(
            "APP_KEY",
            "app.key",
            "key",
            secret=True,
            description="256-bit secret for signing and encryption (foundry key:generate)",
        ),
        EnvVar("APP_TIMEZONE", "app.timezone", "str", "UTC", description="Display timezone"),
        EnvVar(
            "APP_ROUTE_INDEX",
            "app.route_index",
            "bool",
            True,
            description="Dispatch HTTP requests over only the routes their path can match "
            "(same outcome as FastAPI's in-order search, much less work with many routes); "
            "false leaves FastAPI's router as it is",
        ),
        EnvVar(
            "FOUNDRY_DONT_DISCOVER",
            "app.dont_discover",
            "list",
            description="Installed packages whose providers are not loaded (comma-separated)",
        ),
        EnvVar("FOUNDRY_BASE_PATH", None, "path", description="The application root folder"),
    )

    def register(self, app: Application) -> None:
        from foundry.application.plain import PlainParser, PlainPrompter
        from foundry.domain.outputs import PlainOutput

        app.bind(Output, PlainOutput)
        app.bind(Prompter, PlainPrompter)
        app.singleton(InputParser, PlainParser)

    def boot(self, app: Application) -> None:
        """Refuse a malformed ``APP_KEY`` (a missing one in production).

        Only ``boot``: commands with ``requires_boot = False`` (``key:generate``,
        ``env:validate``) register the providers without booting, so they still run and
        can repair the key.
        """
        from foundry.application.app_key import check_app_key

        check_app_key(app)
