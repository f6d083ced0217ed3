"""What ``tinker`` reads from configuration: the history file and the preferred shell.

Standard library only: the provider declares the variables from here without importing
any REPL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from foundry.domain.config import ConfigRepository
from foundry.domain.env import EnvVar
from foundry.domain.errors import ConfigurationError

__all__ = ["DEFAULT_HISTORY", "ENV_VARS", "SHELLS", "TinkerSettings"]

DEFAULT_HISTORY = "storage/framework/tinker_history"
SHELLS: tuple[str, ...] = ("auto", "ipython", "ptpython", "python")
_OFF = frozenset({"off", "none", "false", "0"})

ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        "TINKER_HISTORY",
        "tinker.history",
        "path",
        DEFAULT_HISTORY,
        description=(
            "The tinker history file, shared by every shell (relative to the app root; "
            "off to keep no history)"
        ),
    ),
    EnvVar(
        "TINKER_SHELL",
        "tinker.shell",
        "enum",
        "auto",
        choices=SHELLS,
        description="auto (IPython, else ptpython, else the standard console) or one of them",
    ),
)


@dataclass(frozen=True, slots=True)
class TinkerSettings:
    """The ``tinker`` section, typed.

    Attributes:
        history: the history file, or None when history is switched off.
        shell: ``auto``, ``ipython``, ``ptpython`` or ``python``.
    """

    history: Path | None
    shell: str = "auto"

    @classmethod
    def from_config(cls, config: ConfigRepository, base_path: Path) -> TinkerSettings:
        """Read ``tinker.history`` and ``tinker.shell``; relative paths start at the app root.

        Raises:
            ConfigurationError: ``tinker.shell`` names no known shell.
        """
        raw_history = config.get("tinker.history", DEFAULT_HISTORY)
        history: Path | None
        text = str(raw_history).strip() if raw_history is not None else ""
        if not text or text.lower() in _OFF:
            history = None
        else:
            path = Path(text).expanduser()
            history = path if path.is_absolute() else base_path / path
        shell = str(config.get("tinker.shell") or "auto").strip().lower()
        if shell not in SHELLS:
            raise ConfigurationError(
                f'tinker.shell (TINKER_SHELL) is "{shell}"; use one of {", ".join(SHELLS)}.',
                context={"shell": shell},
            )
        return cls(history=history, shell=shell)
