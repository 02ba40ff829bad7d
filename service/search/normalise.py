"""Text folding shared by the index and the query: the same address typed any way folds to the
same words. Lower case, accents dropped, apostrophes removed ("St Mary's" -> "st marys"), "&"
read as "and", every other mark a space — except "/" and "-" between digits, which say
"flat 2 of number 12" and "numbers 12 to 14"."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’`‘]")
_DIGIT_JOINERS = re.compile(r"(?<=\d)\s*([/-])\s*(?=\d)")
_NOT_WORD = re.compile(r"[^a-z0-9/\-]+")
_STRAY_JOINERS = re.compile(r"(?<!\d)[/-]|[/-](?!\d)")


def to_ascii(text: str) -> str:
    """Accents dropped ("é" -> "e"); any other non-ASCII character (dashes, emoji) a space."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char if char.isascii() else ("" if unicodedata.combining(char) else " ")
        for char in decomposed
    )


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    ascii_text = to_ascii(text).lower()
    ascii_text = _APOSTROPHES.sub("", ascii_text).replace("&", " and ")
    ascii_text = _DIGIT_JOINERS.sub(r"\1", ascii_text)
    ascii_text = _NOT_WORD.sub(" ", ascii_text)
    ascii_text = _STRAY_JOINERS.sub(" ", ascii_text)
    return " ".join(ascii_text.split())


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()
