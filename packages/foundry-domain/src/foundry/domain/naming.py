"""Case helpers for generated names: one function per spelling a generator needs.

Every helper splits its input into words the same way, so ``SendReport``,
``send-report``, ``send_report`` and ``sendReport`` all give the same results. Acronyms stay
one word (``HTTPClient`` is ``HTTP`` + ``Client``, ``UserIDs`` is ``User`` + ``IDs``) and
keep their capitals where the spelling allows it (``studly("HTTPClient")`` is
``HTTPClient``); input of several words written entirely in capitals (``USER_PROFILE``) is
read as plain words, not acronyms. The same functions are the Jinja2 filters of every stub.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from foundry.domain.inflector import pluralize, singularize

__all__ = [
    "CASE_HELPERS",
    "camel",
    "kebab",
    "plural",
    "screaming_snake",
    "singular",
    "snake",
    "studly",
    "title",
    "words",
]

_RUN = re.compile(r"[^\W_]+")  # letters and digits in any script


def _is_plural_acronym(chunk: str, index: int) -> bool:
    """Whether ``chunk[index:]`` starts like the ``Ds`` of ``IDs`` (not the ``Cl`` of
    ``HTTPClient``): one lower-case ``s`` that ends the chunk or meets another capital."""
    after = index + 2
    return chunk[index + 1] == "s" and (after >= len(chunk) or not chunk[after].islower())


def _split_run(run: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for i in range(1, len(run)):
        prev, cur = run[i - 1], run[i]
        nxt = run[i + 1] if i + 1 < len(run) else ""
        if cur.isupper() and (prev.islower() or prev.isdigit()):
            boundary = True
        elif cur.isupper() and prev.isupper() and nxt.islower():
            boundary = not _is_plural_acronym(run, i)
        else:
            boundary = False
        if boundary:
            parts.append(run[start:i])
            start = i
    parts.append(run[start:])
    return parts


def words(text: str) -> list[str]:
    """``"HTTPClient"`` -> ``["HTTP", "Client"]``; ``"send-report"`` -> ``["send", "report"]``."""
    return [part for run in _RUN.findall(str(text)) for part in _split_run(run)]


def _is_acronym(word: str) -> bool:
    if len(word) < 2:
        return False
    return word.isupper() or (len(word) > 2 and word[-1] == "s" and word[:-1].isupper())


def _has_lower(text: str) -> bool:
    return any(c.islower() for c in text)


def _keeps_acronyms(text: str, parts: list[str]) -> bool:
    """Capitals mean acronyms when the text also has lower-case letters or is one word:
    ``HTTPClient`` and ``HTTP`` keep them, ``USER_PROFILE`` is two plain words."""
    return len(parts) == 1 or _has_lower(text)


def _capitalised(word: str, keep_acronyms: bool) -> str:
    if keep_acronyms and _is_acronym(word):
        return word
    return word[:1].upper() + word[1:].lower()


def studly(text: str) -> str:
    """``send_report`` -> ``SendReport`` (class names)."""
    parts = words(text)
    keep = _keeps_acronyms(text, parts)
    return "".join(_capitalised(w, keep) for w in parts)


def camel(text: str) -> str:
    """``send_report`` -> ``sendReport``."""
    parts = words(text)
    if not parts:
        return ""
    keep = _keeps_acronyms(text, parts)
    return parts[0].lower() + "".join(_capitalised(w, keep) for w in parts[1:])


def snake(text: str) -> str:
    """``SendReport`` -> ``send_report`` (modules, functions, tables)."""
    return "_".join(w.lower() for w in words(text))


def kebab(text: str) -> str:
    """``SendReport`` -> ``send-report`` (command names, URLs)."""
    return "-".join(w.lower() for w in words(text))


def screaming_snake(text: str) -> str:
    """``SendReport`` -> ``SEND_REPORT`` (constants, environment variables)."""
    return "_".join(w.upper() for w in words(text))


def title(text: str) -> str:
    """``send_report`` -> ``Send Report``; acronyms keep their capitals."""
    parts = words(text)
    keep = _keeps_acronyms(text, parts)
    return " ".join(_capitalised(w, keep) for w in parts)


def _match_case(original: str, inflected: str, screaming: bool) -> str:
    """Spell ``inflected`` (lower case) the way ``original`` was spelled."""
    lowered = original.lower()
    if lowered.startswith(inflected):  # "Users" -> "User", "IDs" -> "ID"
        return original[: len(inflected)]
    if inflected.startswith(lowered):  # "User" -> "Users", "ID" -> "IDs", "STATUS" -> ...
        suffix = inflected[len(lowered) :]
        return original + (suffix.upper() if screaming else suffix)
    if original.isupper():
        return inflected.upper()
    if original[:1].isupper():
        return inflected[:1].upper() + inflected[1:]
    return inflected


def _inflect_last_word(text: str, inflect: Callable[[str], str]) -> str:
    runs = list(_RUN.finditer(text))
    if not runs:
        return text
    last = runs[-1]
    word = _split_run(last.group())[-1]
    start = last.end() - len(word)
    screaming = not _has_lower(text)
    spelled = _match_case(word, inflect(word.lower()), screaming)
    return text[:start] + spelled + text[last.end() :]


def plural(text: str) -> str:
    """``Category`` -> ``Categories``; only the last word changes (``UserProfile`` ->
    ``UserProfiles``) and its spelling is kept (``PERSON`` -> ``PEOPLE``)."""
    return _inflect_last_word(str(text), pluralize)


def singular(text: str) -> str:
    """``categories`` -> ``category``; only the last word changes, as with :func:`plural`."""
    return _inflect_last_word(str(text), singularize)


CASE_HELPERS: dict[str, Callable[[str], str]] = {
    "studly": studly,
    "snake": snake,
    "kebab": kebab,
    "camel": camel,
    "plural": plural,
    "singular": singular,
    "title": title,
    "screaming_snake": screaming_snake,
}
"""The Jinja2 filters every stub can use (``{{ name | studly }}``)."""
