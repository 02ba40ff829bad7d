"""The "report speeding traffic" form: what a resident sent, checked the GOV.UK way (every
problem named beside its field, what was typed kept). Pure: no web framework, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from service.postcodes.parse import Postcode, parse_postcode

ADDRESS_FIELDS = ("address_line_1", "address_line_2", "address_line_3", "town", "postcode")
AREA_FIELDS = ("parish_code", "parish_name", "parish_contact_name", "parish_contact_email")
DATE_FIELDS = ("when-day", "when-month", "when-year")
TEXT_FIELDS = ("uprn", *ADDRESS_FIELDS, *AREA_FIELDS, "what_happened", *DATE_FIELDS, "when_time")
MAX_DESCRIPTION = 1200
MAX_LINE = 200
MAX_UPRN = 999_999_999_999
EARLIEST_YEAR = 1900  # a two-digit year is a slip, not the first century


@dataclass(frozen=True)
class Report:
    """A report that passed every check."""

    uprn: int | None
    address_lines: list[str]
    postcode: Postcode | None
    what_happened: str
    seen_on: date
    seen_at: str


@dataclass
class Checked:
    """The form as sent (to show again) and its problems by field, in page order."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    report: Report | None = None


def read_form(form: Mapping[str, str], *, today: date) -> Checked:
    """Check a posted form; ``report`` is set only when nothing is wrong."""
    values = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    checked = Checked(values)
    _check_address(checked)
    _check_description(checked)
    seen_on = _check_date(checked, today)
    if not checked.errors and seen_on is not None:
        checked.report = Report(
            uprn=chosen_uprn(values["uprn"]),
            address_lines=[values[name] for name in ADDRESS_FIELDS[:-1] if values[name]],
            postcode=parse_postcode(values["postcode"]) if values["postcode"] else None,
            what_happened=values["what_happened"],
            seen_on=seen_on,
            seen_at=values["when_time"][:50],
        )
    return checked


def chosen_uprn(text: str) -> int | None:
    """The UPRN the widget put in its hidden field. Only a tampered page sends anything but
    digits, and the typed address still describes the place, so anything else is ignored."""
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_UPRN else None


def _check_address(checked: Checked) -> None:
    values, errors = checked.values, checked.errors
    if not values["address_line_1"]:
        errors["address_line_1"] = "Enter address line 1, typically the building and street"
    for name in ADDRESS_FIELDS:
        if len(values[name]) > MAX_LINE:
            errors[name] = f"This must be {MAX_LINE} characters or fewer"
    if not values["town"]:
        errors["town"] = "Enter town or city"
    if values["postcode"] and parse_postcode(values["postcode"]) is None:
        errors["postcode"] = "Enter a real postcode, like FX1 1AA, or leave it empty"


def _check_description(checked: Checked) -> None:
    text = checked.values["what_happened"]
    if not text:
        checked.errors["what_happened"] = "Enter what you saw"
    elif len(text) > MAX_DESCRIPTION:
        checked.errors["what_happened"] = (
            f"What you saw must be {MAX_DESCRIPTION} characters or fewer"
        )


def _check_date(checked: Checked, today: date) -> date | None:
    """The date the speeding was seen: a real date, not in the future."""
    parts = [checked.values[name] for name in DATE_FIELDS]
    if not any(parts):
        checked.errors["when-day"] = "Enter the date you saw the speeding"
        return None
    if not all(part.isdigit() for part in parts):
        checked.errors["when-day"] = "The date you saw the speeding must be a real date"
        return None
    day, month, year = (int(part) for part in parts)
    try:
        seen = date(year, month, day) if year >= EARLIEST_YEAR else None
    except ValueError:
        seen = None
    if seen is None:
        checked.errors["when-day"] = "The date you saw the speeding must be a real date"
        return None
    if seen > today:
        checked.errors["when-day"] = "The date you saw the speeding must be today or in the past"
        return None
    return seen
