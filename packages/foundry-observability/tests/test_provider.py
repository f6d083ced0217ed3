"""The provider: declared variables, bindings, and a console run that stays light."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from foundry.application import Application
from foundry.observability import Observability, ObservabilityServiceProvider
from foundry.observability.provider import ENV_VARS

OWN = {
    "LOG_FORMAT",
    "METRICS_ENABLED",
    "METRICS_PREFIX",
    "METRICS_TOKEN",
    "METRICS_PATH",
    "PROMETHEUS_MULTIPROC_DIR",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
}


def test_every_variable_read_is_declared_once_on_the_provider(tmp_path) -> None:
    names = [var.name for var in ObservabilityServiceProvider.env]
    assert set(names) == OWN
    assert len(names) == len(set(names))
    assert "LOG_LEVEL" not in names  # foundry-verbosity declares it
    app = Application(base_path=tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    app.boot()
    assert {v.name for v in app.env_vars} >= OWN
    assert next(v for v in ENV_VARS if v.name == "METRICS_TOKEN").secret


def test_one_observability_per_application(tmp_path) -> None:
    app = Application(base_path=tmp_path, providers=[ObservabilityServiceProvider], discover=False)
    app.boot()
    assert app.make(Observability) is app.make(Observability)


def test_a_console_run_imports_no_metrics_or_tracing_library(tmp_path) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from foundry.application import Application
        from foundry.command_events.provider import CommandEventsServiceProvider
        from foundry.domain.application import CommandRunner
        from foundry.observability.provider import ObservabilityServiceProvider

        app = Application(base_path={str(tmp_path)!r},
                          providers=[ObservabilityServiceProvider, CommandEventsServiceProvider],
                          discover=False)
        app.boot()
        outcome = asyncio.run(app.make(CommandRunner).run("event:list"))
        heavy = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("prometheus_client", "opentelemetry", "fastapi"))
        print(outcome.exit_code, heavy)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0 []"
