"""Everything printed for a person in a terminal. The only module that imports rich.

Output is coloured on a terminal and plain text otherwise. Text that came from a return or a
file name goes through :func:`_safe` (control and bidi characters dropped by the terminal
sanitiser, rich markup escaped); emoji codes are never interpreted; marks fall back to ASCII
where the stream cannot encode them.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

from shuangfu_cli.form.findings import Lang, capital, counted, unit_in
from shuangfu_cli.text.numbers import figure as figure_text
from shuangfu_cli.text.numbers import percent
from shuangfu_cli.text.numbers import points as signed_points
from shuangfu_cli.text.sanitize import for_terminal, show_path
from shuangfu_cli.text.words import by_lang

if TYPE_CHECKING:  # imported when a bar is shown
    from rich.progress import Progress

#: validate's report and the indicator listing; the rollup's tables (with the towns' states)
UI = by_lang("terminal")
ROLLUP_UI = by_lang("rollup_table", "state")


def Table(**kwargs):  # noqa: N802 - rich's Table, imported when a table is printed
    """rich.table is imported only when a table is printed: a one-file validate prints lines,
    and the command imports this module while the worker reads the file (the start-up's
    critical path)."""
    from rich.table import Table as RichTable

    return RichTable(**kwargs)


_STYLE = {"error": "bold red", "warning": "yellow", "explained": "dim"}


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """rich would exit 1 without a word: the command's stdout guard says what happened."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def console(stderr: bool = False) -> Console:
    return _Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def _safe(text) -> str:
    """Text from a return or a file name, fit for a terminal or a CI log."""
    return escape(for_terminal(text))


_UNICODE_MARKS = {"ok": "✓", "no": "✗", "full": "█", "empty": "░", "ne": "≠"}
_ASCII_MARKS = {"ok": "OK", "no": "X", "full": "#", "empty": ".", "ne": "!="}


def marks(stream=None) -> dict[str, str]:
    """The marks this stream can encode (a GBK or ASCII console gets ASCII ones)."""
    stream = stream if stream is not None else sys.stdout
    try:
        "".join(_UNICODE_MARKS.values()).encode(getattr(stream, "encoding", None) or "ascii")
        return _UNICODE_MARKS
    except (UnicodeEncodeError, LookupError):
        return _ASCII_MARKS


def print_reports(
    reports: Iterable, lang: Lang, notes: Iterable[tuple[str, str]] = (), quiet: bool = False
) -> None:
    ui = UI[lang]
    out = console()
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    any_warning = False
    width = max(cell_len(ui[state]) for state in _STYLE)
    for report in reports:
        counts[report.status] += 1
        if quiet and report.status == "valid":
            continue
        who = " ".join(x for x in (report.town, report.period) if x)
        out.print(
            f"[bold]{ui['file']}{ui['sep']}{_safe(report.file)}[/bold]"
            + (f"  {_safe(who)}" if who else "")
        )
        sheet = object()
        for f in report.findings:
            if f.sheet != sheet:
                sheet = f.sheet
                out.print(f"  [bold]{_safe(sheet) if sheet else ui['file']}[/bold]")
            style = f.state
            label = _pad(ui[style], width)
            any_warning |= f.severity == "warning" and not f.explained
            cell = f.cell or "-"
            out.print(
                f"    [{_STYLE[style]}]{label}[/{_STYLE[style]}] {f.code:<24} {cell:<6} "
                f"{_safe(f.message(lang))}"
            )
        explained = sum(1 for f in report.findings if f.explained)
        verdict = ui["verdict"].format(
            errors=_count(lang, report.errors, "error"),
            warnings=_count(lang, report.warnings, "warning"),
            explained=explained,
        )
        m = marks()
        mark, style = (m["ok"], "bold green") if report.status == "valid" else (m["no"], "bold red")
        out.print(f"  [{style}]{mark} {ui[report.status]}[/{style}]  {verdict}")
        out.print()
    if sum(counts.values()) > 1 or quiet:
        out.print(ui["summary"].format(n=_count(lang, sum(counts.values()), "return"), **counts))
    if any_warning:
        out.print(f"[dim]{ui['hint']}[/dim]")
    err = console(stderr=True)
    for zh, en in notes:
        err.print(_safe(zh if lang == "zh" else en))


def _count(lang: Lang, n: int, noun: str):
    """A count for a message: the number in Chinese (the template has its measure word), the
    number with its noun, singular or plural, in English."""
    return n if lang == "zh" else counted(n, noun)


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    return text + " " * (width - cell_len(text))


def print_blocks(blocks) -> None:
    """Tables and lists of lines made elsewhere (``title``, ``headers``, ``rows``, ``lines``):
    every text in them is treated as coming from a return."""
    out = console()
    for block in blocks:
        if block.headers:
            table = Table(title=_safe(block.title))
            for i, head in enumerate(block.headers):
                table.add_column(
                    _safe(head), overflow="fold", justify="left" if i == 0 else "right"
                )
            for row in block.rows:
                table.add_row(*(_safe(c) for c in row))
            out.print(table)
        else:
            out.print(f"[bold]{_safe(block.title)}[/bold]")
            for line in block.lines:
                out.print(f"  {_safe(line)}")


