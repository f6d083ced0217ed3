"""The README's disks example works as written in ``config/storage.toml``.

A file of ``config/`` holds the keys of the section it is named after:
``config/storage.toml`` is read as ``storage.*``. An example whose tables repeat the section
(``[storage.disks.x]``) ends up as ``storage.storage.disks.x`` and defines no disk.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from foundry.domain.clock import FrozenClock
from foundry.domain.config import MappingConfig
from foundry.storage import LocalDisk, StorageManager
from foundry.storage.disks.s3 import S3Disk

from .conftest import APP_URL, KEY

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_toml(containing: str) -> dict[str, Any]:
    """The README's ``toml`` block that mentions ``containing``, parsed."""
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(), re.DOTALL)
    (block,) = [b for b in blocks if containing in b]
    return tomllib.loads(block)


def test_the_readme_disks_example_defines_disks_from_config_storage_toml(
    base: Path, clock: FrozenClock
) -> None:
    storage = readme_toml("uploads")  # config/storage.toml
    config = MappingConfig({"app": {"key": KEY, "url": APP_URL}, "storage": storage})
    manager = StorageManager(config, base_path=base, clock=clock)
    assert {"uploads", "backups"} <= set(manager.names())
    uploads = manager.disk("uploads")
    assert isinstance(uploads, LocalDisk)
    assert uploads.root == (base / "storage" / "uploads").resolve()
    assert isinstance(manager.disk("backups"), S3Disk)
