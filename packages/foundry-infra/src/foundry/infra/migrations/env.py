"""Alembic's ``env.py`` for every Foundry application (the script location of all branches).

It is run by Alembic inside ``foundry migrate`` and its sibling commands; the work is in
:mod:`foundry.infra.migrations.environment`.
"""

from alembic import context

from foundry.infra.migrations.environment import run_environment

run_environment(context)
