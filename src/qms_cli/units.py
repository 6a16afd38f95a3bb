"""Matching unit names found in files (columns, title rows, file names) to registry slugs."""

from __future__ import annotations

from functools import lru_cache

from qms_cli.config import Unit
from qms_cli.text import contains_phrase, tokens

# Prefixes that officials write or leave out; a name is also matched without them.
_PREFIXES = [("ubnd",), ("uy", "ban", "nhan", "dan"), ("phong",), ("p",)]
_WARD = ("phuong",)


def _variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Return `words` with and without the usual prefixes ("UBND phường An Lạc" -> "an lac", …)."""
    out = {words}
    changed = True
    while changed:
        changed = False
        for v in list(out):
            for prefix in (*_PREFIXES, _WARD):
                if v[: len(prefix)] == prefix and len(v) > len(prefix):
                    rest = v[len(prefix):]
                    if rest not in out:
                        out.add(rest)
                        changed = True
    return out


class UnitMatcher:
    """Finds the registry unit that a piece of text names; the longest name wins (An Lạc A over An Lạc)."""

    def __init__(self, units: list[Unit]) -> None:
        self._names: list[tuple[tuple[str, ...], str]] = []
        owners: dict[tuple[str, ...], set[str]] = {}
        for unit in units:
            for text in (unit.slug.replace("-", " "), unit.name, *unit.aliases):
                for variant in _variants(tokens(text)):
                    owners.setdefault(variant, set()).add(unit.slug)
        # A bare remainder shared by two units ("tu phap" from two names) names neither.
        self._names = sorted(
            ((words, next(iter(slugs))) for words, slugs in owners.items() if len(slugs) == 1),
            key=lambda item: -len(item[0]),
        )
        self._exact = dict(self._names)

    @lru_cache(maxsize=4096)  # noqa: B019 - one matcher per run, few distinct texts
    def exact(self, text: str) -> str | None:
        """Return the slug whose name, alias or slug is `text` (ignoring case, diacritics, prefixes)."""
        words = tokens(text)
        for variant in sorted(_variants(words), key=len, reverse=True):
            if variant in self._exact:
                return self._exact[variant]
        return None

    @lru_cache(maxsize=4096)  # noqa: B019
    def find_in(self, text: str) -> str | None:
        """Return the slug of the longest unit name standing as whole words inside `text`."""
        words = tokens(text)
        for name, slug in self._names:
            if len(name) >= 2 and contains_phrase(words, name):
                return slug
        return None
