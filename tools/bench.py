"""`make bench`: time the builds against the import floor, peak memory and output sizes, with budgets.

Cold = no caches (build/cache removed: fonts' metrics and rendered charts made anew); the default
`reportgen build` (parallel: --jobs 0 = CPU count, at most 4). Peak memory is the largest single
process (wait4 ru_maxrss covers the build and its worker processes).

Every timing is the median of several runs of the real CLI in a fresh process, next to the import
floor measured in the same run: python -c "import docx, pptx, reportlab.platypus, matplotlib.pyplot".
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
FLOOR_CMD = [PY, "-c", "import docx, pptx, reportlab.platypus, matplotlib.pyplot"]


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time of one command, and its peak RSS in MB (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"命令失败（exit {code}）：{' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss // 1024


def median(cmd: list[str], n: int, before=None, cwd: Path | None = None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(n):
        if before:
            before()
        t, m = run(cmd, cwd)
        times.append(t)
        peaks.append(m)
    return statistics.median(times), max(peaks)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def make_briefing_project(tmp: Path, count: int) -> Path:
    """A copy of the project with `count` custom briefings (copies of the shipped specs, new titles)."""
    proj = tmp / "proj100"
    shutil.copytree(ROOT / "data", proj / "data")
    shutil.copytree(ROOT / "templates", proj / "templates")
    # hard links: a project may not hold symlinks that leave it, and copying 55 MB of fonts is slow
    shutil.copytree(ROOT / "assets", proj / "assets", copy_function=_link_or_copy)
    shipped = sorted((ROOT / "data" / "briefings").glob("*.yaml"))
    for old in (proj / "data" / "briefings").glob("*.yaml"):
        old.unlink()
    for i in range(count):
        src = shipped[i % len(shipped)].read_text(encoding="utf-8")
        lines = []
        for line in src.splitlines():
            if line.startswith("title:"):
                line = f"title: 会前简报第{i + 1:03d}号"
            elif line.startswith("file:"):
                line = f"file: briefing-{i + 1:03d}"
            lines.append(line)
        text = "\n".join(lines) + "\n"
        if "\nfile:" not in text:
            text += f"file: briefing-{i + 1:03d}\n"
        (proj / "data" / "briefings" / f"b{i + 1:03d}.yaml").write_text(text, encoding="utf-8")
    return proj


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    reportgen = [PY, "-m", "generators"]
    tmp = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    out = tmp / "out"
    cache = ROOT / "build" / "cache"
    try:
        floor, floor_mem = median(FLOOR_CMD, max(runs, 5))
        cold, cold_mem = median(reportgen + ["build", "--quiet", "--force", "--out", str(out)], runs,
                                before=lambda: shutil.rmtree(cache, ignore_errors=True), cwd=ROOT)
        warm, warm_mem = median(reportgen + ["build", "--quiet", "--force", "--out", str(out)], runs, cwd=ROOT)
        noop, _ = median(reportgen + ["build", "--quiet", "--out", str(out)], max(runs, 5), cwd=ROOT)
        proj = make_briefing_project(tmp, 100)
        batch, batch_mem = median(reportgen + ["build", "--quiet", "--force", "--only", "briefings", "--jobs", "2",
                                               "--root", str(proj), "--out", str(proj / "out")], runs, cwd=ROOT)
        n_docs = len(list((proj / "out" / "briefings").glob("*.docx")))
        pdf = (out / "fyp14-summary.pdf").stat().st_size
        deck = (out / "congress-review-deck.pptx").stat().st_size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        ("导入下限 import floor", f"{floor:.2f} s", "—", True),
        ("完整生成（冷） cold full build", f"{cold:.2f} s = {cold / floor:.2f}× floor", "≤ 2.0× floor", cold <= 2.0 * floor),
        ("完整生成（缓存已有） full build, warm caches", f"{warm:.2f} s = {warm / floor:.2f}× floor", "（参考）", True),
        ("无变化重建 no-op rebuild", f"{noop:.2f} s = {noop / floor:.2f}× floor", "≤ 0.5× floor", noop <= 0.5 * floor),
        (f"{n_docs} 份简报 --jobs 2", f"{batch:.2f} s", "≤ 8 s", batch <= 8 and n_docs == 100),
        ("峰值内存 peak memory (per process)", f"{max(cold_mem, warm_mem, batch_mem)} MB", "≤ 300 MB",
         max(cold_mem, warm_mem, batch_mem) <= 300),
        ("PDF 大小 size", f"{pdf / 1024 / 1024:.2f} MB", "≤ 2 MB", pdf <= 2 * 1024 * 1024),
        ("幻灯片大小 deck size", f"{deck / 1024 / 1024:.2f} MB", "≤ 3 MB", deck <= 3 * 1024 * 1024),
    ]
    print(f"\nmake bench — {os.cpu_count()} cores, median of {runs} runs (floor and no-op: {max(runs, 5)})\n")
    print("| 项目 measure | 结果 result | 预算 budget | 达标 |\n|---|---|---|---|")
    for name, value, budget, ok in rows:
        print(f"| {name} | {value} | {budget} | {'✓' if ok else '✗'} |")
    result = {"floor_s": floor, "cold_s": cold, "warm_s": warm, "noop_s": noop, "briefings100_jobs2_s": batch,
              "peak_mb": max(cold_mem, warm_mem, batch_mem), "pdf_bytes": pdf, "deck_bytes": deck}
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
