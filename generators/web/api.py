"""The JSON API the page uses (and scripts may): catalogue, briefings, builds, downloads, yearly update, templates."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response

from generators import products
from generators.errors import InputError, Problem
from generators.web import uploads
from generators.web.hello import HELLO_APP

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pdf": "application/pdf",
         ".docx": DOCX}
SHA = re.compile(r"^[0-9a-f]{64}$")
PAGE = re.compile(r"^(page|slide)-\d{2,4}\.png$")
IMAGE_NAME = re.compile(r"^[0-9A-Za-z_\-\u4e00-\u9fff]{1,60}\.(png|jpg|jpeg)$")
PAGE_FONTS = ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf")  # bundled: the page's CJK face where the system has none

router = APIRouter()


def problems(status: int, *items: Problem | dict) -> JSONResponse:
    from generators.web.service import problem_dict

    body = [i if isinstance(i, dict) else problem_dict(i) for i in items]
    return JSONResponse({"problems": body}, status_code=status)


def attachment(name: str) -> dict[str, str]:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


async def json_body(request: Request) -> Any:
    if "application/json" not in request.headers.get("content-type", ""):
        raise InputError(Problem("请求", field="Content-Type", message="应为 application/json"))
    body = await request.body()
    if json_depth(body) > MAX_JSON_DEPTH:  # the parser recurses: refuse before it runs out of stack
        raise InputError(Problem("请求", message=f"请求内容嵌套过深（超过 {MAX_JSON_DEPTH} 层）；简报说明只需要几层",
                                 expected=f"不超过 {MAX_JSON_DEPTH} 层的 JSON"))
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise InputError(Problem("请求", message="请求内容不是有效的 JSON")) from None


MAX_JSON_DEPTH = 40  # as for YAML specs (load/textio.py); the real specs need 8


def json_depth(body: bytes) -> int:
    """The deepest nesting of [ and { in a JSON text, strings skipped (escapes included)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot be deeper: no need to walk it
    depth = deepest = 0
    in_string = escaped = False
    for b in body:
        if in_string:
            if escaped:
                escaped = False
            elif b == 0x5C:
                escaped = True
            elif b == 0x22:
                in_string = False
        elif b == 0x22:
            in_string = True
        elif b in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif b in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _svc(request: Request):
    return request.app.state.service


def _jobs(request: Request):
    return request.app.state.jobs


@router.get("/api/hello")
async def hello():
    """Who is answering: lets a second start of the 工作台 find the first one and just open the browser."""
    return {"app": HELLO_APP, "name": "工作台"}


# ---- catalogue and briefings ----------------------------------------------------------------------

@router.get("/api/catalogue")
async def catalogue(request: Request):
    return await run_in_threadpool(_svc(request).catalogue)


@router.get("/api/charts/{chart_id}.png")
async def chart_png(request: Request, chart_id: str):
    data = await run_in_threadpool(_svc(request).chart_png, chart_id)
    if data is None:
        return problems(404, Problem("data/charts.yaml", field="chart", message="没有这个图表", found=chart_id))
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-cache"})


@router.get("/api/schema/briefing")
async def briefing_schema():
    """The JSON schema of a briefing spec: the page draws its form from it (labels, widgets, presets)."""
    from generators.load.specs import BriefingSpec

    return BriefingSpec.model_json_schema()


@router.get("/api/schema/briefing/defaults")
async def briefing_defaults(request: Request):
    """What a briefing takes, by 版式, for a field it leaves out (data/settings.yaml `briefing_defaults`, read-only):
    the form shows them as "默认：…" and does not write a field left at its default."""
    return await run_in_threadpool(_svc(request).briefing_defaults)


@router.post("/api/charts/picked.png")
async def picked_chart_png(request: Request, year: int | None = None):
    """A chart from picked figures (the JSON of a `chart:` written inline) as the page shows it."""
    data = await run_in_threadpool(_svc(request).picked_chart_png, await json_body(request), year)
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/api/briefings")
async def briefing_list(request: Request):
    return await run_in_threadpool(_svc(request).briefings)


@router.get("/api/briefings/{name}")
async def briefing_get(request: Request, name: str):
    raw = await run_in_threadpool(_svc(request).briefing_raw, name)
    if raw is None:
        return problems(404, Problem("简报", field="name", message="没有这份简报", found=name))
    return raw


@router.get("/api/numbers")
async def numbers(request: Request):
    """The register of issued 期号 and 发文字号 (data/numbers.yaml) by series and year, with each next number."""
    from generators.numbering import FILE, summary

    return {"file": f"data/{FILE}", "series": await run_in_threadpool(lambda: summary(_svc(request).state().ds))}


@router.get("/api/numbers/next")
async def number_next(request: Request, name: str = "", preset: str = "简报", bulletin: str = "", supplement: bool = False,
                      code: str = "", doc_number: str = "", number: int | None = None, date: str = "",
                      year: int | None = None):
    """The number a briefing on the form would get ("留空则编为第N期"): read-only, nothing is recorded."""
    from generators.load.specs import check_doc_number
    from generators.numbering import propose

    if preset not in ("简报", "公文", "专题"):
        raise InputError(Problem("简报", field="preset", expected="简报、公文 或 专题", found=preset))
    if number is not None and not 1 <= number <= 9999:
        raise InputError(Problem("简报", field="number", expected="1 到 9999 的整数", found=str(number)))
    if year is not None and not 1949 <= year <= 2100:
        raise InputError(Problem("简报", field="year", expected="1949 到 2100 的年份", found=str(year)))
    try:
        doc_number = check_doc_number(doc_number) if doc_number.strip() else ""
    except ValueError as exc:
        raise InputError(Problem("简报", field="doc_number", message=str(exc))) from None
    fields = {"preset": preset, "bulletin": bulletin.strip(), "supplement": supplement or None, "code": code.strip(),
              "doc_number": doc_number, "number": number, "date": date.strip(), "year": year}
    return await run_in_threadpool(lambda: propose(_svc(request).state().ds, name.strip(), fields))


@router.post("/api/briefings/check")
async def briefing_check(request: Request):
    return await run_in_threadpool(_svc(request).check_briefing, await json_body(request))


@router.post("/api/briefings/render")
async def briefing_render(request: Request, name: str = ""):
    """`name`: the save name the page shows; the file is named like a build names it (file, else name, else title)."""
    body, jobs = await json_body(request), _jobs(request)
    held = False

    def issue() -> bool:  # the number it prints is recorded: under the lock a build and a save take
        nonlocal held
        held = jobs.writing.acquire(blocking=False)
        return held

    try:
        file, data, number = await run_in_threadpool(_svc(request).render_briefing, body, name, issue)
    finally:
        if held:
            jobs.writing.release()
    headers = attachment(file) | ({"X-Reportgen-Number": quote(number)} if number else {})
    return Response(data, media_type=DOCX, headers=headers)


@router.post("/api/briefings/preview")
async def briefing_preview(request: Request, name: str = ""):
    """Every page of the briefing at reading size: {"pages": [url of page 1, …]}."""
    svc = _svc(request)
    key, names = await run_in_threadpool(svc.proof_pages, await json_body(request), name)
    return {"pages": [f"/proofs/{key}/{n}" for n in names]}


@router.get("/proofs/{key}/{page}")
async def proof_page(request: Request, key: str, page: str):
    if not SHA.match(key) or not PAGE.match(page):  # first: nothing odd ever reaches the file system
        return problems(404, Problem("预览", message="没有这一页", found=page))
    path = _svc(request).proof_folder(key) / page
    if not path.is_file():
        return problems(404, Problem("预览", message="没有这一页（预览已过期，请再点一次“预览全部页面”）", found=page))
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


@router.post("/api/briefings/save")
async def briefing_save(request: Request):
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InputError(Problem("请求", message="应为 {\"name\": …, \"spec\": {…}} 的 JSON"))
    jobs = _jobs(request)
    if not jobs.writing.acquire(blocking=False):
        return problems(409, Problem("简报", message="正在生成文档，请稍后再保存"))
    try:
        saved = await run_in_threadpool(_svc(request).save_briefing, body.get("name"), body.get("spec"),
                                        bool(body.get("overwrite")), body.get("status") == "成品")
    finally:
        jobs.writing.release()
    return saved


async def one_file(request: Request, limit: int, what: str) -> tuple[str, bytes, dict]:
    """(file name, bytes, other fields) of a multipart upload of one file; located Chinese problems otherwise."""
    from starlette.exceptions import HTTPException
    from starlette.formparsers import MultiPartException

    if "multipart/form-data" not in request.headers.get("content-type", ""):
        raise InputError(Problem("上传", field="Content-Type", message=f"应以表单（multipart/form-data）上传{what}"))
    try:
        async with request.form(max_files=1, max_fields=4, max_part_size=64 * 1024) as form:
            file = form.get("file")
            if file is None or isinstance(file, str):
                raise InputError(Problem("上传", field="file", message=f"没有收到{what}文件"))
            data = await file.read(limit + 1)
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            return file.filename or "", data, fields
    except (MultiPartException, HTTPException) as exc:  # Starlette turns the first into a 400 with English text
        text = str(getattr(exc, "detail", "") or getattr(exc, "message", "") or exc)
        reason = "一次只能上传一个文件" if "files" in text.lower() else "表单格式不对或内容过多"
        raise InputError(Problem("上传", field="file", message=f"{reason}（{text}）")) from None


@router.post("/api/images")
async def image_upload(request: Request):
    filename, data, _ = await one_file(request, uploads.MAX_IMAGE_BYTES, "图片")
    name = await run_in_threadpool(uploads.save_image, _svc(request).images, filename, data)
    return {"image": name}


@router.get("/images/{name}")
async def image_get(request: Request, name: str):
    if not IMAGE_NAME.match(name):  # first: nothing odd (a NUL, a separator) ever reaches the file system
        return problems(404, Problem("assets/images", field="image", message="没有这张图片", found=name))
    folder = _svc(request).images.resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        return problems(404, Problem("assets/images", field="image", message="没有这张图片", found=name))
    return FileResponse(path)


@router.get("/fonts/{name}", include_in_schema=False)
async def font(request: Request, name: str):
    path = _svc(request).root / "assets" / "fonts" / name
    if name not in PAGE_FONTS or not path.is_file():
        return problems(404, Problem("assets/fonts", message="没有这个字体", found=name))
    return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})


