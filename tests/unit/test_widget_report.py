"""The report form's checks and the choice of who receives a report: pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from service.spatial.areas import Area, Contact
from service.widget.report import read_form
from service.widget.routing import Routing

TODAY = date(2026, 3, 27)
COMPLETE = {
    "address_line_1": " 12 High Street ",
    "town": "Granmoor",
    "postcode": "fx1 1aa",
    "what_happened": "Vans at 50 mph",
    "when-day": "26",
    "when-month": "3",
    "when-year": "2026",
}


def test_a_complete_report_is_read_and_tidied() -> None:
    checked = read_form({**COMPLETE, "uprn": "10010018862"}, today=TODAY)
    assert checked.errors == {}
    assert checked.report is not None
    assert checked.report.uprn == 10010018862
    assert checked.report.address_lines == ["12 High Street", "Granmoor"]
    assert checked.report.postcode is not None and checked.report.postcode.display == "FX1 1AA"
    assert checked.report.seen_on == date(2026, 3, 26)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"address_line_1": ""}, "address_line_1", "Enter address line 1"),
        ({"town": " "}, "town", "Enter town or city"),
        ({"postcode": "FX1"}, "postcode", "Enter a real postcode"),
        ({"address_line_2": "x" * 201}, "address_line_2", "200 characters or fewer"),
        ({"what_happened": ""}, "what_happened", "Enter what you saw"),
        ({"what_happened": "x" * 1201}, "what_happened", "1200 characters or fewer"),
        ({"when-day": "", "when-month": "", "when-year": ""}, "when-day", "Enter the date"),
        ({"when-day": "30", "when-month": "2"}, "when-day", "must be a real date"),
        ({"when-year": "26"}, "when-day", "must be a real date"),
        ({"when-month": "march"}, "when-day", "must be a real date"),
        ({"when-day": "28"}, "when-day", "today or in the past"),
    ],
)
def test_each_problem_is_named_beside_its_field(
    changes: dict[str, str], field: str, message: str
) -> None:
    checked = read_form({**COMPLETE, **changes}, today=TODAY)
    assert checked.report is None
    assert list(checked.errors) == [field]
    assert message in checked.errors[field]
    assert checked.values["what_happened"] == changes.get("what_happened", "Vans at 50 mph")


@pytest.mark.parametrize("uprn", ["", "abc", "-5", "0", "1" * 13])
def test_a_uprn_that_is_not_one_is_ignored(uprn: str) -> None:
    checked = read_form({**COMPLETE, "uprn": uprn}, today=TODAY)
    assert checked.report is not None and checked.report.uprn is None


def contact(name: str, role: str | None) -> Contact:
    return Contact(name, role, f"{name.lower()}@example.org", None, None)


def test_a_report_goes_to_the_clerk_else_the_first_contact() -> None:
    chair, clerk = contact("Ann", "Chair"), contact("Bob", "Parish Clerk")
    with_clerk = Area("E04000001", "Oakley", "parish", None, [chair, clerk])
    without = Area("E04000002", "Elm", "parish", None, [chair])
    assert Routing(with_clerk, "address").contact == clerk
    assert Routing(without, "address").contact == chair
    assert Routing(Area("E04000003", "Ash", "parish", None, []), "postcode").contact is None
    assert Routing(None, "none").contact is None
