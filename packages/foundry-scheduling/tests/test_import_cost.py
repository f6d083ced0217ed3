"""Discovery and ``foundry list`` import the provider and command modules: keep them light."""

from __future__ import annotations

import subprocess
import sys


def test_provider_and_commands_import_without_croniter():
    code = (
        "import sys\n"
        "import foundry.scheduling.provider\n"
        "import foundry.scheduling.commands.run, foundry.scheduling.commands.work\n"
        "import foundry.scheduling.commands.listing, foundry.scheduling.commands.test\n"
        "import foundry.scheduling.commands.make, foundry.scheduling.commands.clear\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('croniter', 'dateutil'))\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"
