"""How a command writes its outputs: each written through the output guard (never an input,
whole or not at all) with a clear message and exit status on failure, each refused before any
work when it must not be written (a usage error naming the option); findings and JSON on
stdout. Terminal output goes through :mod:`.render`, imported when first used."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import typer

from shuangfu_cli.cli.options import Format, message
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.text.words import LANGS, Lang, pairs, say
from shuangfu_cli.writing import stdout
from shuangfu_cli.writing.guard import OutputError, check_outputs, check_target
from shuangfu_cli.writing.stdout import EXIT_NO_OUTPUT


class _Render:
    """The terminal output module (and rich with it), imported when first used: JSON output
    never pays for it."""

    def __getattr__(self, name):
        from shuangfu_cli.writing import terminal as render

        return getattr(render, name)


render = _Render()


#: why a write failed, for the failures a user can do something about (else the system's words)
_WHY = {getattr(errno, name): why for name, why in pairs("write_error").items()}


def _write_error(lang: Lang, path: Path, exc: OSError) -> str:
    why = _WHY.get(exc.errno) if exc.errno is not None else None
    error = (why[0] if lang == "zh" else why[1]) if why else (exc.strerror or exc)
    import tempfile

    # where openpyxl writes each sheet first (a file-size limit is the process's, not a folder's)
    if exc.filename == tempfile.gettempdir() and exc.errno != errno.EFBIG:
        return message(lang, "write_tmp", path=show_path(path), error=error,
                       folder=show_path(Path(exc.filename)))  # fmt: skip
    return message(lang, "write", path=show_path(path), error=error)


@contextmanager
def guarded_output(lang: Lang, path: Path):
    """Around the writing of an output: a target that must not be written is exit 2, one that
    cannot be written (disk or temporary folder full, ``ulimit -f``, no permission) exit 3 —
    one line either way, and nothing of the output left behind (writing/guard.py)."""
    try:
        yield
    except OutputError as exc:
        render.print_error(exc.zh if lang == "zh" else exc.en)
        raise typer.Exit(2) from exc
    except OSError as exc:
        render.print_error(_write_error(lang, path, exc))
        raise typer.Exit(EXIT_NO_OUTPUT) from exc


def write_or_exit(lang: Lang, write, *args) -> None:
    """Write an output file (its path the last argument) under :func:`guarded_output`."""
    with guarded_output(lang, args[-1]):
        write(*args)


def refuse_unsafe_outputs(
    lang: Lang, outputs: dict[str, Path], inputs: list[Path], folder: Path | None = None
) -> None:
    """Before any work: no output is an input or another output, each can be a regular file,
    and the --annotate folder is not among the returns; else exit 2 naming the option and the
    paths, nothing written. `outputs`: option -> the path given to it."""
    from shuangfu_cli.writing.annotate import check_folder

    checks = [(option, partial(_check_output, out, inputs)) for option, out in outputs.items()]
    if len(outputs) > 1:
        checks.append(("/".join(outputs), partial(check_outputs, outputs.values())))
    if folder is not None:
        checks.append(("--annotate", partial(check_folder, folder, inputs)))
    for option, check in checks:
        try:
            check()
        except OutputError as exc:
            text = exc.zh if lang == "zh" else exc.en
            raise typer.BadParameter(text, param_hint=option) from exc


#: a kind of output: its key in the catalogue's output kinds, and the extensions its content has
Kind = tuple[str, tuple[str, ...]]

#: what each kind of output is, and the extensions its content has
WORKBOOK: Kind = ("workbook", (".xlsx",))
BULLETIN: Kind = ("bulletin", (".docx", ".md"))


def require_suffix(lang: Lang, option: str, path: Path, kind: Kind) -> None:
    """A file whose name says another format than its content is refused (exit 2), naming the
    extension expected: `-o 区汇总.xls` would be an .xlsx that Excel calls damaged, `--bulletin
    通报.doc` Markdown that Word opens as garbage."""
    what, suffixes = kind
    if path.suffix.lower() not in suffixes:
        text = message(
            lang,
            "suffix",
            name=path.name,
            what=say(lang, "output_kind", what),
            expected=say(lang, "output_kind", "or").join(suffixes),
        )
        raise typer.BadParameter(text, param_hint=option)


def _check_output(out: Path, inputs: list[Path]) -> None:
    check_outputs([out], inputs)
    check_target(out)


def write_district_return(lang: Lang, result, out: Path) -> Path | None:
    """`rollup --as-return`: the district's own return; the towns it leaves out are said.
    With no valid town there is nothing to send: it is not written (a return of zeros
    could be sent by mistake)."""
    from shuangfu_cli.district.own_return import district_return
    from shuangfu_cli.writing.own_return_book import write_district_return as write

    made = district_return(result)
    if not made.towns:
        render.print_error(message(lang, "as_return_empty", path=show_path(out)))
        return None
    write_or_exit(lang, write, made, result.reference, out)
    if made.left_out:  # a run note, so every output format says it
        towns = [town for town, _ in made.left_out]
        result.notes.append(
            tuple(
                message(
                    lg,
                    "as_return_left_out",
                    path=show_path(out),
                    n=len(made.towns),
                    towns=("、" if lg == "zh" else ", ").join(towns),
                )  # fmt: skip
                for lg in LANGS
            )
        )
    return out


def letterhead(lang: Lang, ref, number: str, when: str | None, copy_to: str | None = None):
    """Who issues the 通报: the reference file's 制定机关 (or the district's 扶贫办), the
    document number with its year in 〔〕; its 版记: 抄送 from `copy_to` (offices separated by
    、 , ; or new lines; "" for none) or else the reference's, 印发机关 the reference's."""
    import datetime as dt
    import re

    from shuangfu_cli.writing.letterhead import Letterhead, doc_number

    forms = ref.forms
    office = forms.authority if forms else f"{ref.district}扶贫开发领导小组办公室"
    try:
        date = dt.date.fromisoformat(when) if when else None
    except ValueError as exc:
        raise typer.BadParameter(message(lang, "date", value=when), param_hint="--date") from exc
    if copy_to is not None:
        offices = [o for o in (p.strip() for p in re.split(r"[、,，;；\n]", copy_to)) if o]
    else:
        offices = list(forms.copy_to) if forms else []
    issuer = (forms.issuer if forms else "") or office
    return Letterhead(office, doc_number(number), date, tuple(offices), issuer)


def annotate_returns(lang: Lang, reports, folder: Path, inputs: list[Path], limits) -> list[Path]:
    """The feedback copies (before anything is printed); a copy that would replace an input is
    exit 2 with nothing written, one that cannot be made is named on stderr."""
    from shuangfu_cli.writing.annotate import annotate

    with guarded_output(lang, folder):
        written, failed = annotate(reports, folder, inputs, lang, limits)
    for file, reason in failed:
        render.print_error(message(lang, "not_annotated", file=file, reason=reason))
    return written


def print_json(doc) -> None:
    """JSON on stdout, written as it is encoded (a rollup of thousands of towns is never held
    as one string)."""
    from shuangfu_cli.text.json_stream import write_json

    write_json(doc, sys.stdout)
    sys.stdout.flush()


def print_report(
    fmt: Format,
    reports,
    notes,
    lang: Lang,
    command: str,
    names: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """The findings on stdout as JUnit XML, SARIF, GitHub workflow commands or CSV (their
    indicators named as `names` has them: the run's registry; by default the registry's)."""
    from shuangfu_cli.writing.report_formats import Run, write_report

    write_report(fmt.value, Run(reports, lang, notes, command, names), sys.stdout)
    sys.stdout.flush()


def bulletin_writer(
    lang: Lang,
    ref,
    path: Path | None,
    number: str,
    when: str | None,
    copy_to: str | None,
) -> Callable[..., None] | None:
    """`rollup --bulletin`: the writer of the 通报 at `path`, Word (.docx) or Markdown, with one
    letterhead and 版记 (a --date that is not a date is a usage error here, before any work);
    None without the option."""
    if path is None:
        return None
    head = letterhead(lang, ref, number, when, copy_to)
    if path.suffix.lower() == ".docx":
        from shuangfu_cli.writing.bulletin_docx import write_bulletin_docx

        return partial(write_bulletin_docx, head=head)
    from shuangfu_cli.writing.bulletin_md import write_bulletin_md

    return partial(write_bulletin_md, head=head)


def write_rollup_outputs(
    lang: Lang,
    result,
    inputs: list[Path],
    limits,
    *,
    annotate: Path | None,
    workbook: Path | None,
    bulletin: tuple[Path | None, Callable[..., None] | None],
    as_return: Path | None,
) -> list[Path]:
    """The rollup's files, before anything is printed: the feedback copies of every return
    of a town (one of another quarter too), the district workbook, the 通报 and the district's
    own return. Returns what was written."""
    from shuangfu_cli.district.town_states import returns_read
    from shuangfu_cli.writing.rollup_book import write_workbook

    written: list[Path] = []
    if annotate is not None:
        read = [report for _, report, _ in returns_read(result.towns, result.ignored)]
        written += annotate_returns(lang, read, annotate, inputs, limits)
    for out, write in ((workbook, write_workbook), bulletin):
        if out is not None and write is not None:
            write_or_exit(lang, write, result, out)
            written.append(out)
    if as_return is not None and write_district_return(lang, result, as_return):
        written.append(as_return)
    return written


def print_trend(lang: Lang, fmt: str, result, output: Path | None) -> None:
    """trend's stdout: the JSON, the tidy table as CSV, or the text for a person (and the
    workbook written, named)."""
    with stdout.guarded(lang):
        if fmt == "json":
            from shuangfu_cli.writing.trend_outputs.trend_json import trend_json

            print_json(trend_json(result, lang))
        elif fmt == "csv":
            from shuangfu_cli.writing.trend_outputs.trend_csv import write_csv

            write_csv(result, sys.stdout)
            sys.stdout.flush()
        else:
            from shuangfu_cli.writing.trend_outputs.trend_text import trend_blocks

            render.print_blocks(trend_blocks(result, lang))
            if output is not None:
                render.print_note(message(lang, "written", path=show_path(output)))
