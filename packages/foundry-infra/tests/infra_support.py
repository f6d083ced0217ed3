"""Helpers the infra tests share: running commands (foundry-testing's ``capture_command``),
writing revision files and modules."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from foundry.domain.provider import ServiceProvider
from foundry.testing.running import capture_command

# Commands run through foundry-testing's ``capture_command`` (``run``, for the test modules).
run = capture_command


def revision_source(
    revision: str,
    *,
    down: str | None = None,
    branch: str | None = None,
    depends_on: Sequence[str] = (),
    upgrade: str = "pass",
    downgrade: str = "pass",
    doc: str = "",
) -> str:
    """The text of an Alembic revision file."""
    labels = f'("{branch}",)' if branch else "None"
    depends = "(" + "".join(f'"{d}", ' for d in depends_on) + ")" if depends_on else "None"
    return (
        f'"""{doc or revision}"""\n\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        f'revision = "{revision}"\n'
        f"down_revision = {down!r}\n"
        f"branch_labels = {labels}\n"
        f"depends_on = {depends}\n\n\n"
        "def upgrade():\n" + textwrap.indent(textwrap.dedent(upgrade).strip(), "    ") + "\n\n\n"
        "def downgrade():\n" + textwrap.indent(textwrap.dedent(downgrade).strip(), "    ") + "\n"
    )


def create_table(
    revision: str,
    table: str,
    *,
    down: str | None = None,
    branch: str | None = None,
    depends_on: Sequence[str] = (),
    columns: str = "",
) -> str:
    """A revision creating ``table`` (id + ``columns``) and dropping it on downgrade."""
    extra = f", {columns}" if columns else ""
    return revision_source(
        revision,
        down=down,
        branch=branch,
        depends_on=depends_on,
        doc=f"create {table}",
        upgrade=f'op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True){extra})',
        downgrade=f'op.drop_table("{table}")',
    )


@dataclass
class Package:
    """A throwaway installed package: an importable folder with a migration branch."""

    name: str
    branch: str
    folder: Path
    provider: type[ServiceProvider]

    @property
    def migrations(self) -> Path:
        return self.folder / "migrations"

    def revision(self, filename: str, source: str) -> Path:
        path = self.migrations / filename
        path.write_text(source)
        return path


def app_migration(base: Path, filename: str, source: str) -> Path:
    folder = base / "database" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(source)
    return path


def write_module(base: Path, relative: str, source: str) -> Path:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path
