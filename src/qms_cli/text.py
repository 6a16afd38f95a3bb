"""Vietnamese text helpers: NFC, diacritics folding, tokens and slugs."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC with runs of white space (line breaks too) folded to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Return `text` lower-cased, without diacritics, punctuation or repeated spaces.

    "Ngày, tháng,\\nnăm" -> "ngay thang nam"; "Đơn vị" -> "don vi".
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def tokens(text: str) -> tuple[str, ...]:
    """Return the folded words of `text`."""
    return tuple(fold(text).split())


def slugify(text: str) -> str:
    """Return a file-name-safe ASCII slug of `text` ("UBND phường An Lạc" -> "ubnd-phuong-an-lac")."""
    return "-".join(tokens(text)) or "x"


def contains_phrase(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """Return True when the words `needle` stand together, in order, inside `haystack`."""
    n = len(needle)
    if n == 0 or n > len(haystack):
        return False
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))
