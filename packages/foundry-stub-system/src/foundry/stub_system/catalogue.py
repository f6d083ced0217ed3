"""Where stubs come from, and which copy of each one is used.

Lowest to highest precedence: every provider's ``stubs`` folder (``"package:folder"``,
read with :mod:`importlib.resources`, so it works from a wheel or a zip), then the app's own
``stubs/`` folder — Laravel's ``stub:publish`` model: publish a package's stub into the
app, edit it, and every generator uses the edited copy.

A stub is a file named ``<name>.<ext>.jinja`` (``command.py.jinja`` is the stub
``command``); files in sub-folders are named with their folder (``auth/login``). Two
packages shipping the same name is an error rather than a silent pick, raised when the
catalogue is first read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from foundry.domain.errors import ConfigurationError
from foundry.stub_system.exceptions import DuplicateStubError, StubNotFoundError

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.provider import ServiceProvider

__all__ = ["APP", "Stub", "StubCatalogue", "StubFile", "StubSource", "stub_name"]

APP = "app"
"""The origin of the app's own stubs (``stubs/`` in the application root)."""

SUFFIX = ".jinja"


@dataclass(frozen=True, slots=True)
class StubSource:
    """A package's stub folder: the package that ships it and its ``"package:folder"``."""

    package: str
    reference: str


@dataclass(frozen=True, slots=True)
class StubFile:
    """One stub file: who ships it, its path in that folder and how to point people at it."""

    origin: str
    relative: str
    file: Traversable
    location: str

    def read_text(self) -> str:
        return self.file.read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Stub:
    """A stub name, the copy in use (``active``) and the copy a package ships, if any."""

    name: str
    active: StubFile
    shipped: StubFile | None = None

    @property
    def package(self) -> str:
        """The package shipping the stub, or ``app`` for a stub only the app has."""
        return self.shipped.origin if self.shipped is not None else APP

    @property
    def overridden(self) -> bool:
        """True when the app's ``stubs/`` holds its own copy of a package's stub."""
        return self.shipped is not None and self.active.origin == APP


def stub_name(relative: str) -> str:
    """``command.py.jinja`` -> ``command``; ``auth/login.html.jinja`` -> ``auth/login``."""
    stem = relative.removesuffix(SUFFIX)
    folder, _, filename = stem.rpartition("/")
    base = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{folder}/{base}" if folder else base


def _scan(root: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(root.iterdir(), key=lambda c: c.name):
        if child.name.startswith((".", "__")):
            continue
        relative = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _scan(child, relative + "/")
        elif child.name.endswith(SUFFIX) and len(child.name) > len(SUFFIX):
            yield relative, child


def _index_folder(origin: str, root: Traversable, location: str) -> dict[str, StubFile]:
    found: dict[str, StubFile] = {}
    for relative, file in _scan(root):
        name = stub_name(relative)
        stub = StubFile(origin, relative, file, f"{location}{relative}")
        if name in found:
            who = "The app" if origin == APP else origin
            raise DuplicateStubError(
                f'{who} ships two stubs named "{name}": {found[name].location} and '
                f"{stub.location}. A stub name must be unique; rename or remove one of them.",
                context={"stub": name, "files": [found[name].location, stub.location]},
            )
        found[name] = stub
    return found


def _resolve(source: StubSource) -> Traversable:
    package, sep, folder = source.reference.partition(":")
    if not (sep and package and folder):
        raise ConfigurationError(
            f'{source.package} declares stubs = "{source.reference}"; it must be '
            '"package:folder" (for example "foundry.cli:stubs").'
        )
    try:
        root = resources.files(package)
    except (ImportError, TypeError) as exc:
        raise ConfigurationError(
            f'{source.package} declares stubs "{source.reference}", but {package} cannot be '
            f"imported ({exc}). Reinstall {source.package}."
        ) from exc
    target = root.joinpath(*folder.split("/"))
    if not target.is_dir():
        raise ConfigurationError(
            f'{source.package} declares stubs "{source.reference}", but that folder is not in '
            f"the installed package. Reinstall {source.package}; its maintainers must ship the "
            "folder in the wheel."
        )
    return target


def provider_label(provider: ServiceProvider) -> str:
    """How messages name the package behind a provider."""
    return provider.package or type(provider).name or type(provider).__name__


class StubCatalogue:
    """Every stub the installed packages and the app offer, by name.

    Args:
        sources: the packages' stub folders, lowest precedence first.
        app_folder: the app's ``stubs/`` folder (it need not exist); its stubs win.
    """

    def __init__(self, sources: Sequence[StubSource] = (), app_folder: Path | None = None):
        self._sources = tuple(sources)
        self._app_folder = app_folder

    @classmethod
    def for_app(cls, app: Application) -> StubCatalogue:
        """The catalogue of ``app``: its providers' ``stubs`` and ``<base_path>/stubs``."""
        sources = [
            StubSource(provider_label(provider), reference)
            for provider in app.providers
            if (reference := type(provider).stubs)
        ]
        return cls(sources, app.base_path / "stubs")

    @property
    def app_folder(self) -> Path | None:
        return self._app_folder

    @property
    def sources(self) -> tuple[StubSource, ...]:
        return self._sources

    def stubs(self) -> dict[str, Stub]:
        """Every stub by name, sorted; read afresh on each call (a publish shows at once).

        Raises:
            DuplicateStubError: two packages (or two files of one folder) ship one name.
            ConfigurationError: a provider's ``stubs`` folder cannot be found.
        """
        shipped: dict[str, StubFile] = {}
        seen: set[str] = set()
        for source in self._sources:
            if source.reference in seen:
                continue
            seen.add(source.reference)
            folder = _index_folder(source.package, _resolve(source), f"{source.reference}/")
            for name, stub in folder.items():
                first = shipped.get(name)
                if first is not None:
                    raise DuplicateStubError(
                        f'Two packages ship the stub "{name}": {first.origin} ({first.location})'
                        f" and {stub.origin} ({stub.location}), so neither is used. Opt out of "
                        "one of them (FOUNDRY_DONT_DISCOVER) or ask its maintainers to rename "
                        "the stub.",
                        context={"stub": name, "packages": [first.origin, stub.origin]},
                    )
                shipped[name] = stub
        own: dict[str, StubFile] = {}
        if self._app_folder is not None and self._app_folder.is_dir():
            own = _index_folder(APP, self._app_folder, f"{self._app_folder.name}/")
        names = sorted(set(shipped) | set(own))
        return {
            name: Stub(name, own.get(name) or shipped[name], shipped.get(name)) for name in names
        }

    def get(self, name: str, stubs: Mapping[str, Stub] | None = None) -> Stub:
        """The stub called ``name``; raises StubNotFoundError with the nearest names."""
        index = self.stubs() if stubs is None else stubs
        stub = index.get(name)
        if stub is None:
            known = sorted(index)
            raise StubNotFoundError(name, known, difflib.get_close_matches(name, known, n=3))
        return stub
