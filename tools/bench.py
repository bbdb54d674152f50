"""`make bench`: every performance figure of issue 18 beside its budget, measured in one run, as a markdown table.

Timings are medians of BENCH_RUNS (default 5) runs of the real CLI in a fresh process, with the spread (min–max),
next to the import floor measured in the same run (python -c "import docx, pptx, reportlab.platypus,
matplotlib.pyplot"), in rounds of one floor, first, full and no-op build each. Cold = a fresh clone (build/cache removed before each run); warm = caches present;
both `build --force` with the default --jobs. The web figures come from tools/bench_web.py (a real server).
Peak memory is the largest high-water mark (VmHWM) of ANY process of a build: the whole process tree is sampled
from /proc while it runs (workers are grandchildren of this script, forkserver workers great-grandchildren, and
wait4's ru_maxrss need not cover them), and it is never below the build process's own ru_maxrss.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import bench_bulletin  # noqa: E402 - tools/ is not a package
import bench_web  # noqa: E402 - tools/ is not a package

PY = sys.executable
FLOOR_CMD = [PY, "-c", "import docx, pptx, reportlab.platypus, matplotlib.pyplot"]
MB = 1024 * 1024

# Budgets of issue 18 (× = times the import floor).
WARM_X, COLD_X, NOOP_X = 1.8, 3.0, 0.3
BATCH_S, PEAK_MB, PDF_MB, DECK_MB = 5.0, 250, 2, 3


# ---- memory of a process tree -----------------------------------------------------------------------

def _ppid_and_hwm(pid: str) -> tuple[int, int] | None:
    """(parent pid, VmHWM in kB) of a live process, None when it is gone or has no memory (a zombie)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    ppid = hwm = None
    for line in text.splitlines():
        if line.startswith("PPid:"):
            ppid = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return (ppid, hwm) if ppid is not None and hwm is not None else None


