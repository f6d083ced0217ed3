"""Completers that offer suggestions while a person types.

This module imports prompt_toolkit at module level; :mod:`foundry.interactive.prompter`
imports it only when a prompt is actually shown, keeping CLI start-up free of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from foundry.interactive.answers import rank

__all__ = ["ChoiceCompleter", "SuggestionCompleter"]


class SuggestionCompleter(Completer):
    """Suggestions for a free-text answer, from a list or from a callable.

    A list is filtered here (prefix matches first, then substring matches, ignoring case).
    A callable receives the text typed so far and returns its own suggestions, already
    filtered: it may look them up anywhere (files, routes, database rows). Each suggestion
    replaces the whole text typed so far.
    """

    def __init__(self, suggestions: Sequence[str] | Callable[[str], Iterable[str]]) -> None:
        self._suggestions = suggestions

    def candidates(self, text: str) -> list[str]:
        """The suggestions for ``text``, in the order they are offered."""
        if callable(self._suggestions):
            offered: list[str] = []
            for item in self._suggestions(text):
                if item not in offered:
                    offered.append(item)
            return offered
        return rank(self._suggestions, text)

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        text = document.text_before_cursor
        for candidate in self.candidates(text):
            if candidate != text:
                yield Completion(candidate, start_position=-len(text))


class ChoiceCompleter(Completer):
    """Completes choice values; with ``multiple``, the item after the last comma."""

    def __init__(self, choices: Sequence[str], *, multiple: bool = False) -> None:
        self._choices = list(choices)
        self._multiple = multiple

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        text = document.text_before_cursor
        if self._multiple:
            text = text.rsplit(",", 1)[-1].lstrip()
        for candidate in rank(self._choices, text):
            if candidate != text:
                yield Completion(candidate, start_position=-len(text))
