"""Injection plans: what a constructor or a function asks for, read once.

Reading a signature and evaluating type hints costs tens of microseconds; resolution sits
on the request path, so the container reads each class (and each function it is asked to
``call``) once into an :class:`InjectionPlan` and afterwards only walks a tuple of
:class:`Param`. A plan depends on the signature alone — whether a dependency is *bound* is
asked at resolution time, so later bindings still count.

Annotations written under ``from __future__ import annotations`` are strings; they are
evaluated against the module that defines the constructor or function (and, for a
constructor, the class namespace). A hint that cannot be evaluated does not spoil the whole
plan: only that parameter is marked, and the error names it when (and only when) it has to
be resolved.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from foundry.service_container.naming import dotted_name

__all__ = [
    "DEFAULT",
    "INJECT",
    "INJECT_OR_DEFAULT",
    "MISSING",
    "OPTIONAL",
    "InjectionPlan",
    "Param",
    "build_call_plan",
    "build_plan",
    "is_service_type",
]

INJECT: Final = 0
"""A class without a default: resolved, or the resolution error is raised."""
INJECT_OR_DEFAULT: Final = 1
"""A class with a default: resolved when bound or buildable, else the default is kept."""
OPTIONAL: Final = 2
"""``X | None``: X when it is bound, else the default (None when there is none)."""
DEFAULT: Final = 3
"""Not a service (``str``, ``int``, no hint) but it has a default: the default is kept."""
MISSING: Final = 4
"""Not a service and no default: an error unless passed to ``make`` or given contextually."""

_NO_DEFAULT: Final = inspect.Parameter.empty
_POSITIONAL: Final = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter (of a constructor or a function) and how to fill it."""

    name: str
    kind: int
    target: Any = None  # the class to resolve (None when not a service)
    default: Any = None
    positional_only: bool = False
    problem: str = ""


@dataclass(frozen=True, slots=True)
class InjectionPlan:
    """How to call one constructor or function.

    ``buildable`` is False when it cannot be called with injected parameters (a Protocol,
    an ABC, a builtin type, a signature that cannot be read); ``reason`` says why.
    """

    label: str  # module.qualname, for errors
    params: tuple[Param, ...]
    names: frozenset[str]
    accepts_kwargs: bool
    accepts_args: bool  # has *args: positional arguments beyond the parameters go there
    leading: int  # how many leading parameters take a positional argument
    buildable: bool
    reason: str = ""


def is_service_type(hint: Any) -> bool:
    """Whether a hint names something the container can resolve (a non-builtin class)."""
    return isinstance(hint, type) and hint.__module__ != "builtins"


def not_buildable_reason(cls: type[Any]) -> str:
    """Why ``cls`` cannot be constructed by the container, or ``""`` when it can."""
    if getattr(cls, "_is_protocol", False):
        return "it is a Protocol"
    if inspect.isabstract(cls):
        return "it is an abstract class"
    if cls.__module__ == "builtins":
        return "it is a builtin type, not a service"
    return ""


def build_plan(cls: type[Any]) -> InjectionPlan:
    """Read ``cls``'s constructor into a plan (never raises for an odd class)."""
    reason = not_buildable_reason(cls)
    if reason:
        return _unusable(cls, reason)
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError) as exc:
        return _unusable(cls, f"its constructor signature cannot be read ({exc})")
    hints = _Hints(_constructor(cls), cls, dict(vars(cls)))
    return _read(cls, signature.parameters.values(), hints)


def build_call_plan(function: Any, bound: bool) -> InjectionPlan:
    """Read a function's parameters into a plan (never raises for an odd callable).

    ``bound`` drops the first parameter (``self`` of a method or of ``__call__``, which
    the caller supplies).
    """
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError) as exc:
        reason = f"its signature cannot be read ({exc}); call it directly with its arguments"
        return _unusable(function, reason)
    parameters = list(signature.parameters.values())
    if bound and parameters and parameters[0].kind in _POSITIONAL:
        del parameters[0]
    return _read(function, parameters, _Hints(function, function, None))


def _unusable(owner: Any, reason: str) -> InjectionPlan:
    return InjectionPlan(dotted_name(owner), (), frozenset(), False, False, 0, False, reason)


