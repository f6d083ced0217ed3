"""Discovery and ``foundry list`` import the provider and command modules: keep them light."""

from __future__ import annotations

import subprocess
import sys


def test_provider_and_commands_import_without_jinja2() -> None:
    code = (
        "import sys\n"
        "import foundry.stub_system.provider, foundry.stub_system.commands\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe'))\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"
