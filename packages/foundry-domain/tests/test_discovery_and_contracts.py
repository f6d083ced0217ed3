import pytest

from foundry.domain.auth import AccessToken
from foundry.domain.cache import Cache
from foundry.domain.clock import FrozenClock, SystemClock
from foundry.domain.contracts import contract, implementing_package, unbound_message
from foundry.domain.discovery import discover, load_reference
from foundry.domain.errors import ConfigurationError


def test_load_reference_imports_attribute_paths():
    assert load_reference("foundry.domain.errors:FoundryError").__name__ == "FoundryError"
    assert load_reference("os.path:join.__name__") == "join"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-colon", "is not a"),
        ("foundry.domain.nope:X", "cannot import foundry.domain.nope"),
        ("foundry.domain.errors:Nope", "has no Nope"),
    ],
)
def test_load_reference_errors_name_the_reference(ref, message):
    with pytest.raises(ConfigurationError, match=message):
        load_reference(ref)


def test_discover_unknown_group_is_empty():
    assert discover("foundry.no-such-group") == []


def test_contract_mark_does_not_become_a_protocol_member():
    assert implementing_package(Cache) == "foundry-cache"

    @contract("foundry-x")
    class Thing:
        pass

    assert implementing_package(Thing) == "foundry-x"
    assert implementing_package(object) is None
    assert unbound_message("config") == "No config is bound. Bind config in a provider."
    assert "Install foundry-x" in unbound_message(Thing)


def test_access_token_wildcard():
    token = AccessToken("user:1", frozenset({"products:read"}))
    assert token.can("products:read")
    assert not token.can("foundry:invoke")
    assert AccessToken("c", frozenset({"*"})).can("anything")


def test_frozen_clock_moves_only_when_told():
    clock = FrozenClock()
    start = clock.now()
    clock.advance(seconds=1)
    assert (clock.now() - start).total_seconds() == 1
    assert clock.timestamp() == clock.now().timestamp()
    assert SystemClock().now().tzinfo is not None


def test_context_values_are_scoped_to_a_block():
    from foundry.domain.context import bind_context, current_request_id, current_user_id

    assert current_request_id() is None
    with bind_context(request_id="r-1", user_id="u-1"):
        assert (current_request_id(), current_user_id()) == ("r-1", "u-1")
        with bind_context(user_id="u-2"):
            assert (current_request_id(), current_user_id()) == ("r-1", "u-2")
        assert current_user_id() == "u-1"
    assert (current_request_id(), current_user_id()) == (None, None)
