"""The ``public/storage`` symlink: planning it, then making it.

A web server serving ``public/`` then serves the public disk's files directly, without a
request ever reaching Python (Laravel's ``storage:link``). An existing path is replaced
only when forced, and a non-empty directory never is: its files would be lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from foundry.domain.errors import CommandError

__all__ = ["LinkPlan", "make_link", "plan_link"]

Action = Literal["create", "replace", "keep"]


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """What ``storage:link`` will do.

    Attributes:
        link: the symlink's path (``<app>/public/storage``).
        target: the folder it points to (the public disk's root).
        points_to: the text stored in the link (absolute, or relative with ``--relative``).
        action: ``create`` (nothing there), ``replace`` (forced), ``keep`` (already right).
        existing: what is at ``link`` now, for messages (``nothing``, ``a link to X`` ...).
    """

    link: Path
    target: Path
    points_to: str
    action: Action
    existing: str


def _describe(link: Path) -> str:
    if link.is_symlink():
        return f"a link to {os.readlink(link)}"
    if link.is_dir():
        return "a directory"
    if link.exists():
        return "a file"
    return "nothing"


def plan_link(link: Path, target: Path, *, force: bool, relative: bool = False) -> LinkPlan:
    """Decide what to do at ``link``; refuse (CommandError) what must not be replaced."""
    points_to = os.path.relpath(target, link.parent) if relative else str(target)
    existing = _describe(link)
    if existing == "nothing":
        return LinkPlan(link, target, points_to, "create", existing)
    if link.is_symlink() and link.resolve() == target.resolve():
        action: Action = "replace" if force and os.readlink(link) != points_to else "keep"
        return LinkPlan(link, target, points_to, action, existing)
    if not link.is_symlink() and link.is_dir() and any(link.iterdir()):
        raise CommandError(
            f"{link} is a directory with files in it; storage:link will not replace it even "
            f"with --force. Move its files into {target}, remove it, and run storage:link again."
        )
    if not force:
        raise CommandError(
            f"{link} already exists ({existing}). Run storage:link --force to replace it."
        )
    return LinkPlan(link, target, points_to, "replace", existing)


def make_link(plan: LinkPlan) -> None:
    """Carry out the plan: the link appears in one rename, never half-made."""
    plan.target.mkdir(parents=True, exist_ok=True)  # a link to nothing serves nothing
    if plan.action == "keep":
        return
    plan.link.parent.mkdir(parents=True, exist_ok=True)
    if plan.action == "replace" and plan.link.is_dir() and not plan.link.is_symlink():
        plan.link.rmdir()  # empty (checked by plan_link); a rename cannot replace a directory
    temp = plan.link.with_name(f".{plan.link.name}.{os.getpid()}.link")
    temp.unlink(missing_ok=True)
    os.symlink(plan.points_to, temp, target_is_directory=True)
    try:
        os.replace(temp, plan.link)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
