"""YAML text read with PyYAML's safe loader, in C (libyaml) where PyYAML was built with it.

The rule tables, the retention schedule and the code labels are read by every process at start; the pure-Python
loader took ~0.3 s of a worker's start for them, libyaml about a tenth. Both accept the same safe subset (no
Python objects), and both raise ``yaml.YAMLError`` on bad text.
"""

from __future__ import annotations

from typing import Any, Final

import yaml

_LOADER: Final[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """The value of one YAML document (``yaml.safe_load``, faster)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
