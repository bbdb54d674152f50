"""期号 and 发文字号 that number themselves: the register data/numbers.yaml, the plan, recording, CLI and page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest

BULLETIN = "衡南工作简报"  # data/settings.yaml briefing_defaults.简报.bulletin
CODE = "衡南办发"  # briefing_defaults.公文.code
SIMPLE = ["ecology", "economy", "industry-innovation", "urban-rural-livelihood"]  # the shipped 简报, sorted


def _ds(project: Path):
    from generators.load import load_dataset

    return load_dataset(project / "data")


def _year(project: Path) -> int:
    return _ds(project).year + 1  # the shipped specs are dated "{Y+1}年": numbered in the year after the edition


def _register(project: Path, *rows: tuple[str, str, int, int, str]) -> None:
    from generators.numbering import HEADER, render

    (project / "data" / "numbers.yaml").write_text(render(HEADER, rows), encoding="utf-8")


def _set(project: Path, name: str, text: str) -> None:
    path = project / "data" / "briefings" / f"{name}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(autouse=True)
def _nothing_issued_yet(project: Path) -> None:
    """Each test starts from an empty register (the shipped one records the sample briefings' numbers)."""
    _register(project)


# ---- the plan ----------------------------------------------------------------------------------------------------

def it_numbers_each_series_from_one_in_name_order(project: Path):
    from generators.numbering import number_text, plan

    ds = _ds(project)
    got, y = plan(ds), ds.year + 1
    assert [(n, got[n].number) for n in SIMPLE] == [(n, i) for i, n in enumerate(SIMPLE, 1)]
    assert {got[n].series for n in SIMPLE} == {BULLETIN} and all(got[n].year == y for n in SIMPLE)
    assert number_text(ds, "economy") == "第2期"
    assert number_text(ds, "party") == f"{CODE}〔{y}〕1号"  # 六角括号, no 第, no leading zero


def it_takes_the_next_free_number_after_the_register(project: Path):
    from generators.numbering import plan

    y = _year(project)
    _register(project, ("期号", BULLETIN, y, 7, "old"), ("期号", BULLETIN, y - 1, 30, "last-year"))
    got = plan(_ds(project))
    assert [got[n].number for n in SIMPLE] == [8, 9, 10, 11]  # last year's numbers do not count


def it_keeps_a_recorded_number_on_rebuild(project: Path):
    from generators.numbering import plan, record

    y = _year(project)
    _register(project, ("期号", BULLETIN, y, 3, "economy"))
    got = plan(_ds(project))
    assert got["economy"].number == 3 and not got["economy"].new
    assert [got[n].number for n in ("ecology", "industry-innovation", "urban-rural-livelihood")] == [4, 5, 6]
    record(project / "data", got.values())
    again = plan(_ds(project))
    assert again == {n: a.__class__(**{**a.__dict__, "new": False}) for n, a in got.items()}  # same numbers, recorded


def it_lets_an_explicit_number_win(project: Path):
    from generators.numbering import plan

    y = _year(project)
    _register(project, ("期号", BULLETIN, y, 1, "economy"))
    _set(project, "economy", "number: 12\n")
    _set(project, "ecology", "supplement: true\n")
    got = plan(_ds(project))
    assert got["economy"].number == 12 and got["economy"].explicit and got["economy"].text == "第12期"
    assert got["ecology"].series == BULLETIN + "·增刊" and got["ecology"].text == "增刊第1期"  # numbered apart
    assert got["industry-innovation"].number == 13  # after the highest number of the series


def it_records_an_explicit_doc_number_so_nobody_reuses_it(project: Path):
    from generators.numbering import plan

    y = _year(project)
    _set(project, "party", f"doc_number: {CODE}〔{y}〕4号\n")
    got = plan(_ds(project))
    assert got["party"].text == f"{CODE}〔{y}〕4号" and got["party"].number == 4 and got["party"].explicit


def it_does_not_number_a_draft_or_a_designed_briefing(project: Path):
    from generators.numbering import plan

    _set(project, "economy", "status: 草稿\n")
    path = project / "data" / "briefings" / "ecology.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("preset: 简报", "preset: 专题"), encoding="utf-8")
    got = plan(_ds(project))
    assert "economy" not in got and "ecology" not in got
    assert got["industry-innovation"].number == 1


# ---- reuse refused -----------------------------------------------------------------------------------------------

def it_refuses_a_number_another_briefing_holds(project: Path):
    y = _year(project)
    _register(project, ("期号", BULLETIN, y, 3, "spring-meeting"))
    _set(project, "economy", "number: 3\n")
    before = tree_digest(project / "out"), tree_digest(project / "data")
    res = run_cli("build", "--root", str(project), "--only", "briefings", "--jobs", "1", "-q")
    assert res.code == 2, res.err
    assert "data/briefings/economy.yaml" in res.err and "字段“number”" in res.err, res.err
    assert "spring-meeting" in res.err and "下一个是 4" in res.err and "实际为“3”" in res.err, res.err
    assert (tree_digest(project / "out"), tree_digest(project / "data")) == before  # nothing written
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "spring-meeting" in res.err, res.err


def it_refuses_two_specs_asking_for_one_number(project: Path):
    from generators.errors import InputError
    from generators.numbering import plan

    _set(project, "economy", "number: 2\n")
    _set(project, "ecology", "number: 2\n")
    with pytest.raises(InputError) as exc:
        plan(_ds(project))
    text = "\n".join(p.render() for p in exc.value.problems)
    assert "data/briefings/economy.yaml" in text and "data/briefings/ecology.yaml 也写了这个号" in text, text


def it_refuses_a_doc_number_already_issued(project: Path):
    from generators.errors import InputError
    from generators.numbering import plan

    y = _year(project)
    _register(project, ("发文字号", CODE, y, 2, "notice"))
    _set(project, "party", f"doc_number: {CODE}〔{y}〕2号\n")
    with pytest.raises(InputError) as exc:
        plan(_ds(project))
    [p] = exc.value.problems
    assert p.file == "data/briefings/party.yaml" and p.field == "doc_number" and "notice" in p.message
    assert f"{CODE}〔{y}〕3号" in (p.expected or "")


# ---- the register file -------------------------------------------------------------------------------------------

def it_records_atomically_and_deterministically(project: Path, monkeypatch):
    from generators.numbering import Assigned, record

    data = project / "data"
    path = data / "numbers.yaml"
    path.write_text("# 本县的登记\n# 第二行说明\nissued:\n  - {kind: 期号, series: 会议简报, year: 2026, number: 2, briefing: b}\n",
                    encoding="utf-8")
    a = Assigned("a", "期号", "会议简报", 2026, 1, "第1期")
    c = Assigned("c", "发文字号", "衡南办发", 2026, 5, "衡南办发〔2026〕5号")
    assert [x.briefing for x in record(data, [c, a])] == ["c", "a"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 本县的登记\n# 第二行说明\nissued:\n")  # the header kept
    lines = text.splitlines()[3:]
    assert [ln.split("briefing: ")[1].rstrip("}") for ln in lines] == ["c", "a", "b"]  # sorted: kind, series, number
    assert record(data, [a, c]) == [] and path.read_text(encoding="utf-8") == text  # nothing new: untouched
    other = project / "other"
    other.mkdir()
    (other / "numbers.yaml").write_text("# 本县的登记\n# 第二行说明\nissued: []\n", encoding="utf-8")
    record(other, [a, Assigned("b", "期号", "会议简报", 2026, 2, "第2期"), c])
    assert (other / "numbers.yaml").read_text(encoding="utf-8") == text  # the same entries, the same bytes

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        record(data, [Assigned("d", "期号", "会议简报", 2026, 3, "第3期")])
    assert path.read_text(encoding="utf-8") == text
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]  # no temp file left behind


def it_reads_what_it_writes(project: Path):
    from generators.numbering import Assigned, record

    odd = Assigned("x", "期号", "简报: 第一部分 #1", 2026, 1, "第1期")  # a name YAML would misread unquoted
    record(project / "data", [odd])
    [entry] = _ds(project).numbers
    assert (entry.series, entry.number, entry.briefing) == ("简报: 第一部分 #1", 1, "x")


def it_treats_a_missing_or_comment_only_register_as_empty(project: Path):
    (project / "data" / "numbers.yaml").unlink()
    assert _ds(project).numbers == []
    (project / "data" / "numbers.yaml").write_text("# 只有说明\n", encoding="utf-8")
    assert _ds(project).numbers == []


def it_locates_a_bad_register_entry(project: Path):
    (project / "data" / "numbers.yaml").write_text(
        "# 登记\nissued:\n  - {kind: 期号, series: 衡南工作简报, year: 2026, number: 1, briefing: a}\n"
        "  - {kind: 期数, series: 衡南工作简报, year: 2026, number: 2, briefing: b}\n", encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "data/numbers.yaml 第4行" in res.err and "issued[2].kind" in res.err, res.err
    assert "期数" in res.err and "Traceback" not in res.err, res.err


def it_refuses_one_number_registered_for_two_briefings(project: Path):
    (project / "data" / "numbers.yaml").write_text(
        "issued:\n  - {kind: 期号, series: 衡南工作简报, year: 2026, number: 1, briefing: a}\n"
        "  - {kind: 期号, series: 衡南工作简报, year: 2026, number: 1, briefing: b}\n", encoding="utf-8")
    res = run_cli("check", "--root", str(project))
    assert res.code == 2 and "data/numbers.yaml 第3行" in res.err and "登记了两次" in res.err, res.err


# ---- build, one-off briefing, CLI, page --------------------------------------------------------------------------

def it_records_after_a_build_and_the_next_build_is_a_no_op(project: Path):
    from generators.build import BuildOptions, run_build
    from generators.products import for_kind
    from generators.project import Project

    before = Project.open(project).inputs_hash(for_kind("briefing"), None)
    opts = BuildOptions(root=project, out=project / "out", only=("briefings",), jobs=1)
    first = run_build(opts)
    numbers = _ds(project).numbers
    assert sorted((e.briefing, e.number) for e in numbers if e.kind == "期号") == [(n, i) for i, n in enumerate(SIMPLE, 1)]
    assert [e.briefing for e in numbers if e.kind == "发文字号"] == ["party"]
    after = Project.open(project).inputs_hash(for_kind("briefing"), None)
    assert after == before  # recording the numbers does not make the briefings stale
    out, register = tree_digest(project / "out"), (project / "data" / "numbers.yaml").read_bytes()
    assert run_build(opts) == first
    assert tree_digest(project / "out") == out and (project / "data" / "numbers.yaml").read_bytes() == register
    state = next((project / "out" / "editions").glob("*/data-state.json")).read_text(encoding="utf-8")
    assert "numbers.yaml" not in state  # `reportgen editions` does not list it as changed since the build


def it_records_the_number_of_a_one_off_briefing(project: Path, tmp_path: Path):
    spec = tmp_path / "spring.yaml"
    spec.write_text((project / "data" / "briefings" / "economy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(project / "out" / "spring.docx"))
    assert res.code == 0, res.err
    assert "已登记编号" in res.out and "第5期" in res.out, res.out  # after the four shipped 简报 (not yet issued)
    assert [(e.briefing, e.number) for e in _ds(project).numbers] == [("spring", 5)]


def it_says_which_number_a_one_off_briefing_without_one_gets(project: Path, tmp_path: Path):
    """`reportgen briefing SPEC` without number / doc_number: one stderr line names the register's number
    (none with --quiet, none when the spec writes its number)."""
    y = _year(project)
    spec = tmp_path / "spring.yaml"
    spec.write_text((project / "data" / "briefings" / "economy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(project / "out" / "spring.docx"))
    assert res.code == 0, res.err
    assert "期号：未写，按登记编为第5期（data/numbers.yaml）" in res.err.splitlines(), res.err  # after the shipped 4
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(project / "out" / "spring.docx"))
    assert "期号：未写，沿用已登记的第5期（data/numbers.yaml）" in res.err.splitlines(), res.err  # a rebuild
    res = run_cli("briefing", str(spec), "-q", "--root", str(project), "--out", str(project / "out" / "spring.docx"))
    assert res.code == 0 and "未写" not in res.err, res.err
    party = tmp_path / "notice.yaml"
    party.write_text((project / "data" / "briefings" / "party.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    res = run_cli("briefing", str(party), "--root", str(project), "--out", str(project / "out" / "notice.docx"))
    assert res.code == 0, res.err
    assert f"发文字号：未写，按登记编为{CODE}〔{y}〕2号（data/numbers.yaml）" in res.err.splitlines(), res.err  # after party
    spec.write_text(spec.read_text(encoding="utf-8") + "\nnumber: 9\n", encoding="utf-8")
    res = run_cli("briefing", str(spec), "--root", str(project), "--out", str(project / "out" / "spring.docx"))
    assert res.code == 0 and "未写" not in res.err, res.err


def it_lists_the_register_by_series_and_year(project: Path):
    y = _year(project)
    _register(project, ("期号", BULLETIN, y, 1, "economy"), ("期号", "会议简报", y - 1, 9, "old"))
    res = run_cli("numbers", "--root", str(project))
    assert res.code == 0, res.err
    assert f"{BULLETIN}（期号）{y}年：" in res.out and "已登记：第1期 economy" in res.out, res.out
    assert "下次生成时登记：第2期 ecology、第3期 industry-innovation、第4期 urban-rural-livelihood" in res.out, res.out
    assert "下一个号：第5期" in res.out and f"会议简报（期号）{y - 1}年：" in res.out and "下一个号：第10期" in res.out
    assert f"下一个号：{CODE}〔{y}〕2号" in res.out, res.out


def it_tells_the_page_which_number_an_empty_field_gives(project: Path):
    from tests.test_web_api import client

    y = _year(project)
    c = client(project)
    res = c.get("/api/numbers/next", params={"preset": "简报", "date": "{Y+1}年3月"})
    assert res.status_code == 200, res.text
    assert res.json()["hint"] == "留空则编为第5期" and res.json()["year"] == y
    res = c.get("/api/numbers/next", params={"preset": "简报", "name": "economy", "date": "{Y+1}年"})
    assert res.json()["number"] == 2 and res.json()["hint"] == "留空则编为第2期"
    res = c.get("/api/numbers/next", params={"preset": "公文", "date": "2027年1月5日"})
    assert res.json()["text"] == f"{CODE}〔2027〕1号" and res.json()["hint"] == f"留空则编为{CODE}〔2027〕1号"
    assert c.get("/api/numbers/next", params={"preset": "专题"}).json()["number"] is None
    assert c.get("/api/numbers/next", params={"preset": "简报", "number": 3}).json()["hint"] == ""  # explicit
    res = c.get("/api/numbers/next", params={"preset": "公文", "doc_number": f"{CODE}[{y}]3号"})
    assert res.status_code == 422 and "六角括号" in res.text
    listed = c.get("/api/numbers").json()
    assert listed["file"] == "data/numbers.yaml" and any(s["series"] == BULLETIN for s in listed["series"])
    assert not (project / "data" / "numbers.yaml").read_text(encoding="utf-8").count("briefing:")  # read-only


def it_refuses_on_the_page_a_number_another_briefing_holds(project: Path):
    from tests.test_web_api import client

    _register(project, ("期号", BULLETIN, _year(project), 3, "economy"))
    res = client(project).get("/api/numbers/next", params={"preset": "简报", "number": 3, "name": "new-one",
                                                                 "date": "{Y+1}年"})
    assert res.status_code == 422 and "economy" in res.text and "下一个是 4" in res.text, res.text


def it_guards_the_number_endpoints_like_the_others(project: Path):
    from tests.test_web_api import client

    c = client(project, token="test-token-1234", loopback_only=False)
    assert c.get("/api/numbers/next").status_code == 401
    assert c.get("/api/numbers").status_code == 401
    assert c.get("/api/numbers", headers={"X-Reportgen-Token": "test-token-1234"}).status_code == 200


def it_rebuilds_only_the_briefings_in_watch_when_the_register_changes(project: Path):
    from generators import preview as P
    from generators import products as R

    before = P.inputs_by_product(project, R.choose([]))
    assert P.affected({"data/numbers.yaml"}, before, before) == ["briefings"]


def it_records_nothing_when_the_publish_fails(project: Path, monkeypatch):
    from generators import build as B
    from generators.build import BuildOptions, run_build

    def failed(*_a, **_k):
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(B.publish, "publish", failed)
    before = (project / "data" / "numbers.yaml").read_bytes()
    with pytest.raises(OSError):
        run_build(BuildOptions(root=project, out=project / "out", only=("briefings",), jobs=1))
    assert (project / "data" / "numbers.yaml").read_bytes() == before


def it_records_the_number_a_page_download_prints(project: Path):
    """"生成 Word" on the page is a briefing handed out: its number is recorded (under the save name, else the
    title), a second download keeps it, another briefing gets the next one, and a running build refuses it."""
    from urllib.parse import unquote

    from tests.test_web_api import client, docx_text, spec

    y = _year(project)
    _register(project, *(("期号", BULLETIN, y, n, name) for n, name in enumerate(SIMPLE, 1)))  # as shipped
    c = client(project)
    brief = spec(preset="简报", date="{Y+1}年3月")
    res = c.post("/api/briefings/render", params={"name": "三月"}, json=brief)
    assert res.status_code == 200, res.text
    assert unquote(res.headers["X-Reportgen-Number"]) == "第5期" and "第5期" in docx_text(res.content)
    register = project / "data" / "numbers.yaml"
    assert f"{{kind: 期号, series: {BULLETIN}, year: {y}, number: 5, briefing: 三月}}" in register.read_text("utf-8")
    again = c.post("/api/briefings/render", params={"name": "三月"}, json=brief)
    assert "X-Reportgen-Number" not in again.headers and "第5期" in docx_text(again.content)  # kept, not re-issued
    assert c.get("/api/numbers/next", params={"preset": "简报", "name": "三月", "date": "{Y+1}年"}
                 ).json()["hint"] == "留空则沿用已登记的第5期"
    before = register.read_bytes()
    jobs = c.app.state.jobs
    assert jobs.writing.acquire(blocking=False)  # a build is publishing
    try:
        busy = c.post("/api/briefings/render", params={"name": "四月"}, json=brief)
        kept = c.post("/api/briefings/render", params={"name": "三月"}, json=brief)  # nothing new to record
    finally:
        jobs.writing.release()
    assert busy.status_code == 422 and "稍后" in busy.text and register.read_bytes() == before, busy.text
    assert kept.status_code == 200
    assert unquote(c.post("/api/briefings/render", params={"name": "四月"}, json=brief
                          ).headers["X-Reportgen-Number"]) == "第6期"
    designed = c.post("/api/briefings/render", params={"name": "专题一"}, json=spec(preset="专题"))
    assert designed.status_code == 200 and "X-Reportgen-Number" not in designed.headers


def it_refuses_to_record_a_number_given_meanwhile_to_another_briefing(project: Path):
    """A build's child and the page record under one OS lock, re-reading the register: a number recorded for
    another briefing since the plan was made is refused, the register left as it is (no silent duplicate)."""
    from generators.errors import InputError
    from generators.numbering import Assigned, record

    y = _year(project)
    _register(project, ("期号", BULLETIN, y, 5, "三月"))
    register = project / "data" / "numbers.yaml"
    before = register.read_bytes()
    with pytest.raises(InputError) as exc:
        record(project / "data", [Assigned("四月", "期号", BULLETIN, y, 5, "第5期")])
    assert "三月" in exc.value.problems[0].message and register.read_bytes() == before
    assert record(project / "data", [Assigned("三月", "期号", BULLETIN, y, 5, "第5期")]) == []  # its own: kept
    assert record(project / "data", [Assigned("四月", "期号", BULLETIN, y, 6, "第6期")])
    assert "number: 6, briefing: 四月" in register.read_text(encoding="utf-8")


def it_issues_no_number_for_a_preview(project: Path):
    """`reportgen preview` builds the stale documents into a private folder to draw them: a proof, not an issue —
    the register stays as it is (the build that publishes them gives the same numbers and records them)."""
    from generators.preview import PreviewOptions, run_preview

    register = project / "data" / "numbers.yaml"
    before = register.read_bytes()
    run_preview(PreviewOptions(root=project, out=project / "preview", only=("briefings",), quiet=True))
    assert register.read_bytes() == before
    res = run_cli("numbers", "--root", str(project))
    assert "下次生成时登记：第1期 ecology" in res.out, res.out
