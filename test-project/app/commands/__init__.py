"""The app's console commands: every ``Command`` here runs as ``foundry <name>``.

``foundry make:command`` adds new ones to this package; the kernel scans it (``[tool.foundry]
commands`` in pyproject.toml), so nothing else needs wiring.
"""
