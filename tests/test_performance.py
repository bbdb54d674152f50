"""Speed-ups keep outputs byte-identical: cached font tables and chart drawings, forked workers, the bench's memory."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

FONT = ROOT / "assets" / "fonts" / "NotoSansSC-Bold.ttf"


def _build_summary(project: Path, out: Path, jobs: str = "1") -> bytes:
    res = subprocess.run([sys.executable, "-m", "generators", "build", "--quiet", "--force", "--only", "summary",
                          "--jobs", jobs, "--root", str(project), "--out", str(out)], capture_output=True, cwd=project)
    assert res.returncode == 0, res.stderr.decode(errors="replace")
    return (out / "fyp14-summary.pdf").read_bytes()


def it_writes_the_same_pdf_with_caches_cold_and_warm(project: Path, tmp_path: Path):
    cold = _build_summary(project, tmp_path / "cold")
    cache = project / "build" / "cache"
    assert list(cache.glob("fonts/reportlab-*.pickle")) and list(cache.glob("charts/*.rlg.pickle"))
    warm = _build_summary(project, tmp_path / "warm")
    assert warm == cold


def it_loads_a_cached_font_equal_to_a_parsed_one(tmp_path: Path):
    from reportlab.pdfbase.ttfonts import TTFont

    from generators.writers.pdf.fonts import load_font

    ref = TTFont("F", str(FONT))
    for _ in range(2):  # parsed (and cached), then loaded from the cache
        font = load_font("F", FONT, tmp_path)
        skip = {"face", "state", "encoding"}
        assert {k: v for k, v in vars(font).items() if k not in skip} == {k: v for k, v in vars(ref).items()
                                                                           if k not in skip}
        ours = {k: v for k, v in vars(font.face).items() if k not in ("_ttf_data", "_pdfScale")}
        assert ours == {k: v for k, v in vars(ref.face).items() if k not in ("_ttf_data", "_pdfScale")}
        assert font.face._pdfScale(7) == ref.face._pdfScale(7)
    assert len(list(tmp_path.glob("reportlab-NotoSansSC-Bold-*.pickle"))) == 1


def it_reads_a_font_file_in_slices_as_bytes_would(tmp_path: Path):
    from generators.writers.pdf.fonts import FileSlices

    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 40
    path.write_bytes(data)
    f = FileSlices(path)
    assert len(f) == len(data)
    for key in (slice(0, 4), slice(100, 3000), slice(len(data) - 3, len(data) + 10), slice(50, 40), slice(None, 8)):
        assert f[key] == data[key], key
    assert f[0] == data[0] and f[1234] == data[1234] and f[-1] == data[-1]


def it_lets_go_of_the_output_lock_in_a_forked_worker(tmp_path: Path):
    from generators.workers import _release_inherited_locks

    locks = tmp_path / "locks"
    locks.mkdir()
    held = open(locks / "out.lock", "a+b")  # noqa: SIM115 - held open across the build under test, closed below
    fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: lets go, says so, lives on a little
        try:
            _release_inherited_locks(locks)
            os.write(ready_w, b"x")
            time.sleep(3)
        finally:
            os._exit(0)
    try:
        assert os.read(ready_r, 1) == b"x"
        held.close()  # the main process ends: only the worker's copy could still hold the lock
        with open(locks / "out.lock", "a+b") as other:
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the worker still held it
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def it_measures_the_memory_of_a_grandchild():
    sys.path.insert(0, str(ROOT / "tools"))
    import bench

    child = "import time; b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.5)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    _, peak = bench.run([sys.executable, "-c", parent])
    assert peak >= 150


def it_hands_the_other_pdf_to_the_summary_s_worker_and_spreads_a_product_s_many_documents():
    from generators.workers import _chains

    jobs = [("deck", None, "congress-review-deck.pptx"), ("summary", None, "fyp14-summary.pdf"),
            ("factsheet", None, "key-figures.pdf"), ("factsheet", None, "key-figures.docx"),
            ("briefings", "a", "briefings/a.docx"), ("briefings", "b", "briefings/b.docx")]
    chains = _chains(jobs)
    assert chains[0] == [1, 2]  # the summary first, the key-figures PDF after it in the same worker
    assert sorted(i for c in chains for i in c) == list(range(len(jobs)))  # every job once
    assert all(len(c) == 1 for c in chains[1:])
    many = [("briefings", f"b{i}", f"briefings/b{i}.docx") for i in range(5)]
    assert _chains(many) == [[i] for i in range(5)]  # one product's documents: never chained into one worker
    assert _chains([]) == []


def it_draws_the_book_s_charts_once_each_before_it_registers_its_fonts(project: Path, tmp_path: Path, monkeypatch):
    """A first build's helper parses the fonts while the PDF's process draws its charts (writers/pdf/warmup.py)."""
    from generators import products as R
    from generators.charts import ChartRenderer
    from generators.project import Project
    from generators.writers.pdf import blocks
    from generators.writing import write_document

    events: list[str] = []
    draw, register = ChartRenderer._draw, blocks.register_fonts
    monkeypatch.setattr(ChartRenderer, "_draw", lambda self, *a: events.append("chart") or draw(self, *a))
    monkeypatch.setattr(blocks, "register_fonts", lambda env: events.append("fonts") or register(env))
    proj = Project(project, cache=False)
    doc = R.get("summary").make(proj, None)
    write_document(doc, proj.env, tmp_path / "s.pdf")
    assert events == ["chart"] * len(doc.charts()) + ["fonts"] and len(doc.charts()) >= 5


def it_leaves_a_single_document_to_the_early_worker_that_holds_it(monkeypatch, tmp_path: Path):
    """`build --only summary`: the early worker was handed the one job (Crew.begin); the main process must not
    build it as well (two processes writing one stage file)."""
    from generators import workers as W

    class Busy:
        def busy(self) -> bool:
            return True

    handed = []
    monkeypatch.setattr(W, "_parallel", lambda crew, jobs, stage, say: handed.append(jobs) or [("ok", jobs[0][2])])
    monkeypatch.setattr(W, "build_job", lambda *a: (_ for _ in ()).throw(AssertionError("built in the main process")))
    job = ("summary", None, "fyp14-summary.pdf")
    got = W.run_jobs(None, [job], tmp_path, lambda _s: None, Busy())
    assert got == {"summary": ["fyp14-summary.pdf"]} and handed == [[job]]


def it_says_so_when_a_worker_died_before_it_could_listen(tmp_path: Path):
    import multiprocessing

    import pytest

    from generators import workers as W
    from generators.errors import ReportgenError

    ours, theirs = multiprocessing.Pipe()
    theirs.close()  # the worker is gone (killed while it loaded the project)
    member = W._Member.__new__(W._Member)
    member.conn, member.run = ours, None
    with pytest.raises(ReportgenError, match="子进程意外退出"):
        member.give([0], [("summary", None, "fyp14-summary.pdf")], tmp_path)
