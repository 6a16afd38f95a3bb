"""Matching unit names found in files (columns, title rows, file names) to registry slugs."""

from __future__ import annotations

import re
from functools import lru_cache

from qms_cli.config import Unit
from qms_cli.text import contains_phrase, tokens

# Prefixes that officials write or leave out; a name is also matched without them.
_COMMITTEE = [("ubnd",), ("uy", "ban", "nhan", "dan")]
_PREFIXES = [*_COMMITTEE, ("phong",), ("p",), ("phuong",)]


def _variants(words: tuple[str, ...], prefixes: list[tuple[str, ...]] = _PREFIXES) -> set[tuple[str, ...]]:
    """Return `words` with and without the usual prefixes ("UBND phường An Lạc" -> "an lac", …)."""
    out = {words}
    changed = True
    while changed:
        changed = False
        for v in list(out):
            for prefix in prefixes:
                if v[: len(prefix)] == prefix and len(v) > len(prefix):
                    rest = v[len(prefix) :]
                    if rest not in out:
                        out.add(rest)
                        changed = True
    return out


class UnitMatcher:
    """Finds the registry unit that a piece of text names; the longest name wins (An Lạc A over An Lạc)."""

    def __init__(self, units: list[Unit]) -> None:
        self.slugs = [unit.slug for unit in units]
        self._names = self._index(units, _PREFIXES)
        # In title rows only the full forms count ("Phòng Tư pháp", "Phường An Lạc"): a heading such
        # as "Lĩnh vực Tư pháp - Hộ tịch" must not name the Justice Office.
        self._full_names = self._index(units, _COMMITTEE)
        self._exact = dict(self._names)
        # Names written without spaces in file names ("AnLacA_T1.xlsx", "binhtridong"): one token each.
        self._joined = {"".join(words): slug for words, slug in self._names if len(words) >= 2}

    @staticmethod
    def _index(units: list[Unit], prefixes: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], str]]:
        owners: dict[tuple[str, ...], set[str]] = {}
        for unit in units:
            for text in (unit.slug.replace("-", " "), unit.name, *unit.aliases):
                for variant in _variants(tokens(text), prefixes):
                    owners.setdefault(variant, set()).add(unit.slug)
        # A bare remainder shared by two units names neither.
        return sorted(
            ((words, next(iter(slugs))) for words, slugs in owners.items() if len(slugs) == 1),
            key=lambda item: -len(item[0]),
        )

    @lru_cache(maxsize=4096)  # noqa: B019 - one matcher per run, few distinct texts
    def exact(self, text: str) -> str | None:
        """Return the slug whose name, alias or slug is `text` (ignoring case, diacritics, prefixes)."""
        words = tokens(text)
        for variant in sorted(_variants(words), key=len, reverse=True):
            if variant in self._exact:
                return self._exact[variant]
        return None

    @lru_cache(maxsize=4096)  # noqa: B019
    def in_cell(self, text: str) -> str | None:
        """Return the unit a unit column's cell names: a name, alias or slug exactly, else the longest
        full name ("Phòng Tư pháp", "Phường An Lạc") standing inside it."""
        return self.exact(text) or self.find_in(text, full_names_only=True)

    def find_in(self, text: str, full_names_only: bool = False) -> str | None:
        """Return the slug of the longest unit name standing as whole words inside `text`."""
        words = tokens(text)
        for name, slug in self._full_names if full_names_only else self._names:
            if len(name) >= 2 and contains_phrase(words, name):
                return slug
        if not full_names_only:
            spaced = tokens(re.sub(r"(?<=[a-zà-ỹđ])(?=[A-ZÀ-ỸĐ])", " ", text))  # "AnLacA" -> "an lac a"
            if spaced != words:
                return self.find_in(" ".join(spaced))
            for word in words:
                if word in self._joined:
                    return self._joined[word]
        return None
