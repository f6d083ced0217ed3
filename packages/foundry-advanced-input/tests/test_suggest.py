"""Did-you-mean hints: close enough to help, never a wild guess."""

from __future__ import annotations

import pytest

import foundry.advanced_input as package
from foundry.advanced_input.suggest import closest, distance


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("", "", 0),
        ("port", "port", 0),
        ("prot", "port", 1),  # a swap of neighbours is one slip
        ("colour", "color", 1),
        ("forse", "force", 1),
        ("", "abc", 3),
        ("disk", "redis", 3),
    ],
)
def test_distance_counts_typing_slips(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == edits
    assert distance(b, a) == edits


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("Redis", ["memory", "redis"], "redis"),  # letter case alone
        ("dry", ["dry-run", "force"], "dry-run"),  # the only name starting with it
        ("dr", ["dry-run"], None),  # too short a prefix to guess from
        ("d", ["dry-run", "debug"], None),
        ("colour", ["color", "column"], "color"),
        ("memroy", ["memory", "redis"], "memory"),
        ("disk", ["memory", "redis"], None),
        ("4", ["1", "2", "3"], None),  # one-letter words are never "typos" of others
        ("anything", [], None),
    ],
)
def test_closest_only_suggests_what_is_plausible(
    word: str, candidates: list[str], expected: str | None
) -> None:
    assert closest(word, candidates) == expected


def test_the_package_exports_its_public_names_on_first_use() -> None:
    assert set(package.__all__) <= set(dir(package))
    for name in package.__all__:
        assert getattr(package, name) is not None
    assert package.__version__ == "0.1.0"


def test_the_package_refuses_names_it_does_not_export() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Parser'"):
        _ = package.Parser
