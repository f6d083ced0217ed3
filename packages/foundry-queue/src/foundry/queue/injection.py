"""Filling a job's ``handle`` (or a job function's) parameters from the container.

Parameters the payload does not give are resolved by their type hint: ``mailer: Mailer``
is ``container.make(Mailer)``; ``cache: Cache | None = None`` is the cache when one is
bound, else None; a parameter with a default keeps it when its type is not bound. Hints
are read once per function.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from foundry.domain.container import Container
from foundry.domain.errors import BindingResolutionError
from foundry.queue.errors import PayloadError

__all__ = ["inject"]


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    hint: Any
    optional: bool
    default: Any
    has_default: bool
    var_keyword: bool


_PLANS: dict[Any, tuple[_Param, ...]] = {}


def _plan(func: Callable[..., Any]) -> tuple[_Param, ...]:
    key = getattr(func, "__func__", func)
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    signature = inspect.signature(func)
    try:
        hints = typing.get_type_hints(key)
    except Exception as exc:
        raise BindingResolutionError(
            f"Cannot read the type hints of {getattr(key, '__qualname__', key)!r} ({exc}); "
            "the worker needs them to inject services."
        ) from exc
    params = []
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        hint = hints.get(param.name)
        optional = False
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            members = [a for a in typing.get_args(hint) if a is not type(None)]
            optional = len(members) < len(typing.get_args(hint))
            hint = members[0] if len(members) == 1 else None
        has_default = param.default is not inspect.Parameter.empty
        params.append(
            _Param(
                param.name,
                hint,
                optional,
                param.default if has_default else None,
                has_default,
                param.kind is inspect.Parameter.VAR_KEYWORD,
            )
        )
    plan = tuple(params)
    _PLANS[key] = plan
    return plan


def _is_service(hint: Any) -> bool:
    return isinstance(hint, type) and hint.__module__ != "builtins"


def inject(
    func: Callable[..., Any],
    container: Container,
    given: Mapping[str, Any],
    *,
    owner: str,
) -> dict[str, Any]:
    """The keyword arguments to call ``func`` with: ``given`` plus resolved services.

    Raises:
        PayloadError: a parameter is neither in the payload nor a service type (the job's
            signature no longer matches what was queued).
        BindingResolutionError: a service the job needs is not bound.
    """
    arguments: dict[str, Any] = {}
    names = {p.name for p in _plan(func)}
    for param in _plan(func):
        if param.var_keyword:
            arguments.update({k: v for k, v in given.items() if k not in names})
            continue
        if param.name in given:
            arguments[param.name] = given[param.name]
            continue
        hint = param.hint
        if _is_service(hint):
            if param.optional or param.has_default:
                if container.bound(hint):
                    arguments[param.name] = container.make(hint)
                elif param.has_default:
                    arguments[param.name] = param.default
                else:
                    arguments[param.name] = None
                continue
            arguments[param.name] = container.make(hint)
            continue
        if param.has_default:
            continue
        raise PayloadError(
            f"{owner} needs {param.name!r}, which is neither in the payload nor a service "
            "type the container can inject. Was the job changed since it was queued?"
        )
    unexpected = set(given) - names
    if unexpected and not any(p.var_keyword for p in _plan(func)):
        raise PayloadError(
            f"{owner} got payload values it does not take: {', '.join(sorted(unexpected))}. "
            "Was the job changed since it was queued?"
        )
    return arguments
