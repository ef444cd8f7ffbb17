"""Wrong usage said in the user's language (Chinese by default, English with ``--lang en``),
naming the option, with a suggestion for a near miss, and exit status 2.

The command-line parser (click, inside typer) raises its usage errors in English; :func:`run`
runs the app without click's own error printing and words each error here. The suggestions for
values the commands check themselves (towns, indicator codes, quarters) are made by
:func:`near` and :func:`period_hint`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # checked against the copy of click in the pinned typer
    from typer._click import exceptions as cx
else:
    try:  # typer >= 0.24 carries its own copy of click
        from typer._click import exceptions as cx
    except ImportError:  # pragma: no cover - older typer on the real click
        from click import exceptions as cx

import typer

from shuangfu_cli.text.sanitize import for_terminal
from shuangfu_cli.text.words import Lang, both, say

EXIT_USAGE = 2


def chosen_lang(argv: Sequence[str]) -> Lang:
    """The --lang of the command line, read before (or without) parsing it."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "zh"


def near(word: str, known: Iterable[str], *, fold=str.casefold) -> list[str]:
    """The known values a mistyped `word` most likely meant: the ones that contain it or are
    contained in it (柏梓 -> 柏梓镇), else the closest spellings."""
    import difflib

    known = list(dict.fromkeys(known))
    w = fold(word.strip())
    if not w:
        return []
    inside = [k for k in known if w in fold(k) or fold(k) in w]
    if inside:
        return inside[:5]
    folded = {fold(k): k for k in known}
    return [folded[m] for m in difflib.get_close_matches(w, list(folded), n=3, cutoff=0.6)]


def period_hint(value: str) -> tuple[str, str] | None:
    """Why `value` is not a quarter, with what was likely meant: '2020-3' -> 2020Q3."""
    text = value.strip().upper()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年_ ]\s*)?(?:Q|第)?\s*(\d{1,2})\s*(?:季度?)?", text)
    if m is None:
        return None
    year, quarter = m.group(1), int(m.group(2))
    if 1 <= quarter <= 4:
        return both("usage_error", "did_you_mean_period", period=f"{year}Q{quarter}")
    return both("usage_error", "quarter_range")


def _name(param) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)  # --output rather than -o
    return param.metavar or (param.name or "").upper()


def _help_part(param, lang: Lang) -> str:
    """The option's own help in `lang` (help texts are '中文 / English')."""
    text = (getattr(param, "help", None) or "").strip()
    zh, _, en = text.partition(" / ")
    return (zh if lang == "zh" else en or zh).rstrip(".")


def _choice_text(message: str, lang: Lang) -> str | None:
    m = re.search(r"'(.*?)' is not one of (.*?)\.?$", message)
    if m is None:
        return None
    value, names = m.group(1), re.findall(r"'(.*?)'", m.group(2))
    tip = near(value, names) if value else []
    listed = say(lang, "terminal", "and").join(names)
    text = say(lang, "usage_error", "not_one_of", value=value, listed=listed)
    return text + (say(lang, "usage_error", "tip", tip=tip[0]) if tip else "")


def _given(exc) -> str:
    """The value typed, as the parser's validation saw it ('' when it cannot be told)."""
    cause = exc.__cause__
    try:
        value = cause.errors()[0]["input"]
    except (AttributeError, LookupError, TypeError):
        return ""
    return str(value)[:40]


def _bad_parameter_text(exc, lang: Lang) -> str:
    message = re.sub(r"^Value error, ", "", exc.message)
    path = re.fullmatch(r"(file|directory|path) '(.*)' (does not exist|is a directory|is a file)\.",
                        message, re.I)  # fmt: skip
    if path:
        kind, name, what = path.group(1).lower(), path.group(2), path.group(3)
        if what == "does not exist":
            kind_said = say(lang, "path_kind", kind)
            return say(lang, "usage_error", "not_found", kind=kind_said, name=name)
        if what == "is a directory":
            return say(lang, "usage_error", "folder_not_file", name=name)
        return say(lang, "usage_error", "file_not_folder", name=name)
    if re.match(r"Input should be a valid (integer|number)|'.*' is not a valid (integer|float)",
                message):  # fmt: skip
        return say(lang, "usage_error", "number_needed")
    if m := re.search(r"(\S+) is not in the range (.*?)\.?$", message):
        return say(lang, "usage_error", "out_of_range_named", value=m.group(1), range=m.group(2))
    low, high = getattr(exc.param, "min", None), getattr(exc.param, "max", None)
    ranged = re.search(r"Input should be (greater|less) than or equal to|is not in the range",
                       message)  # fmt: skip
    if ranged and low is not None and high is not None:  # the whole range, and what was given
        given = _given(exc)
        key = "outside_range_given" if given else "outside_range"
        return say(lang, "usage_error", key, given=given, low=f"{low:g}", high=f"{high:g}")
    if m := re.search(r"Input should be (greater|less) than or equal to (\S+)", message):
        sign = ">=" if m.group(1) == "greater" else "<="
        return say(lang, "usage_error", "out_of_range", sign=sign, bound=m.group(2))
    choice = _choice_text(message, lang)
    return choice or message  # our own BadParameter messages are already in `lang`