# ---- documents, builds, downloads ---------------------------------------------------------------------

@router.get("/api/documents")
async def documents(request: Request):
    svc = _svc(request)
    docs = await run_in_threadpool(svc.documents)
    missing = []
    for p in docs["products"]:
        for f in p["files"]:
            f["url"] = "/files/" + quote(f["path"])
            names = svc.thumbnails(f["sha256"]) if SHA.match(f["sha256"]) else []
            f["pages"] = [f"/thumbs/{f['sha256']}/{n}" for n in names]
            f["page_sizes"] = [svc.thumbnail_size(f["sha256"], n) for n in names]  # the strip keeps its shape while loading
            if not names and SHA.match(f["sha256"]):
                missing.append(f)
    for e in docs["editions"]:
        for f in e["files"]:
            f["url"] = f"/editions/{e['year']}/" + quote(f["path"])
    jobs = _jobs(request)
    if missing:
        jobs.start_thumbnails(missing)  # e.g. after a build from the command line; once per file and server run
    job = jobs.running()
    docs["job"] = job.public() if job else None
    return docs


@router.get("/api/years")
async def years(request: Request):
    """Each year with figures: can its edition be built, and the reason (the rule check and build apply)."""
    return {"years": await run_in_threadpool(_svc(request).year_statuses)}


