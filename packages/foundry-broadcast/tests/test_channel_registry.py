"""Channel patterns as in Laravel's ``Broadcast::channel``."""

from __future__ import annotations

import pytest

from foundry.broadcast import ChannelRegistry


async def test_parameters_are_captured_and_passed_by_name():
    registry = ChannelRegistry()
    seen = []

    async def callback(user, team, id):
        seen.append((user, team, id))
        return True

    registry.register("private-teams.{team}.orders.{id}", callback)
    assert await registry.authorise("private-teams.acme.orders.42", "alice") is True
    assert seen == [("alice", "acme", "42")]


async def test_a_parameter_never_spans_a_dot():
    registry = ChannelRegistry()
    registry.register("private-orders.{id}", lambda user, id: True)
    assert await registry.authorise("private-orders.1.2", "u") is None
    assert await registry.authorise("private-orders.", "u") is None


async def test_an_unprefixed_pattern_matches_private_and_presence_like_laravel():
    registry = ChannelRegistry()
    registry.register("room.{id}", lambda user, id: {"id": id})
    assert await registry.authorise("private-room.1", "u") == {"id": "1"}
    assert await registry.authorise("presence-room.2", "u") == {"id": "2"}
    assert await registry.authorise("room.3", "u") is None  # public channels need no auth


async def test_a_prefixed_pattern_matches_only_its_kind():
    registry = ChannelRegistry()
    registry.register("presence-room.{id}", lambda user, id: True)
    assert await registry.authorise("private-room.1", "u") is None


async def test_the_first_registered_match_decides_and_sync_callbacks_work():
    registry = ChannelRegistry()

    @registry.channel("private-admin")
    def admin(user):
        return user == "root"

    registry.register("private-{anything}", lambda user, anything: True)
    assert await registry.authorise("private-admin", "alice") is False
    assert await registry.authorise("private-other", "alice") is True
    assert registry.patterns == ["private-admin", "private-{anything}"]


async def test_regex_characters_in_patterns_are_literal():
    registry = ChannelRegistry()
    registry.register("private-a.b", lambda user: True)
    assert await registry.authorise("private-aXb", "u") is None
    assert await registry.authorise("private-a.b", "u") is True


def test_public_patterns_are_refused():
    with pytest.raises(ValueError, match="private or presence"):
        ChannelRegistry().register("public-news", lambda user: True)
