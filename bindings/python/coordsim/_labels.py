"""Readable labels a scenario may give its variants and outcomes, for reports and the explorer.

In a scenario file::

    labels:
      variants:
        high_rank_lead: "Lead at organisation-department rank (由组织部来牵头)"
      outcomes:
        share_on_time: "Share of items done on time"

The same mapping may also be given on its own (``python3 -m coordsim.report --labels FILE``).
Names without a label keep their name (variants) or long name (outcomes).
"""
from __future__ import annotations

import os
from typing import Dict, Union


def scenario_labels(text: Union[str, bytes, None]) -> Dict[str, Dict[str, str]]:
    """``{"variants": {...}, "outcomes": {...}}`` from scenario YAML text (its ``labels:`` block)
    or from a labels file's text (the block's content at the top level); empty when absent."""
    import yaml

    if not text:
        return {"variants": {}, "outcomes": {}}
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"labels: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        return {"variants": {}, "outcomes": {}}
    block = document.get("labels", document if {"variants", "outcomes"} & set(document) and
                         "model" not in document else {})
    out = {"variants": {}, "outcomes": {}}
    if not isinstance(block, dict):
        raise ValueError(f"labels: expected a mapping with 'variants' and/or 'outcomes', found {block!r}")
    for kind in ("variants", "outcomes"):
        entries = block.get(kind) or {}
        if not isinstance(entries, dict):
            raise ValueError(f"labels.{kind}: expected a mapping name -> text, found {entries!r}")
        out[kind] = {str(k): str(v) for k, v in entries.items()}
    return out


def load_labels(path: Union[str, "os.PathLike[str]"]) -> Dict[str, Dict[str, str]]:
    """Labels from a YAML file (a scenario with ``labels:`` or the block on its own)."""
    with open(os.fspath(path), encoding="utf-8") as handle:
        return scenario_labels(handle.read())
