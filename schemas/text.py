"""Text as a person sees it: characters that show nothing are no part of a name.

A clerk who copies a town's name from a web page or a chat may bring along a zero-width space
(U+200B), a byte-order mark (U+FEFF), a word joiner (U+2060) or a direction mark: the cell looks
like ``柏梓镇`` and is not. These are Unicode's format characters (category Cf) and the other
default-ignorable code points (Hangul fillers, variation selectors, the combining grapheme
joiner). Names are compared without them, as without the non-breaking space; where one is
quoted back to the user it is shown, ``柏梓镇<U+200B>``, so that what could not be matched can be
seen.
"""

from __future__ import annotations

import re

# Category Cf (Unicode 15.1) and the default-ignorable code points outside it; a test checks
# this against the unicodedata of the running Python.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def strip_invisible(text: str) -> str:
    """`text` without the characters that show nothing."""
    return _INVISIBLE.sub("", text) if not text.isascii() else text


def show_invisible(text: str) -> str:
    """`text` with each character that shows nothing written out: ``柏梓镇<U+200B>``."""
    if text.isascii():
        return text
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
