"""`address-lookup load contacts --modgov`: ward councillors from a Modern.Gov
GetCouncillorsByWard answer attached to the real Trafford wards with their work contact
details only, never a home address; councillors of wards not loaded are refused with a reason."""

from __future__ import annotations

import csv
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg

from tests.support.areas import load as load_boundaries
from tests.support.cli import run_cli
from tests.support.paths import shared_data
from tests.support.server import free_port

WARDS = "reference/boundaries/trafford_ward_2023_full_resolution.geojson"
FIXTURE = Path(__file__).parent / "fixtures" / "modgov_councillors_by_ward.xml"


def test_ward_councillors_load_with_work_details_and_never_home_ones(
    database_url: str, tmp_path: Path
) -> None:
    wards = shared_data(WARDS)
    fields = ("--code-field", "area_code", "--name-field", "area_name", "--set", "trafford")
    assert load_boundaries(database_url, wards, "ward", *fields).returncode == 0
    done = run_cli(
        "load",
        "contacts",
        "--modgov",
        str(FIXTURE),
        "--set",
        "trafford",
        "--max-reject-rate",
        "0.5",
        "--rejects-dir",
        str(tmp_path),
        env={"DATABASE_URL": database_url},
    )
    assert done.returncode == 0, done.stderr
    assert "councillors: 3 of 4 attached to their wards" in " ".join(done.stdout.split())
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT a.name, c.name, c.role, c.email, c.phone, c.set_name FROM area_contacts c "
            "JOIN areas a ON a.code = c.area_code AND a.type = c.area_type ORDER BY c.line"
        ).fetchall()
        stored = str(conn.execute("SELECT array_agg(c::text) FROM area_contacts c").fetchone())
    assert rows == [
        (
            "Altrincham",
            "Councillor Ann Example",
            "Councillor (Green Party)",
            "ann.example@trafford.example.gov.uk",
            "0161 912 1212",
            "trafford",
        ),
        (
            "Altrincham",
            "Councillor Bob Sample",
            "Councillor (Labour)",
            "bob.sample@trafford.example.gov.uk",
            "07700 900102",
            "trafford",
        ),
        (
            "Bowdon",
            "Councillor Cai Placeholder",
            "Councillor (Conservative)",
            "cai.placeholder@trafford.example.gov.uk",
            None,
            "trafford",
        ),
    ]
    for home in ("at.home", "Private Lane", "0161 000 000", "07700 900001", "WA14"):
        assert home not in stored, f"a home detail ({home}) was loaded"
    [rejects] = tmp_path.glob("contacts-trafford-v*.csv")
    with rejects.open() as handle:
        refused = [(row["line"], row["reason"]) for row in csv.DictReader(handle)]
    assert refused == [("4", "no ward named 'Nowhere Park' is loaded in this set")]


def test_a_csv_and_modgov_together_are_refused(database_url: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("area_code,name\nA,Ann\n")
    done = run_cli(
        "load",
        "contacts",
        str(csv_file),
        "--modgov",
        str(FIXTURE),
        env={"DATABASE_URL": database_url},
    )
    assert done.returncode == 1
    assert "either a contacts CSV or --modgov" in done.stderr


class _ModgovSite(BaseHTTPRequestHandler):
    """A Modern.Gov web service that answers GetCouncillorsByWard with the fixture."""

    def do_GET(self) -> None:
        found = self.path.endswith("/mgWebService.asmx/GetCouncillorsByWard")
        body = FIXTURE.read_bytes() if found else b"not found"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:  # keep the test output quiet
        return


def test_councillors_load_from_the_web_service_url_with_their_profile_pages(
    database_url: str, tmp_path: Path
) -> None:
    fields = ("--code-field", "area_code", "--name-field", "area_name")
    assert load_boundaries(database_url, shared_data(WARDS), "ward", *fields).returncode == 0
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _ModgovSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}"
    try:
        done = run_cli(
            "load",
            "contacts",
            "--modgov",
            f"{site}/mgWebService.asmx/GetCouncillorsByWard",
            "--max-reject-rate",
            "0.5",
            "--rejects-dir",
            str(tmp_path),
            env={"DATABASE_URL": database_url},
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    with psycopg.connect(database_url) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM area_contacts ORDER BY line")]
    assert urls == [f"{site}/mgUserInfo.aspx?UID={uid}" for uid in (101, 102, 103)]
