"""Validating configuration sections and turning pydantic's errors into problems.

Each problem names the dotted key, says what is wrong in pydantic's words, and says where
the value came from, so the fix is obvious without reading a traceback::

    cache.ttl: Input should be a valid integer (got "soon" from config/cache.toml)
    cache.colour: unknown key (in config/cache.toml); known keys: driver, prefix, ttl
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from foundry.config_layer.problems import ConfigProblem, InvalidConfigurationError
from foundry.config_layer.schemas import (
    SectionSchema,
    declared_schemas,
    is_secret,
    known_keys,
    model_at,
)
from foundry.config_layer.sources import ValueSources

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = [
    "SectionResult",
    "ValidationReport",
    "unknown_sections",
    "validate_application",
    "validate_section",
]

_MASK = "******"
_SHOWN_LENGTH = 60


@dataclass(frozen=True, slots=True)
class SectionResult:
    """One section validated: the instance when valid, the problems otherwise."""

    schema: SectionSchema
    instance: BaseModel | None
    problems: tuple[ConfigProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.instance is not None


@dataclass(slots=True)
class ValidationReport:
    """Every section's result plus every problem, in the order they were found."""

    sections: list[SectionResult] = field(default_factory=list)
    problems: list[ConfigProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise one :class:`InvalidConfigurationError` listing every problem, if any."""
        if self.problems:
            raise InvalidConfigurationError(self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "sections": [
                {**result.schema.to_dict(), "valid": result.ok} for result in self.sections
            ],
            "problems": [problem.to_dict() for problem in self.problems],
        }


# --- one section ------------------------------------------------------------------------


def _step(node: Any, part: str | int) -> tuple[bool, Any]:
    """``(True, child)`` when ``part`` is a key or index present in ``node``."""
    if isinstance(node, Mapping) and isinstance(part, str) and part in node:
        return True, node[part]
    if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _key_path(loc: Sequence[str | int], raw: Any, missing: bool) -> list[str | int]:
    """The parts of pydantic's ``loc`` that are keys of the input.

    ``loc`` also holds union member tags (``("port", "int")``) and validator names; only
    the parts found in the data are kept, plus the last one of a missing key.
    """
    path: list[str | int] = []
    node = raw
    for index, part in enumerate(loc):
        found, child = _step(node, part)
        if found:
            path.append(part)
            node = child
        elif missing and index == len(loc) - 1 and isinstance(part, str):
            path.append(part)
    return path


def _dotted(section: str, path: Sequence[str | int]) -> str:
    return section + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _config_key(section: str, path: Sequence[str | int]) -> str:
    """The configuration key a value was set under: the path up to the first list index."""
    parts = [section]
    for part in path:
        if isinstance(part, int):
            break
        parts.append(part)
    return ".".join(parts)


def _value_at(raw: Any, path: Sequence[str | int]) -> Any:
    node = raw
    for part in path:
        if isinstance(part, int):
            break
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _show(value: Any) -> str:
    """The value as it would be written (JSON), shortened when long."""
    if isinstance(value, str):
        short = value if len(value) <= _SHOWN_LENGTH else value[: _SHOWN_LENGTH - 3] + "..."
        return json.dumps(short, ensure_ascii=False)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."


def _clean(message: str, kind: str) -> str:
    """pydantic's message without its noise: the value is shown separately."""
    if kind.endswith("_parsing") and ", unable to " in message:
        return message.split(", unable to ", 1)[0]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _problem(
    schema: SectionSchema, raw: Any, error: Mapping[str, Any], sources: ValueSources
) -> ConfigProblem:
    kind = str(error["type"])
    path = _key_path(tuple(error["loc"]), raw, kind == "missing")
    key = _dotted(schema.section, path)
    config_key = _config_key(schema.section, path)
    if kind == "missing":
        places = " or ".join(sources.places(config_key))
        return ConfigProblem(key, f"{error['msg']} (set it in {places})", "missing")
    origin = sources.origin(config_key, _value_at(raw, path))
    if kind == "extra_forbidden":
        parent = model_at(schema.cls, path[:-1])
        known = f"; known keys: {', '.join(known_keys(parent))}" if parent else ""
        return ConfigProblem(
            key, f"unknown key ({origin.where}){known}", "unknown_key", origin.label
        )
    secret = origin.secret or is_secret(schema.cls, path)
    shown = _MASK if secret else _show(error.get("input"))
    message = f"{_clean(str(error['msg']), kind)} (got {shown} from {origin.label})"
    return ConfigProblem(key, message, "invalid", origin.label)


def _merge(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    """One problem per key: a union's alternatives become one ``..., or ...`` message."""
    merged: dict[tuple[str, str], ConfigProblem] = {}
    for problem in problems:
        slot = (problem.key, problem.kind)
        first = merged.get(slot)
        if first is None:
            merged[slot] = problem
            continue
        head, _, tail = first.message.rpartition(" (got ")
        extra, _, _ = problem.message.rpartition(" (got ")
        if head and extra and extra not in head:
            text = f"{head}, or {extra[:1].lower()}{extra[1:]} (got {tail}"
            merged[slot] = ConfigProblem(first.key, text, first.kind, first.source)
    return list(merged.values())


def validate_section(schema: SectionSchema, raw: Any, sources: ValueSources) -> SectionResult:
    """Validate the merged values of one section (``None`` counts as an empty table)."""
    data = {} if raw is None else raw
    if not isinstance(data, Mapping):
        origin = sources.origin(schema.section, data)
        problem = ConfigProblem(
            schema.section,
            f"should be a table of settings (got {_show(data)} from {origin.label})",
            "invalid",
            origin.label,
        )
        return SectionResult(schema, None, (problem,))
    try:
        instance = schema.cls.model_validate(dict(data))
    except PydanticValidationError as exc:
        problems = [_problem(schema, data, error, sources) for error in exc.errors()]
        return SectionResult(schema, None, tuple(_merge(problems)))
    return SectionResult(schema, instance)


# --- the whole application --------------------------------------------------------------


def unknown_sections(sources: ValueSources, known: set[str]) -> list[ConfigProblem]:
    """``config/*.toml`` files whose section nothing declares: settings nobody reads."""
    problems: list[ConfigProblem] = []
    listed = ", ".join(sorted(known)) or "none"
    for stem in sources.file_stems():
        if stem in known:
            continue
        label = sources.file_label(stem)
        message = (
            f"unknown section ({label}): no installed provider declares it; "
            f"known sections: {listed}. Remove the file or install the package that reads it"
        )
        problems.append(ConfigProblem(stem, message, "unknown_section", label))
    return problems


def validate_application(app: Application) -> ValidationReport:
    """Validate every declared section of ``app`` and check its ``config/`` folder.

    Known sections are those with a schema plus the framework sections that declared
    variables feed (``APP_ENV`` -> ``app``), which have no schema but are not strangers.
    """
    schemas, problems = declared_schemas(app.providers)
    sources = ValueSources.for_app(app)
    report = ValidationReport(problems=list(problems))
    known = {
        section.split(".", 1)[0]
        for provider in app.providers
        for section in type(provider).config_sections
    }
    known |= {var.key.split(".", 1)[0] for var in app.env_vars if var.key}
    for stem in sources.file_stems():
        if stem in known:
            sources.file_data(stem)
    report.problems.extend(sources.file_problems())
    for schema in schemas:
        result = validate_section(schema, app.config.get(schema.section), sources)
        report.sections.append(result)
        report.problems.extend(result.problems)
    report.problems.extend(unknown_sections(sources, known))
    return report
