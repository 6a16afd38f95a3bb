"""The words of real exports as data: `vocabulary.yaml`, shipped in the package, validated here.

Matching is on whole words of the folded text (`qms_cli.text.fold`), never on substrings: a phrase
is found when its words stand together, in order, in the text's words. A `WordMap` maps a text to
the meaning of the longest phrase found in it (ties: the meaning listed first in the file).

A district adds words in a file of the same shape, named by the environment variable
`QMS_VOCABULARY` or saved as `./vocabulary.yaml` where qms runs (docs/vocabulary.md); its words
are added to the shipped ones.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qms_cli.errors import Phrase, UsageError
from qms_cli.text import contains_phrase, fold, tokens

ENV = "QMS_VOCABULARY"
LOCAL = "vocabulary.yaml"

Words = list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Summary(_Strict):
    """Words of summary tables: the groups, the columns within each group, extras, and unit columns."""

    groups: dict[str, Words] = Field(default_factory=dict)
    columns: dict[str, dict[str, Words]] = Field(default_factory=dict)
    extras: dict[str, Words] = Field(default_factory=dict)
    unit: Words = Field(default_factory=list)
    field: Words = Field(default_factory=list)
    not_counts: Words = Field(default_factory=list)


class Survey(_Strict):
    """Words of satisfaction surveys."""

    levels: dict[str, Words] = Field(default_factory=dict)
    negative: Words = Field(default_factory=list)
    positive: Words = Field(default_factory=list)
    web_sources: Words = Field(default_factory=list)
    criterion_headers: Words = Field(default_factory=list)
    stars: Words = Field(default_factory=list)


class Layout(_Strict):
    """The words of the rows around a table: totals, signatures, the export stamp, free-text headers."""

    total_phrases: Words = Field(default_factory=list)
    total_words: Words = Field(default_factory=list)
    footer: Words = Field(default_factory=list)
    export_stamp: Words = Field(default_factory=list)
    free_text_headers: Words = Field(default_factory=list)


class UnitNames(_Strict):
    """The words around unit names: those written before a name or left out, and the level words."""

    committee: Words = Field(default_factory=list)
    prefixes: Words = Field(default_factory=list)
    level_words: Words = Field(default_factory=list)
    own_level_words: dict[str, Words] = Field(default_factory=dict)


class PeriodWords(_Strict):
    """The words with which a title or a cell names a period (the numbers' grammar is in read/phrases.py)."""

    day: Words = Field(default_factory=list)
    month: Words = Field(default_factory=list)
    quarter: Words = Field(default_factory=list)
    year: Words = Field(default_factory=list)
    half: Words = Field(default_factory=list)
    first_half: Words = Field(default_factory=list)
    second_half: Words = Field(default_factory=list)
    from_: Words = Field(default_factory=list, alias="from")
    to: Words = Field(default_factory=list)
    reporting_period: Words = Field(default_factory=list)


class Inspections(_Strict):
    """The words of the inspection register: those that mark an unannounced inspection."""

    unannounced: Words = Field(default_factory=list)


class LevelRule(_Strict):
    """A regulation's words for online levels, mapped onto levels 3 and 4, with the date it applies from."""

    name: str
    title: str
    applies_from: date
    levels: dict[str, Words]

    def to_json(self) -> dict[str, Any]:
        """The rule as printed with an evaluation's counting rules."""
        return {"name": self.name, "title": self.title, "applies_from": self.applies_from.isoformat()} | {
            "levels": dict(self.levels)
        }


class Vocabulary(_Strict):
    """The whole vocabulary file, validated: no empty phrase, no phrase with two meanings in one table."""

    version: int = 1
    headers: dict[str, dict[str, Words]] = Field(default_factory=dict)
    statuses: dict[str, Words] = Field(default_factory=dict)
    channels: dict[str, Words] = Field(default_factory=dict)
    levels: dict[str, Words] = Field(default_factory=dict)
    level_rules: list[LevelRule] = Field(default_factory=list)
    level_prefixes: Words = Field(default_factory=list)
    supplement: Words = Field(default_factory=list)
    apology: Words = Field(default_factory=list)
    note_headers: Words = Field(default_factory=list)
    says_no: Words = Field(default_factory=list)
    not_dossier_books: Words = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    survey: Survey = Field(default_factory=Survey)
    inspections: Inspections = Field(default_factory=Inspections)
    layout: Layout = Field(default_factory=Layout)
    unit_names: UnitNames = Field(default_factory=UnitNames)
    periods: PeriodWords = Field(default_factory=PeriodWords)

    @model_validator(mode="after")
    def _one_meaning_each(self) -> Vocabulary:
        tables: dict[str, dict[str, Words]] = {
            "statuses": self.statuses,
            "channels": self.channels,
            "levels": self.levels,
            "survey.levels": self.survey.levels,
            "summary.groups": self.summary.groups,
            "summary.extras": self.summary.extras,
        }
        tables |= {f"headers.{kind}": fields for kind, fields in self.headers.items()}
        tables["levels and level_rules"] = self.all_levels()
        tables |= {f"summary.columns.{g}": cols for g, cols in self.summary.columns.items()}
        for name, table in tables.items():
            _check_table(name, table)
        return self

    def all_levels(self) -> dict[str, Words]:
        """The level words: `levels`, then those of every rule of `level_rules`."""
        out: dict[str, Words] = {k: list(v) for k, v in self.levels.items()}
        for rule in self.level_rules:
            for level, words in rule.levels.items():
                out.setdefault(level, []).extend(words)
        return out


def _check_table(name: str, table: dict[str, Words]) -> None:
    seen: dict[tuple[str, ...], str] = {}
    for meaning, phrases in table.items():
        for phrase in phrases:
            words = tokens(phrase)
            if not words:
                raise ValueError(f"{name}.{meaning}: the phrase {phrase!r} has no words")
            if words in seen and seen[words] != meaning:
                raise ValueError(f"{name}: {phrase!r} is listed under both {seen[words]!r} and {meaning!r}")
            seen[words] = meaning


class WordMap:
    """Text -> meaning by the longest whole-word phrase found in it (ties: the meaning listed first)."""

    def __init__(self, table: dict[str, Words]) -> None:
        self._phrases: list[tuple[tuple[str, ...], int, str]] = []
        for order, (meaning, phrases) in enumerate(table.items()):
            for phrase in phrases:
                if words := tokens(phrase):
                    self._phrases.append((words, order, meaning))
        self._phrases.sort(key=lambda p: (-len(p[0]), p[1]))  # longest first, then file order

    def __call__(self, text: str) -> str | None:
        """The meaning of `text`, or None when no phrase of the table stands in it."""
        words = tokens(text)
        return next((meaning for phrase, _, meaning in self._phrases if contains_phrase(words, phrase)), None)

    def phrase(self, text: str) -> str | None:
        """The phrase (folded) that decided the meaning of `text`, or None."""
        words = tokens(text)
        return next((" ".join(p) for p, _, _ in self._phrases if contains_phrase(words, p)), None)


def alternation(phrases: Iterable[str], *, word_end: bool = True) -> str:
    """A regular expression that matches any of `phrases` as whole words of a folded text ("ngày in"
    -> `\\b(?:ngay in)\\b`), longest first; with `word_end=False` a digit may follow at once ("mđ3").
    With no phrase, it matches nothing."""
    folded = sorted({fold(p) for p in phrases if fold(p)}, key=lambda p: (-len(p), p))
    if not folded:
        return r"[^\s\S]"
    return r"\b(?:" + "|".join(re.escape(p) for p in folded) + (r")\b" if word_end else ")")


def written_alternation(phrases: Iterable[str]) -> str:
    """A regular expression (for Python's re and Arrow's RE2 alike) that matches any of `phrases` in
    lower-cased text, as written (with their diacritics) or folded (with none); spaces match any white
    space. For a cell whose diacritics matter ("Cộng" is a total, "Công" is not) or whose punctuation does
    ("4,5 sao"). With no phrase, it matches nothing."""
    forms: set[str] = set()
    for phrase in phrases:
        forms |= {" ".join(unicodedata.normalize("NFC", phrase.lower()).split()), fold(phrase)}
    ordered = sorted((f for f in forms if f), key=lambda f: (-len(f), f))
    if not ordered:
        return r"[^\s\S]"
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in ordered) + ")"


