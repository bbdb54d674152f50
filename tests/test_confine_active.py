"""Rule 2: nothing in data, templates or the environment starts a program or reaches the network.

matplotlib draws from known defaults whatever matplotlibrc the project folder, the user or $MATPLOTLIBRC holds,
and keeps its caches in build/; a template with macros, ActiveX, OLE objects, links out or pulling fields is
refused by `check` and `build`, naming the part and the Word/PowerPoint step that removes it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.load.activeparts import active_problems
from tests.conftest import ROOT, run_cli, tree_digest
from tests.test_bad_input_common import Case, assert_refused, ids, replace

HOSTILE_RC = "axes.facecolor: red\nlines.linewidth: 9\nfont.size: 40\ntext.usetex: True\naxes.grid: True\n"
RENDER = """
import hashlib, os, sys
from pathlib import Path
from generators.documents.common import Context, chart
from generators.project import Project
p = Project.open(Path(sys.argv[1]))
ds = p.dataset
c = chart(Context(ds, ds.year, p.images), sorted(ds.charts)[0])
print(hashlib.sha256(p.charts.svg(c.data) + p.charts.png(c.data)).hexdigest(), os.environ.get("MPLCONFIGDIR"))
"""


def _render(project: Path, cwd: Path, env: dict) -> tuple[str, str]:
    res = subprocess.run([sys.executable, "-c", RENDER, str(project)], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    digest, folder = res.stdout.split()
    return digest, folder


def it_draws_charts_from_known_defaults_whatever_matplotlibrc_says(project: Path, tmp_path: Path):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("MPL", "MATPLOTLIB"))}
    base["PYTHONPATH"] = str(ROOT)
    clean_home, hostile_home = tmp_path / "home1", tmp_path / "home2"
    clean_home.mkdir()
    (hostile_home / ".config" / "matplotlib").mkdir(parents=True)
    (hostile_home / ".config" / "matplotlib" / "matplotlibrc").write_text(HOSTILE_RC)
    hostile_cwd = tmp_path / "cwd"
    hostile_cwd.mkdir()
    (hostile_cwd / "matplotlibrc").write_text(HOSTILE_RC)
    (tmp_path / "env.rc").write_text(HOSTILE_RC.replace("red", "blue"))
    clean = _render(project, clean_home, {**base, "HOME": str(clean_home)})
    hostile = _render(project, hostile_cwd, {**base, "HOME": str(hostile_home), "MATPLOTLIBRC": str(tmp_path / "env.rc"),
                                             "MPLCONFIGDIR": str(hostile_home / ".config" / "matplotlib")})
    assert hostile[0] == clean[0]  # the same bytes: nothing of the configuration files reached the chart
    assert Path(hostile[1]) == project / "build" / "cache" / "matplotlib"
    assert not (clean_home / ".cache").exists() and not (clean_home / ".matplotlib").exists()  # no cache in home


# ---- templates ------------------------------------------------------------------------------------

def _rezip(path: Path, edit) -> bytes:
    """The package at `path` with `edit(members: dict)` applied."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    edit(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _package(rel: str, edit):
    def mutate(root: Path) -> None:
        replace(root / rel, _rezip(root / rel, edit))
    return mutate


def _add(name: str, data: bytes = b"\xd0\xcf\x11\xe0 ole or vba"):
    return lambda m: m.__setitem__(name, data)


def _rel(part_rels: str, rid: str, kind: str, target: str, external: bool = True):
    def edit(m):
        rel = (f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
               f'Target="{target}"' + (' TargetMode="External"' if external else "") + "/>")
        if part_rels in m:
            m[part_rels] = m[part_rels].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
        else:
            m[part_rels] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
                            b'schemas.openxmlformats.org/package/2006/relationships">' + rel.encode() + b"</Relationships>")
    return edit


def _field(part: str, code: str):
    def edit(m):
        run = f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'.encode()
        m[part] = m[part].replace(b"</w:body>", b"<w:p>" + run + b"</w:p></w:body>", 1)
    return edit


