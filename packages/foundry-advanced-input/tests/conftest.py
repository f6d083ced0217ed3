"""Test settings: hypothesis runs reproducibly, with no deadline and no files in the tree.

Hypothesis keeps caches in ``.hypothesis/`` under the working directory; they go to the
system's temporary folder instead, so running the suite leaves the checkout as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "foundry-advanced-input-hypothesis")
settings.register_profile("foundry", database=None, deadline=None, derandomize=True)
settings.load_profile("foundry")
