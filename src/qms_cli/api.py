"""The library entry points that the CLI calls; a Python caller can use them the same way."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from qms_cli.config import LoadedObjectives, Rules, load_objectives
from qms_cli.errors import InputError, UsageError
from qms_cli.evaluate.engine import default_period, evaluate
from qms_cli.evaluate.form06a import form_06a
from qms_cli.evaluate.kinds import Inputs
from qms_cli.periods import Period, parse_period, previous_period
from qms_cli.quality import QualityLog
from qms_cli.read.files import FileResult, Loaded, assemble, read_files, read_inputs
from qms_cli.store import Seen, Store, StoreLocation, locked, open_store, read_changed, reader_key, sha256, store_exists


@dataclass
class Run:
    result: dict[str, Any]
    objectives: LoadedObjectives
    quality: QualityLog
    unreadable_files: int
    files_seen: int
    inputs: Inputs | None = None
    rules: Rules | None = None
    period: Period | None = None

    def form_06a(self) -> Any:
        """Biểu 06a of the period from the dossier rows and summary tables (see qms_cli.evaluate.form06a)."""
        assert self.inputs is not None and self.rules is not None and self.period is not None
        summaries = self.inputs.table("summary_06a")
        return form_06a(self.inputs.records, self.objectives.spec, self.rules, self.period, summaries)

    def form_06a_model(self, lang: str) -> dict[str, Any]:
        """Biểu 06a as the reports show it: the three header rows and the rows, units by name."""
        from qms_cli.evaluate.form06a import body_rows, header_rows

        groups, heads, numbers = header_rows(lang)
        names = {u.slug: u.name for u in self.objectives.spec.units}
        return {"groups": groups, "heads": heads, "numbers": numbers, "rows": body_rows(self.form_06a(), names, lang)}


def parse_rule_overrides(items: list[str]) -> dict[str, str]:
    """Return {key: value} from KEY=VALUE texts; UsageError for a malformed one."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"--rule takes KEY=VALUE, e.g. on_time_denominator=received; got {item!r}")
        out[key.strip()] = value.strip()
    return out


