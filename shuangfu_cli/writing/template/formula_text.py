"""Formula text as spreadsheet programs write it themselves, so that they compile a column's
formulas once.

LibreOffice, reading an .xlsx, compiles a cell's formula only when its text differs from the
text it predicts from the cell above (the same formula, its references moved one row): one
compiled formula then serves the whole column. The prediction is written LibreOffice's way —
``FALSE()`` for ``FALSE``, ``0.000000001`` for ``1E-9``, a sheet name in quotes only when it
needs them — so text written any other way is compiled cell by cell: the self-check's 10,000
formulas took LibreOffice longer to open than the rest of the template. Excel and WPS read
either spelling the same (TRUE() and FALSE() are functions in all three).

The checks are written that way (rules/sheet_forms.py and its families, and
writing/template/selfcheck.py); `canonical` is the reference they are held to by a test: it
takes the formula apart with openpyxl's tokenizer (not with regular expressions: text in quotes
stays as it is) and writes each part as LibreOffice does.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from openpyxl.formula.tokenizer import Token, Tokenizer

#: a sheet name left without quotes: Chinese (or other non-Latin) letters only, which no
#: program can take for a reference (R, C1 or A1B would be; such names keep their quotes,
#: which only costs LibreOffice a compile)
_BARE_NAME = re.compile(r"[^\W\d_\x00-\x7f]+")


def sheet_in_formula(name: str) -> str:
    """A sheet's name (quoted or not) as LibreOffice writes it in a formula."""
    bare = name[1:-1] if name.startswith("'") and name.endswith("'") else name
    return bare if _BARE_NAME.fullmatch(bare) else name


def _reference(text: str) -> str:
    if "!" not in text:
        return text
    sheet, _, cells = text.rpartition("!")
    return f"{sheet_in_formula(sheet)}!{cells}"


def _number(text: str) -> str:
    if "E" not in text.upper():
        return text
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def canonical(formula: str) -> str:
    """`formula` (with its leading ``=``) as LibreOffice writes it."""
    if not formula.startswith("="):
        return formula
    out = []
    in_array = 0  # inside {…} a truth value is a constant, not a function call
    for token in Tokenizer(formula).items:
        text = token.value
        if token.type == Token.ARRAY:
            in_array += 1 if token.subtype == Token.OPEN else -1
        elif token.type == Token.OPERAND and token.subtype == Token.LOGICAL and not in_array:
            text = text.upper() + "()"
        elif token.type == Token.OPERAND and token.subtype == Token.NUMBER:
            text = _number(text)
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            text = _reference(text)
        out.append(text)
    return "=" + "".join(out)
