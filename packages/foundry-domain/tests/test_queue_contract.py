"""``Job.with_options``: one job's delivery settings over its class's, outside its payload."""

from __future__ import annotations

from dataclasses import dataclass

from foundry.domain.queue import Job


@dataclass
class Report(Job):
    team: str
    tries = 3
    backoff = (10, 60)


@dataclass(slots=True)
class Slotted(Job):
    team: str


def test_options_set_on_one_job_leave_the_class_and_the_payload_alone():
    job = Report("ops").with_options(tries=7, backoff=5, queue="reports")
    assert (job.tries, job.backoff, job.queue) == (7, 5, "reports")
    assert job.payload() == {"team": "ops"}
    assert (Report.tries, Report.backoff, Report.queue) == (3, (10, 60), None)
    assert Report("dev").tries == 3


def test_none_keeps_the_class_value():
    job = Report("ops").with_options(timeout=30)
    assert (job.tries, job.timeout) == (3, 30)


def test_a_slotted_job_takes_options_too():
    job = Slotted("ops").with_options(tries=2)
    assert job.tries == 2
    assert job.payload() == {"team": "ops"}
