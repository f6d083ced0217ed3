"""What the completers offer for the text typed so far."""

from __future__ import annotations

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from foundry.interactive.completion import ChoiceCompleter, SuggestionCompleter


def offered(completer: object, text: str) -> list[tuple[str, int]]:
    get = completer.get_completions  # type: ignore[attr-defined]
    return [(c.text, c.start_position) for c in get(Document(text), CompleteEvent())]


def test_list_suggestions_are_filtered_prefix_first_ignoring_case() -> None:
    completer = SuggestionCompleter(["UserController", "PostController", "User", "Admin"])
    assert offered(completer, "user") == [("UserController", -4), ("User", -4)]
    assert offered(completer, "contr") == [("UserController", -5), ("PostController", -5)]
    assert offered(completer, "zzz") == []


def test_empty_text_offers_every_suggestion() -> None:
    assert [t for t, _ in offered(SuggestionCompleter(["a", "b"]), "")] == ["a", "b"]


def test_exact_match_is_not_offered_again() -> None:
    assert offered(SuggestionCompleter(["User", "Users"]), "User") == [("Users", -4)]


def test_callable_suggestions_receive_the_current_text_and_are_used_as_given() -> None:
    calls: list[str] = []

    def routes(text: str) -> list[str]:
        calls.append(text)
        return ["/users/{id}", "/users", "/users"] if text.startswith("/u") else []

    completer = SuggestionCompleter(routes)
    assert offered(completer, "/u") == [("/users/{id}", -2), ("/users", -2)]
    assert offered(completer, "/x") == []
    assert calls == ["/u", "/x"]


def test_callable_may_return_any_iterable() -> None:
    completer = SuggestionCompleter(lambda text: (f"{text}{n}" for n in range(2)))
    assert completer.candidates("v") == ["v0", "v1"]


def test_choice_completer_completes_values() -> None:
    completer = ChoiceCompleter(["sqlite", "postgres", "mysql"])
    assert offered(completer, "po") == [("postgres", -2)]
    assert offered(completer, "sql") == [("sqlite", -3), ("mysql", -3)]


def test_multiple_choice_completer_completes_the_item_after_the_last_comma() -> None:
    completer = ChoiceCompleter(["auth", "queue", "mail"], multiple=True)
    assert offered(completer, "auth, qu") == [("queue", -2)]
    assert offered(completer, "auth,") == [("auth", 0), ("queue", 0), ("mail", 0)]
