"""Rendering mail templates: the app's Jinja2 views and Markdown mail with components.

Templates live in the app's ``resources/views/mail/`` and are named relative to it
(``orders/shipped.html``). ``.html`` and ``.md`` templates are autoescaped; ``.txt`` ones are
not.

A Markdown template (``orders/shipped.md``) is rendered twice. For the HTML body its
components render their ``.html`` form, the Markdown becomes HTML and is placed in the
``layout.html`` layout (responsive, table-based, inline-styled); for the text body the
components render their ``.txt`` form and the result goes in ``layout.txt``. The
components are called with Jinja's ``call`` block::

    {% call button(url=order_url) %}View order{% endcall %}
    {% call panel() %}Paid with **card** ending {{ last4 }}.{% endcall %}
    {% call table() %}
    | Item | Qty |
    |------|----:|
    | Mug  |   2 |
    {% endcall %}

``component("name", ...)`` calls any other component. The package ships ``layout``,
``button``, ``panel`` and ``table``; a file of the same name in the app's
``resources/views/vendor/mail/`` replaces the package's (``button.html``), and new files
there are new components. Every template may ``{% extends "mail::layout.html" %}``.

``embed(path)`` in any template attaches an image inline and returns its ``cid:`` URL:
``<img src="{{ embed('resources/images/logo.png') }}">``.
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.domain.mail import Attachment
from foundry.mail.attachments import attachment_from_path, guess_type
from foundry.mail.exceptions import MailTemplateError

if TYPE_CHECKING:
    import jinja2
    from markdown_it import MarkdownIt
    from markupsafe import Markup

__all__ = ["MailViews", "RenderedMail"]

PACKAGE_TEMPLATES = ("foundry.mail", "templates")
_BLANK_RUNS = re.compile(r"\n{3,}")
_BREAK = re.compile(r"<br\s*/?>\n?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RenderedMail:
    """What templates produced: the bodies and the images they embedded."""

    html: str | None = None
    text: str | None = None
    inline: tuple[Attachment, ...] = ()


class _Embedder:
    """``embed()`` in templates: attach an image inline, return its ``cid:`` URL."""

    def __init__(self, base_path: Path | None) -> None:
        self._base = base_path
        self._by_key: dict[str, Attachment] = {}

    def __call__(self, source: str | Path | Attachment | bytes, name: str | None = None) -> str:
        if isinstance(source, Attachment):
            key = f"attachment:{id(source)}"
            found = self._by_key.get(key)
            if found is None:
                cid = source.content_id or self._new_id(source.filename)
                found = Attachment(source.filename, source.content, source.content_type, cid)
        elif isinstance(source, bytes):
            filename = name or "image"
            key = f"bytes:{filename}:{hash(source)}"
            found = self._by_key.get(key) or Attachment(
                filename, source, guess_type(filename), self._new_id(filename)
            )
        else:
            path = Path(source)
            if not path.is_absolute() and self._base is not None:
                path = self._base / path
            key = f"path:{path}"
            found = self._by_key.get(key) or attachment_from_path(
                path, name=name, content_id=self._new_id(name or path.name)
            )
        self._by_key[key] = found
        assert found.content_id is not None
        return f"cid:{found.content_id}"

    @staticmethod
    def _new_id(filename: str) -> str:
        stem = re.sub(r"[^A-Za-z0-9.-]", "", filename)[:40] or "image"
        return f"{stem}.{secrets.token_hex(8)}@foundry.mail"

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(self._by_key.values())


class MailViews:
    """The template engine of mailables, rooted at an application folder.

    Args:
        base_path: the application root; templates are read from
            ``<base_path>/resources/views/mail/`` and component overrides from
            ``<base_path>/resources/views/vendor/mail/``. None: package templates only.
        app_name: shown in the Markdown layout's header and footer (``APP_NAME``).
        app_url: the header's link (``APP_URL``).
    """

    def __init__(
        self, base_path: Path | None = None, *, app_name: str = "", app_url: str = ""
    ) -> None:
        self._base = base_path
        self._views = (base_path / "resources" / "views") if base_path is not None else None
        self._globals = {"app_name": app_name, "app_url": app_url}
        self._env: jinja2.Environment | None = None
        self._markdown: MarkdownIt | None = None

    @property
    def environment(self) -> jinja2.Environment:
        """The Jinja2 environment, built on first use (add filters or globals here)."""
        if self._env is None:
            import jinja2

            components: list[jinja2.BaseLoader] = [jinja2.PackageLoader(*PACKAGE_TEMPLATES)]
            loaders: list[jinja2.BaseLoader] = []
            if self._views is not None:
                components.insert(0, jinja2.FileSystemLoader(self._views / "vendor" / "mail"))
                loaders.append(jinja2.FileSystemLoader(self._views / "mail"))
            loaders.append(
                jinja2.PrefixLoader({"mail": jinja2.ChoiceLoader(components)}, delimiter="::")
            )
            env = jinja2.Environment(
                loader=jinja2.ChoiceLoader(loaders),
                autoescape=jinja2.select_autoescape(
                    enabled_extensions=("html", "htm", "xml", "md"), default_for_string=True
                ),
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                undefined=jinja2.StrictUndefined,
            )
            env.filters["markdown"] = self.markdown
            env.globals.update(self._globals)
            self._env = env
        return self._env

    def markdown(self, text: str) -> Markup:
        """CommonMark (with tables) to HTML."""
        from markupsafe import Markup

        if self._markdown is None:
            from markdown_it import MarkdownIt

            self._markdown = MarkdownIt("commonmark").enable("table")
        return Markup(self._markdown.render(textwrap.dedent(str(text)).strip("\n")))  # noqa: S704

    def render(
        self,
        *,
        html: str | None = None,
        text: str | None = None,
        markdown: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> RenderedMail:
        """Render the named templates with ``context``.

        ``markdown`` gives both bodies unless ``html`` or ``text`` name their own.

        Raises:
            MailTemplateError: a template is missing, does not compile, or uses a variable
                the context lacks.
        """
        embed = _Embedder(self._base)
        data = {"year": datetime.now(UTC).year, **(context or {}), "embed": embed}
        html_body = self._render(html, data) if html else None
        text_body = self._render(text, data) if text else None
        if markdown:
            md_html, md_text = self._render_markdown(markdown, data)
            html_body = html_body if html_body is not None else md_html
            text_body = text_body if text_body is not None else md_text
        return RenderedMail(html_body, text_body, embed.attachments)

    def _render(self, name: str, data: Mapping[str, Any]) -> str:
        import jinja2

        try:
            return self.environment.get_template(name).render(data)
        except jinja2.TemplateNotFound as exc:
            where = str(self._views / "mail") if self._views else "the package templates"
            missing = exc.name if isinstance(exc.name, str) else name
            raise MailTemplateError(
                f'Mail template "{missing}" was not found in {where}. Create it there, or '
                "fix the name the mailable's content() returns.",
                context={"template": missing},
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise MailTemplateError(
                f'Mail template "{exc.name or name}" line {exc.lineno}: {exc.message}',
                context={"template": exc.name or name, "line": exc.lineno},
            ) from None
        except jinja2.UndefinedError as exc:
            raise MailTemplateError(
                f'Mail template "{name}": {exc.message}. Pass it from the mailable (a public '
                "attribute, or Content(data={...})).",
                context={"template": name},
            ) from None

    def _components(self, mode: str, data: Mapping[str, Any]) -> dict[str, Callable[..., str]]:
        from markupsafe import Markup

        suffix = "html" if mode == "html" else "txt"

        def component(name: str, caller: Callable[[], str] | None = None, **params: Any) -> str:
            slot = textwrap.dedent(caller()).strip("\n") if caller is not None else ""
            values = {**data, **params, "slot": Markup(slot) if mode == "html" else slot}  # noqa: S704
            rendered = self._render(f"mail::{name}.{suffix}", values)
            if mode == "html":  # one HTML block: no blank or indented lines for Markdown
                rendered = "\n".join(line.strip() for line in rendered.splitlines() if line.strip())
            return Markup(f"\n{rendered}\n\n")  # noqa: S704

        def button(
            url: str, color: str = "primary", caller: Callable[[], str] | None = None
        ) -> str:
            return component("button", caller, url=url, color=color)

        def panel(caller: Callable[[], str] | None = None) -> str:
            return component("panel", caller)

        def table(caller: Callable[[], str] | None = None) -> str:
            return component("table", caller)

        return {"component": component, "button": button, "panel": panel, "table": table}

    def _render_markdown(self, name: str, data: Mapping[str, Any]) -> tuple[str, str]:
        source = self._render(name, {**data, **self._components("html", data)})
        body = self.markdown(source)
        html_body = self._render("mail::layout.html", {**data, "body": body})
        text_source = self._render(name, {**data, **self._components("text", data)})
        text = html_lib.unescape(_BLANK_RUNS.sub("\n\n", _BREAK.sub("\n", text_source)).strip())
        text_body = self._render("mail::layout.txt", {**data, "body": text})
        return html_body, _BLANK_RUNS.sub("\n\n", text_body).strip() + "\n"
