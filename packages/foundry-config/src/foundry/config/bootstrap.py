"""The bootstrapper that binds the layered configuration repository."""

from __future__ import annotations

from collections.abc import Mapping

from foundry.config.cache import cache_path, read_cache
from foundry.config.repository import Repository
from foundry.config.toml_files import ConfigDirectory
from foundry.domain.application import Application
from foundry.domain.config import ConfigRepository

__all__ = ["ORIGINS_KEY", "ConfigBootstrapper", "live_repository"]

ORIGINS_KEY = "env.origins"
"""Where ``foundry-env`` keeps ``{name: ".env line 3"}`` in the container."""


def live_repository(app: Application) -> Repository:
    """A repository reading ``config/*.toml`` and the environment now, with the variables
    ``app`` declares (as they grow).

    Raises:
        ConfigurationError: a TOML file is invalid (file, line and column named).
    """

    def origins() -> Mapping[str, str]:
        if app.bound(ORIGINS_KEY):
            found = app.make(ORIGINS_KEY)
            if isinstance(found, Mapping):
                return found
        return {}

    return Repository(
        lambda: app.env_vars,
        files=ConfigDirectory(app.path("config")),
        origins=origins,
    )


class ConfigBootstrapper:
    """Implements ``foundry.domain.application.Bootstrapper`` (order 20, after ``.env``).

    Binds :class:`~foundry.domain.config.ConfigRepository` to a :class:`Repository`: the
    cached configuration when ``bootstrap/cache/config.json`` exists (then ``.env``, the
    environment and the TOML files are not consulted), else the live layers.
    """

    order = 20

    def bootstrap(self, app: Application) -> None:
        cached = cache_path(app.base_path)
        if cached.is_file():
            label = str(cached.relative_to(app.base_path))
            repository = Repository.from_cache(read_cache(cached, label), path=cached)
        else:
            repository = live_repository(app)
        app.instance(ConfigRepository, repository)
