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

try:  # typer >= 0.24 carries its own copy of click
    from typer._click import exceptions as cx
except ImportError:  # pragma: no cover - older typer on the real click
    from click import exceptions as cx

import typer

from shuangfu_cli.text.sanitize import for_terminal
from shuangfu_cli.text.words import pairs

EXIT_USAGE = 2

_PATH_KINDS = pairs("path_kind")


def chosen_lang(argv: Sequence[str]) -> str:
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
        return (f"是不是{year}Q{quarter}？", f"did you mean {year}Q{quarter}?")
    return ("季度只能是Q1至Q4", "a quarter is Q1 to Q4")


def _said(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _name(param) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)  # --output rather than -o
    return param.metavar or (param.name or "").upper()


def _help_part(param, lang: str) -> str:
    """The option's own help in `lang` (help texts are '中文 / English')."""
    text = (getattr(param, "help", None) or "").strip()
    zh, _, en = text.partition(" / ")
    return (zh if lang == "zh" else en or zh).rstrip(".")


def _choice_text(message: str, lang: str) -> str | None:
    m = re.search(r"'(.*?)' is not one of (.*?)\.?$", message)
    if m is None:
        return None
    value, names = m.group(1), re.findall(r"'(.*?)'", m.group(2))
    tip = near(value, names) if value else []
    listed = "、".join(names) if lang == "zh" else ", ".join(names)
    zh = f"“{value}”不是可选的值；可选：{listed}" + (f"；是不是{tip[0]}？" if tip else "")
    en = f"'{value}' is not one of: {listed}" + (f"; did you mean {tip[0]}?" if tip else "")
    return _said(lang, zh, en)


def _given(exc) -> str:
    """The value typed, as the parser's validation saw it ('' when it cannot be told)."""
    cause = exc.__cause__
    try:
        value = cause.errors()[0]["input"]
    except (AttributeError, LookupError, TypeError):
        return ""
    return str(value)[:40]


def _bad_parameter_text(exc, lang: str) -> str:
    message = re.sub(r"^Value error, ", "", exc.message)
    path = re.fullmatch(r"(file|directory|path) '(.*)' (does not exist|is a directory|is a file)\.",
                        message, re.I)  # fmt: skip
    if path:
        kind, name, what = _PATH_KINDS[path.group(1).lower()], path.group(2), path.group(3)
        if what == "does not exist":
            return _said(lang, f"找不到{kind[0]}“{name}”", f"{kind[1]} '{name}' not found")
        if what == "is a directory":
            return _said(
                lang, f"“{name}”是文件夹，这里要给文件", f"'{name}' is a folder, not a file"
            )
        return _said(lang, f"“{name}”是文件，这里要给文件夹", f"'{name}' is a file, not a folder")
    if re.match(r"Input should be a valid (integer|number)|'.*' is not a valid (integer|float)",
                message):  # fmt: skip
        return _said(lang, "要给一个数字", "a number is needed")
    if m := re.search(r"(\S+) is not in the range (.*?)\.?$", message):
        return _said(lang, f"{m.group(1)}超出允许的范围（{m.group(2)}）", f"{m.group(1)} is out of range ({m.group(2)})")  # fmt: skip
    low, high = getattr(exc.param, "min", None), getattr(exc.param, "max", None)
    ranged = re.search(r"Input should be (greater|less) than or equal to|is not in the range",
                       message)  # fmt: skip
    if ranged and low is not None and high is not None:  # the whole range, and what was given
        given = _given(exc)
        zh = (f"“{given}”" if given else "") + f"不在允许的范围内（{low:g}至{high:g}）"
        en = (f"'{given}' is " if given else "") + f"outside the allowed range ({low:g} to {high:g})"  # fmt: skip
        return _said(lang, zh, en)
    if m := re.search(r"Input should be (greater|less) than or equal to (\S+)", message):
        sign = ">=" if m.group(1) == "greater" else "<="
        return _said(lang, f"超出允许的范围（x{sign}{m.group(2)}）", f"out of range (x{sign}{m.group(2)})")  # fmt: skip
    choice = _choice_text(message, lang)
    return choice or message  # our own BadParameter messages are already in `lang`


