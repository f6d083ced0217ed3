"""EventFake records events, delivers the ones passed through, and knows the listeners."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from foundry.command_events import Dispatcher
from foundry.domain.errors import ConfigurationError
from foundry.domain.events import Event, EventDispatcher
from foundry.testing import EventFake


@dataclass(frozen=True)
class OrderShipped(Event):
    order_id: int


@dataclass(frozen=True)
class OrderCancelled(Event):
    order_id: int


HEARD: list[int] = []


def send_tracking_mail(event: OrderShipped) -> None:
    HEARD.append(event.order_id)


@pytest.fixture
def fake() -> EventFake:
    HEARD.clear()
    events = EventFake(Dispatcher())
    events.listen(OrderShipped, send_tracking_mail)
    return events


async def test_events_are_recorded_and_not_delivered(fake: EventFake) -> None:
    assert isinstance(fake, EventDispatcher)
    await fake.dispatch(OrderShipped(1))
    fake.dispatch_sync(OrderShipped(2))
    fake.assert_dispatched(OrderShipped, count=2)
    fake.assert_dispatched(OrderShipped, lambda e: e.order_id == 2, count=1)
    fake.assert_not_dispatched(OrderCancelled)
    assert HEARD == []


async def test_passed_through_events_reach_their_listeners(fake: EventFake) -> None:
    fake.pass_through(OrderShipped)
    await fake.dispatch(OrderShipped(1))
    await fake.dispatch(OrderCancelled(1))
    assert HEARD == [1]
    assert len(fake.dispatched()) == 2


def test_pass_through_of_every_event_from_synchronous_code(fake: EventFake) -> None:
    fake.pass_through()
    fake.dispatch_sync(OrderShipped(2))
    fake.dispatch_sync(OrderCancelled(2))
    assert HEARD == [2]
    fake.assert_dispatched(Event, count=2)


async def test_listeners_are_known_by_function_or_name(fake: EventFake) -> None:
    fake.assert_listening(OrderShipped, send_tracking_mail)
    fake.assert_listening(OrderShipped, "send_tracking_mail")
    fake.assert_listening(OrderShipped, f"{__name__}:send_tracking_mail")
    assert fake.has_listeners(OrderShipped)


async def test_a_missing_listener_fails_listing_the_registered_ones(fake: EventFake) -> None:
    with pytest.raises(AssertionError) as failure:
        fake.assert_listening(OrderCancelled, send_tracking_mail)
    text = str(failure.value)
    assert "to listen to OrderCancelled, but it does not" in text
    assert f"OrderShipped -> {__name__}:send_tracking_mail" in text


async def test_forgotten_listeners_no_longer_count(fake: EventFake) -> None:
    fake.forget(OrderShipped, send_tracking_mail)
    with pytest.raises(AssertionError):
        fake.assert_listening(OrderShipped, send_tracking_mail)
    assert not fake.has_listeners(OrderShipped)


async def test_failures_list_what_was_dispatched(fake: EventFake) -> None:
    await fake.dispatch(OrderCancelled(9))
    with pytest.raises(AssertionError) as failure:
        fake.assert_dispatched(OrderShipped)
    assert "Expected OrderShipped to be dispatched, but it was not." in str(failure.value)
    assert "OrderCancelled(order_id=9)" in str(failure.value)
    with pytest.raises(AssertionError, match=r"not to be dispatched, but it was dispatched 1 time"):
        fake.assert_nothing_dispatched()


async def test_without_a_dispatcher_events_are_recorded_and_cannot_pass_through() -> None:
    fake = EventFake(None)
    fake.listen(OrderShipped, send_tracking_mail)
    await fake.dispatch(OrderShipped(1))
    fake.assert_dispatched(OrderShipped)
    fake.assert_listening(OrderShipped, send_tracking_mail)
    with pytest.raises(ConfigurationError, match=r"no EventDispatcher is bound"):
        fake.pass_through()
