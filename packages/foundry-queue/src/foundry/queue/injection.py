"""Running a job's ``handle`` (or a job function) with its parameters from the container.

``container.call`` gives the payload's values by name and resolves the other parameters
by type hint: ``mailer: Mailer`` is ``container.make(Mailer)``; ``cache: Cache | None =
None`` is the cache when one is bound, else None; a parameter with a default keeps it when
its type cannot be resolved.

What the container cannot fill because the job and its payload disagree — a parameter
that is neither in the payload nor a service, a payload value the function does not take —
is a :class:`PayloadError`: the job changed since it was queued, and no retry will fix
that. A service that cannot be built stays a ``BindingResolutionError`` (binding it and
retrying does fix that).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from foundry.domain.container import Container
from foundry.domain.errors import BindingResolutionError
from foundry.queue.errors import PayloadError

__all__ = ["run_handler"]

_CHANGED = "Was the job changed since it was queued?"


async def run_handler(
    container: Container,
    handler: Callable[..., Any],
    given: Mapping[str, Any],
    *,
    owner: str,
) -> None:
    """Call ``handler`` with ``given`` plus injected services, and await what it returns.

    Raises:
        PayloadError: the payload does not fit the handler's parameters.
        BindingResolutionError: a service the job needs cannot be built.
    """
    try:
        # Through a partial, so a payload value named like one of call()'s own keyword
        # parameters (``provide``) still reaches the handler by name.
        result = container.call(functools.partial(handler, **given))
    except BindingResolutionError as exc:
        context = exc.context
        if "callable" not in context:
            raise
        if "problem" in context:
            raise PayloadError(
                f"{owner} needs {context['parameter']!r}, which is neither in the payload nor "
                f"a service type the container can inject ({context['problem']}). {_CHANGED}"
            ) from exc
        if "parameters" in context:
            raise PayloadError(
                f"{owner} got payload values it does not take: "
                f"{', '.join(context['parameters'])}. {_CHANGED}"
            ) from exc
        raise
    if inspect.isawaitable(result):
        await result