def _read(owner: Any, parameters: Iterable[inspect.Parameter], hints: _Hints) -> InjectionPlan:
    params: list[Param] = []
    accepts_kwargs = accepts_args = False
    leading = 0
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            accepts_kwargs = True
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            accepts_args = True
            continue
        if parameter.kind in _POSITIONAL:
            leading += 1
        params.append(_param(parameter, hints))
    return InjectionPlan(
        label=dotted_name(owner),
        params=tuple(params),
        names=frozenset(p.name for p in params),
        accepts_kwargs=accepts_kwargs,
        accepts_args=accepts_args,
        leading=leading,
        buildable=True,
    )


def _param(parameter: inspect.Parameter, hints: _Hints) -> Param:
    name = parameter.name
    has_default = parameter.default is not _NO_DEFAULT
    default = parameter.default if has_default else None
    positional_only = parameter.kind is inspect.Parameter.POSITIONAL_ONLY
    if parameter.annotation is _NO_DEFAULT:
        if has_default:
            return Param(name, DEFAULT, None, default, positional_only)
        return Param(name, MISSING, None, None, positional_only, "it has no type hint")
    hint, problem = hints.resolve(name, parameter.annotation)
    if problem:
        kind = DEFAULT if has_default else MISSING
        return Param(name, kind, None, default, positional_only, problem)
    optional, inner = _unwrap_optional(hint)
    if optional:
        if is_service_type(inner):
            return Param(name, OPTIONAL, inner, default, positional_only)
        # Laravel's rule for nullable primitives: the default, else None.
        return Param(name, DEFAULT, None, default, positional_only)
    if is_service_type(hint):
        kind = INJECT_OR_DEFAULT if has_default else INJECT
        return Param(name, kind, hint, default, positional_only)
    if has_default:
        return Param(name, DEFAULT, None, default, positional_only)
    shown = getattr(hint, "__name__", None) or repr(hint)
    return Param(name, MISSING, None, None, positional_only, f"{shown} is not a service")


def _unwrap_optional(hint: Any) -> tuple[bool, Any]:
    """``(True, X)`` for ``X | None`` / ``Optional[X]``; ``(False, hint)`` otherwise."""
    if typing.get_origin(hint) not in (typing.Union, types.UnionType):
        return False, hint
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if len(args) == len(typing.get_args(hint)):
        return False, hint
    return True, (args[0] if len(args) == 1 else hint)


class _Hints:
    """Evaluates string annotations lazily, once per plan.

    ``function`` is where the hints are written (a constructor, a function), ``owner``
    what names the module when the function does not (a class without ``__init__``),
    ``localns`` the class namespace a constructor's hints may also name.
    """

    def __init__(self, function: Any, owner: Any, localns: dict[str, Any] | None) -> None:
        self._function = function
        self._owner = owner
        self._localns = localns
        self._all: dict[str, Any] | None = None

    def resolve(self, name: str, annotation: Any) -> tuple[Any, str]:
        if not isinstance(annotation, str):
            return annotation, ""
        if self._all is None:
            self._all = self._evaluate_all()
        if name in self._all:
            return self._all[name], ""
        try:
            return eval(annotation, self._globals(), self._localns), ""  # noqa: S307
        except Exception as exc:  # a hint is arbitrary code: report what went wrong
            return None, (
                f'its type hint "{annotation}" cannot be evaluated '
                f"({type(exc).__name__}: {exc}); import the name at module level"
            )

    def _evaluate_all(self) -> dict[str, Any]:
        if self._function is None:
            return {}
        try:
            return typing.get_type_hints(self._function, localns=self._localns)
        except Exception:  # one bad hint: fall back to evaluating each one alone
            return {}

    def _globals(self) -> dict[str, Any]:
        found = getattr(self._function, "__globals__", None)
        if isinstance(found, dict):
            return found
        module = inspect.getmodule(self._owner)
        return dict(vars(module)) if module is not None else {}


def _constructor(cls: type[Any]) -> Any:
    """The function whose hints describe construction: ``__init__``, else ``__new__``."""
    if cls.__init__ is not object.__init__:
        return cls.__init__
    new: Any = cls.__new__
    if new is not object.__new__:
        return new
    return None
