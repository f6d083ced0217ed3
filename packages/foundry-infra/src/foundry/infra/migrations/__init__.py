"""Alembic migrations across packages: layout, log, runner, autogenerate."""