class TreeSampler(threading.Thread):
    """Samples every process descending from `root` (children, grandchildren, …) until stopped; keeps the peak
    VmHWM of each (a high-water mark: one sample before a process ends sees its whole peak)."""

    def __init__(self, root: int, every: float = 0.02):
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.peaks: dict[int, int] = {}  # pid → kB
        self.members = {root}
        self._done = threading.Event()

    def sample(self) -> None:
        table = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                got = _ppid_and_hwm(name)
                if got:
                    table[int(name)] = got
        grew = True
        while grew:  # a process joins when its parent is (or was) a member
            grew = False
            for pid, (ppid, _) in table.items():
                if pid not in self.members and ppid in self.members:
                    self.members.add(pid)
                    grew = True
        for pid in self.members & table.keys():
            self.peaks[pid] = max(self.peaks.get(pid, 0), table[pid][1])

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            time.sleep(self.every)

    def stop(self) -> int:
        """Peak of the largest single process, in MB."""
        self._done.set()
        self.join()
        return max(self.peaks.values(), default=0) // 1024


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time of one command, and the peak RSS in MB of the largest process it (or any descendant) ran."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid) if Path("/proc/self/status").exists() else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    tree = sampler.stop() if sampler else 0
    code = os.waitstatus_to_exitcode(status)
    with proc.stderr:
        err = proc.stderr.read().decode(errors="replace")
    proc.returncode = code  # reaped by wait4 above
    if code != 0:
        raise SystemExit(f"命令失败（exit {code}）：{' '.join(cmd)}\n{err}")
    return elapsed, max(tree, usage.ru_maxrss // 1024)


@dataclass
class Timing:
    times: list[float] = field(default_factory=list)
    peak_mb: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def add(self, other: "Timing") -> None:
        self.times += other.times
        self.peak_mb = max(self.peak_mb, other.peak_mb)

    def spread(self) -> str:
        return f"{min(self.times):.2f}–{max(self.times):.2f}"


def timed(cmd: list[str], n: int, before=None, cwd: Path | None = None) -> Timing:
    t = Timing()
    for _ in range(n):
        if before:
            before()
        s, m = run(cmd, cwd)
        t.times.append(s)
        t.peak_mb = max(t.peak_mb, m)
    return t


# ---- a project of 100 briefings ---------------------------------------------------------------------

def make_briefing_project(tmp: Path, count: int) -> Path:
    """A copy of the project with `count` custom briefings (copies of the shipped specs, new titles)."""
    proj = tmp / "proj100"
    shutil.copytree(ROOT / "data", proj / "data")
    shutil.copytree(ROOT / "templates", proj / "templates")
    # hard links: a project may not hold symlinks that leave it, and copying 55 MB of fonts is slow
    shutil.copytree(ROOT / "assets", proj / "assets", copy_function=bench_web.link_or_copy)
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


# ---- the run ----------------------------------------------------------------------------------------

def measure(runs: int) -> dict:
    reportgen = [PY, "-m", "generators"]
    tmp = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    out = tmp / "out"
    cache = ROOT / "build" / "cache"
    build = reportgen + ["build", "--quiet", "--force", "--out", str(out)]
    try:
        # Interleaved, one of each per round: a machine that slows down or speeds up mid-run moves the floor
        # and the builds it is compared with alike.
        floor, cold, warm, noop = Timing(), Timing(), Timing(), Timing()
        for _ in range(runs):
            floor.add(timed(FLOOR_CMD, 1))
            cold.add(timed(build, 1, before=lambda: shutil.rmtree(cache, ignore_errors=True), cwd=ROOT))
            warm.add(timed(build, 1, cwd=ROOT))
            noop.add(timed(reportgen + ["build", "--quiet", "--out", str(out)], 1, cwd=ROOT))
        proj = make_briefing_project(tmp, 100)
        batch = timed(reportgen + ["build", "--quiet", "--force", "--only", "briefings", "--jobs", "2",
                                   "--root", str(proj), "--out", str(proj / "out")], runs, cwd=ROOT)
        n_docs = len(list((proj / "out" / "briefings").glob("*.docx")))
        pdf = (out / "fyp14-summary.pdf").stat().st_size
        deck = (out / "congress-review-deck.pptx").stat().st_size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    web = bench_web.measure(max(runs, 20))
    return {"runs": runs, "floor": floor, "cold": cold, "warm": warm, "noop": noop, "batch": batch,
            "n_docs": n_docs, "pdf": pdf, "deck": deck, "web": web, "bulletin": bench_bulletin.measure(runs)}


def rows(m: dict) -> list[tuple[str, str, str, bool]]:
    floor = m["floor"].median

    def ratio(name: str, t: Timing, budget: float) -> tuple[str, str, str, bool]:
        return (name, f"{t.median:.2f} s = {t.median / floor:.2f}× 下限（{t.spread()} s）",
                f"≤ {budget:g}× = {budget * floor:.2f} s", t.median <= budget * floor)

    peak = max(m[k].peak_mb for k in ("cold", "warm", "noop", "batch"))
    batch = m["batch"]
    return [
        ("导入下限 import floor", f"{floor:.2f} s（{m['floor'].spread()} s）", "—", True),
        ratio("完整生成（缓存已有）full build, caches present", m["warm"], WARM_X),
        ratio("首次生成（新克隆，无 build/cache）first build, fresh clone", m["cold"], COLD_X),
        ratio("无变化重建 no-op rebuild", m["noop"], NOOP_X),
        *bench_web.rows(m["web"]),
        (f"{m['n_docs']} 份自定义简报 --jobs 2 (100 custom briefings)", f"{batch.median:.2f} s（{batch.spread()} s）",
         f"≤ {BATCH_S:g} s", batch.median <= BATCH_S and m["n_docs"] == 100),
        ("峰值内存（任一进程）peak memory, any one process", f"{peak} MB", f"≤ {PEAK_MB} MB", peak <= PEAK_MB),
        ("PDF 大小 size", f"{m['pdf'] / MB:.2f} MB", f"≤ {PDF_MB} MB", m["pdf"] <= PDF_MB * MB),
        ("幻灯片大小（无照片）deck size", f"{m['deck'] / MB:.2f} MB", f"≤ {DECK_MB} MB", m["deck"] <= DECK_MB * MB),
        *bench_bulletin.rows(m["bulletin"]),
    ]


def main() -> int:
    runs = max(int(os.environ.get("BENCH_RUNS", "5")), 1)
    m = measure(runs)
    table = rows(m)
    print(f"\nmake bench — {os.cpu_count()} 核 cores, 中位数 median of {runs} runs（括号内为最小–最大 spread）\n")
    print("| 项目 measure | 结果 result | 预算 budget | 达标 |\n|---|---|---|---|")
    for name, value, budget, ok in table:
        print(f"| {name} | {value} | {budget} | {'✓' if ok else '✗'} |")
    result = {"runs": runs, "floor_s": m["floor"].times, "cold_s": m["cold"].times, "warm_s": m["warm"].times,
              "noop_s": m["noop"].times, "briefings100_jobs2_s": m["batch"].times,
              "peak_mb": {k: m[k].peak_mb for k in ("cold", "warm", "noop", "batch")},
              "pdf_bytes": m["pdf"], "deck_bytes": m["deck"], "web": m["web"], "bulletin": m["bulletin"]}
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0  # a missed budget shows as ✗ in the table; the run itself succeeded


if __name__ == "__main__":
    sys.exit(main())