def describe(exc: cx.UsageError, lang: str) -> str:
    """One usage error in `lang`."""
    if isinstance(exc, cx.NoSuchOption):
        tip = exc.possibilities[0] if exc.possibilities else None
        if tip is None and exc.ctx is not None:
            names = [o for p in exc.ctx.command.params for o in getattr(p, "opts", [])]
            tip = next(iter(near(exc.option_name, [n for n in names if n.startswith("-")])), None)
        zh = f"没有 {exc.option_name} 这个选项" + (f"；是不是 {tip}？" if tip else "")
        en = f"no such option: {exc.option_name}" + (f"; did you mean {tip}?" if tip else "")
        return _said(lang, zh, en)
    if isinstance(exc, cx.MissingParameter):
        what = _help_part(exc.param, lang)
        name = _name(exc.param)
        if getattr(exc.param, "param_type_name", "") == "argument":
            return _said(lang, f"缺少{what}（{name}）", f"missing {name}: {what}")
        return _said(lang, f"缺少选项 {name}（{what}）", f"missing option {name} ({what})")
    if isinstance(exc, cx.BadParameter):
        name = _name(exc.param) or (
            exc.param_hint if isinstance(exc.param_hint, str) else "/".join(exc.param_hint or ())
        )
        text = _bad_parameter_text(exc, lang)
        if not name:
            return text
        return _said(lang, f"{name} 的值有误：{text}", f"invalid value for {name}: {text}")
    message = exc.message
    if m := re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", message):
        return _said(
            lang, f"多余的参数：{m.group(1)}", f"unexpected extra argument(s): {m.group(1)}"
        )
    if m := re.match(r"No such command '(.*?)'\.", message):
        commands = list(exc.ctx.command.list_commands(exc.ctx)) if exc.ctx else []
        tip = next(iter(near(m.group(1), commands)), None)
        zh = f"没有 {m.group(1)} 这个命令；可用：{'、'.join(commands)}" + (f"；是不是 {tip}？" if tip else "")  # fmt: skip
        en = f"no such command: {m.group(1)}; commands: {', '.join(commands)}" + (f"; did you mean {tip}?" if tip else "")  # fmt: skip
        return _said(lang, zh, en)
    if m := re.fullmatch(r"Option '(.*)' requires an argument\.", message):
        return _said(
            lang, f"选项 {m.group(1)} 后面要给一个值", f"option {m.group(1)} needs a value"
        )
    return message


def report(exc: cx.UsageError, lang: str) -> None:
    """The error, the command's usage line and where to find its help, on stderr."""
    ctx = exc.ctx
    lines = [_said(lang, "错误：", "Error: ") + describe(exc, lang)]
    if ctx is not None:
        usage = ctx.get_usage().strip()
        if lang == "zh":
            usage = usage.replace("Usage: ", "用法：", 1)
        lines.append(usage)
        help_cmd = f"{ctx.command_path} --help"
        lines.append(_said(lang, f"查看帮助：{help_cmd}", f"Help: {help_cmd}"))
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


def _refuse_option_like_file(name: str, argv: Sequence[str], lang: str) -> None:
    command = next((a for a in argv if not a.startswith("-")), "validate")
    zh = (
        f"错误：“{name}”是一个文件，但以-开头，会被当作选项；请把文件放在 -- 之后"
        f"（shuangfu {command} [选项] -- *.xlsx），或写成 ./{name}，或给出它所在的文件夹"
    )
    en = (f"Error: '{name}' is a file, but it begins with - and would be taken as an option: "
          f"give files after -- (shuangfu {command} [OPTIONS] -- *.xlsx), write ./{name}, or "
          "give their folder")  # fmt: skip
    help_line = _said(
        lang, f"查看帮助：shuangfu {command} --help", f"Help: shuangfu {command} --help"
    )
    sys.stderr.write(for_terminal(_said(lang, zh, en)) + "\n" + for_terminal(help_line) + "\n")


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
        sys.stderr.write(_said(lang, "已中止\n", "aborted\n"))
        return 130
    return result if isinstance(result, int) else 0
