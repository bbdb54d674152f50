"""The 工作台 web app: FastAPI with Jinja2 pages, the JSON API, static files, errors as located Chinese problems."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic.warnings import UnsupportedFieldAttributeWarning
from starlette.exceptions import HTTPException as StarletteHTTPException

from generators.errors import InputError, ReportgenError
from generators.web import api, bulletinweb
from generators.web.jobs import Jobs
from generators.web.security import Guard
from generators.web.service import Service, problem_dict

HERE = Path(__file__).parent
NAV = [("/", "文档", "documents"), ("/briefing", "简报", "briefing"), ("/yearly", "年度更新", "yearly"),
       ("/designer", "模板与设计", "designer")]
templates = Jinja2Templates(directory=str(HERE / "templates"))


def create_app(root: Path, out: Path | None = None, token: str | None = None, loopback_only: bool = True,
               warm: bool = True, host: str | None = None) -> FastAPI:
    """The app for one project folder; `token` required on every request when set; Host must be loopback, or
    (not `loopback_only`) the `host` it was started on (security.allowed_names)."""
    # FastAPI builds each route's parameters again on the route's first request and silences this pydantic warning
    # (about its own parameter objects) around that with `warnings.catch_warnings`, which is not thread-safe: the
    # warm-up thread (matplotlib, the workbook reader) leaving its own catch_warnings meanwhile can put the filters
    # back without FastAPI's, and the warning then reached the console, or, where warnings are errors, failed the
    # request. Ignored for the process before the server or the warm-up thread starts.
    warnings.filterwarnings("ignore", category=UnsupportedFieldAttributeWarning)
    app = FastAPI(title="报告生成器 · 工作台 API", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.service = Service(root, out)
    app.state.jobs = Jobs(app.state.service)
    app.add_middleware(Guard, token=token, loopback_only=loopback_only, host=host)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(bulletinweb.router)  # the 年度更新 page's bulletin step
    _handlers(app)
    _pages(app)
    app.state.warming = threading.Thread(target=app.state.service.warm, daemon=True) if warm else None
    if app.state.warming is not None:
        app.state.warming.start()
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        roots = (request.app.state.service.root,)
        return JSONResponse({"problems": [problem_dict(p, roots) for p in exc.problems]}, status_code=422)

    @app.exception_handler(ReportgenError)
    async def _other(request: Request, exc: ReportgenError):
        return JSONResponse({"problems": [{"field": "", "message": f"错误：{exc}"}]}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _params(request: Request, exc: RequestValidationError):
        items = [{"field": ".".join(str(x) for x in e["loc"][1:]) or str(e["loc"][0]),
                  "message": f"参数“{'.'.join(str(x) for x in e['loc'][1:])}”不对：" + _param_zh(e["type"])}
                 for e in exc.errors()]
        return JSONResponse({"problems": items}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = {404: "没有这个页面或接口", 405: "不支持这种请求方法"}.get(exc.status_code, str(exc.detail))
        return JSONResponse({"problems": [{"field": "", "message": message}]}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        return JSONResponse({"problems": [{"field": "", "message": f"内部错误（internal error）：{type(exc).__name__}: {exc}"}]},
                            status_code=500)


def _param_zh(kind: str) -> str:
    return {"int_parsing": "应为整数", "missing": "缺少这个参数", "int_type": "应为整数"}.get(kind, "格式不对")


def _page(request: Request, name: str, active: str, **context) -> HTMLResponse:
    svc = request.app.state.service
    return templates.TemplateResponse(request, name, {"nav": NAV, "active": active,
                                                      "data_problems": svc.problems(),
                                                      "set_aside": svc.set_aside(), **context})


def _pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request):
        return _page(request, "documents.html", "documents")

    @app.get("/briefing", response_class=HTMLResponse, include_in_schema=False)
    def briefing_page(request: Request):
        return _page(request, "briefing.html", "briefing")

    @app.get("/yearly", response_class=HTMLResponse, include_in_schema=False)
    def yearly_page(request: Request):
        svc = request.app.state.service
        try:
            years = [y["year"] for y in svc.year_statuses() if y["default"]]
        except InputError:
            years = []
        latest = max(years) if years else None
        return _page(request, "yearly.html", "yearly", next_year=(latest + 1) if latest else "")

    @app.get("/designer", response_class=HTMLResponse, include_in_schema=False)
    def designer_page(request: Request):
        return _page(request, "designer.html", "designer", check=request.app.state.service.template_check())
