"""Matching unit names found in files (columns, title rows, file names) to registry slugs."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np

from qms_cli.config import Unit
from qms_cli.text import tokens
from qms_cli.vocabulary import VOCABULARY

# The words around unit names (vocabulary.yaml unit_names), folded into words: the committee and the
# prefixes officials write or leave out, and the level words ("quận Bình Tân" is not the ward Bình Tân).
_WORDS = VOCABULARY.unit_names
_COMMITTEE = [tokens(w) for w in _WORDS.committee if tokens(w)]
_PREFIXES = [*_COMMITTEE, *(tokens(w) for w in _WORDS.prefixes if tokens(w))]
_TYPE_WORDS = [tokens(w) for w in _WORDS.level_words if tokens(w)]
_OWN_TYPE_WORDS = {kind: {tokens(w) for w in words} for kind, words in _WORDS.own_level_words.items()}


def _split_camel(text: str) -> str:
    """Put a space where a capital follows a small letter ("AnLacA" -> "An Lac A", "BìnhTân" -> "Bình Tân")."""
    out = []
    for before, char in zip(" " + text, text, strict=False):
        if before.islower() and char.isupper():
            out.append(" ")
        out.append(char)
    return "".join(out)


def _windows_apart(units: list[Unit]) -> bool:
    """True when no two of `units` were valid on the same day (one name, worn by turns)."""
    spans = sorted((u.valid_from or date.min, u.valid_to or date.max) for u in units)
    return all(later[0] > earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))


def _positions(haystack: tuple[str, ...], needle: tuple[str, ...]) -> list[int]:
    """Where the words `needle` stand together, in order, inside `haystack`."""
    n = len(needle)
    return [i for i in range(len(haystack) - n + 1) if n and haystack[i : i + n] == needle]


def _after_type_word(words: tuple[str, ...], at: int, own: set[tuple[str, ...]]) -> bool:
    """True when a type word other than the unit's own stands right before position `at`."""
    for word in _TYPE_WORDS:
        if word not in own and at >= len(word) and words[at - len(word) : at] == word:
            return True
    return False


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
        self._units = {unit.slug: unit for unit in units}
        # Units that wear one name by turns (the ward An Lạc until 30/06/2025 and the ward An Lạc
        # formed on 01/07/2025): the name gives the first of them, `on_dates` the one of the day.
        self._turns: dict[str, list[str]] = {}
        self._names = self._index(units, _PREFIXES)
        # In title rows only the full forms count ("Phòng Tư pháp", "Phường An Lạc"): a heading such
        # as "Lĩnh vực Tư pháp - Hộ tịch" must not name the Justice Office.
        self._full_names = self._index(units, _COMMITTEE)
        self._exact = dict(self._names)
        # Names written without spaces in file names ("AnLacA_T1.xlsx", "binhtridong"): one token each.
        self._joined = {"".join(words): slug for words, slug in self._names if len(words) >= 2}

    def _index(self, units: list[Unit], prefixes: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], str]]:
        owners: dict[tuple[str, ...], set[str]] = {}
        for unit in units:
            for text in (unit.slug.replace("-", " "), unit.name, *unit.aliases):
                for variant in _variants(tokens(text), prefixes):
                    owners.setdefault(variant, set()).add(unit.slug)
        named: list[tuple[tuple[str, ...], str]] = []
        for words, slugs in owners.items():
            wearers = sorted((self._units[s] for s in slugs), key=lambda u: (u.valid_from or date.min, u.slug))
            if len(slugs) == 1:
                named.append((words, wearers[0].slug))
            elif _windows_apart(wearers):  # one name worn by turns
                named.append((words, wearers[0].slug))
                for unit in wearers:
                    shared = {*self._turns.get(unit.slug, []), *slugs}
                    self._turns[unit.slug] = sorted(shared, key=self._start)
            # A bare remainder shared by two units valid at the same time names neither.
        return sorted(named, key=lambda item: -len(item[0]))

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
            if len(name) >= 2 and any(self._stands(words, at, slug) for at in _positions(words, name)):
                return slug
        if not full_names_only:
            spaced = tokens(_split_camel(text))  # "AnLacA" -> "an lac a"
            if spaced != words:
                return self.find_in(" ".join(spaced))
            for word in words:
                if word in self._joined:
                    return self._joined[word]
        return None

    def _start(self, slug: str) -> tuple[date, str]:
        return (self._units[slug].valid_from or date.min, slug)

    def _stands(self, words: tuple[str, ...], at: int, slug: str) -> bool:
        """A name found at `at` names the unit unless another level's type word stands before it."""
        return not _after_type_word(words, at, _OWN_TYPE_WORDS.get(self._units[slug].type, set()))

    def at(self, slug: str | None, day: date | None) -> str | None:
        """The unit of `slug`'s name that was valid on `day` (None: no such unit then; no day: `slug`)."""
        if slug is None or day is None:
            return slug
        wearers = self._turns.get(slug, [slug])
        return next((s for s in wearers if self._units[s].valid_on(day)), None)

    def dated(self) -> bool:
        """True when some unit of the registry has validity dates (else `on_dates` changes nothing)."""
        return any(u.valid_from or u.valid_to for u in self._units.values())

    def on_dates(self, codes: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Return the units (codes into `slugs`, -1: none) valid on each row's day.

        A row whose unit's name was worn by another unit on its day gets that unit; a row whose unit
        did not exist on its day gets -1. Rows without a day keep their unit.
        """
        given = np.asarray(codes)
        out = given.copy()
        if not self.dated():
            return out
        day = np.asarray(days).astype("datetime64[D]")
        undated = np.isnat(day)
        for i, slug in enumerate(self.slugs):
            rows = (given == i) & ~undated
            if not rows.any():
                continue
            result = np.full(len(out), -1, dtype=out.dtype)
            for other in self._turns.get(slug, [slug]):
                unit = self._units[other]
                start = np.datetime64(unit.valid_from or date.min, "D")
                stop = np.datetime64(unit.valid_to or date.max, "D")
                result = np.where(rows & (day >= start) & (day <= stop), self.slugs.index(unit.slug), result)
            out = np.where(rows, result, out)
        return out