def describe(exc: cx.UsageError, lang: Lang) -> str:
    """One usage error in `lang`."""
    if isinstance(exc, cx.NoSuchOption):
        tip = exc.possibilities[0] if exc.possibilities else None
        if tip is None and exc.ctx is not None:
            names = [o for p in exc.ctx.command.params for o in getattr(p, "opts", [])]
            tip = next(iter(near(exc.option_name, [n for n in names if n.startswith("-")])), None)
        text = say(lang, "usage_error", "no_option", option=exc.option_name)
        return text + (say(lang, "usage_error", "tip_spaced", tip=tip) if tip else "")
    if isinstance(exc, cx.MissingParameter):
        what = _help_part(exc.param, lang)
        name = _name(exc.param)
        if getattr(exc.param, "param_type_name", "") == "argument":
            return say(lang, "usage_error", "missing_argument", what=what, name=name)
        return say(lang, "usage_error", "missing_option", what=what, name=name)
    if isinstance(exc, cx.BadParameter):
        name = _name(exc.param) or (
            exc.param_hint if isinstance(exc.param_hint, str) else "/".join(exc.param_hint or ())
        )
        text = _bad_parameter_text(exc, lang)
        if not name:
            return text
        return say(lang, "usage_error", "invalid_value", name=name, text=text)
    message = exc.message
    if m := re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", message):
        return say(lang, "usage_error", "extra_arguments", args=m.group(1))
    if m := re.match(r"No such command '(.*?)'\.", message):
        group = exc.ctx.command if exc.ctx else None  # a group (typer's), which has commands
        commands: list[str] = []
        if group is not None and hasattr(group, "list_commands"):
            commands = list(group.list_commands(exc.ctx))
        tip = next(iter(near(m.group(1), commands)), None)
        listed = say(lang, "terminal", "and").join(commands)
        text = say(lang, "usage_error", "no_command", command=m.group(1), commands=listed)
        return text + (say(lang, "usage_error", "tip_spaced", tip=tip) if tip else "")
    if m := re.fullmatch(r"Option '(.*)' requires an argument\.", message):
        return say(lang, "usage_error", "needs_value", option=m.group(1))
    return message


def report(exc: cx.UsageError, lang: Lang) -> None:
    """The error, the command's usage line and where to find its help, on stderr."""
    ctx = exc.ctx
    lines = [say(lang, "usage_error", "error") + describe(exc, lang)]
    if ctx is not None:
        usage = ctx.get_usage().strip()
        lines.append(usage.replace("Usage: ", say(lang, "usage_error", "usage"), 1))
        lines.append(say(lang, "usage_error", "help", command=f"{ctx.command_path} --help"))
    sys.stderr.write(for_terminal("\n".join(lines), keep_newlines=True) + "\n")


def option_like_file(argv: Sequence[str]) -> str | None:
    """The first argument before ``--`` that begins with - and names a file or folder there is:
    in a shell glob a return named ``-o柏梓镇_2020Q4.xlsx`` would be read as the option -o (the
    rollup written under the rest of its name, the return left out)."""
    for arg in argv:
        if arg == "--":
            return None
        if arg.startswith("-") and arg != "-" and os.path.lexists(arg):
            return arg
    return None


def _refuse_option_like_file(name: str, argv: Sequence[str], lang: Lang) -> None:
    command = next((a for a in argv if not a.startswith("-")), "validate")
    refused = say(lang, "usage_error", "option_like_file", name=name, command=command)
    help_line = say(lang, "usage_error", "help", command=f"shuangfu {command} --help")
    sys.stderr.write(for_terminal(refused) + "\n" + for_terminal(help_line) + "\n")


def run(app, argv: Sequence[str] | None = None) -> int:
    """Run the typer app; usage errors worded here. Returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = chosen_lang(argv)
    if (name := option_like_file(argv)) is not None:
        _refuse_option_like_file(name, argv, lang)
        return EXIT_USAGE
    try:
        result = app(args=argv, prog_name="shuangfu", standalone_mode=False)
    except cx.NoArgsIsHelpError as exc:  # `shuangfu` or `shuangfu validate` alone: the help
        sys.stdout.write(exc.ctx.get_help() + "\n")
        return EXIT_USAGE
    except cx.UsageError as exc:
        report(exc, lang)
        return EXIT_USAGE
    except cx.ClickException as exc:  # not a usage error (a file click could not open)
        sys.stderr.write(for_terminal(exc.format_message()) + "\n")
        return exc.exit_code
    except typer.Abort:  # Ctrl-C
        sys.stderr.write(say(lang, "usage_error", "aborted") + "\n")
        return 130
    return result if isinstance(result, int) else 0
