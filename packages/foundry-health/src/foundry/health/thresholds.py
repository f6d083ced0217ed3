"""Sizes people write in ``.env`` (``500MB``, ``2GiB``, ``10%``) and how to print them.

A threshold is either an absolute number of bytes or a share of a total (the disk, the
machine's memory), so one variable reads naturally on a laptop and on a 2 TB server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Threshold", "format_bytes"]

_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "k": 1024,
    "m": 1024**2,
    "g": 1024**3,
    "t": 1024**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True, slots=True)
class Threshold:
    """An amount of bytes, absolute (``bytes``) or relative to a total (``percent``).

    >>> Threshold.parse("1.5GB").of(10**12)
    1500000000
    >>> Threshold.parse("10%").of(2000)
    200
    """

    text: str
    bytes: int | None = None
    percent: float | None = None

    @classmethod
    def parse(cls, text: str | int | float) -> Threshold:
        """Read ``500MB``, ``2GiB``, ``1048576`` or ``10%``; ValueError says what is wrong.

        Decimal units (KB, MB, GB, TB) are powers of 1000, binary ones (KiB, MiB, GiB,
        TiB, and the one-letter K, M, G, T) powers of 1024.
        """
        if isinstance(text, int | float) and not isinstance(text, bool):
            if text < 0:
                raise ValueError("must not be negative")
            return cls(str(text), bytes=int(text))
        raw = str(text)
        percent = _PERCENT.match(raw)
        if percent:
            value = float(percent.group(1))
            if value > 100:
                raise ValueError("is a percentage above 100%")
            return cls(raw.strip(), percent=value)
        size = _SIZE.match(raw)
        if size is None or size.group(2).lower() not in _UNITS:
            raise ValueError("is not a size (e.g. 500MB, 2GiB, 1048576 or 10%)")
        factor = _UNITS[size.group(2).lower()]
        return cls(raw.strip(), bytes=int(float(size.group(1)) * factor))

    def of(self, total: int) -> int:
        """The threshold in bytes for a resource of ``total`` bytes."""
        if self.percent is not None:
            return int(total * self.percent / 100)
        return self.bytes or 0

    def __str__(self) -> str:
        return self.text


def format_bytes(amount: float) -> str:
    """``1536000000`` -> ``1.5 GB`` (decimal units, one decimal place).

    >>> format_bytes(1536000000), format_bytes(512)
    ('1.5 GB', '512 B')
    """
    units = ("B", "KB", "MB", "GB", "TB")
    value, index = float(amount), 0
    while abs(value) >= 1000 and index < len(units) - 1:
        value /= 1000
        index += 1
    return f"{int(value)} B" if index == 0 else f"{value:.1f} {units[index]}"