def has_any(text: str, phrases: Iterable[str]) -> bool:
    """True when one of `phrases` stands as whole words in `text`."""
    words = tokens(text)
    return any(contains_phrase(words, tokens(p)) for p in phrases)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with the words of `extra` added: lists are extended, mappings merged, key by key."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif key == "level_rules" and isinstance(value, list) and isinstance(out.get(key), list):
            names = {r.get("name") for r in value if isinstance(r, dict)}
            out[key] = [r for r in out[key] if r.get("name") not in names] + value  # a rule of the same name replaces
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *(v for v in value if v not in out[key])]
        else:
            out[key] = value
    return out


def _read(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(Phrase("vocabulary_not_yaml", where=where, detail=exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(Phrase("vocabulary_not_mapping", where=where))
    return data


def shipped_text() -> str:
    """The text of the vocabulary shipped in the package."""
    return resources.files("qms_cli").joinpath("vocabulary.yaml").read_text(encoding="utf-8")


def district_file() -> Path | None:
    """The district's own vocabulary file: $QMS_VOCABULARY, else ./vocabulary.yaml, else None."""
    named = os.environ.get(ENV)
    if named:
        return Path(named)
    local = Path.cwd() / LOCAL
    return local if local.is_file() else None


def load(extra: Path | None = None) -> Vocabulary:
    """The shipped vocabulary with the words of `extra` (a district's file) added; UsageError if invalid."""
    data = _read(shipped_text(), "vocabulary.yaml (shipped)")
    where = "vocabulary.yaml (shipped)"
    if extra is not None:
        try:
            data = _merge(data, _read(extra.read_text(encoding="utf-8"), str(extra)))
        except OSError as exc:
            raise UsageError(Phrase("vocabulary_unreadable", where=extra, reason=exc.strerror or exc)) from None
        where = str(extra)
    try:
        return Vocabulary.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise UsageError(
            Phrase("vocabulary_invalid", where=where, detail=f"{place + ': ' if place else ''}{message}")
        ) from None


def folded_set(words: Iterable[str]) -> frozenset[str]:
    """The folded forms of `words`, for matching a whole cell."""
    return frozenset(fold(w) for w in words)


VOCABULARY = load(district_file())


# --- online levels: words and numbers -> 3 or 4 -----------------------------------------------------
_LEVEL = WordMap(VOCABULARY.all_levels())
NO_LEVEL = 0.0  # a service that is no online level ("Dịch vụ cung cấp thông tin"): known, in neither L3 nor L4
_LEVEL_NUMBER = re.compile(rf"(?:^|{alternation(VOCABULARY.level_prefixes, word_end=False)} ?)([234])\b")


def level_of(text: str) -> float:
    """Return the online level that a text names: a number, else the words of `levels` and `level_rules`
    (3 or 4; NO_LEVEL for a service that is no online level); NaN when it names none."""
    meaning = _LEVEL(text)
    if meaning == "none":
        return NO_LEVEL
    if m := _LEVEL_NUMBER.search(fold(text)):
        return float(m.group(1))
    return float(meaning) if meaning is not None and meaning.isdigit() else float("nan")


def level_value(value: object) -> float:
    """The online level (3 or 4) an indicator's `online_level` names: a number, or the words of a level
    rule of vocabulary.yaml ("toàn trình" = 4 by Nghị định 42/2022); UsageError when it names none."""
    level = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else level_of(str(value))
    if level not in (3.0, 4.0):
        raise UsageError(Phrase("no_online_level", value=repr(value)))
    return level


__all__ = [
    "NO_LEVEL",
    "VOCABULARY",
    "Vocabulary",
    "WordMap",
    "alternation",
    "written_alternation",
    "district_file",
    "folded_set",
    "has_any",
    "level_of",
    "level_value",
    "load",
    "shipped_text",
]
