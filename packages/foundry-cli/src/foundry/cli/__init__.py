"""The ``foundry`` console script (also installed as ``rustforge``).

Only the version lives here so that ``foundry --version`` imports nothing else.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
