"""The bootstrapper that loads ``.env`` before any provider is discovered."""

from __future__ import annotations

from foundry.domain.application import Application
from foundry.env.loader import ORIGINS_KEY, DotEnv

__all__ = ["EnvBootstrapper", "dotenv_of"]


class EnvBootstrapper:
    """Implements ``foundry.domain.application.Bootstrapper`` (order 10).

    Loads ``<base path>/.env`` (or ``.env.<APP_ENV>`` when the process sets ``APP_ENV`` and
    that file exists) into ``os.environ`` without overriding what the process set, then
    binds the :class:`DotEnv` and the ``"env.origins"`` map in the container. Runs before
    providers are discovered, so ``FOUNDRY_DONT_DISCOVER`` in ``.env`` is honoured.

    Raises:
        ConfigurationError: a line of the file cannot be parsed (the message names the
            file and the line).
    """

    order = 10

    def bootstrap(self, app: Application) -> None:
        env = DotEnv(app.base_path)
        env.load()
        app.instance(DotEnv, env)
        app.instance(ORIGINS_KEY, env.origins)


def dotenv_of(app: Application) -> DotEnv:
    """The application's loaded :class:`DotEnv`, loading it now if the bootstrapper did not
    run (an application built with a kernel that skips bootstrappers)."""
    if app.bound(DotEnv):
        env: DotEnv = app.make(DotEnv)
        return env
    EnvBootstrapper().bootstrap(app)
    loaded: DotEnv = app.make(DotEnv)
    return loaded
