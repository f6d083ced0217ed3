"""The HTTP kernel's console commands: ``serve`` and ``route:list``."""
