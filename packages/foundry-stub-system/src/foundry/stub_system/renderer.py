"""The Jinja2 implementation of ``foundry.domain.stubs.StubRenderer``.

Stubs render with :class:`jinja2.StrictUndefined` — a variable the generator did not pass
is an error naming the stub and the variable, never an empty string in generated code —
and with ``keep_trailing_newline`` so a generated file ends the way its stub does.
``trim_blocks``/``lstrip_blocks`` let ``{% if %}`` lines vanish from the output, and the
case helpers of :mod:`foundry.domain.naming` are filters (``{{ name | snake }}``).
Autoescaping is off: stubs produce source code, not HTML.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from foundry.domain.errors import ConflictError, ValidationError
from foundry.domain.naming import CASE_HELPERS
from foundry.domain.stubs import GeneratedFile, PlannedFile
from foundry.stub_system.catalogue import Stub, StubCatalogue
from foundry.stub_system.exceptions import StubNotFoundError, StubRenderError
from foundry.stub_system.writer import write_all

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["PLANNED", "JinjaStubRenderer", "RenderedFile"]

PLANNED = "planned"
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")


@dataclass(frozen=True, slots=True)
class RenderedFile(GeneratedFile):
    """A :class:`GeneratedFile` that also says whether it replaced a file.

    Attributes:
        replaces: the target existed (it was, or would be, overwritten under ``force``).
    """

    replaces: bool = False


class _IndexLoader(jinja2.BaseLoader):
    """Loads templates from one snapshot of the catalogue, so ``{% include %}`` and
    ``{% extends %}`` find other stubs by name with the same precedence."""

    def __init__(self, index: Mapping[str, Stub]) -> None:
        self._index = index

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        stub = self._index.get(template)
        if stub is None:
            raise jinja2.TemplateNotFound(template)
        return stub.active.read_text(), stub.active.location, None


@dataclass(frozen=True, slots=True)
class _Pending:
    planned: PlannedFile
    relative: Path
    target: Path
    content: str

    @property
    def exists(self) -> bool:
        return self.target.exists() or self.target.is_symlink()


def _inside(base: Path, path: Path) -> Path:
    """``path`` relative to ``base``; refuses anything that would land outside it."""
    candidate = Path(os.path.normpath(path if path.is_absolute() else base / path))
    if not candidate.is_relative_to(base) or candidate == base:
        raise ValidationError(
            f"{path} is not a file inside the application folder; generators write inside "
            "the app only. Plan a path relative to the app root.",
            fields={"path": [str(path)]},
        )
    if not candidate.resolve().is_relative_to(base):
        raise ValidationError(
            f"{candidate.relative_to(base)} leads outside the application folder through a "
            "symbolic link; remove the link or plan another path.",
            fields={"path": [str(path)]},
        )
    return candidate.relative_to(base)


def _listing(items: Sequence[_Pending]) -> str:
    return ", ".join(str(p.relative) for p in items)


class JinjaStubRenderer:
    """Renders and writes stubs from a :class:`StubCatalogue` (the app's copies win).

    Args:
        catalogue: where stubs come from; :meth:`for_app` builds it from an application.
    """

    def __init__(self, catalogue: StubCatalogue) -> None:
        self._catalogue = catalogue
        self._environment = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,  # noqa: S701 - stubs render source code, not HTML
            cache_size=0,
        )
        self._environment.filters.update(CASE_HELPERS)

    @classmethod
    def for_app(cls, app: Application) -> JinjaStubRenderer:
        """The renderer of ``app``: its providers' stub folders, then ``stubs/``."""
        return cls(StubCatalogue.for_app(app))

    @property
    def catalogue(self) -> StubCatalogue:
        return self._catalogue

    def stub_names(self) -> list[str]:
        """Every stub known, sorted."""
        return list(self._catalogue.stubs())

    def render(self, stub: str, context: Mapping[str, Any]) -> str:
        """Render ``stub`` with ``context``.

        Raises:
            StubNotFoundError: no stub has that name (a ``NotFoundError``).
            StubRenderError: the stub uses a variable ``context`` lacks, or is malformed.
        """
        return self._render(self._catalogue.stubs(), stub, context)

    def _render(self, index: Mapping[str, Stub], name: str, context: Mapping[str, Any]) -> str:
        stub = self._catalogue.get(name, index)
        environment = self._environment.overlay(loader=_IndexLoader(index))
        where = stub.active.location
        try:
            return environment.get_template(name).render(dict(context))
        except jinja2.UndefinedError as exc:
            given = ", ".join(sorted(context)) or "nothing"
            match = _UNDEFINED.match(str(exc))
            if match:
                variable = match.group(1)
                message = (
                    f'Stub "{name}" ({where}) uses the variable "{variable}", which was not '
                    f'given (the generator passed: {given}). Pass "{variable}" or remove it '
                    f"from {where}."
                )
            else:
                message = (
                    f'Stub "{name}" ({where}) uses a value that was not given: {exc} (the '
                    f"generator passed: {given}). Fix {where} or the generator's context."
                )
            raise StubRenderError(message, context={"stub": name}) from None
        except jinja2.TemplateSyntaxError as exc:
            raise StubRenderError(
                f'Stub "{name}" cannot be read: {exc.message} ({exc.filename or where}, line '
                f"{exc.lineno}). Fix the stub.",
                context={"stub": name, "line": exc.lineno},
            ) from None
        except jinja2.TemplateNotFound as exc:
            known = sorted(index)
            raise StubNotFoundError(str(exc.name or name), known, []) from None

    def write(
        self,
        files: Sequence[PlannedFile],
        *,
        base_path: Path,
        dry_run: bool = False,
        force: bool = False,
    ) -> list[GeneratedFile]:
        """Render every file, check every target, then write them all (or none).

        Returns one :class:`RenderedFile` per planned file, in order, with ``path``
        relative to ``base_path``; under ``dry_run`` each is ``planned`` and nothing is
        written. A dry run checks exactly what a real run checks, so it fails the same way.

        Raises:
            ConflictError: targets exist and ``force`` is false (all of them are named), or
                a target is a folder; nothing was written.
            StubWriteError: a write failed part-way; what this call wrote was undone.
            ValidationError: a path lies outside ``base_path`` or is planned twice.
        """
        base = Path(base_path).resolve()
        index = self._catalogue.stubs()
        pending: list[_Pending] = []
        for planned in files:
            relative = _inside(base, Path(planned.path))
            if any(p.relative == relative for p in pending):
                raise ValidationError(
                    f"{relative} is planned twice; a generator must plan each file once.",
                    fields={"path": [str(relative)]},
                )
            content = self._render(index, planned.stub, planned.context)
            pending.append(_Pending(planned, relative, base / relative, content))

        folders = [p for p in pending if p.target.is_dir()]
        if folders:
            raise ConflictError(
                f"{_listing(folders)}: a folder is in the way, and --force does not replace a "
                "folder with a file. Nothing was written; move the folder or choose another "
                "name.",
                context={"paths": [str(p.relative) for p in folders]},
            )
        existing = [p for p in pending if p.exists]
        if existing and not force:
            verb = "exists" if len(existing) == 1 else "exist"
            raise ConflictError(
                f"{_listing(existing)} already {verb}. Nothing was written; run again with "
                "--force to overwrite.",
                context={"paths": [str(p.relative) for p in existing]},
            )

        replaces = [p.exists for p in pending]
        if dry_run:
            actions = [PLANNED] * len(pending)
        else:
            actions = write_all(base, [(p.target, p.content.encode("utf-8")) for p in pending])
        return [
            RenderedFile(p.relative, action, p.planned.description, p.content, replaced)
            for p, action, replaced in zip(pending, actions, replaces, strict=True)
        ]
