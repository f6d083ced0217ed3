"""A handler's parameters: the payload by name, services by type, mismatches are permanent."""

from __future__ import annotations

import pytest

from foundry.domain.errors import BindingResolutionError
from foundry.domain.mail import Mailer
from foundry.domain.queue import PermanentJobFailure
from foundry.queue.errors import PayloadError
from foundry.queue.injection import run_handler
from foundry.service_container import Container

RAN: list[object] = []


class Ledger:
    def __init__(self) -> None:
        self.lines: list[str] = []


def send(order_id: int, ledger: Ledger, note: str = "") -> None:
    ledger.lines.append(f"sent {order_id}{note}")
    RAN.append(order_id)


async def send_later(order_id: int, ledger: Ledger) -> None:
    ledger.lines.append(f"later {order_id}")
    RAN.append(order_id)


def mail(mailer: Mailer) -> None:
    RAN.append(mailer)


def configure(provide: str, ledger: Ledger) -> None:
    ledger.lines.append(f"provide={provide}")


@pytest.fixture
def container() -> Container:
    RAN.clear()
    container = Container()
    container.singleton(Ledger)
    return container


async def test_payload_values_arrive_by_name_and_services_by_type(container: Container) -> None:
    await run_handler(container, send, {"order_id": 7}, owner="send")
    await run_handler(container, send_later, {"order_id": 8}, owner="send_later")
    assert container.make(Ledger).lines == ["sent 7", "later 8"]


async def test_a_payload_value_the_handler_does_not_take_fails_permanently(
    container: Container,
) -> None:
    with pytest.raises(PayloadError) as info:
        await run_handler(container, send, {"order_id": 7, "weeks": 2}, owner="send")
    assert info.value.message == (
        "send got payload values it does not take: weeks. Was the job changed since it was queued?"
    )
    assert isinstance(info.value, PermanentJobFailure)
    assert RAN == []


async def test_a_parameter_neither_in_the_payload_nor_a_service_fails_permanently(
    container: Container,
) -> None:
    with pytest.raises(PayloadError) as info:
        await run_handler(container, send_later, {}, owner="send_later")
    assert info.value.message == (
        "send_later needs 'order_id', which is neither in the payload nor a service type the "
        "container can inject (int is not a service). Was the job changed since it was queued?"
    )
    assert RAN == []


async def test_a_service_that_is_not_bound_stays_a_binding_error_so_retries_can_succeed(
    container: Container,
) -> None:
    with pytest.raises(BindingResolutionError, match="No Mailer is bound") as info:
        await run_handler(container, mail, {}, owner="mail")
    assert not isinstance(info.value, PermanentJobFailure)
    assert RAN == []


async def test_a_payload_value_named_provide_reaches_the_handler(container: Container) -> None:
    await run_handler(container, configure, {"provide": "yes"}, owner="configure")
    assert container.make(Ledger).lines == ["provide=yes"]
