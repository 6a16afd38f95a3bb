"""Pydantic models of objectives.yaml: the decision, its indicators, the counting rules, the units."""

from __future__ import annotations

import hashlib
import typing
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from qms_cli.errors import Phrase, UsageError, printable

IndicatorKind = Literal[
    "on_time",
    "received_share",
    "returned_share",
    "received_growth",
    "satisfaction",
    "inspection_coverage",
    "iso_transition",
]
MatchField = Literal[
    "supplement_requested",
    "online_level",
    "channel_in",
    "channel_out",
    "apology",
    "digitised_dossier",
    "digitised_result",
]
ScoredOn = Literal["receiving_unit", "resolving_agency"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rules(_Strict):
    """The counting choices of spec/metrics.md; defaults are the spec's defaults."""

    on_time_denominator: Literal["resolved", "resolved_and_overdue", "due", "received"] = "resolved"
    completion: Literal["result_ready", "returned"] = "result_ready"
    withdrawn_count_as_on_time: bool = False
    period_cutoff: Literal["calendar", "decree-09-2019"] = "calendar"
    supplement_clock: Literal["as_recorded"] = "as_recorded"
    l3_growth: Literal["relative", "share_points"] = "relative"
    satisfaction_pool: Literal["pooled", "mean_of_sources"] = "pooled"
    # Mẫu 04 of TT 03/2025 (apology and request to extend): `ignore` judges against the original
    # appointment, as in 2019; `accept_approved` uses the extended date where the book dates its approval.
    extension: Literal["ignore", "accept_approved"] = "ignore"
    # Plausible dates (docs/counting.md): a date before 1 January of this year, or more than this many
    # days after the day of the run, is a typo (2919 for 2019): the row is rejected, date-out-of-range.
    earliest_year: int = Field(default=2000, ge=1900, le=2100)
    latest_days_after_run: int = Field(default=366, ge=0, le=3660)

    def with_overrides(self, overrides: dict[str, str]) -> Rules:
        """Return these rules with `--rule KEY=VALUE` overrides applied; UsageError lists what is allowed."""
        fields = type(self).model_fields
        data = self.model_dump()
        for key, value in overrides.items():
            if key not in fields:
                raise UsageError(Phrase("unknown_rule", rule=repr(key), known=", ".join(fields)))
            data[key] = value
        try:
            return type(self).model_validate(data)
        except ValidationError:
            key = next(k for k in overrides if k in fields and _rejects(k, overrides[k]))
            allowed = ", ".join(allowed_values(key))
            raise UsageError(
                Phrase("rule_not_allowed", rule=key, value=repr(overrides[key]), allowed=allowed)
            ) from None


def allowed_values(key: str) -> list[str]:
    """Return the values a rule accepts, as text."""
    annotation = Rules.model_fields[key].annotation
    if annotation is bool:
        return ["true", "false"]
    if annotation is int or annotation == "int":
        metadata = Rules.model_fields[key].metadata
        low = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
        high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
        return [f"a whole number from {low} to {high}"]
    return [str(v) for v in typing.get_args(annotation)]


def _rejects(key: str, value: str) -> bool:
    try:
        Rules.model_validate({key: value})
    except ValidationError:
        return True
    return False


class Target(_Strict):
    """An indicator's target: its value must be `op` (>= or <=) `value`."""

    op: Literal[">=", "<="]
    value: float

    def holds(self, value: float) -> bool:
        """Whether `value` meets the target."""
        return value >= self.value if self.op == ">=" else value <= self.value


class Indicator(_Strict):
    """One indicator of objectives.yaml: its objective, kind, title, target, match and scope."""

    id: str
    objective: int
    kind: IndicatorKind
    title: str
    title_en: str
    target: Target
    match: dict[MatchField, bool | int | str] = Field(default_factory=dict)
    scope: Literal["units", "district"] = "units"
    cumulative: bool = False
    deadline: date | None = None
    baseline_year: int | None = None
    baseline: dict[str, dict[str, int]] = Field(default_factory=dict)

    @field_validator("target")
    @classmethod
    def _target_is_a_fraction(cls, target: Target, info: ValidationInfo) -> Target:
        """Rates are fractions: 0.98, not 98 (spec/cli.md); a growth may be negative, from -1 to 1."""
        low = -1.0 if info.data.get("kind") == "received_growth" else 0.0
        if not low <= target.value <= 1.0:
            raise ValueError(
                f"target value {target.value:g} is outside {low:g}..1: a rate is a fraction (0.98 for 98 %)"
            )
        return target


class Objective(_Strict):
    """One quality objective of the decision and the unit that leads it."""

    number: int
    title: str
    title_en: str
    lead: str | None = None
    # Which unit a dossier counts for: the unit that received it or the agency that resolved it
    # (when the book has both). None: for objective 1 the resolving agency for dossiers received from
    # RESOLVER_SINCE (Nghị định 118/2025/NĐ-CP: centres receive for other agencies), the receiving
    # unit before (the 2019 practice); for every other objective the receiving unit.
    scored_on: ScoredOn | None = None

    def basis(self) -> tuple[ScoredOn, date | None]:
        """The unit this objective's dossiers are scored on, and from which received date (None: all)."""
        if self.scored_on is not None:
            return self.scored_on, None
        if self.number == 1:
            return "resolving_agency", RESOLVER_SINCE
        return "receiving_unit", None

    def basis_json(self) -> dict[str, str]:
        """The basis as printed with the rules."""
        basis, since = self.basis()
        return {"basis": basis, **({"since": since.isoformat()} if since else {})}


# Nghị định 118/2025/NĐ-CP in force: one-stop centres receive dossiers for other agencies.
RESOLVER_SINCE = date(2025, 7, 1)


UnitType = Literal["agency", "public_service_unit", "ward", "commune", "department", "centre"]


class Predecessor(_Strict):
    """One link of a crosswalk: a unit this one was formed from, wholly or in part.

    `unit` is a slug of the registry; a unit outside the registry (a neighbouring district's ward)
    is given by `name` alone.
    """

    unit: str | None = None
    name: str | None = None
    part: Literal["whole", "partial"]

    @model_validator(mode="after")
    def _named(self) -> Predecessor:
        if (self.unit is None) == (self.name is None):
            raise ValueError("a predecessor has either `unit` (a registry slug) or `name` (outside the registry)")
        return self


class Unit(_Strict):
    """A unit of the registry, valid from `valid_from` to `valid_to` (both inclusive; none: unbounded)."""

    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    type: UnitType
    aliases: list[str] = Field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    formed_from: list[Predecessor] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Unit:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"unit {self.slug}: valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    def valid_on(self, day: date) -> bool:
        """True when the unit existed on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def valid_between(self, start: date, end: date) -> bool:
        """True when the unit existed on at least one day from `start` to `end`."""
        return (self.valid_from is None or self.valid_from <= end) and (self.valid_to is None or start <= self.valid_to)


class Decision(_Strict):
    """The decision that sets the objectives (number, date, issuer)."""

    number: str
    date: date
    issuer: str
    issuer_en: str
    title: str
    title_en: str


class District(_Strict):
    """The district (or ward) the objectives are set for."""

    slug: str
    name: str
    name_en: str


class Issuer(_Strict):
    """Who issues the report, for the heading of Decree 30/2020/NĐ-CP (Appendix I): the governing body
    (cơ quan chủ quản), the issuing body, its abbreviation in the document symbol, place, signer and
    recipients. A ward or a department issues its own report by writing its own here."""

    parent: str
    parent_en: str = ""
    name: str
    name_en: str = ""
    name_in_text: str = ""  # the name inside a sentence ("Phòng Nội vụ"); else `name` as written
    abbreviation: str = Field(pattern=r"^[A-ZĐ0-9][A-ZĐ0-9&.-]*$")
    document_kind: str = "BC"
    place: str
    signer_title: str
    signer_title_en: str = ""
    signer_name: str = ""
    recipients: list[str] = Field(default_factory=list)
    recipients_en: list[str] = Field(default_factory=list)

    @property
    def symbol(self) -> str:
        """The document symbol after the number: BC-PNV (kind of document - issuing body)."""
        return f"{self.document_kind}-{self.abbreviation}"


class CalendarOverrides(_Strict):
    """Days off and make-up working days that the holiday calendar does not know."""

    extra_days_off: list[date] = Field(default_factory=list)
    extra_working_days: list[date] = Field(default_factory=list)


class Objectives(_Strict):
    """The whole objectives file, validated: decision, units, rules, objectives, indicators."""

    decision: Decision
    year: int
    district: District
    issuer: Issuer | None = None  # the report's issuer; without it the district issues it
    rules: Rules = Field(default_factory=Rules)
    objectives: list[Objective]
    indicators: list[Indicator]
    calendar: CalendarOverrides = Field(default_factory=CalendarOverrides)
    units: list[Unit]
    # A procedure catalogue file (Mã thủ tục, Tên thủ tục, Mức độ, Thời hạn…), relative to this file: a
    # free text (Trích yếu, Nội dung, Ghi chú) that is one of its names is kept however rarely it occurs.
    procedure_catalogue: Path | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Objectives:
        slugs = [u.slug for u in self.units]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"unit slugs must be unique; repeated: {sorted({s for s in slugs if slugs.count(s) > 1})}")
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError(f"indicator ids must be unique; repeated: {sorted({i for i in ids if ids.count(i) > 1})}")
        numbers = {o.number for o in self.objectives}
        for ind in self.indicators:
            if ind.objective not in numbers:
                raise ValueError(f"indicator {ind.id}: objective {ind.objective} is not in `objectives`")
            for period_label, figures in ind.baseline.items():
                unknown = set(figures) - set(slugs) - {"district"}
                if unknown:
                    raise ValueError(
                        f"indicator {ind.id}: baseline {period_label} names unknown units {sorted(unknown)}"
                    )
        for obj in self.objectives:
            if obj.lead is not None and obj.lead not in slugs:
                raise ValueError(f"objective {obj.number}: lead {obj.lead!r} is not a unit slug")
        for unit in self.units:
            for link in unit.formed_from:
                if link.unit is not None and link.unit not in slugs:
                    raise ValueError(f"unit {unit.slug}: formed_from names unknown unit {link.unit!r}")
        return self

    def unit(self, slug: str) -> Unit:
        """The unit of slug `slug`; KeyError when the registry has none."""
        return next(u for u in self.units if u.slug == slug)

    def units_between(self, start: date, end: date) -> list[Unit]:
        """The registry's units valid on at least one day from `start` to `end`, in registry order."""
        return [u for u in self.units if u.valid_between(start, end)]

    def objective(self, number: int) -> Objective:
        """The objective of number `number`; KeyError when there is none."""
        return next(o for o in self.objectives if o.number == number)


class LoadedObjectives(BaseModel):
    """The validated objectives with where they came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    path: Path
    sha256: str
    spec: Objectives


def default_objectives_path() -> Path:
    """Return ./objectives.yaml if present, else the copy shipped with the package."""
    local = Path("objectives.yaml")
    if local.is_file():
        return local
    return packaged_path("objectives.yaml")


def packaged_path(name: str) -> Path:
    """Return a file shipped in the wheel (qms_cli/_data), or the repository's copy in a source checkout."""
    shipped = Path(str(resources.files("qms_cli"))) / "_data" / name
    if shipped.exists():
        return shipped
    return Path(__file__).resolve().parents[2] / name


class _YamlProblem(ValueError):
    """A key written twice, or a value that is no date; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader that refuses a key written twice and names the line of an impossible date."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _YamlProblem(f"the key {key!r} is written twice (first on line {seen[key]})", line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[no-untyped-call]
        except ValueError as exc:
            raise _YamlProblem(f"{node.value!r} is not a date ({exc})", node.start_mark.line + 1) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_mapping)  # type: ignore[arg-type]


def _key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line (1-based) of every key path of a YAML text: ("indicators", 2, "target") -> 41."""
    out: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, where: tuple[Any, ...]) -> None:
        out.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                out[(*where, key.value)] = key.start_mark.line + 1
                walk(value, (*where, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*where, i))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out
    if root is not None:
        walk(root, ())
    return out


