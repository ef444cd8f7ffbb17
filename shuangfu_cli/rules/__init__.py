"""The rule registry: each rule is a small pure function registered with a stable code, a
severity and a message template in Chinese and English.

A rule takes the :class:`Context` of one return and yields findings. To find the rule behind a
code, grep for it: ``grep -rn E_PART_ABOVE_TOTAL shuangfu_cli/rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from schemas import Indicator, Reference, TownRef
from shuangfu_cli.form.findings import Check, Finding, Severity, define
from shuangfu_cli.form.layout import Figure, FormLayout
from shuangfu_cli.reading import Cell, ListRowData, ReadReturn

RuleFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    check: Check
    fn: RuleFn


RULES: list[Rule] = []


def rule(code: str, severity: Severity, zh: str, en: str) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function under `code`."""
    check = define(code, severity, zh, en)

    def deco(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(check, fn))
        return fn

    return deco


@dataclass
class Previous:
    """The same town's earlier return, for the cumulative checks."""

    file: str
    period: str | None
    values: Mapping[str, object]


@dataclass
class Context:
    """Everything the rules may look at for one return."""

    read: ReadReturn
    layout: FormLayout
    indicators: dict[str, Indicator]
    town: TownRef | None  # the cover's town if it is known
    reference: Reference
    year: int
    period: str | None  # the cover's period if it is a quarter
    expected_period: str | None
    #: what totals and list summaries are, recomputed from their parts
    derived: dict[str, object] = field(default_factory=dict)
    previous: Previous | None = None
    #: what several rules ask of the return, computed once (rules/history.py)
    memo: dict[str, object] = field(default_factory=dict)
    _mismatches: list | None = field(default=None, repr=False)

    @property
    def cells(self) -> dict[str, Cell]:
        return self.read.figures

    def stored(self, code: str):
        cell = self.read.figures.get(code)
        return None if cell is None else cell.value

    def value(self, code: str):
        """The figure as the rules see it: recomputed for totals, as typed for inputs."""
        if code in self.derived:
            return self.derived[code]
        return self.stored(code)

    def mismatches(self) -> list[tuple[Figure, object, object]]:
        """(figure, stored, recomputed) where a stored total or summary (what the form's own
        formula gave) disagrees with the one recomputed from its parts. Computed once: five
        rules ask."""
        if self._mismatches is None:
            cells, derived = self.read.figures, self.derived
            self._mismatches = [
                (f, cell.value, derived[f.code])
                for f in self.figures()
                if f.code in derived
                and (cell := cells.get(f.code)) is not None
                and cell.value is not None
                and cell.value != derived[f.code]
            ]
        return self._mismatches

    def left_out(self, f: Figure) -> list[tuple[str, ListRowData | None, Cell]]:
        """The cells that make the form's formula for `f` leave something out: (kind, list row
        or None, cell) — a number stored as text ("text"), a 是 with spaces ("spaces"), a 合计
        row a clerk added inside the list ("total_row"), a note typed into it ("note")."""
        out: list[tuple[str, ListRowData | None, Cell]] = []
        for p in f.parts:
            cell = self.read.figures.get(p)
            if cell is not None and cell.quirk == "text":
                out.append(("text", None, cell))
            if p in self.layout.figures:
                out.extend(self.left_out(self.layout.figures[p]))
        if f.summary is not None:
            s, list_name = f.summary, f.summary_of
            assert list_name is not None, "a summary names its list"
            for row in self.rows(list_name):
                for key, kind in ((s.column, "text"), (s.where, "spaces")):
                    cell = row.cells.get(key) if key else None
                    if cell is not None and cell.quirk == kind:
                        out.append((kind, row, cell))
            for _row, cell in self.read.total_rows.get(list_name, []):
                out.append(("total_row", None, cell))
            # a note with a figure, or any note in a form made before the formulas skipped
            # them (COUNTA), is counted by the form: it is named as a note (rules/rows.py)
            for _row, cell in self.read.notes.get(list_name, []):
                out.append(("note", None, cell))
        return out

    def stored_not_derived(self):
        """The mismatches not explained by a cell the form's formulas leave out (those are
        reported at that cell, where the clerk can mend them, see rules/lists.py)."""
        for f, stored, expected in self.mismatches():
            if not self.left_out(f):
                yield f, stored, expected

    def figures(self) -> Iterable[Figure]:
        return self.layout.figures.values()

    def rows(self, list_name: str) -> list[ListRowData]:
        return self.read.lists.get(list_name, [])

    def has_list(self, list_name: str) -> bool:
        return list_name in self.read.lists

    def village_town(self) -> TownRef | None:
        """The town whose village list the return holds: the cover's town, unless fewer than
        half the listed names are its villages and more are another town's (a wrong town on
        the cover, or another town's template): then the village rules would only repeat that
        one mistake. Village names recur between towns, hence a majority, not any overlap."""
        if self.town is None:
            return None
        listed = {r.value("name") for r in self.rows("villages")}

        def overlap(town: TownRef) -> int:
            return len(listed & {v.name for v in town.villages})

        if 2 * overlap(self.town) >= len(listed):
            return self.town
        best = max(self.reference.towns, key=overlap)
        return best if overlap(best) > overlap(self.town) else self.town

    def at(self, code: str, figure: str, **params) -> Finding:
        """A finding at the cell of a figure."""
        cell = self.read.figures.get(figure)
        return Finding(
            code,
            sheet=cell.sheet if cell else self.layout.figures[figure].sheet,
            cell=cell.ref if cell else None,
            indicator=figure,
            subject=figure,
            params={"name_code": figure, **params},
        )

    def at_row(self, code: str, row: ListRowData, key: str, **params) -> Finding:
        """A finding at a cell of a list row (a workshop, village or class)."""
        cell = row.cells.get(key) or next(iter(row.cells.values()))
        name = row.value("name") or ""
        return Finding(
            code,
            sheet=cell.sheet,
            cell=cell.ref,
            subject=name or None,
            params={"item": name, "row": row.row, **params},
        )


def run_rules(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for r in RULES:
        findings.extend(r.fn(ctx))
    return findings


# importing the modules registers their rules, in this order
from shuangfu_cli.rules import cover, figures, history  # noqa: E402,F401,I001
from shuangfu_cli.rules import list_totals  # noqa: E402,F401,I001
from shuangfu_cli.rules import policy, previous  # noqa: E402,F401,I001
from shuangfu_cli.rules import list_rows  # noqa: E402,F401,I001
