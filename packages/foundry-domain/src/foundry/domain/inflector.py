"""English plural and singular of one lower-case word, for code generators.

Generators feed this names such as ``category``, ``status`` or ``person`` and may already
hold the plural (``users``), so both directions are idempotent: ``plural("users")`` is
``users`` and ``singular("status")`` is ``status``. The rules follow Laravel's (Doctrine)
and Rails' inflectors: uncountable words first, then irregular words, then ordered suffix
rules, with the exceptions those rules are known to get wrong (``caches``, ``cookies``,
``excuses``) listed as irregulars.
"""

from __future__ import annotations

import re

__all__ = ["pluralize", "singularize"]

UNCOUNTABLE = frozenset(
    [
        "analytics",
        "audio",
        "bison",
        "cattle",
        "chaos",
        "chassis",
        "compensation",
        "coreopsis",
        "data",
        "deer",
        "education",
        "emoji",
        "equipment",
        "evidence",
        "feedback",
        "firmware",
        "fish",
        "furniture",
        "gold",
        "hardware",
        "information",
        "jedi",
        "kin",
        "knowledge",
        "love",
        "media",
        "metadata",
        "money",
        "moose",
        "news",
        "nutrition",
        "offspring",
        "plankton",
        "pokemon",
        "police",
        "rain",
        "recommended",
        "related",
        "rice",
        "series",
        "sheep",
        "software",
        "species",
        "swine",
        "traffic",
        "wheat",
    ]
)

# Whole words only: "man" -> "men" must not turn "human" into "humen".
_WHOLE: dict[str, str] = {
    "man": "men",
    "woman": "women",
    "ox": "oxen",
    "louse": "lice",
    "life": "lives",
    "elf": "elves",
    "axis": "axes",
    "iris": "irises",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "datum": "data",
    "curriculum": "curricula",
    "memorandum": "memoranda",
    "bacterium": "bacteria",
    "stratum": "strata",
    "alumnus": "alumni",
    "cactus": "cacti",
    "focus": "foci",
    "fungus": "fungi",
    "nucleus": "nuclei",
    "radius": "radii",
    "stimulus": "stimuli",
    "syllabus": "syllabi",
    "genus": "genera",
    "corpus": "corpora",
    "matrix": "matrices",
    "index": "indices",
    "vertex": "vertices",
    "appendix": "appendices",
    "quiz": "quizzes",
    "whiz": "whizzes",
    "gas": "gases",
    "canvas": "canvases",
    "atlas": "atlases",
    "bias": "biases",
    "alias": "aliases",
    "lens": "lenses",
    "epoch": "epochs",
    "stomach": "stomachs",
    "monarch": "monarchs",
    "niche": "niches",
    "cliche": "cliches",
    "avalanche": "avalanches",
    "headache": "headaches",
    "moustache": "moustaches",
    "mustache": "mustaches",
    "cause": "causes",
    "clause": "clauses",
    "pause": "pauses",
    "excuse": "excuses",
    "fuse": "fuses",
    "abuse": "abuses",
    "refuse": "refuses",
    "muse": "muses",
    "ruse": "ruses",
    "recluse": "recluses",
    "die": "dies",
    "tie": "ties",
    "pie": "pies",
    "lie": "lies",
}

