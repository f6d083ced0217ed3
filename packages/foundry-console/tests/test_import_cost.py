"""Rich is loaded only when something is drawn on a decorated stream.

``foundry --version`` and ``foundry list`` are benchmarked, so importing the package and
writing plain output must not pay rich's import time.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def loaded_after(code: str) -> set[str]:
    probe = textwrap.dedent(code) + "\nimport sys\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.split())


def test_importing_the_package_and_its_provider_does_not_load_rich() -> None:
    modules = loaded_after("import foundry.console, foundry.console.provider")
    assert "foundry.console.provider" in modules
    assert "rich" not in modules
    assert "foundry.console.output" not in modules


def test_plain_output_does_not_load_rich() -> None:
    modules = loaded_after(
        """
        import io
        from foundry.console import RichOutput
        output = RichOutput(stdout=io.StringIO(), stderr=io.StringIO())
        output.info("x"); output.table(["a"], [[1]]); output.json({"a": 1})
        with output.progress(3) as bar:
            bar.advance()
        """
    )
    assert "foundry.console.output" in modules
    assert "rich" not in modules


def test_decorated_output_loads_rich() -> None:
    modules = loaded_after(
        """
        import io
        from foundry.console import RichOutput
        RichOutput(stdout=io.StringIO(), decorated=True).info("x")
        """
    )
    assert "rich" in modules
