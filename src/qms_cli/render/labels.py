"""The renderers' words, drawn from the one catalogue `qms_cli.messages` (kept for existing imports)."""

from __future__ import annotations

from typing import Any

from qms_cli.messages import (
    LABELS,
    STATUS_SYMBOL,
    labels,
    number,
    percent,
    points,
    status_word,
    target_text,  # noqa: F401 - the renderers' name for it
    unsure,
)

__all__ = ["QUALITY_COLUMNS", "STATUS", "STYLE", "TEXT", "number", "percent", "points", "status_text", "target_text"]

STATUS = {lang: {key: status_word(key, lang, symbol=True) for key in STATUS_SYMBOL} for lang in ("vi", "en")}
STYLE = {"met": "bold green", "not_met": "bold red", "in_progress": "yellow", "no_data": "dim"}
TEXT = {lang: labels(lang) for lang in ("vi", "en")}
assert set(TEXT["vi"]) == set(LABELS)


def status_text(entry: dict[str, Any], lang: str, kind: str = "on_time") -> str:
    """A status with its symbol; a not-met whose interval straddles the target says it is not sure."""
    out = STATUS[lang][entry["status"]]
    if entry["status"] == "not_met" and entry.get("conclusive") is False:
        out += f" — {unsure(kind, lang)}"
    return out


# The row-accounting columns of a data-quality table, as label keys of TEXT.
QUALITY_COLUMNS = ("file", "sheet", "kind", "unit", "read", "accepted", "rejected", "skipped", "superseded")
