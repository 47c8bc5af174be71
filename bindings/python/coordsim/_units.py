"""Units and valid ranges of coordsim outcomes (pure Python, shared by coordsim and coordsim.analysis).

The model labels outcomes with short unit words: ``h`` (hours), ``count``, ``persons``, ``steps``
and ``1`` (dimensionless). ``h``, ``count`` and ``1`` are UDUNITS-2 units; persons and steps are counts, written
``1`` in CF files, with the word kept in ``units_label`` for labels.
"""
from __future__ import annotations

import math
import re

CONVENTIONS = "CF-1.10"

# Units the model writes that UDUNITS-2 does not know: what they are in UDUNITS, and the valid
# range they imply. The model's own word stays in ``attrs["units_label"]`` for plot labels.
_UDUNITS = {"persons": "1", "steps": "1"}
_NONNEGATIVE_UNITS = {"count", "persons", "steps", "h"}
# A dimensionless outcome is a share when its name has the word "share" or its long name says so
# first ("Share of ...", "Perceived probability ..."); other ratios (trust, load ratio,
# trips per demand) are not clipped above.
_SHARE_NAME = re.compile(r"(^|_)share(_|$)")
_SHARE_LONG_NAMES = ("share", "fraction", "probability", "perceived probability")


def cf_units(units: str) -> str:
    """A units string of the model as UDUNITS-2 writes it (``persons`` -> ``1``; ``h``, ``count`` stay)."""
    return _UDUNITS.get(units, units)


def valid_range(name: str, units: str, long_name: str = "") -> tuple:
    """(low, high) an outcome can take, from its units and name: counts, persons and hours are
    never negative; a dimensionless share (``share`` in the name, or a long name starting with
    Share, Fraction or (Perceived) probability) lies in [0, 1]; otherwise (-inf, inf)."""
    if units in _NONNEGATIVE_UNITS:
        return (0.0, math.inf)
    if units in ("1", "") and (_SHARE_NAME.search(name) or long_name.lower().startswith(_SHARE_LONG_NAMES)):
        return (0.0, 1.0)
    return (-math.inf, math.inf)