@router.get("/api/documents/outline")
async def outline(request: Request, file: str = ""):
    return {"file": file, "outline": await run_in_threadpool(_svc(request).outline, file)}


@router.post("/api/build")
async def build_start(request: Request):
    body = await json_body(request) if request.headers.get("content-length") not in (None, "0") else {}
    body = body if isinstance(body, dict) else {}
    year, only = body.get("year"), body.get("only") or []
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise InputError(Problem("请求", field="year", message="应为四位年份（整数）", found=str(year)))
    offered = products.offered()
    if not isinstance(only, list) or any(p not in offered for p in only):
        raise InputError(Problem("请求", field="only", expected="、".join(offered) + " 中的若干项", found=str(only)))
    if year is not None:  # the one rule (generators/load/years.py), as build itself applies it
        mine = await run_in_threadpool(_svc(request).year_status, year)
        if not mine["buildable"]:
            years = [s["year"] for s in await run_in_threadpool(_svc(request).year_statuses) if s["buildable"]]
            raise InputError(Problem("请求", field="year", message=f"{year}年：{mine['reason']}",
                                     expected="可以生成的年份：" + ("、".join(map(str, years)) or "无"), found=str(year)))
    job, started = _jobs(request).start_build(year, bool(body.get("force")), only)
    return JSONResponse({"job": job.id, "started": started, "status": job.public()}, status_code=202 if started else 200)