def print_indicators(indicators, lang: Lang) -> None:
    ui = UI[lang]
    table = Table(show_lines=False)
    table.add_column(ui["code"], no_wrap=True)
    table.add_column(ui["name"], overflow="fold", min_width=18, ratio=1)
    for col in ("unit", "kind", "target"):
        table.add_column(ui[col])  # words wrap here first: the name keeps its room
    for ind in indicators:
        table.add_row(
            ind.code,
            _safe(ind.name_zh if lang == "zh" else capital(ind.name_en)),
            unit_in(lang, ind.unit),
            ui[ind.kind],
            "" if ind.target is None else str(ind.target),
        )
    console().print(table)


def print_indicator(ind, lang: Lang) -> None:
    ui = UI[lang]
    out = console()
    out.print(f"[bold]{ind.code}[/bold]  {_safe(ind.name_zh)} / {_safe(ind.name_en)}")
    out.print(
        f"{ui['unit']}{ui['sep']}{unit_in(lang, ind.unit)}   {ui['kind']}{ui['sep']}{ui[ind.kind]}"
    )
    out.print(f"{ui['definition']}{ui['sep']}{_safe(ind.definition)}")
    if ind.not_above:
        out.print(f"{ui['not_above']}{ui['sep']}{ui['and'].join(ind.not_above)}")
    if ind.not_below:
        out.print(f"{ui['not_below']}{ui['sep']}{ui['and'].join(ind.not_below)}")
    out.print(f"{ui['max']}{ui['sep']}{ind.max} {unit_in(lang, ind.unit)}")
    if ind.target is not None or ind.target_note:
        target = "" if ind.target is None else str(ind.target)
        out.print(f"{ui['target']}{ui['sep']}{target} {_safe(ind.target_note or '')}".rstrip())


def print_written(paths, lang: Lang) -> None:
    out = console()
    for p in paths:
        out.print(UI[lang]["written"].format(path=_safe(show_path(p))))


def print_note(message: str) -> None:
    console().print(_safe(message))


def print_error(message: str) -> None:
    console(stderr=True).print(f"[bold red]{_safe(message)}[/bold red]")


def is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


_STATUS_STYLE = {
    "valid": "green",
    "invalid": "red",
    "unreadable": "red",
    "missing": "yellow",
    "duplicate": "magenta",
    "other_period": "yellow",
}


def _bar(rate: float | None, width: int = 10) -> str:
    if rate is None:
        return ""
    filled = min(width, int(round(rate * width)))
    m = marks()
    return m["full"] * filled + m["empty"] * (width - filled)


