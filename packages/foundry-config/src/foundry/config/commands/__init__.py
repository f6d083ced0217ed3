"""The config package's console commands, one module each (imported lazily by the registry)."""
