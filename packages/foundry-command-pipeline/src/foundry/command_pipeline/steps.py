"""One step of a pipeline: a command name with its input and its global flags."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.errors import InputError

__all__ = ["STEP_FLAGS", "Step", "StepSpec", "to_step"]

STEP_FLAGS: dict[str, str] = {"--force": "force", "--dry-run": "dry_run"}
"""Global flags a command line step may carry (anywhere before ``--``), as on the CLI."""


@dataclass(frozen=True, slots=True)
class Step:
    """A command to run: by name, with typed ``params`` and/or command line ``argv`` words.

    Attributes:
        command: the command's name or alias.
        params: arguments and options by name (``{"step": 2}``), validated by the kernel
            exactly as typed input is.
        argv: the words after the name, as typed (``("--step", "2")``).
        dry_run: run it with the global ``--dry-run`` flag.
        force: run it with the global ``--force`` flag.
    """

    command: str
    params: Mapping[str, Any] = field(default_factory=dict)
    argv: tuple[str, ...] = ()
    dry_run: bool = False
    force: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.command, str) or not self.command.strip():
            raise InputError("command", "a pipeline step needs a command name")

    @classmethod
    def parse(cls, line: str) -> Step:
        """A step from a command line, quoted as a shell would (``"migrate --force"``).

        ``--force`` and ``--dry-run`` before ``--`` are the global flags, as on the command
        line; every other word belongs to the command.

        Raises:
            InputError: the line is empty or its quoting is unbalanced.
        """
        import shlex

        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise InputError("steps", f'step "{line}": {exc}') from None
        if not words:
            raise InputError("steps", "an empty step was given; write a command line")
        flags = {"force": False, "dry_run": False}
        own: list[str] = []
        for index, word in enumerate(words[1:], start=1):
            if word == "--":
                own.extend(words[index:])
                break
            if word in STEP_FLAGS:
                flags[STEP_FLAGS[word]] = True
            else:
                own.append(word)
        return cls(words[0], argv=tuple(own), force=flags["force"], dry_run=flags["dry_run"])

    @property
    def label(self) -> str:
        """How the step reads in a summary: ``migrate --step 2 force=True``."""
        import shlex

        parts = [self.command, *(shlex.quote(word) for word in self.argv)]
        parts += [f"{key}={value!r}" for key, value in self.params.items()]
        parts += [flag for flag, name in STEP_FLAGS.items() if getattr(self, name)]
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "params": dict(self.params),
            "argv": list(self.argv),
            "dry_run": self.dry_run,
            "force": self.force,
        }


StepSpec = str | Step | tuple[str, Mapping[str, Any]]
"""What builders accept: a command name, a :class:`Step`, or ``(name, params)``."""


def to_step(spec: StepSpec) -> Step:
    """Normalise what a builder was given into a :class:`Step`."""
    if isinstance(spec, Step):
        return spec
    if isinstance(spec, str):
        return Step(spec)
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], Mapping):
        return Step(spec[0], dict(spec[1]))
    raise InputError(
        "steps",
        f"{spec!r} is not a step: give a command name, a Step, or (name, {{params}})",
    )
