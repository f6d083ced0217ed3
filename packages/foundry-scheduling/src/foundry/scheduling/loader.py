"""Building an application's schedule: ``app/schedule.py`` plus every provider's hook.

``app/schedule.py`` is found by convention in the application root and must define a
function ``schedule(schedule)``. It is read from its file (under the module name
``app.schedule``), so the schedule always reflects the file of *this* application, and
it may import the app's own modules (``from app.scheduled.prune import Prune``) because
the kernel puts the application root on ``sys.path``.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from typing import TYPE_CHECKING

from foundry.domain.errors import FoundryError
from foundry.scheduling.errors import ScheduleError
from foundry.scheduling.schedule import Schedule

if TYPE_CHECKING:
    from pathlib import Path

    from foundry.domain.application import Application
    from foundry.domain.provider import ServiceProvider

__all__ = ["SCHEDULE_FILE", "load_schedule"]

SCHEDULE_FILE = ("app", "schedule.py")
MODULE_NAME = "app.schedule"


def load_schedule(app: Application) -> Schedule:
    """The application's schedule, declared and checked.

    The default timezone is ``APP_TIMEZONE`` (config ``app.timezone``, ``UTC`` when unset).

    Raises:
        ScheduleError: ``app/schedule.py`` or a provider's hook failed, or an event needs
            something the application lacks (a ``Cache`` for locks, a ``Mailer`` ...).
    """
    timezone = app.config.get("app.timezone") or "UTC"
    schedule = Schedule(timezone=str(timezone))
    path = app.path(*SCHEDULE_FILE)
    if path.is_file():
        with schedule.declaring_from("app/schedule.py"):
            _declare_from_file(path, schedule)
    for provider in app.providers:
        label = _label(provider)
        with schedule.declaring_from(f"provider {label}"):
            try:
                provider.schedule(app, schedule)
            except FoundryError:
                raise
            except Exception as exc:
                raise ScheduleError(
                    f"The schedule hook of {label} failed: {type(exc).__name__}: {exc}"
                ) from exc
    schedule.validate(app)
    return schedule


def _label(provider: ServiceProvider) -> str:
    return provider.package or type(provider).name or type(provider).__name__


def _declare_from_file(path: Path, schedule: Schedule) -> None:
    spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
    if spec is None or spec.loader is None:
        raise ScheduleError(f"{path} cannot be loaded as a Python module.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module
    try:
        spec.loader.exec_module(module)
    except FoundryError:
        raise
    except Exception as exc:
        raise ScheduleError(
            f"app/schedule.py failed to import: {type(exc).__name__}: {exc}"
        ) from exc
    declare = getattr(module, "schedule", None)
    if not callable(declare) or inspect.iscoroutinefunction(declare):
        raise ScheduleError(
            "app/schedule.py must define a plain function schedule(schedule) that declares "
            'the tasks, e.g.: def schedule(schedule): schedule.command("cache:prune").daily()'
        )
    try:
        declare(schedule)
    except FoundryError:
        raise
    except Exception as exc:
        raise ScheduleError(
            f"app/schedule.py: schedule() failed: {type(exc).__name__}: {exc}"
        ) from exc
