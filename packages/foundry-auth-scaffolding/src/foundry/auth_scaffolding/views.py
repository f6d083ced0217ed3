"""Server-rendered pages: Jinja2 templates the application can override.

Templates are looked up first in the app's ``resources/views/vendor/auth/`` and then in
this package, by the same name (``login.html``, ``layout.html``, ``user/tokens.html``,
``mail/reset-password.html`` ...): copy one there to change it. Autoescaping is on.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["Views"]


class Views:
    """Renders the package's pages and mails."""

    def __init__(self, base_path: Path | None, app_name: str) -> None:
        self._base = base_path
        self.app_name = app_name
        self._env: jinja2.Environment | None = None

    @property
    def environment(self) -> jinja2.Environment:
        if self._env is None:
            import jinja2

            folders: list[str] = []
            if self._base is not None:
                folders.append(str(self._base / "resources" / "views" / "vendor" / "auth"))
            folders.append(str(resources.files("foundry.auth_scaffolding").joinpath("templates")))
            self._env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(folders),
                autoescape=jinja2.select_autoescape(("html",), default_for_string=True),
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
            self._env.globals["app_name"] = self.app_name
        return self._env

    def render(self, name: str, context: dict[str, Any]) -> str:
        return self.environment.get_template(name).render(context)
