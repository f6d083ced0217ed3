"""The command listing, shared by ``list`` and the manifest fast path (kept light: the fast
path must not import more than it saves)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from foundry.domain.commands import CommandDescriptor

__all__ = ["list_entries", "list_lines"]


def list_entries(descriptors: Iterable[CommandDescriptor]) -> list[dict[str, Any]]:
    """What ``list --format json`` prints for each command."""
    return [
        {
            "name": d.name,
            "aliases": list(d.aliases),
            "summary": d.summary,
            "package": d.package,
            "namespace": d.namespace,
        }
        for d in descriptors
    ]


def list_lines(entries: Sequence[Mapping[str, Any]], version: str) -> list[tuple[str, str | None]]:
    """The human listing as (text, style) lines, grouped by namespace."""
    lines: list[tuple[str, str | None]] = [
        (f"Foundry {version}", None),
        ("", None),
        ("Usage:", None),
        ("  foundry <command> [options] [arguments]", None),
        ("", None),
        ("Available commands:", None),
    ]
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(entry["namespace"], []).append(entry)
    width = max((len(e["name"]) for e in entries), default=0) + 2
    for namespace in sorted(groups):
        if namespace:
            lines.append((f" {namespace}", "yellow"))
        for entry in groups[namespace]:
            aliases = f" [{', '.join(entry['aliases'])}]" if entry["aliases"] else ""
            lines.append((f"  {entry['name'].ljust(width)}{entry['summary']}{aliases}", None))
    return lines
