"""The typed results of qms: what `qms_cli.api` returns and what `--format json` prints.

An `Evaluation` serialises (`to_json`) to the `qms.evaluation/1` shape of spec/cli.md, and its JSON
Schema (`evaluation_schema`, committed as docs/qms.evaluation-1.schema.json) is generated from these
models. Attribute names are the JSON keys, so templates read `r.indicators[0].district.value` from a
model and from its JSON alike.

Keys the spec leaves out when they do not apply (a figure's `reason` when it has a value, an
indicator's `baseline` when it has none, …) are left out of the JSON too: those fields are listed in
a model's `OMIT_IF_NONE`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SerializerFunctionWrapHandler, model_serializer

from qms_cli.config import Rules

EVALUATION_SCHEMA = "qms.evaluation/1"
VALIDATION_SCHEMA = "qms.validation/1"
Status = Literal["met", "not_met", "in_progress", "no_data"]
Severity = Literal["error", "warning", "info"]
ActionStatus = Literal["draft", "open", "done", "closed"]
Scalar = str | int | float | bool | None


class Result(BaseModel):
    """Base of the result models: unknown keys are refused, keys of OMIT_IF_NONE are left out when None."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)
    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset()

    def __getitem__(self, key: str) -> Any:
        """`result["key"]` reads as `result.key` (code and templates written for the JSON's dicts keep working)."""
        try:
            return getattr(self, "schema_id" if key == "schema" else key)
        except AttributeError:
            raise KeyError(key) from None

    @model_serializer(mode="wrap")
    def _omit(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for key in self.OMIT_IF_NONE:
                if data.get(key, 0) is None:
                    del data[key]
        return data


class PeriodRange(Result):
    """A reporting period: its label (H1-2019, 2019-03, …) and its first and last days."""

    label: str
    start: dt.date
    end: dt.date


class ObjectivesFile(Result):
    """The objectives file the figures were counted with."""

    path: str
    sha256: str
    decision: str
    scope: str = Field(
        default="",
        description="The whole the objectives are set for, by its name in objectives.yaml (`district`), in `lang`; "
        "the scope label of the reports (empty in evaluations stored before qms kept it).",
    )


class Target(Result):
    """An indicator's target: the value must be `op` (>= or <=) `value`."""

    op: Literal[">=", "<="]
    value: float


class Figure(Result):
    """One figure (of the district or of a unit): counts, value, 95 % interval and status."""

    OMIT_IF_NONE = frozenset({"reason", "missing_due", "stopped", "extended"})
    numerator: int
    denominator: int
    value: float | None = Field(description="A fraction (0.98), not rounded; null where the denominator is 0.")
    ci95: tuple[float, float] | None = Field(description="Wilson 95 % interval of a proportion, else null.")
    conclusive: bool | None = Field(description="Whether the interval lies wholly on one side of the target.")
    status: Status
    reason: str | None = Field(default=None, description="Why there is no value (status no_data), for people.")
    missing_due: int | None = Field(default=None, description="Dossiers left out for want of an appointment date.")
    stopped: int | None = Field(default=None, description="Dossiers stopped (dừng giải quyết), out of objective 1.")
    extended: int | None = Field(
        default=None, description="extension=accept_approved: dossiers judged on their approved new appointment."
    )


class UnitKey(Result):
    """Which unit a result is of: the stable slug of objectives.yaml and the display name."""

    unit: str
    name: str


class UnitResult(Figure, UnitKey):
    """One unit's figure of an indicator."""


class Baseline(Result):
    """The baseline period a growth or a change is counted against, and where its figures came from."""

    OMIT_IF_NONE = frozenset({"numerator", "denominator", "district"})
    period: PeriodRange
    source: str | None
    numerator: int | None = None
    denominator: int | None = None
    district: int | None = None


class LevelRule(Result):
    """A rule of vocabulary.yaml that maps words to online levels from a date (e.g. Decree 42/2022)."""

    name: str
    title: str
    applies_from: dt.date
    levels: dict[str, list[str]]


class Milestone(Result):
    """One milestone of the ISO transition plan."""

    content: str
    due: dt.date | None
    done: dt.date | None
    late: bool


class IndicatorResult(Result):
    """One indicator of the objectives: its target, the district's figure and each unit's."""

    OMIT_IF_NONE = frozenset(
        {
            "baseline",
            "level_rule",
            "sources",
            "units_inspected",
            "inspections",
            "by_kind",
            "counted_from",
            "milestones",
            "resolved_elsewhere",
        }
    )
    id: str
    objective: int
    title: str
    kind: str
    target: Target
    baseline: Baseline | None = None
    level_rule: LevelRule | None = Field(default=None, description="The rule that maps its level words, if any.")
    sources: list[str] | None = Field(default=None, description="satisfaction: the survey sources read.")
    units_inspected: list[str] | None = Field(default=None, description="inspection_coverage: units inspected.")
    inspections: int | None = Field(default=None, description="inspection_coverage: inspections counted.")
    by_kind: dict[str, int] | None = Field(default=None, description="inspection_coverage: units by kind.")
    counted_from: dt.date | None = Field(default=None, description="inspection_coverage: first day counted.")
    milestones: list[Milestone] | None = Field(default=None, description="iso_transition: the plan.")
    resolved_elsewhere: int | None = Field(
        default=None,
        description="Scored on the resolving agency: dossiers of the figure whose resolving agency is outside the "
        "registry (they count for the unit that received them).",
    )
    district: Figure
    units: list[UnitResult]

    def unit(self, slug: str) -> UnitResult:
        """The figure of unit `slug`; KeyError when the indicator has none for it."""
        for entry in self.units:
            if entry.unit == slug:
                return entry
        raise KeyError(slug)


class Shortfall(Result):
    """A figure that is not met: the gap to its target and who must act (Decision 784, section 3)."""

    indicator: str
    unit: str | None = Field(description="The unit's slug; null for the district's figure.")
    value: float
    target: float
    gap: float = Field(description="Signed: negative when short of a >= target.")
    conclusive: bool | None
    owner: str
    action_required: str


class UnitLink(Result):
    """A unit that went into a new one, wholly or partly."""

    unit: str | None
    name: str
    part: str


class UnitEnded(Result):
    """A unit that ended the day before a change."""

    unit: str
    name: str


class UnitBegan(Result):
    """A unit that began on a change, with what it was formed from."""

    unit: str
    name: str
    formed_from: list[UnitLink]
    comparable: bool


class UnitChange(Result):
    """A change of the registry inside the period (spec/units.md)."""

    date: dt.date
    ended: list[UnitEnded]
    began: list[UnitBegan]


class IndexComponent(Result):
    """A component of the QĐ 766 service index and its maximum score."""

    id: str
    name: str
    max: int | float


class IndexSource(Result):
    """Where a row of the service index was read."""

    path: str
    sheet: str | None


class IndexRow(Result):
    """A unit's published QĐ 766 scores for one period."""

    unit: str
    name: str
    period: PeriodRange
    scores: dict[str, float | None]
    total: float | None
    total_of_components: float | None
    source: IndexSource


class ServiceIndex(Result):
    """The QĐ 766 index shown beside objectives 1, 3 and 5 (not scored against a target)."""

    components: list[IndexComponent]
    beside: dict[str, str] = Field(description="Objective number -> the component shown beside it.")
    units: list[IndexRow] = Field(description="Per unit, the row whose period overlaps the evaluation's most.")
    rows: list[IndexRow] = Field(description="Every row whose period overlaps the evaluation's.")


class ScoredOn(Result):
    """Which unit an objective's dossiers count for, and from which received date (none: every date)."""

    OMIT_IF_NONE = frozenset({"since"})
    basis: Literal["receiving_unit", "resolving_agency"]
    since: dt.date | None = None


class DigitisedFigure(Result):
    """Digitised dossiers or results over all of them (value null where the denominator is 0)."""

    numerator: int
    denominator: int
    value: float | None


class DigitisedUnit(DigitisedFigure, UnitKey):
    """One unit's digitisation figure (only units whose books have the column)."""


class Digitisation(Result):
    """One digitisation figure: the sum over the units whose books have the column, and each unit's."""

    title: str
    district: DigitisedFigure | None = Field(description="Null where no book has the column.")
    units: list[DigitisedUnit]


class DigitisationFigures(Result):
    """Số hóa hồ sơ and số hóa kết quả, counted where the books have the columns (not an objective)."""

    dossiers: Digitisation
    results: Digitisation


class FileRows(Result):
    """Row accounting of one sheet of one file: rows read = accepted + rejected + skipped."""

    OMIT_IF_NONE = frozenset({"export_date", "message"})
    path: str
    kind: str
    sheet: str | None
    unit: str | None
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_skipped: int
    rows_superseded: int
    export_date: dt.date | None = None
    message: str | None = None


class IssueSample(Result):
    """Where one occurrence of an issue is: file, sheet, Excel row, column letter, header and value."""

    OMIT_IF_NONE = frozenset({"sheet", "row", "column", "header", "value"})
    path: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: Scalar = None


class IssueValue(Result):
    """A value not recognised (a status, channel, level…), how often, and the figures it leaves."""

    value: Scalar
    header: str | None
    count: int
    figures: list[str]


class Issue(Result):
    """A data-quality code found in the inputs, how often, and the first places it was found."""

    OMIT_IF_NONE = frozenset({"values"})
    code: str
    severity: Severity
    title: str
    count: int
    samples: list[IssueSample]
    values: list[IssueValue] | None = Field(default=None, description="Each value not recognised, once.")


class MissingSubmission(Result):
    """A unit and month of the period for which nothing arrived."""

    unit: str
    month: str


class DataQuality(Result):
    """What the inputs were worth: row accounting per file, issues by code, submissions missing."""

    OMIT_IF_NONE = frozenset({"missing_submissions"})
    files: list[FileRows]
    issues: list[Issue]
    missing_submissions: list[MissingSubmission] | None = None

    @property
    def rows_rejected(self) -> int:
        """Rows rejected in all files."""
        return sum(f.rows_rejected for f in self.files)

    @property
    def unreadable_files(self) -> int:
        """Files that could not be read at all (unreadable, or no sheet of a known kind)."""
        return sum(1 for f in self.files if f.kind in ("unreadable", "unknown"))

    def has(self, severity: Severity) -> bool:
        """Whether an issue of this severity was found."""
        return any(i.severity == severity for i in self.issues)


class Evaluation(Result):
    """The evaluation of a period: every indicator for the district and each unit (`qms.evaluation/1`)."""

    schema_id: Literal["qms.evaluation/1"] = Field(alias="schema")
    generated_at: dt.datetime
    qms_version: str
    lang: Literal["vi", "en"]
    period: PeriodRange
    objectives_file: ObjectivesFile
    rules: Rules
    rules_overridden: list[str]
    level_rules: list[LevelRule]
    indicators: list[IndicatorResult]
    shortfalls: list[Shortfall]
    scored_on: dict[str, ScoredOn] = Field(description="Objective number -> the unit its dossiers count for.")
    unit_changes: list[UnitChange]
    service_index: ServiceIndex
    digitisation: DigitisationFigures
    data_quality: DataQuality
    _basis: Any = PrivateAttr(default=None)  # what it was counted from (qms_cli.api.Run); never serialised

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """The indicator `indicator_id`; KeyError when the objectives have none of that id."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)


class Validation(Result):
    """What `qms validate` finds: the data quality of the inputs, no scoring (`qms.validation/1`)."""

    schema_id: Literal["qms.validation/1"] = Field(alias="schema")
    objectives_file: ObjectivesFile
    data_quality: DataQuality


class CorrectiveAction(Result):
    """A corrective action (ISO 9001 §10.2) opened by a shortfall, as kept in the store."""

    id: int
    indicator: str
    unit: str | None
    period: str
    value: float | None
    target: float | None
    gap: float | None
    owner: str | None
    due: str | None
    status: ActionStatus
    cause: str | None
    action: str | None
    effectiveness: str | None
    created_at: str
    updated_at: str


class Form06a(Result):
    """Biểu 06a in the form's layout: three header rows, then each unit's row followed by its field rows,
    and the total row."""

    groups: list[str] = Field(description="Group headers, each in the first column it spans.")
    heads: list[str]
    numbers: list[str] = Field(description="The form's column numbers (1)…(19).")
    rows: list[list[Scalar]] = Field(
        description="TT, the unit's or the field's name, then the counts (null: not in its tables)."
    )
    kinds: list[str] = Field(
        default_factory=list,
        description='Each row\'s kind: "unit", "field" (a field row under its unit), "other" or "total".',
    )


class Report(Evaluation):
    """The consolidated report of a period: the evaluation and what the management review adds."""

    report: dict[str, Any] = Field(description="Trend, funnel, Pareto, changes, actions, follow-up, Biểu 06a.")
    written: list[Path] = Field(default_factory=list, exclude=True)  # the files written, not part of the JSON


def to_json(result: BaseModel) -> str:
    """The result as the JSON that `--format json` prints (UTF-8 text, indented, not rounded)."""
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def evaluation_schema() -> dict[str, Any]:
    """The JSON Schema of `qms.evaluation/1`, generated from the models."""
    # The validation schema: the serialisation one would only say "any" (OMIT_IF_NONE wraps the serialiser),
    # and every JSON qms writes validates back into the models, so this schema holds for it.
    schema = Evaluation.model_json_schema(mode="validation")
    schema["$id"] = "https://qms.invalid/schema/qms.evaluation-1.json"
    schema["title"] = EVALUATION_SCHEMA
    return schema


if __name__ == "__main__":  # python -m qms_cli.results > docs/qms.evaluation-1.schema.json
    print(json.dumps(evaluation_schema(), ensure_ascii=False, indent=2))
