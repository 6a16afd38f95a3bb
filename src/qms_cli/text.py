"""Vietnamese text helpers: NFC, diacritics folding, tokens and slugs."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=1 << 16)  # the same headers, channels and statuses come back in every book
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


def contains_phrase(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """Return True when the words `needle` stand together, in order, inside `haystack`."""
    n = len(needle)
    if n == 0 or n > len(haystack):
        return False
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


# TCVN3 (the "ABC" fonts .VnTime, TCVN 5712:1993 VN3): a byte 0xA1-0xFF is a Vietnamese letter. Text
# typed in those fonts reaches a workbook as the Windows-1252 reading of the bytes ("Hå s¬" for "Hồ sơ").
_TCVN3_HIGH = [
    0x00A0,
    0x0102,
    0x00C2,
    0x00CA,
    0x00D4,
    0x01A0,
    0x01AF,
    0x0110,
    0x0103,
    0x00E2,
    0x00EA,
    0x00F4,
    0x01A1,
    0x01B0,
    0x0111,
    0x1EB0,
    0x0300,
    0x0309,
    0x0303,
    0x0301,
    0x0323,
    0x00E0,
    0x1EA3,
    0x00E3,
    0x00E1,
    0x1EA1,
    0x1EB2,
    0x1EB1,
    0x1EB3,
    0x1EB5,
    0x1EAF,
    0x1EB4,
    0x1EAE,
    0x1EA6,
    0x1EA8,
    0x1EAA,
    0x1EA4,
    0x1EC0,
    0x1EB7,
    0x1EA7,
    0x1EA9,
    0x1EAB,
    0x1EA5,
    0x1EAD,
    0x00E8,
    0x1EC2,
    0x1EBB,
    0x1EBD,
    0x00E9,
    0x1EB9,
    0x1EC1,
    0x1EC3,
    0x1EC5,
    0x1EBF,
    0x1EC7,
    0x00EC,
    0x1EC9,
    0x1EC4,
    0x1EBE,
    0x1ED2,
    0x0129,
    0x00ED,
    0x1ECB,
    0x00F2,
    0x1ED4,
    0x1ECF,
    0x00F5,
    0x00F3,
    0x1ECD,
    0x1ED3,
    0x1ED5,
    0x1ED7,
    0x1ED1,
    0x1ED9,
    0x1EDD,
    0x1EDF,
    0x1EE1,
    0x1EDB,
    0x1EE3,
    0x00F9,
    0x1ED6,
    0x1EE7,
    0x0169,
    0x00FA,
    0x1EE5,
    0x1EEB,
    0x1EED,
    0x1EEF,
    0x1EE9,
    0x1EF1,
    0x1EF3,
    0x1EF7,
    0x1EF9,
    0x00FD,
    0x1EF5,
    0x1ED0,
]
TCVN3_TABLE = {chr(0xA1 + i): chr(cp) for i, cp in enumerate(_TCVN3_HIGH[1:])}
# Characters of the Windows-1252 reading of TCVN3 that never occur inside a Vietnamese Unicode word.
TCVN3_SIGNS = "¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿"
_VNI = re.compile(r"[aeiouyAEIOUY][ÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|[a-zA-Z][ñÑ]|[ñÑ][a-zA-Z]")


def looks_tcvn3(text: str) -> bool:
    """True when `text` reads as TCVN3 bytes seen as Windows-1252: a sign inside a word, nothing beyond U+00FF."""
    if not any(ch in TCVN3_SIGNS for ch in text):
        return False
    if any(ord(ch) > 0xFF for ch in text):
        return False  # already Unicode Vietnamese (ơ, ư, ạ …): not TCVN3, or mixed: never guessed
    return bool(re.search(r"[A-Za-z][" + TCVN3_SIGNS + r"]|[" + TCVN3_SIGNS + r"][A-Za-z]", text))


def from_tcvn3(text: str) -> str:
    """Return TCVN3 text in Unicode NFC; every character 0xA1-0xFF has exactly one Unicode letter."""
    return unicodedata.normalize("NFC", "".join(TCVN3_TABLE.get(ch, ch) for ch in text))


def looks_vni(text: str) -> bool:
    """True when `text` reads as the VNI font encoding ("Hoà sô" style): reported, not converted."""
    return not looks_tcvn3(text) and bool(_VNI.search(text)) and all(ord(ch) <= 0xFF for ch in text)
