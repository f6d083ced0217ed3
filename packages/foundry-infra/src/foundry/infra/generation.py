"""Names, paths and stub contexts for ``make:model``, ``make:migration`` and ``make:seeder``.

The generators only decide *what* to write; the bound ``StubRenderer`` renders the Jinja2
stubs this package ships (``stubs/*.py.jinja``, overridable from the app's ``stubs/``) and
writes them all or nothing.
"""

from __future__ import annotations

import keyword
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from foundry.domain.errors import InputError
from foundry.infra.seeding import snake_case

__all__ = [
    "MIGRATIONS_DIR",
    "class_name",
    "import_block",
    "migration_context",
    "migration_path",
    "new_revision_id",
    "slug",
    "table_name",
]

MIGRATIONS_DIR = Path("database", "migrations")
MODELS_DIR = Path("app", "models")
SEEDERS_DIR = Path("database", "seeders")
FACTORIES_DIR = Path("database", "factories")

_WORDS = re.compile(r"^[A-Za-z][A-Za-z0-9_\- ]*$")


def class_name(raw: str, field: str = "name") -> str:
    """``blog_post`` / ``blog-post`` / ``BlogPost`` -> ``BlogPost``.

    Raises:
        InputError: not made of letters, digits, ``_``, ``-`` and spaces, or a keyword.
    """
    text = raw.strip()
    if not _WORDS.match(text):
        raise InputError(
            field,
            f'"{raw}" is not a class name: use letters and digits, starting with a letter '
            "(for example BlogPost).",
        )
    parts = [p for p in re.split(r"[_\- ]+", text) if p]
    name = "".join(p[0].upper() + p[1:] for p in parts)
    if keyword.iskeyword(name.lower()) or keyword.iskeyword(name):
        raise InputError(field, f'"{raw}" is a Python keyword; choose another name.')
    return name


def _pluralise(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def table_name(model: str) -> str:
    """``BlogPost`` -> ``blog_posts``; ``Category`` -> ``categories``."""
    words = snake_case(model).split("_")
    words[-1] = _pluralise(words[-1])
    return "_".join(words)


def slug(raw: str, field: str = "name") -> str:
    """``create posts table`` / ``CreatePostsTable`` -> ``create_posts_table``."""
    if not _WORDS.match(raw.strip()):
        raise InputError(
            field,
            f'"{raw}" is not a migration name: use letters, digits and underscores, starting '
            "with a letter (for example create_posts_table).",
        )
    return snake_case(raw)


def new_revision_id() -> str:
    """A fresh 12-hex-digit revision id (Alembic's format)."""
    return uuid.uuid4().hex[:12]


def migration_path(name: str, now: datetime) -> Path:
    """``database/migrations/2025_01_31_120000_<name>.py``: files sort by creation time."""
    return MIGRATIONS_DIR / f"{now:%Y_%m_%d_%H%M%S}_{name}.py"


def import_block(imports: Iterable[str]) -> list[str]:
    """Import lines sorted as ruff's isort wants them (``import`` before ``from``), with
    ``from x import a`` lines of one module merged."""
    plain: set[str] = set()
    froms: dict[str, set[str]] = {}
    for line in imports:
        line = line.strip()
        if line.startswith("from "):
            module, _, names = line[5:].partition(" import ")
            froms.setdefault(module, set()).update(n.strip() for n in names.split(","))
        elif line.startswith("import "):
            plain.add(line)
    ordered = sorted(plain, key=lambda item: item[7:].split(" ")[0])
    ordered += [f"from {m} import {', '.join(sorted(froms[m]))}" for m in sorted(froms)]
    return ordered


def _literal(values: Sequence[str]) -> str:
    if not values:
        return "None"
    return "(" + ", ".join(f'"{v}"' for v in values) + ",)"


def migration_context(
    *,
    message: str,
    revision: str,
    down_revision: str | None,
    branch: str,
    depends_on: Sequence[str] = (),
    imports: Iterable[str] = (),
    upgrade: str = "",
    downgrade: str = "",
    now: datetime | None = None,
    table: str | None = None,
) -> dict[str, Any]:
    """The variables of the ``migration`` and ``migration.create`` stubs."""
    body = f"{upgrade}\n{downgrade}"
    needed = set(imports)
    if "sa." in body:
        needed.add("import sqlalchemy as sa")
    if "op." in body:
        needed.add("from alembic import op")
    uses_utc_datetime = "UTC_DATETIME" in body
    uses_json = "PORTABLE_JSON" in body
    if uses_utc_datetime or uses_json:
        needed.add("import sqlalchemy as sa")
    if uses_utc_datetime:
        needed.add("from sqlalchemy.dialects import mysql")
    if uses_json:
        needed.add("from sqlalchemy.dialects import postgresql")
    return {
        "message": message,
        "revision": revision,
        "down_revision": f'"{down_revision}"' if down_revision else "None",
        "revises": down_revision or f"nothing (the first revision of the {branch} branch)",
        "branch_labels": "None" if down_revision else _literal([branch]),
        "depends_on": _literal(depends_on),
        "create_date": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "imports": import_block(needed),
        "uses_utc_datetime": uses_utc_datetime,
        "uses_json": uses_json,
        "upgrade": upgrade,
        "downgrade": downgrade,
        "table": table or "",
    }
