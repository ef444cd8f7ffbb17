"""A reference file of any kind — the workbook of `shuangfu reference export` or YAML/JSON —
loaded with everything wrong with it as findings (`shuangfu reference check`), or loaded for a
run (`--reference`), where its first error stops the command with a one-line message.

The workbook is read in a worker process as a return is (check/workers.py: a file that makes
the parser crash or outgrow its memory ceiling fails alone, as a finding); YAML and JSON are
read as before (form/reference.py). What the schema refuses is a finding at its cell, and the
value is left out so that the rest can still be checked (a threshold out of range: its default
is used for the other checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from schemas import IndicatorRegistry, Reference
from shuangfu_cli.check.workers import Failure, Limits, run_isolated
from shuangfu_cli.form import reference_findings as _codes  # noqa: F401 - registers the codes
from shuangfu_cli.form.findings import Finding, Lang
from shuangfu_cli.form.reference import ConfigError, load_reference, load_registry, registry_for
from shuangfu_cli.form.reference_layout import allowed_range
from shuangfu_cli.reading.reference_reader import BookRead, read_reference_book
from shuangfu_cli.rules.reference_rules import check_reference
from shuangfu_cli.text.words import both

_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


@dataclass
class Checked:
    """A reference file checked: the reference (None when it could not be made) and the
    findings, each at its sheet and cell where it has one."""

    path: Path
    reference: Reference | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def is_workbook(path: Path) -> bool:
    """Whether the file is a spreadsheet (by its first bytes, not its name)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(8).startswith(_SPREADSHEET_MAGIC)
    except OSError:
        return False


def check_file(path: Path, registry: IndicatorRegistry | None = None) -> Checked:
    """Read and check the reference file at `path`."""
    registry = registry or load_registry()
    if not is_workbook(path):
        try:
            from_text = load_reference.__wrapped__(path)
        except ConfigError as exc:
            where = str(exc).removeprefix(f"{path}: ")
            finding = Finding("E_REF_INVALID", params={"where": path.name, "reason": where})
            return Checked(path, None, [finding])
        return Checked(path, from_text, check_reference(from_text, registry, {}))
    book = _read_isolated(path)
    reference, findings = _validated(book)
    if reference is None:
        return Checked(path, None, findings)
    return Checked(path, reference, findings + check_reference(reference, registry, book.where))


def _read_isolated(path: Path) -> BookRead:
    for _, result in run_isolated(read_reference_book, [path], Limits(jobs=1)):
        if isinstance(result, Failure):
            kind = result.kind if result.kind in ("memory", "timeout") else "crashed"
            zh, en = both("reference_failure", kind)
            detail = f" ({result.detail})" if result.detail else ""
            params = {"reason_zh": zh, "reason_en": en + detail}
            return BookRead(findings=[Finding("E_REF_UNREADABLE", params=params)])
        return result
    return BookRead()


def _validated(book: BookRead) -> tuple[Reference | None, list[Finding]]:
    """The reference the book's data makes; what the schema refuses becomes a finding at its
    cell and is left out, so that the rest is still checked."""
    findings = list(book.findings)
    if any(f.code in ("E_REF_UNREADABLE", "E_REF_SHEET_MISSING") for f in findings):
        return None, findings
    data = book.data
    if "targets" in data:  # the district's targets where they are not indicators.yaml's
        registry = load_registry().by_code()
        data["targets"] = {
            code: n
            for code, n in data["targets"].items()
            if code not in registry or registry[code].target != n
        }
    for _ in range(50):
        try:
            return Reference.model_validate(data), findings
        except ValidationError as exc:
            progressed = False
            for err in exc.errors():
                finding, dropped = _refused(data, err, book.where)
                findings.append(finding)
                progressed |= dropped
            if not progressed:
                return None, findings
    return None, findings


def _refused(data: dict, err, where) -> tuple[Finding, bool]:
    """A schema error as a finding, and whether the value could be left out."""
    loc = err["loc"]
    from schemas import Plausibility, Policy, meta

    models: dict[str, type[Policy] | type[Plausibility]] = {
        "policy": Policy,
        "plausibility": Plausibility,
    }
    if len(loc) == 2 and loc[0] in models and loc[1] in models[loc[0]].model_fields:
        model, name = models[loc[0]], str(loc[1])
        sheet, cell = where.get(f"{loc[0]}:{name}", (None, None))
        value = data.get(loc[0], {}).pop(name, None)
        params = {
            "label": meta(model, name).zh,
            "value": value,
            "range": allowed_range(model, name).text(),
        }
        return Finding("E_REF_THRESHOLD_RANGE", sheet=sheet, cell=cell, params=params), True
    if len(loc) == 1 and loc[0] in models:  # a rule of the model itself (both ratio parts 0)
        sheet, cell = where.get(f"{loc[0]}:class_classroom_days", (None, None))
        data.pop(loc[0], None)
        params = {"where": str(loc[0]), "reason": err["msg"]}
        return Finding("E_REF_INVALID", sheet=sheet, cell=cell, params=params), True
    key = f"basics:{loc[0]}" if len(loc) == 1 else f"forms:{loc[1]}" if loc[0] == "forms" else ""
    sheet, cell = where.get(key, (None, None))
    params = {"where": ".".join(str(p) for p in loc), "reason": err["msg"]}
    return Finding("E_REF_INVALID", sheet=sheet, cell=cell, params=params), False


def load_for_run(path: Path, lang: Lang = "zh") -> tuple[IndicatorRegistry, Reference]:
    """The registry and reference a command runs with, from any reference file. Raises
    ConfigError naming the first error's place (file, sheet, cell) and message."""
    if not is_workbook(path):
        reference = load_reference(path)
        return registry_for(reference), reference
    checked = check_file(path)
    if checked.errors or checked.reference is None:
        first = (checked.errors or checked.findings)[0]
        place = f"{first.sheet}!{first.cell}" if first.cell else first.sheet or ""
        raise ConfigError(f"{path}: {place + ': ' if place else ''}{first.message(lang)}")
    return registry_for(checked.reference), checked.reference