def load_objectives(path: Path | None = None) -> LoadedObjectives:
    """Return the validated objectives file; UsageError names the file, the key path and what was expected."""
    path = path or default_objectives_path()
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise UsageError(Phrase("objectives_unreadable", path=path, reason=exc.strerror)) from None
    try:
        text = raw_bytes.decode("utf-8")
        data: Any = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader that refuses repeated keys
    except _YamlProblem as exc:
        raise UsageError(Phrase("objectives_line", path=path, line=exc.line, detail=exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(Phrase("objectives_not_yaml", path=path, detail=exc)) from None
    if not isinstance(data, dict):
        raise UsageError(Phrase("objectives_not_mapping", path=path))
    try:
        spec = Objectives.model_validate(data)
    except ValidationError as exc:
        where_lines = _key_lines(text)
        lines = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc) or "(top level)"
            line = next((where_lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in where_lines), None)
            lines.append(f"  line {line}: {where}: {err['msg']}" if line else f"  {where}: {err['msg']}")
        raise UsageError(Phrase("objectives_invalid", path=path, detail="\n".join(lines))) from None
    _check_levels(path, spec)
    spec = _catalogue_beside(path, spec, text)
    return LoadedObjectives(path=path, sha256=hashlib.sha256(raw_bytes).hexdigest(), spec=spec)


def _catalogue_beside(path: Path, spec: Objectives, text: str) -> Objectives:
    """`procedure_catalogue` made absolute (relative to the objectives file); UsageError naming its line
    when it is not a file."""
    if spec.procedure_catalogue is None:
        return spec
    where = path.parent / spec.procedure_catalogue  # an absolute path stays itself
    if not where.is_file():
        line = _key_lines(text).get(("procedure_catalogue",))
        raise UsageError(Phrase("catalogue_not_a_file", path=path, line=line, where=printable(where)))
    return spec.model_copy(update={"procedure_catalogue": where.resolve()})


def _check_levels(path: Path, spec: Objectives) -> None:
    """An indicator's `online_level` must name level 3 or 4, by number or by a level rule's words."""
    from qms_cli.vocabulary import level_value  # the vocabulary's level words (it imports this module's errors only)

    for i, ind in enumerate(spec.indicators):
        if "online_level" in ind.match:
            try:
                level_value(ind.match["online_level"])
            except UsageError as exc:
                where = f"indicators.{i}.match.online_level"
                raise UsageError(Phrase("objectives_invalid", path=path, detail=f"  {where}: {exc}")) from None
