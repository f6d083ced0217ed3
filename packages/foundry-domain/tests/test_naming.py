"""Case helpers: one word splitter behind every spelling, and an idempotent inflector."""

from __future__ import annotations

import pytest

from foundry.domain.naming import (
    CASE_HELPERS,
    camel,
    kebab,
    plural,
    screaming_snake,
    singular,
    snake,
    studly,
    title,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SendReport", ["Send", "Report"]),
        ("send-report", ["send", "report"]),
        ("send_report", ["send", "report"]),
        ("sendReport", ["send", "Report"]),
        ("send report", ["send", "report"]),
        ("HTTPClient", ["HTTP", "Client"]),
        ("getHTTP2Response", ["get", "HTTP2", "Response"]),
        ("UserIDs", ["User", "IDs"]),
        ("APIsClient", ["APIs", "Client"]),
        ("Oauth2Client", ["Oauth2", "Client"]),
        ("USER_PROFILE", ["USER", "PROFILE"]),
        ("__init__", ["init"]),
        ("", []),
    ],
)
def test_words_split_on_case_separators_and_acronyms(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "studly_", "camel_", "snake_", "kebab_", "screaming", "title_"),
    [
        (
            "SendReport",
            "SendReport",
            "sendReport",
            "send_report",
            "send-report",
            "SEND_REPORT",
            "Send Report",
        ),
        (
            "send-report",
            "SendReport",
            "sendReport",
            "send_report",
            "send-report",
            "SEND_REPORT",
            "Send Report",
        ),
        (
            "HTTPClient",
            "HTTPClient",
            "httpClient",
            "http_client",
            "http-client",
            "HTTP_CLIENT",
            "HTTP Client",
        ),
        (
            "USER_PROFILE",
            "UserProfile",
            "userProfile",
            "user_profile",
            "user-profile",
            "USER_PROFILE",
            "User Profile",
        ),
        ("s3_bucket", "S3Bucket", "s3Bucket", "s3_bucket", "s3-bucket", "S3_BUCKET", "S3 Bucket"),
        ("HTTP", "HTTP", "http", "http", "http", "HTTP", "HTTP"),
        ("", "", "", "", "", "", ""),
    ],
)
def test_every_spelling_of_a_name(
    text: str,
    studly_: str,
    camel_: str,
    snake_: str,
    kebab_: str,
    screaming: str,
    title_: str,
) -> None:
    assert studly(text) == studly_
    assert camel(text) == camel_
    assert snake(text) == snake_
    assert kebab(text) == kebab_
    assert screaming_snake(text) == screaming
    assert title(text) == title_


@pytest.mark.parametrize(
    "text", ["SendReport", "HTTPClient", "send_report", "UserIDs", "Oauth2Client"]
)
def test_spellings_are_stable_when_applied_twice(text: str) -> None:
    for helper in (studly, camel, snake, kebab, screaming_snake):
        assert helper(helper(text)) == helper(text)


PLURALS = [
    # the cases
    ("Person", "People"),
    ("Status", "Statuses"),
    ("Category", "Categories"),
    ("Quiz", "Quizzes"),
    # irregulars
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("ox", "oxen"),
    ("criterion", "criteria"),
    ("cactus", "cacti"),
    ("index", "indices"),
    ("matrix", "matrices"),
    ("analysis", "analyses"),
    ("axis", "axes"),
    ("crisis", "crises"),
    ("leaf", "leaves"),
    ("knife", "knives"),
    ("wolf", "wolves"),
    ("hero", "heroes"),
    ("potato", "potatoes"),
    # regular rules and their traps
    ("user", "users"),
    ("day", "days"),
    ("query", "queries"),
    ("box", "boxes"),
    ("match", "matches"),
    ("wish", "wishes"),
    ("address", "addresses"),
    ("bus", "buses"),
    ("virus", "viruses"),
    ("alias", "aliases"),
    ("photo", "photos"),
    ("roof", "roofs"),
    ("belief", "beliefs"),
    ("safe", "safes"),
    ("cookie", "cookies"),
    ("movie", "movies"),
    ("cache", "caches"),
    ("database", "databases"),
    ("human", "humans"),
    ("slice", "slices"),
    ("house", "houses"),
    # uncountable
    ("sheep", "sheep"),
    ("news", "news"),
    ("equipment", "equipment"),
    ("information", "information"),
    ("data", "data"),
    ("series", "series"),
    # compound identifiers: only the last word changes, its spelling is kept
    ("UserProfile", "UserProfiles"),
    ("user_profile", "user_profiles"),
    ("blog-category", "blog-categories"),
    ("HTTPClient", "HTTPClients"),
    ("SalesPerson", "SalesPeople"),
    ("UserID", "UserIDs"),
    ("STATUS", "STATUSES"),
    ("PERSON", "PEOPLE"),
    ("oauth2", "oauth2s"),
    ("", ""),
]


@pytest.mark.parametrize(("one", "many"), PLURALS)
def test_plural(one: str, many: str) -> None:
    assert plural(one) == many


@pytest.mark.parametrize(("one", "many"), PLURALS)
def test_plural_of_a_plural_is_itself(one: str, many: str) -> None:
    assert plural(many) == many


@pytest.mark.parametrize(("one", "many"), [p for p in PLURALS if p[0] not in ("oauth2",)])
def test_singular(one: str, many: str) -> None:
    assert singular(many) == one


@pytest.mark.parametrize(("one", "many"), PLURALS)
def test_singular_of_a_singular_is_itself(one: str, many: str) -> None:
    assert singular(one) == one


def test_the_filters_are_the_helpers() -> None:
    assert set(CASE_HELPERS) == {
        "studly",
        "snake",
        "kebab",
        "camel",
        "plural",
        "singular",
        "title",
        "screaming_snake",
    }
    assert CASE_HELPERS["snake"] is snake