def evaluate_paths(
    paths: list[Path],
    period: str | None = None,
    objectives_path: Path | None = None,
    rules: list[str] | None = None,
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
    objectives = load_objectives(objectives_path)
    overrides = parse_rule_overrides(rules or [])
    active_rules = objectives.spec.rules.with_overrides(overrides)
    chosen = parse_period(period, active_rules.period_cutoff) if period else None
    with locked(store, wait) if store is not None else nullcontext():
        quality = QualityLog()
        if store is None:
            run, _ = _read_and_score(paths, objectives, active_rules, sorted(overrides), chosen, quality, lang)
            if deliver is not None:
                deliver(run)
            return run
        with ExitStack() as stack:
            existing = stack.enter_context(open_store(store)) if store_exists(store) else None
            run, (results, seen) = _read_and_score(
                paths, objectives, active_rules, sorted(overrides), chosen, quality, lang, existing, True
            )
            keep = existing or stack.enter_context(open_store(store))  # made only by a run that succeeds
            with keep.transaction():  # the files and actions of a run together, or nothing
                label = run.result["period"]["label"]
                key = reader_key(objectives.spec)
                keep.save(results, command, label, objectives.sha256, active_rules.model_dump(), seen, key)
                keep.open_actions(run.result["shortfalls"], label, action_due(run.period))
                if deliver is not None:  # the outputs are written before the store keeps the run
                    deliver(run)
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
        raise InputError(f"no .xlsx, .xls or .csv file found in {names}")
    loaded = assemble(results, spec, quality)
    return _score(loaded, objectives, rules, overridden, chosen, quality, lang), (results, seen)


def action_due(period: Period | None) -> str:
    """Corrective actions are due by the end of the next reporting period (six months on)."""
    assert period is not None
    return (pd.Timestamp(period.end) + pd.DateOffset(months=6)).date().isoformat()


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
        raise InputError("no usable dossier row in the inputs; see the data-quality report (qms validate)")
    if chosen is None:
        raise InputError("the inputs carry no dates: name the period with --period")
    result = evaluate(inputs, objectives, rules, overridden, chosen, quality, lang)
    return Run(result, objectives, quality, loaded.unreadable_files, loaded.files_seen, inputs, rules, chosen)


def report_inputs(
    period: str,
    data: list[Path],
    store: StoreLocation | None,
    objectives_path: Path | None = None,
    rules: list[str] | None = None,
    lang: str = "vi",
) -> tuple[Run, Run | None, list[FileResult], Store | None]:
    """Evaluate P and the period before it from the store and the --data paths (a file in both counts once)."""
    objectives = load_objectives(objectives_path)
    overrides = parse_rule_overrides(rules or [])
    active_rules = objectives.spec.rules.with_overrides(overrides)
    chosen = parse_period(period, active_rules.period_cutoff)
    keep = open_store(store, create=False) if store is not None else None
    new_log = QualityLog()
    fresh = read_files(data, objectives.spec, new_log) if data else []
    stored = keep.results(exclude_sha={_digest(r.path) for r in fresh if r.path}) if keep else []
    results = stored + fresh
    if not results:
        raise InputError("nothing to report: the store is empty and no --data was given")
    loaded = assemble(results, objectives.spec, new_log)  # once: both periods are scored from it
    current = _score(loaded, objectives, active_rules, sorted(overrides), chosen, new_log, lang)
    before = previous_period(chosen, active_rules.period_cutoff)
    try:
        previous = _score(loaded, objectives, active_rules, sorted(overrides), before, new_log, lang)
    except InputError:
        previous = None
    return current, previous, results, keep


def _digest(path: Path) -> str:
    """The sha256 of a file just read, or "" when it can no longer be read (it is named in the report)."""
    try:
        return sha256(path)
    except OSError:
        return ""


def validate_paths(paths: list[Path], objectives_path: Path | None = None, lang: str = "vi") -> Run:
    """Read the inputs and return only their data-quality report."""
    objectives = load_objectives(objectives_path)
    quality = QualityLog()
    loaded = read_inputs(paths, objectives.spec, quality)
    if loaded.files_seen == 0:
        raise InputError(f"no .xlsx, .xls or .csv file found in {', '.join(str(p) for p in paths)}")
    result = {
        "schema": "qms.validation/1",
        "objectives_file": {
            "path": str(objectives.path),
            "sha256": objectives.sha256,
            "decision": objectives.spec.decision.number,
        },
        "data_quality": {"files": [f.to_json() for f in quality.files], "issues": quality.issues(lang)},
    }
    return Run(result, objectives, quality, loaded.unreadable_files, loaded.files_seen)


EXAMPLES = {
    "2026-ward": "examples/objectives-2026-ward.yaml",  # a ward's own decision today
    "2019": "objectives.yaml",  # Decision 784 of Bình Tân District, 2019
}


def init_objectives(path: Path, example: str = "2026-ward", force: bool = False) -> Path:
    """Write a commented objectives file to start from (a copy of a shipped example) at `path`.

    UsageError when the example is unknown or `path` exists (unless `force`); EnvironmentFault when
    it cannot be written. The file is written whole or not at all.
    """
    from qms_cli.config import packaged_path
    from qms_cli.errors import EnvironmentFault
    from qms_cli.render.plain import atomic_write

    if example not in EXAMPLES:
        raise UsageError(f"--example {example!r} is not one of: {', '.join(EXAMPLES)}")
    if path.exists() and not force:
        raise UsageError(f"{path} exists already: choose another name, or --force to replace it")
    text = packaged_path(EXAMPLES[example]).read_bytes()
    try:
        atomic_write(path, lambda tmp: tmp.write_bytes(text))
    except OSError as exc:
        raise EnvironmentFault(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return path