# Suffixes: "salesperson" -> "salespeople", "bookshelf" -> "bookshelves".
_SUFFIX: tuple[tuple[str, str], ...] = (
    ("person", "people"),
    ("child", "children"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("goose", "geese"),
    ("mouse", "mice"),
    ("cache", "caches"),
    ("calf", "calves"),
    ("half", "halves"),
    ("hoof", "hooves"),
    ("leaf", "leaves"),
    ("loaf", "loaves"),
    ("scarf", "scarves"),
    ("self", "selves"),
    ("sheaf", "sheaves"),
    ("shelf", "shelves"),
    ("thief", "thieves"),
    ("wolf", "wolves"),
    ("dwarf", "dwarves"),
    ("wharf", "wharves"),
    ("knife", "knives"),
    ("wife", "wives"),
    ("hero", "heroes"),
    ("potato", "potatoes"),
    ("tomato", "tomatoes"),
    ("echo", "echoes"),
    ("veto", "vetoes"),
    ("torpedo", "torpedoes"),
    ("volcano", "volcanoes"),
    ("buffalo", "buffaloes"),
    ("cookie", "cookies"),
    ("movie", "movies"),
    ("zombie", "zombies"),
    ("rookie", "rookies"),
    ("calorie", "calories"),
    ("selfie", "selfies"),
    ("hoodie", "hoodies"),
    ("newbie", "newbies"),
    ("freebie", "freebies"),
    ("goalie", "goalies"),
    ("genie", "genies"),
    ("brownie", "brownies"),
    ("prairie", "prairies"),
    ("hippie", "hippies"),
    ("smoothie", "smoothies"),
)

_WHOLE_PLURALS = {plural: singular for singular, plural in _WHOLE.items()}

_PLURAL_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"([^aeiouy]|qu)y$", r"\1ies"),
        (r"sis$", "ses"),
        (r"(x|ch|ss|sh|zz)$", r"\1es"),
        (r"z$", "zes"),
        (r"us$", "uses"),
        (r"is$", "ises"),
        (r"s$", "s"),  # ends in s and no rule above: already plural ("users")
        (r"$", "s"),
    )
)

_SINGULAR_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(ss|us|is)$", r"\1"),  # already singular: address, status, analysis
        (
            r"(analy|cri|the|diagno|hypothe|parenthe|progno|synop|empha|oa|ellip|paraly|synthe)"
            r"ses$",
            r"\1sis",
        ),
        (r"(x|ch|ss|sh|zz)es$", r"\1"),
        (r"ouses$", "ouse"),
        (r"([^a])uses$", r"\1us"),
        (r"([^aeiouy]|qu)ies$", r"\1y"),
        (r"s$", ""),
    )
)


def _suffix_swap(word: str, pairs: tuple[tuple[str, str], ...], to_plural: bool) -> str | None:
    for singular, plural in pairs:
        source, target = (singular, plural) if to_plural else (plural, singular)
        if word.endswith(source):
            return word[: len(word) - len(source)] + target
    return None


def _is_known_plural(word: str) -> bool:
    if word in _WHOLE_PLURALS:
        return True
    return any(word.endswith(plural) for _, plural in _SUFFIX)


def _is_known_singular(word: str) -> bool:
    if word in _WHOLE:
        return True
    return any(word.endswith(singular) for singular, _ in _SUFFIX)


def _apply(word: str, rules: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, replacement in rules:
        if pattern.search(word):
            return pattern.sub(replacement, word, count=1)
    return word


def pluralize(word: str) -> str:
    """The plural of a lower-case ``word``; a word that is already plural is returned as is."""
    if not word or word in UNCOUNTABLE:
        return word
    if not word[-1].isalpha():
        return word + "s"  # "oauth2" -> "oauth2s": no English rule applies to a digit
    if word in _WHOLE:
        return _WHOLE[word]
    if _is_known_plural(word) and not _is_known_singular(word):
        return word
    swapped = _suffix_swap(word, _SUFFIX, to_plural=True)
    if swapped is not None:
        return swapped
    singular = singularize(word)
    if singular != word and _apply(singular, _PLURAL_RULES) == word:
        return word  # "categories", "mice" and friends are already plural
    return _apply(word, _PLURAL_RULES)


def singularize(word: str) -> str:
    """The singular of a lower-case ``word``; a word that is already singular is returned
    as is."""
    if not word or word in UNCOUNTABLE or not word[-1].isalpha():
        return word
    if word in _WHOLE_PLURALS:
        return _WHOLE_PLURALS[word]
    if word in _WHOLE:
        return word
    swapped = _suffix_swap(word, _SUFFIX, to_plural=False)
    if swapped is not None:
        return swapped
    if _is_known_singular(word):
        return word
    return _apply(word, _SINGULAR_RULES)
