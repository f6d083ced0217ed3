"""Did-you-mean hints for misspelt option names, enum values and rule names."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "distance"]


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``.

    Swaps count once because they are the commonest typing slip (``--prot`` for ``--port``).
    """
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` was most likely meant to be, or None when nothing is close.

    In order: the same word but for letter case (``Redis`` -> ``redis``); the only candidate
    that starts with it (``dry`` -> ``dry-run``); the candidate fewest edits away, allowing
    one edit per three letters, at most three (``colour`` -> ``color``).
    """
    pool = list(dict.fromkeys(candidates))
    folded = word.casefold()
    for candidate in pool:
        if candidate.casefold() == folded:
            return candidate
    if len(word) >= 3:
        starting = [c for c in pool if c.startswith(word)]
        if len(starting) == 1:
            return starting[0]
    allowed = min(3, len(word) // 3)  # none below three letters: "4" is not a typo of "1"
    best: str | None = None
    best_distance = allowed + 1
    for candidate in pool:
        edits = distance(word, candidate)
        if edits < best_distance:
            best, best_distance = candidate, edits
    return best
