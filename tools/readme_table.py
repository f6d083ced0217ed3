"""Rewrite the package table of the root README from the last health run.

    uv run nox -s health            # writes reports/health.json
    uv run python tools/readme_table.py

The table sits between the ``<!-- packages:start -->`` and ``<!-- packages:end -->``
markers; a package never checked, or not built yet, says so rather than claiming health.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- packages:start -->", "<!-- packages:end -->"


def table(report: dict[str, object]) -> str:
    rows = {p["name"]: p for p in report.get("packages", [])}  # type: ignore[union-attr]
    lines = ["| family | package | what it does | health |", "|---|---|---|---|"]
    for family, name, summary in CATALOGUE:
        distribution = f"foundry-{name}"
        present = (ROOT / "packages" / distribution).is_dir()
        row = rows.get(distribution)
        if not present:
            health = "not built yet"
        elif row is None or not row.get("checks"):
            health = "not checked"
        elif row.get("healthy"):
            health = "healthy"
        else:
            failing = [c for c, r in row["checks"].items() if not r["ok"]]
            health = "failing: " + ", ".join(failing)
        link = f"[`{distribution}`](packages/{distribution})" if present else f"`{distribution}`"
        lines.append(f"| {family} | {link} | {summary} | {health} |")
    healthy = sum(1 for _, n, _ in CATALOGUE if rows.get(f"foundry-{n}", {}).get("healthy"))
    lines.append("")
    lines.append(f"{healthy}/{len(CATALOGUE)} packages healthy at the last health run.")
    return "\n".join(lines)


def main() -> int:
    report_path = ROOT / "reports" / "health.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text or END not in text:
        print("README.md has no package table markers", file=sys.stderr)
        return 1
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{START}\n{table(report)}\n{END}{tail}")
    print("README.md package table updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
