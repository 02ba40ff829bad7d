"""The API reference at /docs (Swagger UI) and /redoc (ReDoc), served entirely from this
service: their scripts and styles come from the ``fastapi-offline`` package (a maintained
bundle of both), so the pages work on a network without the public CDN FastAPI's own pages
load them from. The pages run no inline script, so their Content-Security-Policy allows
scripts from this origin only; both libraries write inline styles, and ReDoc starts a worker
from a blob, which the policy allows."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
import secure
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

ASSETS = "/docs-assets"
_SELF = "'self'"
DOCS_CSP = (
    secure.ContentSecurityPolicy()
    .default_src(_SELF)
    .script_src(_SELF)
    .style_src(_SELF, "'unsafe-inline'")
    .img_src(_SELF, "data:")
    .font_src(_SELF, "data:")
    .worker_src(_SELF, "blob:")
    .connect_src(_SELF)
    .object_src("'none'")
    .base_uri(_SELF)
    .frame_ancestors("'none'")
).header_value
_HEADERS = {"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"}

SWAGGER_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}} - API reference</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon.png"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/swagger-init.js"></script></body></html>"""

REDOC_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}} - API reference</title>
<link rel="icon" href="{ASSETS}/favicon.png"></head>
<body><redoc spec-url="openapi.json"></redoc>
<script src="{ASSETS}/redoc.standalone.js"></script></body></html>"""


def _bundled_files() -> Path:
    return Path(next(iter(fastapi_offline.__path__))) / "static"


def install(app: FastAPI) -> None:
    """Add /docs, /redoc and their assets (left out of the OpenAPI document)."""
    title = app.title
    files = StaticFiles(directory=_bundled_files(), packages=[("service.api", "docs_files")])
    app.mount(ASSETS, files, name="docs")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return HTMLResponse(SWAGGER_PAGE.format(title=title), headers=_HEADERS)

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC_PAGE.format(title=title), headers=_HEADERS)