@router.get("/api/jobs/{job_id}")
async def job_status(request: Request, job_id: str):
    job = _jobs(request).get(job_id)
    if job is None:
        return problems(404, Problem("任务", field="job", message="没有这个任务", found=job_id))
    return job.public()


@router.get("/files/{rel:path}")
async def download(request: Request, rel: str):
    svc = _svc(request)
    from generators.build import read_manifest

    files = read_manifest(svc.out).get("files", {})
    if rel not in files:  # only what the last build wrote; checked before any path is made of it
        return problems(404, Problem("out/", field="file", message="输出文件夹中没有这个文件", found=rel))
    path = (svc.out / rel).resolve()
    if svc.out not in path.parents or not path.is_file():
        return problems(404, Problem("out/", field="file", message="输出文件夹中没有这个文件", found=rel))
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"), headers=attachment(path.name))


@router.get("/api/editions")
async def editions(request: Request):
    """Every kept edition with its files and their download addresses."""
    listed = await run_in_threadpool(_svc(request).editions)
    for e in listed:
        for f in e["files"]:
            f["url"] = f"/editions/{e['year']}/" + quote(f["path"])
    return {"editions": listed}


@router.get("/editions/{year}/{rel:path}")
async def edition_download(request: Request, year: int, rel: str):
    """A file of a kept edition, byte for byte as its build published it."""
    path = await run_in_threadpool(_svc(request).edition_file, year, rel)
    if path is None:
        return problems(404, Problem("out/editions", field="file", message=f"保存的 {year} 年版本中没有这个文件", found=rel))
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"), headers=attachment(path.name))


@router.get("/thumbs/{sha}/{page}")
async def thumb(request: Request, sha: str, page: str):
    if not SHA.match(sha) or not PAGE.match(page):
        return problems(404, Problem("缩略图", message="没有这张缩略图", found=f"{sha}/{page}"))
    path = _svc(request).thumbs_folder(sha) / page
    if not path.is_file():
        return problems(404, Problem("缩略图", message="没有这张缩略图", found=page))
    return FileResponse(path, media_type="image/png")


# ---- yearly update and templates ------------------------------------------------------------------

@router.get("/api/yearly/workbook")
async def workbook(request: Request, year: int):
    data = await run_in_threadpool(_svc(request).workbook, year)
    return Response(data, media_type=XLSX, headers=attachment(f"年度填报-{year}.xlsx"))


def _upload_folder(request: Request) -> Path:
    return _svc(request).work / "uploads"


@router.post("/api/yearly/check")
async def workbook_check(request: Request):
    filename, data, fields = await one_file(request, uploads.MAX_WORKBOOK_BYTES, "填报表")
    replace = fields.get("replace") in ("1", "true", "on")
    wins = fields.get("bulletin_wins") in ("1", "true", "on")
    upload, path = uploads.save_workbook(_upload_folder(request), filename, data)
    result = await run_in_threadpool(_svc(request).check_workbook, path, replace, wins)
    return {"upload": upload} | result


@router.post("/api/yearly/import")
async def workbook_import(request: Request):
    body = await json_body(request)
    body = body if isinstance(body, dict) else {}
    path = uploads.find_workbook(_upload_folder(request), body.get("upload"))
    if path is None:
        return problems(404, Problem("上传", field="upload", message="找不到这次上传的填报表，请重新上传"))
    jobs = _jobs(request)
    if not jobs.writing.acquire(blocking=False):
        return problems(409, Problem("data/", message="正在生成文档，请稍后再导入"))
    try:
        result = await run_in_threadpool(_svc(request).import_workbook, path, bool(body.get("replace")),
                                         bool(body.get("bulletin_wins")))
    finally:
        jobs.writing.release()
    if body.get("build", True) and result["edition"]["buildable"]:  # the rule build applies: never a failing build
        job, _ = jobs.start_build(result["year"])
        result["job"] = job.id
    return result


@router.get("/api/templates/check")
async def template_check(request: Request):
    return await run_in_threadpool(_svc(request).template_check)
