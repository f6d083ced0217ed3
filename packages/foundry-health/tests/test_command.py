"""health:check / doctor: the report as a table or JSON, and its exit codes."""

from __future__ import annotations

from foundry.domain.health import HealthResult, HealthStatus


class Fixed:
    def __init__(self, name: str, status: HealthStatus, critical: bool = True) -> None:
        self.name, self.critical, self.status = name, critical, status

    async def check(self) -> HealthResult:
        return HealthResult(self.status, f"{self.name} says {self.status.value}", {"n": 1})


async def test_exits_1_when_a_critical_check_fails(make_app, run, kit, closed_port):
    app = make_app(kit.Binding(database=kit.TcpDatabase("127.0.0.1", closed_port)))
    ran = await run(app, "health:check")
    assert ran.outcome.exit_code == 1
    assert ran.outcome.result.message == "Unhealthy: database failed."
    line = next(line for line in ran.stdout.splitlines() if line.startswith("database"))
    assert "failed" in line
    assert "yes" in line
    assert "unreachable" in line
    assert "Traceback" not in ran.stdout + ran.stderr


async def test_exits_0_when_healthy(make_app, run, kit):
    app = make_app(kit.Contributing(Fixed("alpha", HealthStatus.OK)))
    ran = await run(app, "health:check", "--check", "alpha")
    assert ran.outcome.exit_code == 0
    assert ran.outcome.result.message == "All 1 check passed."
    assert ran.stdout.splitlines()[0].split() == ["check", "status", "critical", "time", "message"]


async def test_degraded_checks_are_reported_but_exit_0(make_app, run, kit):
    app = make_app(
        kit.Contributing(
            Fixed("alpha", HealthStatus.DEGRADED), Fixed("beta", HealthStatus.FAILED, False)
        )
    )
    ran = await run(app, "health:check", "--check", "alpha", "--check", "beta")
    assert ran.outcome.exit_code == 0
    assert ran.outcome.result.message == "Degraded: beta failed, alpha degraded."


async def test_doctor_is_an_alias_and_json_is_the_readiness_body(make_app, run, kit):
    app = make_app(kit.Contributing(Fixed("alpha", HealthStatus.OK)))
    ran = await run(app, "doctor", "--check", "alpha", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.stdout == ""
    data = ran.outcome.result.data
    assert data["status"] == "ok"
    assert list(data["checks"]) == ["alpha"]
    assert data["checks"]["alpha"]["message"] == "alpha says ok"
    assert data["checks"]["alpha"]["details"] == {"n": 1}


async def test_check_runs_only_the_named_checks(make_app, run, kit):
    app = make_app(kit.Contributing(Fixed("alpha", HealthStatus.FAILED)))
    ran = await run(app, "health:check", "--check", "disk", format="json")
    assert list(ran.outcome.result.data["checks"]) == ["disk"]
    ran = await run(app, "health:check", "--check=alpha,disk", format="json")
    assert list(ran.outcome.result.data["checks"]) == ["disk", "alpha"]  # registration order
    assert ran.outcome.exit_code == 1


async def test_an_unknown_check_is_a_usage_error_listing_the_known_ones(make_app, run):
    ran = await run(make_app(), "health:check", "--check", "databse")
    assert ran.outcome.exit_code == 2
    assert ran.outcome.error == 'Unknown health check "databse". Registered checks: disk, memory.'


async def test_details_are_shown_only_with_verbose(make_app, run, kit):
    from foundry.domain.commands import Verbosity

    app = make_app(kit.Contributing(Fixed("alpha", HealthStatus.OK)))
    normal = await run(app, "health:check", "--check", "alpha")
    assert "alpha: {'n': 1}" not in normal.stdout
    verbose = await run(app, "health:check", "--check", "alpha", verbosity=Verbosity.VERBOSE)
    assert verbose.outcome.exit_code == 0
    assert "alpha: {'n': 1}" in verbose.stdout
