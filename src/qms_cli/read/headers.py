"""Finding the header row of a sheet and matching its headers to fields.

Headers match without regard to case, diacritics, punctuation, line breaks and repeated spaces.
A header may sit below title rows and may be two rows deep: a group cell merged over several
columns ("Ngày, tháng, năm") above the sub-headers ("Nhận hồ sơ", "Hẹn trả kết quả", …).
"""

from __future__ import annotations

from dataclasses import dataclass

from qms_cli.text import tokens

PROBE_ROWS = 60


@dataclass(frozen=True)
class Header:
    """A header row found in a sheet: its row and the column of each field."""

    row: int  # 0-based absolute row of the last header row
    depth: int  # 1 or 2 header rows
    columns: dict[str, int]  # field -> absolute column index
    labels: dict[int, str]  # absolute column index -> header text as shown
    ignored: dict[int, str]  # columns recognised but not loaded (PII, STT, …)


Phrases = dict[str, list[str]]


def _phrases(synonyms: dict[str, list[str]]) -> Phrases:
    """Return, per field, its synonyms folded and padded with spaces for whole-word matching."""
    return {f: [f" {' '.join(tokens(s))} " for s in words] for f, words in synonyms.items()}


_MAX_HEADER_LENGTH = 120


_CACHE: dict[tuple[int, str], tuple[str | None, int]] = {}  # header texts repeat across files and rows


def match_field(text: str, phrases: Phrases) -> tuple[str | None, int]:
    """Return the field a header names and a score: exact names beat the longest contained phrase."""
    key = (id(phrases), text)
    if key in _CACHE:
        return _CACHE[key]
    best: tuple[str | None, int] = (None, 0)
    if len(text) <= _MAX_HEADER_LENGTH:
        padded = f" {' '.join(tokens(text))} "
        # Personal data wins over everything else the header may also say ("Họ tên người đánh giá"):
        # such a column is never loaded.
        if any(phrase in padded for phrase in phrases.get("pii", ())):
            best = ("pii", 10_000)
            _CACHE[key] = best
            return best
        for name, options in phrases.items():
            for phrase in options:
                if padded == phrase:
                    score = 1000 + len(phrase)
                elif phrase in padded:
                    score = len(phrase)
                else:
                    continue
                if score > best[1]:
                    best = (name, score)
    if len(_CACHE) < 100_000:
        _CACHE[key] = best
    return best


def _cell(rows: list[list[str | None]], r: int, c: int) -> str | None:
    if r < 0 or r >= len(rows) or c >= len(rows[r]):
        return None
    value = rows[r][c]
    return value.strip() if isinstance(value, str) and value.strip() else None


def _labels(rows: list[list[str | None]], r: int, depth: int) -> dict[int, tuple[str, str]]:
    """Return column -> (text to match, text to show) for a header of `depth` rows ending at row r."""
    width = max(len(rows[i]) for i in range(r - depth + 1, r + 1))
    out: dict[int, tuple[str, str]] = {}
    group: str | None = None
    for c in range(width):
        low = _cell(rows, r, c)
        high = _cell(rows, r - 1, c) if depth == 2 else None
        if high is not None:
            group = high
        if low is None:
            if high is not None:
                out[c] = (high, high)  # a cell merged down over both rows ("STT", "Mã hồ sơ")
            else:
                group = None
        elif group is not None and group != low:
            out[c] = (f"{group} {low}", low)  # under a group cell merged across ("Ngày, tháng, năm")
        else:
            out[c] = (low, low)
    return out


def find_header(
    rows: list[list[str | None]],
    phrases: Phrases,
    required_any: set[str],
    loaded: set[str],
) -> Header | None:
    """Return the best header among the first rows, or None when no row names a field of `required_any`.

    The best header names the most distinct fields; a two-row header is taken only when it names
    more than either of its rows alone.
    """
    best: tuple[int, Header] | None = None
    for r in range(len(rows)):
        for depth in (1, 2):
            if depth == 2 and r == 0:
                continue
            labels = _labels(rows, r, depth)
            columns: dict[str, tuple[int, int]] = {}
            ignored: dict[int, str] = {}
            for c, (label, shown) in labels.items():
                name, score = match_field(label, phrases)
                if depth == 2 and name is None:
                    # The sub-header alone may name it ("Nhận hồ sơ" under "Ngày, tháng, năm").
                    low = _cell(rows, r, c)
                    if low:
                        name, score = match_field(low, phrases)
                if name is None:
                    continue
                if name not in loaded:
                    ignored[c] = shown
                    continue
                if name not in columns or score > columns[name][1]:
                    columns[name] = (c, score)
            if not required_any & columns.keys():
                continue
            count = len(columns)
            if best is None or count > best[0]:
                best = (
                    count,
                    Header(
                        r, depth, {k: v[0] for k, v in columns.items()}, {c: s for c, (_, s) in labels.items()}, ignored
                    ),
                )
    return best[1] if best else None
