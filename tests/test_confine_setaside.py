"""Rule 5: one bad briefing spec does not stop the rest — it is set aside and reported (exit 2, file and line)
while the deck, the PDF and the other briefings build and publish together; list, single briefings and the page
keep working, and the page shows the bad spec with its message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest
from tests.test_bad_input_common import ENGLISH

ONLY = ("--only", "briefings", "--only", "summary", "--jobs", "1", "--quiet")
BAD = {
    "shape": ("title: 坏\nsections:\n  - heading: x\n", "heading"),
    "typo": (None, "gpd"),  # economy.yaml with one @Y reference misspelt
    "yaml": ("title: 坏\nsections: [\n", "sections"),
}


def _break(project: Path, kind: str) -> Path:
    text, _needle = BAD[kind]
    if text is None:
        text = (project / "data/briefings/economy.yaml").read_text(encoding="utf-8")
        text = text.replace("ref: gdp@Y", "ref: gpd@Y", 1).replace("file: 经济运行简报", "file: 坏简报")
    path = project / "data/briefings/zz-bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(project: Path, *extra: str):
    return run_cli("build", "--root", str(project), "--out", str(project / "out"), *ONLY, *extra)


@pytest.mark.parametrize("kind", sorted(BAD))
def it_builds_and_publishes_everything_else_and_names_the_bad_spec(project: Path, kind: str):
    _break(project, kind)
    res = _build(project)
    assert res.code == 2, res.err
    assert "data/briefings/zz-bad.yaml" in res.err and re.search(r"zz-bad\.yaml 第\d+行", res.err), res.err
    assert "Traceback" not in res.err and not ENGLISH.search(res.err), res.err
    assert "其余文档已正常生成并发布" in res.err and "未修改输出文件夹" not in res.err
    manifest = json.loads((project / "out/manifest.json").read_text(encoding="utf-8"))
    shipped = len(list((project / "data/briefings").glob("*.yaml"))) - 1
    assert len(manifest["products"]["briefings"]["files"]) == shipped
    assert "fyp14-summary.pdf" in manifest["files"] and (project / "out/fyp14-summary.pdf").is_file()
    if kind == "typo":
        assert "“gpd”" in res.err and "gdp" in res.err  # the typo named, with the nearest id
        assert res.err.count("\n  - ") == 1, res.err  # one line, not dozens about a missing year


def it_keeps_the_bad_specs_old_document_until_it_is_fixed(project: Path):
    good = (project / "data/briefings/economy.yaml").read_text(encoding="utf-8").replace("file: 经济运行简报", "file: 另一份")
    (project / "data/briefings/zz-bad.yaml").write_text(good, encoding="utf-8")
    assert _build(project).code == 0
    old = (project / "out/briefings/另一份.docx").read_bytes()
    _break(project, "typo")
    assert _build(project).code == 2
    assert (project / "out/briefings/另一份.docx").read_bytes() == old
    again = _build(project)  # up to date otherwise: still reported, nothing rebuilt or removed
    assert again.code == 2 and "zz-bad.yaml" in again.err
    assert (project / "out/briefings/另一份.docx").read_bytes() == old


def it_still_refuses_everything_when_something_else_is_wrong(project: Path):
    _break(project, "shape")
    (project / "data/sources.yaml").write_text("- [\n", encoding="utf-8")
    before = tree_digest(project / "out")
    res = _build(project)
    assert res.code == 2 and "sources.yaml" in res.err and "zz-bad.yaml" in res.err, res.err
    assert "未修改输出文件夹" in res.err and tree_digest(project / "out") == before


def it_keeps_check_list_and_single_briefings_working(project: Path, tmp_path: Path):
    _break(project, "typo")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "zz-bad.yaml" in res.err and "gpd" in res.err, res.err
    res = run_cli("list", "charts", "--root", str(project))
    assert res.code == 0, res.err
    res = run_cli("briefing", str(project / "data/briefings/party.yaml"), "--root", str(project),
                  "--out", str(tmp_path / "p.docx"))
    assert res.code == 0 and (tmp_path / "p.docx").is_file(), res.err
    res = run_cli("briefing", str(project / "data/briefings/zz-bad.yaml"), "--root", str(project),
                  "--out", str(tmp_path / "bad.docx"))
    assert res.code == 2 and "gpd" in res.err and not (tmp_path / "bad.docx").exists()


def it_shows_the_bad_spec_on_the_page_and_works_otherwise(tmp_path: Path):
    from fastapi.testclient import TestClient

    from generators.web.app import create_app
    from tests.test_web_api import make_project

    proj = make_project(tmp_path / "proj")
    _break(proj, "typo")
    c = TestClient(create_app(proj, warm=False), base_url="http://127.0.0.1:8000")
    page = c.get("/briefing")
    assert page.status_code == 200 and "已跳过" in page.text and "zz-bad.yaml" in page.text and "gpd" in page.text
    listed = {b["name"]: b for b in c.get("/api/briefings").json()}
    assert "economy" in listed and listed["zz-bad"]["problems"] and "gpd" in listed["zz-bad"]["problems"][0]["message"]
    assert c.get("/api/briefings/zz-bad").json()["keyfigures"][0]["ref"] == "gpd@Y"  # opened as written, to fix
    assert c.get("/api/catalogue").status_code == 200
    assert c.get("/").status_code == 200 and "数据有误，需先改正" not in c.get("/").text
