"""The one home of the words users read, other than the findings' messages (those are worded
from their code beside the rule that raises them: :mod:`shuangfu_cli.form.findings` and each
``rules/`` module's ``MESSAGES``).

Every note, reason, state, status, unit, table heading and usage message is an entry of a
catalogue, one per language (:mod:`.words_zh`, :mod:`.words_en`), found by a section and a key
and worded from ``{name}`` parameters. Add a message by adding the same key to both catalogues
(tests/test_words.py checks they match, parameters included) and call :func:`say`.

A town's state in a rollup has its variants side by side: ``state`` (short, in a table or a
listing), ``state_book`` (in the rollup workbook, saying whether it is counted), and in the
通报's prose ``bulletin`` → ``not_counted_*`` (with a count) and ``not_counted_named_*`` (with
the towns named).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

from shuangfu_cli.text import words_en, words_zh

#: the one language type of the package (the command line's --lang is one too)
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)

_WORDS: dict[str, dict[str, dict[str, str]]] = {"zh": words_zh.WORDS, "en": words_en.WORDS}
_LINES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "zh": words_zh.LINES,
    "en": words_en.LINES,
}
#: sections of documents written only in Chinese (the 通报)
ZH_ONLY = frozenset({"bulletin"})


def say(lang: Lang, section: str, key: str, /, **params: object) -> str:
    """The entry `key` of `section` in `lang`, worded from `params`. A Chinese-only section
    is said in Chinese whatever the language."""
    if section in ZH_ONLY:
        lang = "zh"
    template = _WORDS[lang][section][key]
    return template.format(**params) if params else template


def lines(lang: Lang, section: str, key: str) -> tuple[str, ...]:
    """An entry of several lines or cells (a header row, numbered notes)."""
    return _LINES[lang][section][key]


def section(name: str, lang: Lang) -> Mapping[str, str]:
    """The templates of a section in `lang`, for a writer that looks many of them up."""
    return _WORDS["zh" if name in ZH_ONLY else lang][name]


def by_lang(*names: str) -> dict[Lang, dict[str, str]]:
    """Sections merged, by language: a writer's table of words (``[lang][key]``)."""
    return {lang: {k: v for n in names for k, v in section(n, lang).items()} for lang in LANGS}


def both(section_: str, key: str, /, **params: object) -> tuple[str, str]:
    """An entry in Chinese and in English, for a message carried in both languages until the
    language is known (an exception raised below the command line, a run's note). A parameter
    said differently in each language is given as a function of the language."""

    def worded(lang: Lang) -> str:
        given = {k: v(lang) if callable(v) else v for k, v in params.items()}
        return say(lang, section_, key, **given)

    return worded("zh"), worded("en")


def pairs(name: str) -> dict[str, tuple[str, str]]:
    """A section as (Chinese, English) per key, for messages carried in both languages until
    the language is known (an exception raised below the command line)."""
    zh, en = section(name, "zh"), section(name, "en")
    return {key: (zh[key], en[key]) for key in zh}
