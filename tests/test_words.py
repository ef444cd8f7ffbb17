"""The words users read have one home (shuangfu_cli/text/): a catalogue per language, found by
section and key. These tests keep it so: the two catalogues say the same things with the same
parameters, and no table of words grows again elsewhere in the package."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from shuangfu_cli.text import words_en, words_zh
from shuangfu_cli.text.numbers import figure, percent, points
from shuangfu_cli.text.words import ZH_ONLY, by_lang, pairs, say

PACKAGE = Path(__file__).resolve().parent.parent / "shuangfu_cli"
_CJK = range(0x4E00, 0xA000)
#: names an English reader must find as the forms print them
FORM_NAMES = ("审核说明", "说明", "双扶")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_both_catalogues_have_the_same_entries_and_parameters():
    zh = {s: v for s, v in words_zh.WORDS.items() if s not in ZH_ONLY}
    assert set(zh) == set(words_en.WORDS), "a section missing from one language"
    for section, entries in zh.items():
        en = words_en.WORDS[section]
        assert set(entries) == set(en), (section, set(entries) ^ set(en))
        for key, template in entries.items():
            assert _fields(template) == _fields(en[key]), (section, key)
    assert {s: set(v) for s, v in words_zh.LINES.items()} == {
        s: set(v) for s, v in words_en.LINES.items()
    }
    for section, entries in words_zh.LINES.items():
        for key, cells in entries.items():
            assert len(cells) == len(words_en.LINES[section][key]), (section, key)


def test_the_english_catalogue_is_english():
    """--lang en prints no Chinese of ours: the only exceptions are names a reader must find
    as they are printed (the sheet 审核说明 and its column 说明, the forms' title 双扶)."""
    chinese = {
        (s, k): v
        for s, entries in words_en.WORDS.items()
        for k, v in entries.items()
        if _chinese(v)
    }
    assert chinese == {}


def _is_words_table(node: ast.Dict) -> bool:
    """A dict literal that is a table of words: keyed by language, or (Chinese, English) pairs."""
    keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
    if {"zh", "en"} <= set(keys):
        return True
    pairs_ = [v for v in node.values if isinstance(v, ast.Tuple) and len(v.elts) == 2]
    return len(pairs_) >= 2 and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str)
        and any(ord(c) in _CJK for c in e.value)
        for v in pairs_ for e in v.elts[:1]
    )  # fmt: skip


def test_no_table_of_words_outside_the_catalogues():
    """(A finding's message templates are not tables: they are registered with their code by
    ``@rule`` or ``define``, beside the rule that raises them.)"""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("text/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and _is_words_table(node):
                found.append(f"{rel}:{node.lineno}")
    assert found == [], "tables of words belong in shuangfu_cli/text/words_*.py: " + ", ".join(
        found
    )


def test_a_town_state_has_its_variants_in_both_languages():
    for state in ("valid", "invalid", "unreadable", "missing", "duplicate", "other_period"):
        assert say("zh", "state", state) and say("en", "state", state)
        assert say("zh", "state_book", state).startswith(say("zh", "state", state))
    assert say("en", "state_book", "invalid") == "invalid (not counted)"
    # the 通报's prose, Chinese whatever the language asked
    assert say("en", "bulletin", "not_counted_missing", n=2) == "2个未报送"


def test_tables_built_from_the_catalogue():
    assert by_lang("finding_state")["en"]["explained"] == "explained"
    assert pairs("usage")["written"] == ("已写出：{path}", "Written: {path}")


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (1234, "1,234"), (12.5, "12.5"), (3.0, "3"), (0.12345, "0.1235"),
     (float("nan"), "—")],
)  # fmt: skip
def test_figures_are_written_one_way(value, text):
    assert figure(value) == text


def test_rates_and_changes_of_rates():
    assert percent(0.875) == "87.5%" and percent(None) == "—"
    assert points(0.167) == "+16.7" and points(-0.03) == "-3.0"
    assert points(-0.0001) == "0.0"  # never -0.0


def _text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _chinese(text: str) -> bool:
    """Chinese other than the names printed on the forms (审核说明, 说明, 双扶)."""
    for name in FORM_NAMES:
        text = text.replace(name, "")
    return any(ord(c) in _CJK for c in text)


#: the calls that register a finding's code with its Chinese and English templates
FINDING_MAKERS = {"define", "rule"}


def test_no_message_written_inline_in_two_languages():
    """A (Chinese, English) pair typed in the code (an exception's reason, a note) belongs in
    the catalogues. Findings are the exception: each rule's templates are registered with its
    code beside it (``define``, ``@rule``: rules/, form/findings.py, form/reference_findings.py)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("text/", "rules/")) or rel == "form/findings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in FINDING_MAKERS:
                continue  # a finding's code registered with its templates
            if isinstance(node, ast.Call | ast.Tuple):
                parts = node.args if isinstance(node, ast.Call) else node.elts
                for a, b in zip(parts, parts[1:], strict=False):
                    zh, en = _text(a), _text(b)
                    if zh and en and _chinese(zh) and not _chinese(en) and " " in en.strip():
                        found.append(f"{rel}:{node.lineno} {zh[:20]}")
    assert found == [], found