DOCX = "templates/briefing-简报.docx"
PPTX = "templates/deck.pptx"
TEMPLATE_CASES = [
    Case("docx-vba", _package(DOCX, _add("word/vbaProject.bin")), DOCX, ("word/vbaProject.bin", "Word", "另存为")),
    Case("docx-macro-type", _package(DOCX, lambda m: m.__setitem__("[Content_Types].xml", m["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'))),
        DOCX, ("宏", "Word")),
    Case("docx-activex", _package(DOCX, _add("word/activeX/activeX1.xml", b"<ax/>")), DOCX, ("word/activeX/activeX1.xml", "设计模式")),
    Case("docx-ole", _package(DOCX, _add("word/embeddings/oleObject1.bin")), DOCX, ("word/embeddings/oleObject1.bin", "OLE")),
    Case("docx-attached-template", _package(DOCX, _rel("word/_rels/settings.xml.rels", "rIdT", "attachedTemplate",
                                                       "\\\\fileserver\\share\\Normal.dotm")),
         DOCX, ("word/settings.xml", "附加模板", "文档模板", "fileserver")),
    Case("docx-unc-image", _package(DOCX, _rel("word/_rels/document.xml.rels", "rIdX", "image",
                                               "file://server/share/logo.png")), DOCX, ("word/document.xml", "图片", "断开链接")),
    Case("docx-internal-unc", _package(DOCX, _rel("word/_rels/document.xml.rels", "rIdY", "image",
                                                  "\\\\server\\share\\logo.png", external=False)), DOCX, ("word/document.xml",)),
    Case("docx-includepicture", _package(DOCX, _field("word/document.xml", 'INCLUDEPICTURE "http://x.example/a.png" \\d')),
         DOCX, ("word/document.xml", "INCLUDEPICTURE", "Alt+F9")),
    Case("docx-dde", _package(DOCX, _field("word/document.xml", 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"')),
         DOCX, ("DDEAUTO",)),
    Case("pptx-vba", _package(PPTX, _add("ppt/vbaProject.bin")), PPTX, ("ppt/vbaProject.bin", "PowerPoint", "另存为")),
    Case("pptx-activex", _package(PPTX, _add("ppt/activeX/activeX1.bin")), PPTX, ("ppt/activeX/activeX1.bin", "幻灯片母版")),
    Case("pptx-ole-rel", _package(PPTX, _rel("ppt/slideMasters/_rels/slideMaster1.xml.rels", "rIdO", "oleObject",
                                             "../embeddings/oleObject1.bin", external=False)),
         PPTX, ("ppt/slideMasters/slideMaster1.xml", "OLE")),
    Case("pptx-remote-image", _package(PPTX, _rel("ppt/slideMasters/_rels/slideMaster1.xml.rels", "rIdR", "image",
                                                  "https://tracker.example/p.png")),
         PPTX, ("ppt/slideMasters/slideMaster1.xml", "PowerPoint", "tracker.example")),
]


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=ids(TEMPLATE_CASES))
def it_refuses_a_template_that_carries_code_or_links_out(project: Path, case: Case):
    assert_refused(project, case)


def it_refuses_such_a_template_in_build_too_and_out_stays(project: Path):
    _package(DOCX, _add("word/vbaProject.bin"))(project)
    before = tree_digest(project / "out")
    res = run_cli("build", "--root", str(project), "--out", str(project / "out"), "--quiet", "--jobs", "1")
    assert res.code == 2 and "word/vbaProject.bin" in res.err and "Traceback" not in res.err, res.err
    assert tree_digest(project / "out") == before


def it_keeps_hyperlinks_and_chart_workbooks(project: Path):
    """An ordinary hyperlink (clicked, never followed on opening) and a chart's embedded workbook are allowed."""
    path = project / DOCX
    data = _rezip(path, lambda m: (_rel("word/_rels/document.xml.rels", "rIdH", "hyperlink", "https://www.gov.cn/")(m),
                                   _add("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", b"PK")(m)))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert active_problems(zf, DOCX, ".docx") == []


ACTIVE = st.sampled_from(["vbaProject.bin", "activeX/activeX1.xml", "activeX/activeX7.bin", "embeddings/oleObject2.bin",
                          "embeddings/data.bin", "vbaData.xml"])
BENIGN = st.sampled_from(["media/image1.png", "embeddings/Microsoft_Excel_Worksheet.xlsx", "theme/theme1.xml",
                          "fonts/font1.odttf", "media/activeXlogo.png"])


def _zip(members: dict[str, bytes]) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


@settings(max_examples=150, deadline=None)
@given(top=st.sampled_from(["word", "ppt", "Word", "PPT/slides"]), member=ACTIVE, upper=st.booleans())
def it_finds_active_parts_wherever_and_however_spelt(top, member, upper):
    name = f"{top}/{member.upper() if upper else member}"
    problems = active_problems(_zip({name: b"x"}), "t.docx", ".docx")
    assert problems and problems[0].field == name


@settings(max_examples=100, deadline=None)
@given(top=st.sampled_from(["word", "ppt"]), member=BENIGN)
def it_lets_ordinary_parts_through(top, member):
    assert active_problems(_zip({f"{top}/{member}": b"x"}), "t.docx", ".docx") == []


TARGET = st.one_of(
    st.builds(lambda h, p: f"\\\\{h}\\{p}", st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True), st.text("abc\\. ", max_size=10)),
    st.builds(lambda s, h: f"{s}://{h}/x", st.sampled_from(["http", "https", "file", "ftp", "smb", "HTTP"]),
              st.from_regex(r"[a-z0-9.]{1,15}", fullmatch=True)),
    st.builds(lambda d: f"{d}:\\Users\\x.dotm", st.sampled_from("CDZ")))


@settings(max_examples=200, deadline=None)
@given(target=TARGET, kind=st.sampled_from(["attachedTemplate", "image", "oleObject", "frame", "subDocument", "package"]),
       external=st.booleans())
def it_refuses_every_relationship_that_reaches_out(target, kind, external):
    members: dict[str, bytes] = {}
    _rel("word/_rels/document.xml.rels", "rId1", kind, target.replace("&", "&amp;").replace('"', "&quot;"), external)(members)
    problems = active_problems(_zip(members), "t.docx", ".docx")
    assert problems and problems[0].field == "word/document.xml"
    hyper: dict[str, bytes] = {}
    _rel("word/_rels/document.xml.rels", "rId1", "hyperlink", "https://example.org/", True)(hyper)
    assert active_problems(_zip(hyper), "t.docx", ".docx") == []
