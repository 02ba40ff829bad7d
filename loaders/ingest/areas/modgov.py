"""Ward councillors from Modern.Gov: the XML its web service answers to GetCouncillorsByWard
(``<site>/mgWebService.asmx/GetCouncillorsByWard``), saved to a file or fetched from a URL.

Its shape: ``councillorsbyward/wards/ward``, each with a ``wardtitle`` and
``councillors/councillor`` elements holding ``councillorid``, ``fullusername``,
``politicalpartytitle``, a ``workaddress`` (``line1``..``line5``, ``postcode``, ``phone``,
``mobile``, ``email``) and a ``homeaddress`` of the same shape. Only the work contact details
are read: a councillor's home address, phone or email is never read, stored or served.
Each councillor becomes a contact of the loaded ward with that ward's name (case, spacing and
a trailing 'Ward' ignored); one whose ward is not loaded is refused to the rejects file."""

from __future__ import annotations

import re
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loaders.core.report import LoadReport
from loaders.errors import CliError
from loaders.ingest.areas.contacts import ContactRow, contact_problem
from service.db.types import Connection

RECORD_TYPE = "councillor"
WARD_TYPE = "ward"
_FETCH_TIMEOUT_S = 30
_WARD_SUFFIX = re.compile(r"\s+ward$")


@dataclass(frozen=True)
class Councillor:
    """One councillor of one ward, with work contact details only."""

    ward: str
    identifier: str
    name: str
    party: str
    email: str
    phone: str


def ward_key(name: str) -> str:
    """A ward name as compared: 'Abbey  Ward' and 'abbey' match."""
    return _WARD_SUFFIX.sub("", " ".join(name.split()).lower())


@dataclass(frozen=True)
class ModgovAnswer:
    """A GetCouncillorsByWard answer: its XML, where it came from, and the saved file (if it
    was one) to record with the data version."""

    xml: bytes
    source: str
    saved: list[Path]


def read_modgov(source: str) -> ModgovAnswer:
    """The XML of a saved file, or fetched from an http(s) URL."""
    if urlsplit(source).scheme in ("http", "https"):
        try:
            with urllib.request.urlopen(source, timeout=_FETCH_TIMEOUT_S) as answer:
                return ModgovAnswer(bytes(answer.read()), source, [])
        except OSError as error:
            raise CliError(f"cannot fetch {source}: {error}") from None
    try:
        return ModgovAnswer(Path(source).read_bytes(), source, [Path(source)])
    except OSError as error:
        raise CliError(f"cannot read {source}: {error.strerror}") from None


def _text(element: ET.Element | None, tag: str) -> str:
    found = element.find(tag) if element is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


def councillors(xml: bytes) -> Iterator[Councillor]:
    """Every councillor of every ward in a GetCouncillorsByWard answer, in document order."""
    try:
        root = ET.fromstring(xml)  # no external entities are expanded
    except ET.ParseError as error:
        raise CliError(f"the Modern.Gov answer is not XML: {error}") from None
    if root.tag.lower() != "councillorsbyward":
        raise CliError(
            f"the XML's root is <{root.tag}>, not <councillorsbyward>: give the answer of "
            "mgWebService.asmx/GetCouncillorsByWard"
        )
    for ward in root.iter("ward"):
        title = _text(ward, "wardtitle")
        for element in ward.iter("councillor"):
            work = element.find("workaddress")
            yield Councillor(
                ward=title,
                identifier=_text(element, "councillorid"),
                name=_text(element, "fullusername"),
                party=_text(element, "politicalpartytitle"),
                email=_text(work, "email"),
                phone=_text(work, "phone") or _text(work, "mobile"),
            )


def profile_url(source: str, identifier: str) -> str | None:
    """The councillor's page on the Modern.Gov site the answer was fetched from."""
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not identifier.isdigit():
        return None
    return f"{parts.scheme}://{parts.netloc}/mgUserInfo.aspx?UID={identifier}"


_WARDS = "SELECT code, name FROM areas WHERE type = $1 AND set_name = $2 ORDER BY code"


async def loaded_wards(conn: Connection, set_name: str) -> dict[str, str]:
    """Ward code by compared name, of the set's loaded wards."""
    return {
        ward_key(row["name"]): row["code"] for row in await conn.fetch(_WARDS, WARD_TYPE, set_name)
    }


def contact_of(
    councillor: Councillor, code: str | None, source: str, position: int
) -> ContactRow | str:
    """The councillor as a contact of the ward with this code, or why it cannot be one."""
    if code is None:
        return f"no ward named {councillor.ward!r} is loaded in this set"
    fields = {"area_code": code, "name": councillor.name, "email": councillor.email}
    problem = contact_problem({**fields, "phone": councillor.phone})
    if problem:
        return problem
    role = f"Councillor ({councillor.party})" if councillor.party else "Councillor"
    return ContactRow(
        code,
        WARD_TYPE,
        councillor.name or None,
        role,
        councillor.email or None,
        councillor.phone or None,
        profile_url(source, councillor.identifier),
        position,
    )


def to_contacts(
    found: list[Councillor], wards: dict[str, str], source: str, report: LoadReport
) -> list[ContactRow]:
    """Contacts of the loaded wards; councillors of unknown wards or without a way to reach
    them go to the rejects file (their position in the answer as the line)."""
    rows = []
    for position, councillor in enumerate(found, start=1):
        report.counts[RECORD_TYPE].read += 1
        contact = contact_of(councillor, wards.get(ward_key(councillor.ward)), source, position)
        if isinstance(contact, str):
            content = f"{councillor.ward}: {councillor.name}"
            report.reject(
                file=source, line=position, record_type=RECORD_TYPE, reason=contact, content=content
            )
            continue
        rows.append(contact)
        report.counts[RECORD_TYPE].loaded += 1
    return rows
