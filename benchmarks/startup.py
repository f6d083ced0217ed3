"""Start-up cost of the CLI and of create_app(), beside Python itself and Django.

Run from the repository root with every workspace package installed:

    uv run --all-packages --group bench python benchmarks/startup.py

Targets (issue "Workspace, contracts and the application kernel"):
  - ``foundry --version`` within 3x of ``python -c pass``;
  - ``foundry list`` no slower than ``django-admin help`` (Django 5.2).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from _harness import BIN, ROOT, report, time_command, verdict


def main() -> None:
    python = sys.executable
    foundry = str(BIN / "foundry")
    django_admin = shutil.which("django-admin", path=str(BIN)) or shutil.which("django-admin")
    if django_admin is None:
        raise SystemExit("django-admin not found: run with `uv run --group bench ...`")
    app = ROOT / "test-project"
    if not app.is_dir():
        app = Path(tempfile.mkdtemp())
        (app / "pyproject.toml").write_text("[tool.foundry]\n")
    env = {"FOUNDRY_BASE_PATH": str(app), "FOUNDRY_AUDIT_LOG": "off"}

    bare = time_command("python -c pass", [python, "-c", "pass"])
    version = time_command("foundry --version", [foundry, "--version"], env=env)
    listing = time_command("foundry list", [foundry, "list"], env=env)
    django = time_command("django-admin help", [django_admin, "help"])
    fastapi = time_command(
        "FastAPI() (import + build)", [python, "-c", "import fastapi; fastapi.FastAPI()"]
    )
    create = time_command(
        "create_app() (all packages)",
        [python, "-c", "from foundry.application import create_app; create_app()"],
        env=env,
    )
    report(
        "Start-up (median of 20 runs, wall time of the whole process)",
        [bare, version, listing, django, fastapi, create],
    )
    print("\nRatios")
    verdict("foundry --version / python -c pass", version.median_ms / bare.median_ms, 3.0)
    verdict("foundry list / django-admin help", listing.median_ms / django.median_ms, 1.0)
    print(
        f"  create_app() / bare FastAPI(): {create.median_ms / fastapi.median_ms:.2f}x (reported)"
    )


if __name__ == "__main__":
    main()
