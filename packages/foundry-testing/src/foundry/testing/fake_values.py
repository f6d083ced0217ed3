"""Plausible column values from Faker, chosen by column name first and type second.

A factory must fill every column the database requires; the app's own factory
(``database/factories/``) says what it knows, and this fills in the rest: an ``email``
column gets an e-mail address, a ``title`` a short sentence, an integer a number, a
timestamp an aware UTC datetime. Unique columns get values unique within the test, and
strings are cut to the column's length.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from foundry.testing.errors import TestSetupError

__all__ = ["fake_value"]

# name (or name suffix after "_") -> Faker provider method, tried in order
_BY_NAME: tuple[tuple[tuple[str, ...], str], ...] = (
    (("email", "email_address"), "email"),
    (("username", "user_name", "login", "handle"), "user_name"),
    (("first_name", "given_name"), "first_name"),
    (("last_name", "family_name", "surname"), "last_name"),
    (("name", "full_name", "display_name"), "name"),
    (("title", "subject", "headline"), "_title"),
    (("slug",), "slug"),
    (("url", "website", "link", "homepage"), "url"),
    (("phone", "phone_number", "mobile"), "phone_number"),
    (("street", "address", "street_address"), "street_address"),
    (("city", "town"), "city"),
    (("country",), "country"),
    (("country_code",), "country_code"),
    (("zip", "zipcode", "postcode", "postal_code"), "postcode"),
    (("company", "company_name", "organisation", "organization"), "company"),
    (("description", "body", "content", "text", "bio", "summary", "notes", "comment"), "paragraph"),
    (("password", "password_hash", "hashed_password"), "_password"),
    (("token", "secret", "api_key", "key_hash", "token_hash"), "sha256"),
    (("color", "colour"), "color_name"),
    (("ip", "ip_address"), "ipv4"),
    (("locale", "language"), "locale"),
    (("timezone", "time_zone"), "timezone"),
    (("currency", "currency_code"), "currency_code"),
)


def _by_name(name: str) -> str | None:
    lowered = name.lower()
    for names, method in _BY_NAME:
        if lowered in names or any(lowered.endswith("_" + n) for n in names):
            return method
    return None


def _python_type(column: Any) -> Any:
    """The column's Python type; a decorated type (SQLModel's ``AutoString``, Foundry's
    ``UTCDateTime``) may only know it through the type it decorates."""
    for candidate in (column.type, getattr(column.type, "impl_instance", None)):
        if candidate is None:
            continue
        try:
            kind = candidate.python_type
        except NotImplementedError:
            continue
        if kind is not object:
            return kind
    return None


def _is_json(column: Any) -> bool:
    for candidate in (column.type, getattr(column.type, "impl_instance", None)):
        if getattr(candidate, "__visit_name__", "") in ("JSON", "JSONB"):
            return True
    return False


def _call(faker: Any, method: str, unique: bool) -> Any:
    source = faker.unique if unique else faker
    if method == "_title":
        return str(source.sentence(nb_words=4)).rstrip(".")
    if method == "_password":
        return str(source.password(length=16))
    return getattr(source, method)()


def _by_type(faker: Any, kind: Any, column: Any, unique: bool) -> Any:
    enum_class = getattr(column.type, "enum_class", None)
    if enum_class is not None:
        return faker.random_element(list(enum_class))
    if kind is None:
        return {} if _is_json(column) else None
    generators: dict[Any, Callable[[], Any]] = {
        bool: faker.pybool,
        int: lambda: (
            faker.unique.random_int(1, 2_000_000_000) if unique else faker.random_int(1, 100_000)
        ),
        float: lambda: faker.pyfloat(right_digits=2, min_value=0, max_value=100_000),
        Decimal: lambda: faker.pydecimal(left_digits=5, right_digits=2, positive=True),
        datetime: lambda: faker.date_time(tzinfo=UTC).replace(microsecond=0),
        date: faker.date_object,
        time: faker.time_object,
        uuid.UUID: lambda: uuid.UUID(faker.uuid4()),
        bytes: lambda: faker.binary(length=16),
        dict: dict,
        list: list,
        str: lambda: faker.unique.pystr(min_chars=8, max_chars=16) if unique else faker.word(),
    }
    for python_type, generate in generators.items():
        if isinstance(kind, type) and issubclass(kind, python_type):
            if python_type is int and issubclass(kind, bool):
                continue
            return generate()
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return faker.random_element(list(kind))
    return None


def fake_value(faker: Any, model: type[Any], column: Any) -> Any:
    """A value for ``column`` of ``model``.

    Raises:
        TestSetupError: nothing plausible is known for the column's type; the message
            says to pass the value or write a factory.
    """
    unique = bool(column.unique) or bool(column.primary_key)
    kind = _python_type(column)
    method = _by_name(column.key) if kind in (str, None) else None
    value = _call(faker, method, unique) if method else _by_type(faker, kind, column, unique)
    if value is None:
        raise TestSetupError(
            f"Cannot invent a value for {model.__name__}.{column.key} ({column.type}): pass "
            f"{column.key}=... to the factory, or give it a value in the model's factory "
            "(database/factories/)."
        )
    length = getattr(column.type, "length", None)
    if isinstance(value, str) and length:
        value = value[:length]
    return value
