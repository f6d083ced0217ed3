"""The ``schedule:*`` console commands and ``make:scheduled-job``.

Command modules import only the standard library and ``foundry.domain`` at module level
(``foundry list`` imports them); the scheduler itself is imported when one runs.
"""
