"""The address widget's files and its demo journey, "Report speeding traffic".

- ``/widget/v1/address-lookup.js`` and ``.css``: what a council's page loads (one script tag);
- ``/demo/report-speeding``: a GOV.UK-styled form using the widget (GET), its answer (POST):
  the confirmation names the parish the report goes to and its clerk, found on the server, so
  the journey works without JavaScript too;
- ``/demo/govuk/``: GOV.UK Frontend's built stylesheet, fonts and images (from npm) for it.

None of these are JSON endpoints, so they stay out of the OpenAPI document."""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from service.api.deps import Db
from service.errors import NotFound
from service.settings import Settings
from service.widget.pages import PAGE_HEADERS, render_page
from service.widget.report import AREA_FIELDS, TEXT_FIELDS, Checked, read_form
from service.widget.routing import route_report

WIDGET_PATH = "/widget/v1"
GOVUK_PATH = "/demo/govuk"
REPORT_PATH = "/demo/report-speeding"
UK_TIME = ZoneInfo("Europe/London")

router = APIRouter(include_in_schema=False)


class WidgetFiles(StaticFiles):
    """The widget's script and stylesheet, for any council's page: cacheable for a few
    minutes (a fix reaches every form soon), loadable from any origin."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "public, max-age=300"
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def page(name: str, *, status: int = 200, **context: object) -> HTMLResponse:
    """A demo page with the strict security headers every demo page carries."""
    return HTMLResponse(render_page(name, **context), status_code=status, headers=PAGE_HEADERS)


def form_page(checked: Checked, demo_key: str | None, *, status: int = 200) -> HTMLResponse:
    """The report form, showing what was sent and what is wrong with it."""
    context = {"values": checked.values, "errors": checked.errors, "demo_key": demo_key}
    return page("report_form.html", status=status, area_fields=AREA_FIELDS, **context)


@router.get(REPORT_PATH)
async def report_form(request: Request) -> HTMLResponse:
    """The empty form; the widget gets the demo's browser key, when one is set."""
    settings: Settings = request.app.state.settings
    return form_page(Checked({name: "" for name in TEXT_FIELDS}), settings.widget.demo_key)


@router.post(REPORT_PATH)
async def send_report(request: Request, db: Db) -> HTMLResponse:
    """Check the report; show it again with its problems (422), or say where it went."""
    settings: Settings = request.app.state.settings
    checked = read_form(text_fields(await request.form()), today=datetime.now(UK_TIME).date())
    if checked.report is None:
        return form_page(checked, settings.widget.demo_key, status=422)
    report = checked.report
    async with db.connection() as conn:
        routing = await route_report(conn, uprn=report.uprn, postcode=report.postcode)
    return page("report_sent.html", report=report, routing=routing)


def text_fields(form: FormData) -> dict[str, str]:
    """The form's text values (a file sent in their place counts as empty)."""
    return {name: value for name, value in form.items() if isinstance(value, str)}


@router.get(f"{GOVUK_PATH}/govuk-frontend.min.css")
async def govuk_stylesheet(request: Request) -> Response:
    """GOV.UK Frontend's stylesheet, pointing at its fonts and images where this service
    serves them (the built file expects them at /assets, which is not ours to take)."""
    settings: Settings = request.app.state.settings
    css = govuk_css(settings.widget.govuk_frontend_dir / "govuk" / "govuk-frontend.min.css")
    if css is None:
        raise NotFound(
            "GOV.UK Frontend is not installed, so the demo pages have no styles",
            hint="Run scripts/setup.sh, which installs it with npm.",
        )
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@cache
def govuk_css(path: Path) -> str | None:
    """The stylesheet with its asset URLs moved under /demo/govuk, read once."""
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").replace("url(/assets/", f"url({GOVUK_PATH}/assets/")


def install(app: FastAPI) -> None:
    """Serve the widget, its demo journey and the demo's GOV.UK Frontend files."""
    settings: Settings = app.state.settings
    app.include_router(router)
    app.mount(WIDGET_PATH, WidgetFiles(packages=[("service.widget", "static")]), name="widget")
    assets = settings.widget.govuk_frontend_dir / "govuk" / "assets"
    if assets.is_dir():  # without npm's files the demo pages still work, unstyled
        app.mount(f"{GOVUK_PATH}/assets", StaticFiles(directory=assets), name="govuk-assets")
