"""Every package's migration folder, read as one Alembic script directory.

Each :class:`~foundry.domain.application.MigrationLocation` is an Alembic version folder
holding one *branch*: its first revision declares ``branch_labels = ("<branch>",)`` and
``down_revision = None``; every later one points at an earlier revision of the same folder.
A revision that needs another branch's tables says so with ``depends_on``. The rules are
checked here so a package author learns about a mistake from a sentence, not from Alembic's
revision-graph errors half-way through a deployment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from foundry.domain.application import MigrationLocation
from foundry.infra.errors import MigrationLayoutError

if TYPE_CHECKING:
    from alembic.script import Script, ScriptDirectory

__all__ = ["ENVIRONMENT_DIR", "MigrationLayout", "Revision"]

ENVIRONMENT_DIR = Path(__file__).resolve().parent
"""The folder holding ``env.py``: Alembic's script location for every Foundry app."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One migration file, with the branch and package it belongs to."""

    revision: str
    branch: str
    package: str | None
    description: str
    path: Path
    down_revisions: tuple[str, ...]
    depends_on: tuple[str, ...]


def _tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _shown(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


class MigrationLayout:
    """The migration folders of an app and its packages.

    Args:
        locations: from ``app.migration_locations`` (packages first, the app's last).
        base_path: the app root, used to show paths relative to it.
    """

    def __init__(self, locations: Sequence[MigrationLocation], base_path: Path | None = None):
        self._base = base_path
        seen: dict[str, MigrationLocation] = {}
        for location in locations:
            other = seen.get(location.branch)
            if other is not None and other.path != location.path:
                raise MigrationLayoutError(
                    f'Two migration folders use the branch "{location.branch}": {other.path} '
                    f"({other.package or 'the app'}) and {location.path} "
                    f"({location.package or 'the app'}). Branch names must be unique."
                )
            if not location.path.is_dir():
                raise MigrationLayoutError(
                    f"{location.package or 'The app'} declares the migration folder "
                    f"{location.path}, which does not exist. Reinstall the package (its wheel "
                    "must ship the folder) or create it."
                )
            seen[location.branch] = location
        self._locations = tuple(seen.values())
        self._by_folder = {loc.path.resolve(): loc for loc in self._locations}

    @property
    def locations(self) -> tuple[MigrationLocation, ...]:
        return self._locations

    def location(self, branch: str) -> MigrationLocation | None:
        return next((loc for loc in self._locations if loc.branch == branch), None)

    def shown(self, path: Path) -> str:
        """``path`` relative to the app root when inside it."""
        return _shown(path, self._base)

    @cached_property
    def script(self) -> ScriptDirectory:
        """Alembic's view of every folder (revision files are imported on first use)."""
        from alembic.script import ScriptDirectory

        return ScriptDirectory(
            str(ENVIRONMENT_DIR),
            version_locations=[str(loc.path) for loc in self._locations],
        )

    @cached_property
    def revisions(self) -> dict[str, Revision]:
        """Every revision by id, checked against the branch rules.

        Raises:
            MigrationLayoutError: a revision file cannot be loaded, or breaks a rule (the
                message names the file and the fix).
        """
        from alembic.script.revision import RevisionError
        from alembic.util import CommandError

        try:
            scripts = list(self.script.walk_revisions())
        except (CommandError, RevisionError) as exc:
            raise MigrationLayoutError(f"The migrations cannot be read: {exc}") from exc
        except Exception as exc:  # a revision file failed to import
            raise MigrationLayoutError(
                f"A migration file failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        found: dict[str, Revision] = {}
        for script in reversed(scripts):
            found[script.revision] = self._checked(script)
        for revision in found.values():
            for parent in revision.down_revisions:
                if found[parent].branch != revision.branch:
                    raise MigrationLayoutError(
                        f"{self.shown(revision.path)} continues {parent}, a revision of the "
                        f'"{found[parent].branch}" branch. A revision may only follow one of '
                        "its own folder; to need another branch's tables, keep down_revision "
                        f'in "{revision.branch}" and add depends_on = ("{parent}",).'
                    )
        return found

    def _checked(self, script: Script) -> Revision:
        path = Path(script.path).resolve()
        location = self._by_folder.get(path.parent)
        if location is None:
            raise MigrationLayoutError(
                f"{path} is inside no declared migration folder; revision files must sit "
                "directly in their branch folder (no sub-folders)."
            )
        # Alembic copies a branch's labels onto every later revision; read the file's own.
        labels = set(_tuple(getattr(script.module, "branch_labels", None)))
        down = _tuple(script.down_revision)
        shown = self.shown(path)
        if not down and location.branch not in labels:
            raise MigrationLayoutError(
                f'{shown} starts the "{location.branch}" migrations, so it must declare '
                f'branch_labels = ("{location.branch}",) (it declares '
                f"{tuple(sorted(labels)) or 'none'})."
            )
        strangers = labels - {location.branch}
        if strangers:
            raise MigrationLayoutError(
                f"{shown} declares the branch label(s) {', '.join(sorted(strangers))}, but it "
                f'sits in the "{location.branch}" folder. Only the first revision of a folder '
                f'declares a label, and it must be "{location.branch}".'
            )
        return Revision(
            revision=script.revision,
            branch=location.branch,
            package=location.package,
            description=script.doc or "",
            path=path,
            down_revisions=down,
            depends_on=_tuple(script.dependencies),
        )

    def branch_heads(self, branch: str) -> list[str]:
        """The newest revision(s) of ``branch`` (several only when it forked)."""
        revisions = [r for r in self.revisions.values() if r.branch == branch]
        parents = {p for r in revisions for p in r.down_revisions}
        return [r.revision for r in revisions if r.revision not in parents]
