"""Enabling and disabling plugins by editing the app's ``[tool.foundry] dont-discover``.

The choice is persisted in ``pyproject.toml`` (committed with the app), not in the
environment: it is a decision about the application, the same on every machine. A change
that could not take effect is refused before anything is written, with the reason and
what to change instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from foundry.plugins.catalogue import Plugin
from foundry.plugins.errors import PluginNotFoundError, PluginRefusedError
from foundry.plugins.optouts import (
    CONFIG_KEY,
    CONFIG_SOURCE,
    ENV_VAR,
    KERNEL,
    PROJECT_KEY,
    WILDCARD,
    OptOuts,
    matches,
    normalise,
)
from foundry.plugins.pyproject import ProjectFile

__all__ = ["SELF", "PluginChange", "disable", "enable", "resolve"]

SELF = "plugins"
_PROTECTED: Mapping[str, str] = {
    KERNEL: (
        'Refusing to disable "application": it is the Foundry kernel, which loads every '
        "other provider; it always loads and cannot be opted out of."
    ),
    SELF: (
        'Refusing to disable "plugins": it provides plugin:enable, so the app would lose the '
        "command that turns plugins back on. Edit [tool.foundry] dont-discover in "
        "pyproject.toml by hand if you really mean it."
    ),
}
_PROTECTED_DISTRIBUTIONS = {"foundry-application": KERNEL, "foundry-plugins": SELF}


@dataclass(frozen=True, slots=True)
class PluginChange:
    """What ``plugin:enable`` / ``plugin:disable`` did, or would do under ``--dry-run``.

    Attributes:
        action: ``enable`` or ``disable``.
        name: the name as asked for.
        plugins: the entry-point names affected.
        changed: False when the plugin already was in the asked state.
        written: True when the file was written (False under dry-run or no change).
        path: the ``pyproject.toml`` edited.
        entries: the ``dont-discover`` entries added or removed.
        diff: the unified diff of the change.
        message: one line for people.
    """

    action: Literal["enable", "disable"]
    name: str
    plugins: tuple[str, ...]
    changed: bool
    written: bool
    path: Path
    message: str
    entries: tuple[str, ...] = ()
    diff: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "name": self.name,
            "plugins": list(self.plugins),
            "changed": self.changed,
            "written": self.written,
            "path": str(self.path),
            "entries": list(self.entries),
            "diff": self.diff,
        }


def resolve(plugins: Sequence[Plugin], name: str) -> tuple[str, list[Plugin]]:
    """The plugins ``name`` designates and the entry to write for them.

    An entry-point name designates that plugin; a distribution name designates every
    plugin that distribution registers. Raises :class:`PluginNotFoundError` with the
    nearest names otherwise.
    """
    wanted = normalise(name)
    by_entry = [p for p in plugins if normalise(p.name) == wanted]
    if by_entry:
        return by_entry[0].name, by_entry
    by_distribution = [p for p in plugins if normalise(p.distribution or "") == wanted]
    if by_distribution:
        return (by_distribution[0].distribution or wanted), by_distribution
    known = sorted({p.name for p in plugins} | {p.distribution for p in plugins if p.distribution})
    raise PluginNotFoundError(name, difflib.get_close_matches(wanted, known, n=3, cutoff=0.5))


def _refuse_protected(name: str, plugins: Sequence[Plugin] = ()) -> None:
    wanted = normalise(name)
    protected = _PROTECTED_DISTRIBUTIONS.get(wanted, wanted)
    for candidate in (protected, *(p.name for p in plugins)):
        if candidate in _PROTECTED:
            raise PluginRefusedError(name, _PROTECTED[candidate])


def _label(plugins: Sequence[Plugin]) -> str:
    first = plugins[0]
    names = ", ".join(p.name for p in plugins)
    return f"{names} ({first.distribution})" if first.distribution else names


def disable(
    plugins: Sequence[Plugin], opt_outs: OptOuts, pyproject: Path, name: str, *, dry_run: bool
) -> PluginChange:
    """Add the plugin to ``[tool.foundry] dont-discover`` (unless the file already lists it)."""
    _refuse_protected(name)
    entry, targets = resolve(plugins, name)
    _refuse_protected(name, targets)
    project = ProjectFile(pyproject)
    names = tuple(p.name for p in targets)
    label = _label(targets)
    listed = [
        e for e in opt_outs.project if any(matches(e, p.name, p.distribution) for p in targets)
    ]
    if listed:
        message = f"{label} is already disabled: {PROJECT_KEY} lists {', '.join(listed)}."
        return PluginChange("disable", name, names, False, False, pyproject, message)
    new_text = project.with_added(entry)
    diff = project.diff(new_text)
    if not dry_run:
        project.write(new_text)
    verb = "Would disable" if dry_run else "Disabled"
    message = f'{verb} {label}: "{entry}" added to {PROJECT_KEY} in {pyproject.name}.'
    return PluginChange(
        "disable", name, names, True, not dry_run, pyproject, message, (entry,), diff
    )


def _blocking(opt_outs: OptOuts, plugin: Plugin, config_file: Path | None) -> str | None:
    """Why enabling ``plugin`` in pyproject.toml alone would not enable it."""
    if ENV_VAR in plugin.disabled_by:
        where = f" (set at {opt_outs.env_origin})" if opt_outs.env_origin else ""
        return (
            f"{plugin.name} is disabled by the {ENV_VAR} environment variable{where}; "
            f"remove it from {ENV_VAR} where that is set (the shell, the service definition "
            "or .env): plugin:enable only edits pyproject.toml."
        )
    if CONFIG_SOURCE in plugin.disabled_by:
        where = f" (config/{config_file.name})" if config_file and config_file.is_file() else ""
        return (
            f"{plugin.name} is disabled by the configuration key {CONFIG_KEY}{where}; "
            "remove it there: plugin:enable only edits pyproject.toml."
        )
    return None


def enable(
    plugins: Sequence[Plugin],
    opt_outs: OptOuts,
    pyproject: Path,
    name: str,
    *,
    dry_run: bool,
    config_file: Path | None = None,
) -> PluginChange:
    """Remove every ``dont-discover`` entry that names the plugin.

    Refused, with nothing written, when the environment or the configuration would keep
    it disabled anyway, or when the list holds ``*``. A name that is not installed but is
    listed (a plugin since uninstalled) is removed from the list too.
    """
    project = ProjectFile(pyproject)
    try:
        _entry, targets = resolve(plugins, name)
    except PluginNotFoundError:
        stale = [e for e in opt_outs.project if normalise(e) == normalise(name) != WILDCARD]
        if not stale:
            raise
        return _remove(project, name, (), stale, dry_run, f'"{name}" (not installed)')
    label = _label(targets)
    names = tuple(p.name for p in targets)
    for plugin in targets:
        reason = _blocking(opt_outs, plugin, config_file)
        if reason:
            raise PluginRefusedError(name, reason)
    if any(normalise(e) == WILDCARD for e in opt_outs.project):
        raise PluginRefusedError(
            name,
            f'{PROJECT_KEY} holds "*", which disables every plugin; replace it with the names '
            f"of the plugins to keep out, leaving out {label}.",
        )
    listed = [
        e for e in opt_outs.project if any(matches(e, p.name, p.distribution) for p in targets)
    ]
    if not listed:
        message = f"{label} is already enabled."
        return PluginChange("enable", name, names, False, False, pyproject, message)
    return _remove(project, name, names, listed, dry_run, label)


def _remove(
    project: ProjectFile,
    name: str,
    names: tuple[str, ...],
    entries: Sequence[str],
    dry_run: bool,
    label: str,
) -> PluginChange:
    new_text = project.with_removed(set(entries))
    diff = project.diff(new_text)
    if not dry_run:
        project.write(new_text)
    verb = "Would enable" if dry_run else "Enabled"
    shown = ", ".join(f'"{e}"' for e in entries)
    message = f"{verb} {label}: {shown} removed from {PROJECT_KEY} in {project.path.name}."
    return PluginChange(
        "enable", name, names, True, not dry_run, project.path, message, tuple(entries), diff
    )
