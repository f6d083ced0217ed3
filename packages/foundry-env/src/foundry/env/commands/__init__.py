"""The env package's console commands, one module each (imported lazily by the registry)."""