def print_rollup(r, lang: Lang, written=()) -> None:
    ui = {key: r.units.say(word, lang) for key, word in ROLLUP_UI[lang].items()}  # 区县 one up
    out = console()
    names = {}
    for ind in r.registry.indicators:
        names[ind.code] = ind.name_zh if lang == "zh" else capital(ind.name_en)
    covered = r.units.say(str(_count(lang, len(r.valid_towns), "town")), lang)
    table = Table(title=ui["status_title"].format(period=r.period, n=covered))
    for col in ("town", "status", "errors", "warnings", "files"):
        table.add_column(ui[col], overflow="fold")
    for town, s in r.towns.items():
        style = _STATUS_STYLE[s.status]
        table.add_row(
            _safe(town),
            f"[{style}]{ui[s.status]}[/{style}]",
            str(s.errors),
            str(s.warnings),
            "\n".join(_safe(Path(f).name) for f in s.files),
        )
    out.print(table)
    table = Table(
        title=ui["targets_title"].format(year=r.reference.year, tp=f"{r.time_progress:.1%}")
    )
    change = r.change
    missing = len(r.not_counted)
    columns = ["indicator", "target", "actual", "completion", "progress"]
    if missing:  # the district's figure is incomplete: judged over the counted towns' shares
        columns[4:4] = ["counted_share", "counted_completion"]
    if change is not None:
        columns[3:3] = ["increment", "change"]
    doubts = r.doubts
    if doubts:
        columns.append("doubted")
    for col in columns:
        label = ui[col]
        if col == "completion" and missing:
            label += ui["incomplete"].format(n=missing)
        # the bar and its word kept whole: the other columns give way in a narrow terminal
        no_wrap = col == "progress"
        table.add_column(label, overflow="fold", no_wrap=no_wrap, min_width=15 if no_wrap else None)
    for code, t in r.targets.items():
        verdict = r.verdict(t)
        mark = {
            "behind": f"[red]{ui['behind']}[/red]",
            "ahead": f"[green]{ui['ahead']}[/green]",
            None: "—",
        }[verdict]
        completion = percent(t.completion)
        label = names[code] + (
            ("（覆盖率）" if lang == "zh" else " (coverage)") if t.coverage else ""
        )
        cells = [_safe(label), figure_text(t.target), figure_text(t.actual)]
        if change is not None:
            cells += [
                figure_text(change.increments.get(code)),
                points(change.completion_change.get(code), ui),
            ]
        cells.append(completion)
        if missing:
            cells += [figure_text(t.counted_share), percent(t.counted_completion)]
        cells.append(f"{_bar(t.judged)} {mark}")
        if doubts:
            cells.append(_safe("、".join(r.doubtful_towns(code))))
        table.add_row(*cells)
    out.print(table)
    if doubts:
        out.print(f"[bold yellow]{ui['doubts']}[/bold yellow]")
        for d in doubts:
            f = d.finding
            where = f"{f.sheet}!{f.cell}" if f.cell else (f.sheet or "")
            out.print(
                f"  {_safe(d.town)} {_safe(where)} {f.code}{ui['sep']}{_safe(f.message(lang, r.names))}"
            )
    if change is not None:
        _print_change(out, change, lang, ui, r.units)
        if change.compared:
            _print_town_changes(out, r, names, ui)
    lagging = [(code, t.behind_towns) for code, t in r.targets.items() if t.behind_towns]
    if lagging:
        out.print(f"[bold]{ui['lagging']}[/bold]")
        for code, towns in lagging:
            out.print(f"  {_safe(names[code])}{ui['sep']}{_safe('、'.join(towns))}")
    if r.ignored:
        out.print(f"[bold]{ui['ignored']}[/bold]")
        for ig in r.ignored:
            out.print(
                f"  {_safe(ig.file)}{ui['sep']}{_safe(ig.reason_zh if lang == 'zh' else ig.reason_en)}"
            )
    if r.share_problems:
        out.print(f"[bold red]{ui['shares']}[/bold red]")
        for p in r.share_problems:
            out.print(f"  {p['code']}: {p['shares']} {marks()['ne']} {p['target']}")
    if getattr(r, "skipped", None):
        out.print(f"[bold]{ui['skipped']}[/bold]")
        for sk in r.skipped:
            reason = sk.reason_zh if lang == "zh" else sk.reason_en
            out.print(f"  {_safe(sk.file)}{ui['sep']}{_safe(reason)}")
    if r.notes:
        out.print(f"[bold]{ui['notes']}[/bold]")
        for zh, en in r.notes:
            out.print(f"  {_safe(zh if lang == 'zh' else en)}")
    for path in written:
        out.print(ui["written"].format(path=_safe(show_path(path))))


def points(change: float | None, ui: dict) -> str:
    """A change of a rate in percentage points: +12.3个百分点."""
    return signed_points(change) if change is None else ui["points"].format(v=signed_points(change))


def _print_change(out, change, lang: Lang, ui: dict, units) -> None:
    if change.previous_period is None:
        out.print(ui["first_quarter"])
        return
    partial = "" if change.complete else ui["partial"]
    out.print(
        ui["compared"].format(
            n=units.say(str(_count(lang, len(change.compared), "town")), lang),
            prev=change.previous_period,
            partial=partial,
        )
    )
    if change.not_compared:
        out.print(f"[bold]{ui['not_compared']}[/bold]")
        for town, (zh, en) in change.not_compared.items():
            out.print(f"  {_safe(town)}{ui['sep']}{_safe(zh if lang == 'zh' else en)}")


def _print_town_changes(out, r, names: dict, ui: dict) -> None:
    """Each compared town: the change of its mean completion and what it added this quarter
    in the targeted flow indicators."""

    change = r.change
    flows = r.targeted_flows
    table = Table(title=ui["town_changes"])
    table.add_column(ui["town"], overflow="fold")
    table.add_column(ui["mean_change"], overflow="fold", justify="right")
    for code in flows:
        table.add_column(_safe(names[code]), overflow="fold", justify="right")
    for town in change.compared:
        by_town = change.by_town[town]
        table.add_row(
            _safe(town),
            signed_points(change.mean_change(town, r.split_targets)),
            *(figure_text(by_town[code]) for code in flows),
        )
    out.print(table)


class FileProgress:
    """A progress bar on stderr while returns are read: only when both stdout and stderr are a
    terminal and the output is for a person (`shown`), so piped, JSON, CI and redirected output
    never carry it. It disappears once the reading is done."""

    def __init__(self, lang: Lang, shown: bool = True):
        self.lang = lang
        self.shown = shown and is_terminal() and sys.stderr is not None and sys.stderr.isatty()
        self.progress: Progress | None = None

    def __enter__(self):
        return self

    def start(self, total: int) -> None:
        """Called with the number of files once they are known."""
        if self.shown and total:
            from rich.progress import Progress

            self.progress = Progress(console=console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(ROLLUP_UI[self.lang]["reading"], total=total)

    def advance(self, _path=None) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()
