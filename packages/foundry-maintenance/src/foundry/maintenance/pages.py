"""The 503 page: the app's own template (``down --render``) or a clean built-in one."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from foundry.maintenance.state import MaintenanceState

__all__ = ["PageRenderer", "builtin_page", "template_path"]

log = logging.getLogger("foundry.maintenance")

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
  html {{ color-scheme: light dark; }}
  body {{ margin: 0; min-height: 100vh; display: grid; place-items: center;
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         background: Canvas; color: CanvasText; }}
  main {{ max-width: 32rem; padding: 2rem; text-align: center; }}
  h1 {{ font-size: 1.5rem; font-weight: 600; margin: 0 0 .75rem; }}
  p {{ margin: 0; opacity: .8; }}
  small {{ display: block; margin-top: 1.5rem; opacity: .6; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{message}</p>
{retry}
</main>
</body>
</html>
"""


def builtin_page(state: MaintenanceState, app_name: str = "") -> str:
    """A small self-contained page (no external assets: nothing else is being served)."""
    title = f"{app_name} is down for maintenance" if app_name else "Down for maintenance"
    retry = ""
    if state.retry:
        retry = f"<small>Try again in about {_duration(state.retry)}.</small>"
    return _PAGE.format(title=html.escape(title), message=html.escape(state.message), retry=retry)


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{round(minutes / 60)} hours"


def template_path(views: Path, name: str) -> Path | None:
    """The file ``name`` names under ``views``, or None when it is missing or would
    leave the folder."""
    root = views.resolve()
    target = (root / name).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


class PageRenderer:
    """Renders the state's template from ``views`` with Jinja2 (autoescaped), falling
    back to the built-in page when the template is missing or fails, so the 503 itself
    never turns into a 500."""

    def __init__(self, views: Path, app_name: str = "") -> None:
        self.views = views
        self.app_name = app_name
        self._environment: Any = None

    def _jinja(self) -> Any:
        if self._environment is None:
            from jinja2 import Environment, FileSystemLoader, select_autoescape

            self._environment = Environment(
                loader=FileSystemLoader(str(self.views)),
                autoescape=select_autoescape(default=True, default_for_string=True),
                auto_reload=True,
            )
        return self._environment

    def render(self, state: MaintenanceState) -> str:
        if state.template is None:
            return builtin_page(state, self.app_name)
        try:
            template = self._jinja().get_template(state.template)
            return str(
                template.render(
                    message=state.message,
                    retry=state.retry,
                    refresh=state.refresh,
                    since=state.since_iso,
                    app_name=self.app_name,
                )
            )
        except Exception:
            log.exception(
                "Maintenance template %s could not be rendered; serving the built-in page",
                state.template,
            )
            return builtin_page(state, self.app_name)
