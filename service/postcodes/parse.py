"""UK postcodes: validating, normalising and finding them in free text (pure functions).

A postcode is an outward code (area letters, district digits, optional letter: "FX1", "SW1A")
and an inward code (sector digit and two unit letters: "2AB"). The lookup key is the compact
upper-case form ("FX12AB"), made by ``postcode_key`` exactly as the SQL function of the same
name (migration 0006) makes it; the display form has one space ("FX1 2AB").
"""

from __future__ import annotations

import itertools
import re
import string
from dataclasses import dataclass

from service.errors import InvalidInput

# Letters the Royal Mail never uses in these positions.
_AREA = r"[A-PR-UWYZ][A-HK-Y]?"
_DISTRICT = r"[0-9][0-9A-HJKMNP-Y]?"
_OUTWARD = _AREA + _DISTRICT
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_KEY = re.compile(rf"^({_OUTWARD})({_INWARD})$")  # of a key: ASCII upper case already
_OUTWARD_ONLY = re.compile(rf"^{_OUTWARD}$", re.IGNORECASE)
_SECTOR = re.compile(rf"^({_OUTWARD})\s*([0-9])$", re.IGNORECASE)
_IN_TEXT = re.compile(rf"\b({_OUTWARD})\s*({_INWARD})\b", re.IGNORECASE)
_OUTWARD_IN_TEXT = re.compile(rf"\b({_OUTWARD})\b", re.IGNORECASE)
_SPECIAL = {"GIR0AA": ("GIR", "0AA")}  # Girobank's, the one postcode outside the pattern
# A whole postcode's key, in syntax that Python's re and PostgreSQL's ~ read alike.
KEY_PATTERN = rf"^(?:{_OUTWARD}{_INWARD}|GIR0AA)$"
# Removed from a key: ASCII white space and the Unicode spaces people paste (as the SQL).
_SPACES = dict.fromkeys(map(ord, " \t\n\r\f\v\u00a0\u2007\u2009\u200b\u202f\u3000"))
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
POSTCODE_HINT = "Give a whole UK postcode such as 'SW1A 1AA'; case and spaces do not matter."


@dataclass(frozen=True)
class Postcode:
    outward: str
    inward: str

    @property
    def key(self) -> str:
        """The compact lookup form, e.g. 'FX12AB'."""
        return self.outward + self.inward

    @property
    def display(self) -> str:
        """The form people write, e.g. 'FX1 2AB'."""
        return f"{self.outward} {self.inward}"

    @property
    def area(self) -> str:
        """The postcode area: the outward code's letters, e.g. 'FX' or 'SW'."""
        return "".join(itertools.takewhile(str.isalpha, self.outward))

    @property
    def sector(self) -> str:
        """Outward code and sector digit, e.g. 'FX1 2'."""
        return f"{self.outward} {self.inward[0]}"


def postcode_key(text: str) -> str | None:
    """The lookup key of any text, as SQL's postcode_key(): 'fx1 2ab ' -> 'FX12AB'; spaces
    removed, ASCII letters upper-cased; None when nothing is left."""
    return text.translate(_SPACES).translate(_ASCII_UPPER) or None


def compact(text: str) -> str:
    """The key of text that may be empty: 'fx1 2ab ' -> 'FX12AB', '  ' -> ''."""
    return postcode_key(text) or ""


def parse_postcode(text: str) -> Postcode | None:
    """A full postcode in any case or spacing, or None when text is not one."""
    key = compact(text)
    if key in _SPECIAL:
        return Postcode(*_SPECIAL[key])
    match = _KEY.match(key)
    return Postcode(match[1], match[2]) if match else None


def require_postcode(text: str, *, field: str = "postcode") -> Postcode:
    """The whole postcode in ``text``, or InvalidInput saying what is wrong with it."""
    postcode = parse_postcode(text)
    if postcode is None:
        problem = why_not_a_postcode(text)
        raise InvalidInput(
            f"{text.strip()!r} is not a valid UK postcode: {problem}",
            hint=POSTCODE_HINT,
            details=[{"field": field, "problem": problem}],
        )
    return postcode


def why_not_a_postcode(text: str) -> str:
    """A sentence saying what is wrong with something that is not a valid postcode."""
    key = compact(text)
    if not key:
        return "the postcode is empty"
    if not key.isalnum():
        return "a postcode has only letters, digits and one optional space"
    if len(key) < 5 or len(key) > 7:
        return f"a postcode has 5 to 7 letters and digits; {text.strip()!r} has {len(key)}"
    if not key[-3].isdigit() or not key[-2:].isalpha():
        return "a postcode ends with a digit and two letters, as in 'SW1A 1AA'"
    return "the outward code (the part before the space) is not in the UK pattern"


def is_outward_code(text: str) -> bool:
    """True for an outward code alone, such as 'FX1' or 'sw1a'."""
    return bool(_OUTWARD_ONLY.match(compact(text)))


def parse_sector(text: str) -> tuple[str, str] | None:
    """('FX1', '2') for a postcode sector written as 'FX1 2', else None."""
    match = _SECTOR.match(text.strip())
    return (match[1].upper(), match[2]) if match else None


def find_postcode(text: str) -> tuple[Postcode, tuple[int, int]] | None:
    """The last full postcode written anywhere in free text, with where it was."""
    matches = list(_IN_TEXT.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    return Postcode(last[1].upper(), last[2].upper()), last.span()
