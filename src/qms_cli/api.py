"""The library: what `qms` does, as keyword-only functions with typed arguments and typed results.

    from pathlib import Path
    from qms_cli import api

    evaluation = api.evaluate(paths=[Path("sample_data")], period="H1-2019")
    for indicator in evaluation.indicators:
        print(indicator.id, indicator.district.value, indicator.district.status)

Every command of the CLI is one call here (`evaluate`, `validate`, `report`, `list_actions`,
`update_action`, `form_06a`); the CLI only parses options and prints. Errors are the exceptions of
`qms_cli.errors`, each carrying its exit status. Below them (private), a `Run` holds an outcome with
what its figures were counted from (records, rules, period): Biểu 06a and the report's analytics need it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from qms_cli.config import LoadedObjectives, Rules, load_objectives
from qms_cli.data_quality import QualityLog
from qms_cli.errors import InputError, Phrase, UsageError, printable
from qms_cli.evaluate.engine import default_period
from qms_cli.evaluate.engine import evaluate as score
from qms_cli.evaluate.form06a import form_06a as form_06a_table
from qms_cli.evaluate.kinds import Inputs
from qms_cli.periods import Period, parse_period, previous_period
from qms_cli.read.dates import set_window
from qms_cli.read.files import FileResult, Loaded, assemble, read_files
from qms_cli.results import (
    CorrectiveAction,
    DataQuality,
    Evaluation,
    Form06a,
    ObjectivesFile,
    Report,
    Validation,
)
from qms_cli.store import Seen, Store, read_changed, reader_key, sha256
from qms_cli.store_open import StoreLocation, locked, open_store, shown_location, store_exists, store_location

log = logging.getLogger(__name__)  # -v shows these lines on stderr; the library prints nothing itself
Lang = Literal["vi", "en"]
ActionStatus = Literal["draft", "open", "done", "closed"]
REPORT_FORMATS = ("html", "xlsx", "docx", "md", "json")
Objectives = Path | LoadedObjectives | None
RulesArg = Rules | Mapping[str, str] | None
PeriodArg = Period | str | None

__all__ = [
    "Evaluation",
    "Report",
    "Validation",
    "evaluate",
    "form_06a",
    "init_objectives",
    "list_actions",
    "report",
    "update_action",
    "validate",
]


@dataclass
class Run:
    """One evaluation or validation with what it was counted from (the records, rules and period)."""

    outcome: Evaluation | Validation
    objectives: LoadedObjectives
    quality: QualityLog
    unreadable_files: int
    files_seen: int
    inputs: Inputs | None = None
    rules: Rules | None = None
    period: Period | None = None

    @cached_property
    def result(self) -> dict[str, Any]:
        """The outcome as its JSON object (what `--format json` prints)."""
        return self.outcome.model_dump(mode="json")

    @property
    def evaluation(self) -> Evaluation:
        """The evaluation; TypeError for a validation run."""
        if not isinstance(self.outcome, Evaluation):
            raise TypeError("a validation run has no evaluation")
        return self.outcome

    def form_06a(self) -> pd.DataFrame:
        """Biểu 06a of the period from the dossier rows and summary tables, rows indexed by (unit, field)
        (see qms_cli.evaluate.form06a)."""
        if self.inputs is None or self.rules is None or self.period is None:
            raise TypeError("a validation run has no Biểu 06a")
        summaries = self.inputs.table("summary_06a")
        return form_06a_table(self.inputs.records, self.objectives.spec, self.rules, self.period, summaries)

    def form_06a_model(self, lang: str) -> Form06a:
        """Biểu 06a as the reports show it: the three header rows and the rows, units by name."""
        from qms_cli.evaluate.form06a import body_rows, header_rows, row_kinds

        groups, heads, numbers = header_rows(lang)
        names = {u.slug: u.name for u in self.objectives.spec.units}
        table = self.form_06a()
        rows = body_rows(table, names, lang)
        kinds = row_kinds(table)
        return Form06a(groups=groups, heads=heads, numbers=numbers, rows=rows, kinds=kinds)  # type: ignore[arg-type]


# --- the API ---------------------------------------------------------------------------------------
def evaluate(
    *,
    paths: Sequence[Path | str],
    period: PeriodArg = None,
    objectives: Objectives = None,
    rules: RulesArg = None,
    lang: Lang = "vi",
    store: StoreLocation | None = None,
    wait: float = 0.0,
    deliver: Callable[[Evaluation], None] | None = None,
) -> Evaluation:
    """Return the evaluation of every indicator from the files and folders under `paths`.

    `period` is a Period or its label ("H1-2019", "2019-03", "2019-01-01..2019-06-30"); by default
    the smallest calendar period covering the latest year's dates. `rules` overrides counting rules
    (a `Rules`, or {"on_time_denominator": "received"}). With `store` (a SQLite file, or a
    postgresql:// address), what was read is kept there (a file it holds already is not parsed again) and
    each shortfall opens a draft corrective action; the store is locked for the run (LockedError, or
    wait up to `wait` seconds). `deliver` (e.g. writing the outputs) is called with the evaluation
    before the store keeps the run: when it fails, the store is left as it was. UsageError for a bad
    period, rule or objectives file, InputError when no input can be used.
    """
    run = _evaluate_paths(
        [Path(p) for p in paths],
        period,
        objectives,
        rules,
        lang,
        store_location(store) if store is not None else None,
        command=_command(),
        wait=wait,
        deliver=(lambda run: deliver(run.evaluation)) if deliver else None,
    )
    return run.evaluation


def _command() -> str:
    """How the run is named in the store: the command line that made it (`qms evaluate …`, a script)."""
    line = " ".join([Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]])
    return printable(line)  # a file name that is not UTF-8, or an escape sequence, kept escaped


def validate(*, paths: Sequence[Path | str], objectives: Objectives = None, lang: Lang = "vi") -> Validation:
    """Return the data quality of the inputs (row accounting, every issue), without scoring."""
    return _validate_paths([Path(p) for p in paths], objectives, lang).outcome  # type: ignore[return-value]


def form_06a(*, evaluation: Evaluation) -> Form06a:
    """Biểu 06a of an evaluation's period, in its language: every unit (registry order) and the total row."""
    run = evaluation._basis
    if not isinstance(run, Run):
        raise UsageError(Phrase("no_06a_records"))
    return run.form_06a_model(evaluation.lang)


def report(
    *,
    period: Period | str,
    data: Sequence[Path | str] = (),
    store: StoreLocation | None = None,
    objectives: Objectives = None,
    rules: RulesArg = None,
    lang: Lang = "vi",
    formats: Iterable[str] = REPORT_FORMATS,
    output_dir: Path = Path("."),
    wait: float = 0.0,
    templates: Path | None = None,
) -> Report:
    """Write the consolidated report of `period` from the store and the `data` paths; return its model.

    The period before is evaluated too (changes, follow-up of its actions). With a store, the
    report's shortfalls open their draft corrective actions (under the store's lock). `formats` are
    among html, xlsx, docx, md and json; the files written are in `Report.written`.
    """
    from qms_cli.evaluate.report import build
    from qms_cli.render import report as render

    chosen = list(formats)
    unknown = [f for f in chosen if f not in REPORT_FORMATS]
    if unknown or not chosen:
        raise UsageError(Phrase("unknown_formats", known=", ".join(REPORT_FORMATS), got=", ".join(unknown) or "–"))
    where = store_location(store) if store is not None else None
    current, previous, _, keep = _report_inputs(period, [Path(p) for p in data], where, objectives, rules, lang)
    actions = _report_actions(keep, where, current, wait)
    extras = {"form_06a": current.form_06a_model(lang).model_dump()}
    model = build(current, previous, [a.model_dump() for a in actions], extras)
    written = render.write(model, chosen, output_dir, lang, templates, spec=current.objectives.spec)
    out = Report.model_validate(model)
    out.written = written
    return out


def list_actions(*, store: StoreLocation, period: str | None = None) -> list[CorrectiveAction]:
    """The corrective actions kept in `store` (of one period's label, if given), in the order opened."""
    with open_store(store_location(store), create=False) as keep:
        return [CorrectiveAction.model_validate(a) for a in keep.actions(period)]


def update_action(
    *,
    store: StoreLocation,
    action_id: int,
    cause: str | None = None,
    action: str | None = None,
    status: ActionStatus | None = None,
    effectiveness: str | None = None,
) -> CorrectiveAction:
    """Fill in the cause and action of corrective action `action_id`, change its status, or close it."""
    with open_store(store_location(store), create=False) as keep:
        row = keep.update_action(action_id, cause=cause, action=action, status=status, effectiveness=effectiveness)
    return CorrectiveAction.model_validate(row)


def action_due(period: Period | None) -> str:
    """Corrective actions are due by the end of the next reporting period (six months on)."""
    if period is None:
        raise TypeError("a corrective action needs the period of its shortfall")
    due: date = (pd.Timestamp(period.end) + pd.DateOffset(months=6)).date()
    return due.isoformat()


# --- the layer below: runs ------------------------------------------------------------------------
def _objectives(objectives: Objectives) -> LoadedObjectives:
    return objectives if isinstance(objectives, LoadedObjectives) else load_objectives(objectives)


def _rules(objectives: LoadedObjectives, rules: RulesArg) -> tuple[Rules, list[str]]:
    """The rules of the run and the names of those that differ from the objectives file's."""
    base = objectives.spec.rules
    chosen = rules if isinstance(rules, Rules) else base.with_overrides(dict(rules or {}))
    return chosen, sorted(k for k in type(base).model_fields if getattr(chosen, k) != getattr(base, k))


def _period(period: PeriodArg, rules: Rules) -> Period | None:
    if period is None or isinstance(period, Period):
        return period
    return parse_period(period, rules.period_cutoff)


def _evaluate_paths(
    paths: list[Path],
    period: PeriodArg = None,
    objectives_path: Objectives = None,
    rules: RulesArg = None,
    lang: str = "vi",
    store: StoreLocation | None = None,
    command: str = "evaluate",
    wait: float = 0.0,
    deliver: Callable[[Run], None] | None = None,
) -> Run:
    """Read the inputs under `paths` and evaluate every indicator; UsageError and InputError on failure.

    With `store`, the run holds the store's lock from start to end (another run exits 4, or waits up
    to `wait` seconds); what was read is kept there (once per file content) and every shortfall opens
    a draft corrective action, in one transaction. `deliver` (writing the outputs) is called before
    that transaction commits: when it fails, the store is left as it was.
    """
    objectives = _objectives(objectives_path)
    active_rules, overridden = _rules(objectives, rules)
    chosen = _period(period, active_rules)
    with locked(store, wait) if store is not None else nullcontext():
        quality = QualityLog()
        set_window(active_rules.earliest_year, active_rules.latest_days_after_run)
        if store is None:
            run, _ = _read_and_score(paths, objectives, active_rules, overridden, chosen, quality, lang)
            if deliver is not None:
                deliver(run)
            return run
        with ExitStack() as stack:
            existing = stack.enter_context(open_store(store)) if store_exists(store) else None
            run, (results, seen) = _read_and_score(
                paths, objectives, active_rules, overridden, chosen, quality, lang, existing, True
            )
            keep = existing or stack.enter_context(open_store(store))  # made only by a run that succeeds
            with keep.transaction():  # the files and actions of a run together, or nothing
                label = run.evaluation.period.label
                key = reader_key(objectives.spec)
                keep.save(results, command, label, objectives.sha256, active_rules.model_dump(), seen, key)
                opened = keep.open_actions(run.result["shortfalls"], label, action_due(run.period))
                if deliver is not None:  # the outputs are written before the store keeps the run
                    deliver(run)
            log.info("store %s: the run kept, %d corrective action(s) opened", shown_location(store), opened)
    return run


def _read_and_score(
    paths: list[Path],
    objectives: LoadedObjectives,
    rules: Rules,
    overridden: list[str],
    chosen: Period | None,
    quality: QualityLog,
    lang: str,
    keep: Store | None = None,
    stored: bool = False,
) -> tuple[Run, tuple[list[FileResult], list[Seen]]]:
    """Read and score; also the files' results and (for a run that keeps them) what was seen of each file.
    With a store, only the files it cannot give as they are are parsed."""
    spec = objectives.spec
    results, seen = read_changed(paths, spec, quality, keep) if stored else (read_files(paths, spec, quality), [])
    if not results:
        names = ", ".join(str(p) for p in paths)
        raise InputError(Phrase("no_input_files", paths=names))
    parsed = sum(1 for s in seen if s.stored_id is None) if stored else len(results)
    log.info("%d file(s) found; %d parsed, %d from the store", len(results), parsed, len(results) - parsed)
    loaded = assemble(results, spec, quality)
    log.info("%d dossier(s) after the latest export of each won", len(loaded.records))
    return _score(loaded, objectives, rules, overridden, chosen, quality, lang), (results, seen)


def _score(
    loaded: Loaded,
    objectives: LoadedObjectives,
    rules: Rules,
    overridden: list[str],
    chosen: Period | None,
    quality: QualityLog,
    lang: str,
) -> Run:
    inputs = Inputs(loaded.records, loaded.tables, objectives.spec)
    if chosen is None:
        chosen = default_period(inputs, rules.period_cutoff)
    if chosen is None and not loaded.tables:
        raise InputError(Phrase("no_usable_rows"))
    if chosen is None:
        raise InputError(Phrase("no_dates"))
    log.info("period %s (%s to %s); objectives %s", chosen.label, chosen.start, chosen.end, objectives.path)
    evaluation = score(inputs, objectives, rules, overridden, chosen, quality, lang)
    log.debug("%d indicator(s), %d shortfall(s)", len(evaluation.indicators), len(evaluation.shortfalls))
    run = Run(evaluation, objectives, quality, loaded.unreadable_files, loaded.files_seen, inputs, rules, chosen)
    evaluation._basis = run
    return run


def _report_inputs(
    period: Period | str,
    data: list[Path],
    store: StoreLocation | None,
    objectives_path: Objectives = None,
    rules: RulesArg = None,
    lang: str = "vi",
) -> tuple[Run, Run | None, list[FileResult], Store | None]:
    """Evaluate P and the period before it from the store and the --data paths (a file in both counts once).

    The store (which must exist) is returned open; the caller closes it.
    """
    objectives = _objectives(objectives_path)
    active_rules, overridden = _rules(objectives, rules)
    chosen = _period(period, active_rules)
    assert chosen is not None
    keep = open_store(store, create=False) if store is not None else None
    new_log = QualityLog()
    set_window(active_rules.earliest_year, active_rules.latest_days_after_run)
    fresh = read_files(data, objectives.spec, new_log) if data else []
    stored = keep.results(exclude_sha={_digest(r.path) for r in fresh if r.path}) if keep else []
    results = stored + fresh
    if not results:
        if keep:
            keep.close()
        raise InputError(Phrase("nothing_to_report"))
    loaded = assemble(results, objectives.spec, new_log)  # once: both periods are scored from it
    current = _score(loaded, objectives, active_rules, overridden, chosen, new_log, lang)
    before = previous_period(chosen, active_rules.period_cutoff)
    try:
        previous = _score(loaded, objectives, active_rules, overridden, before, new_log, lang)
    except InputError:
        previous = None
    return current, previous, results, keep


def _digest(path: Path) -> str:
    """The sha256 of a file just read, or "" when it can no longer be read (it is named in the report)."""
    try:
        return sha256(path)
    except OSError:
        return ""


def _report_actions(
    keep: Store | None, path: StoreLocation | None, current: Run, wait: float
) -> list[CorrectiveAction]:
    """The store's corrective actions, after the report's shortfalls have opened theirs (under the lock)."""
    if keep is None or path is None:
        return []
    with keep:
        with locked(path, wait):
            keep.open_actions(current.result["shortfalls"], current.evaluation.period.label, action_due(current.period))
        return [CorrectiveAction.model_validate(a) for a in keep.actions()]


def _validate_paths(paths: list[Path], objectives_path: Objectives = None, lang: str = "vi") -> Run:
    """Read the inputs and return only their data-quality report."""
    objectives = _objectives(objectives_path)
    quality = QualityLog()
    set_window(objectives.spec.rules.earliest_year, objectives.spec.rules.latest_days_after_run)
    results = read_files(paths, objectives.spec, quality)
    loaded = assemble(results, objectives.spec, quality)
    if loaded.files_seen == 0:
        raise InputError(Phrase("no_input_files", paths=", ".join(str(p) for p in paths)))
    validation = Validation.model_validate(
        {
            "schema": "qms.validation/1",
            "objectives_file": ObjectivesFile(
                path=str(objectives.path),
                sha256=objectives.sha256,
                decision=objectives.spec.decision.number,
                scope=objectives.spec.district.name if lang == "vi" else objectives.spec.district.name_en,
            ),
            "data_quality": DataQuality.model_validate(
                {"files": [f.to_json() for f in quality.files], "issues": quality.issues(lang)}
            ),
        }
    )
    return Run(validation, objectives, quality, loaded.unreadable_files, loaded.files_seen)


EXAMPLES = {
    "2026-ward": "examples/objectives-2026-ward.yaml",  # a ward's own decision today
    "2019": "objectives.yaml",  # Decision 784 of Bình Tân District, 2019
}


def init_objectives(*, path: Path, example: str = "2026-ward", force: bool = False) -> Path:
    """Write a commented objectives file to start from (a copy of a shipped example) at `path`.

    UsageError when the example is unknown or `path` exists (unless `force`); EnvironmentFault when
    it cannot be written. The file is written whole or not at all.
    """
    from qms_cli.config import packaged_path
    from qms_cli.errors import EnvironmentFault
    from qms_cli.render.plain import atomic_write

    if example not in EXAMPLES:
        raise UsageError(Phrase("unknown_example", example=repr(example), known=", ".join(EXAMPLES)))
    if path.exists() and not force:
        raise UsageError(Phrase("file_exists", path=path))
    text = packaged_path(EXAMPLES[example]).read_bytes()
    try:
        atomic_write(path, lambda tmp: tmp.write_bytes(text))
    except OSError as exc:
        raise EnvironmentFault(Phrase("cannot_write", path=path, reason=exc.strerror or exc)) from None
    return path
