"""`make bench` for the 工作台: time to a usable page after start, and a custom briefing's render on a warm server.

A real server (uvicorn, as `reportgen serve` runs it) in a child process against a scratch copy of this
project (build/bench-web-*), driven over HTTP from here; the briefing is made from the catalogue (key figures,
a paragraph with figures, a chart and a passage), like one composed on the page. Nothing is written to this
project's data/ or out/ (a download records the number it prints, in the copy).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = ("import sys, uvicorn; from pathlib import Path; from generators.web.app import create_app; "
          "uvicorn.run(create_app(Path(sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")
RENDER_BUDGET_S = 0.3
START_BUDGET_S = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as res:  # noqa: S310 - our own local server
        return res.read()


def _post(url: str, body: dict) -> bytes:
    req = urllib.request.Request(url, json.dumps(body, ensure_ascii=False).encode(), method="POST",  # noqa: S310 - our own local server
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:  # noqa: S310 - our own local server
        return res.read()


def custom_briefing(cat: dict) -> dict:
    """A briefing composed from the catalogue: three key figures, a paragraph with two figures, a chart, a passage."""
    figs = [i for i in cat["indicators"] if any(p["period"] == str(cat["year"]) for p in i["periods"])][:3]
    refs = [f"{i['id']}@{cat['year']}" for i in figs]
    return {"title": "测速简报", "meeting": "测速", "issuer": "测速",
            "keyfigures": [{"ref": r} for r in refs],
            "sections": [{"title": "测速", "blocks": [{"p": "数字：{" + refs[0] + "}，{" + refs[1] + "}。"},
                                                    {"chart": cat["charts"][0]["id"]},
                                                    {"use": cat["blocks"][0]["id"]}]}]}


def _wait_usable(base: str, proc: subprocess.Popen, start: float) -> float:
    """Seconds from start until the page and the catalogue it loads both answer."""
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"工作台进程意外退出（exit {proc.returncode}）：{proc.stderr.read().decode(errors='replace')}")
        try:
            _get(base + "/")
            _get(base + "/api/catalogue")
            return time.perf_counter() - start
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.02)


def link_or_copy(src: str, dst: str) -> None:
    """A hard link (fonts are 55 MB; a project may hold no symlink that leaves it), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def measure(runs: int = 20) -> dict[str, float]:
    """The server runs on a scratch copy of the project (under build/): a download records the 期号 it prints in
    data/numbers.yaml, and measuring must leave the project's data/ as it was."""
    ROOT.joinpath("build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-web-", dir=ROOT / "build") as scratch:
        for part in ("data", "templates"):
            shutil.copytree(ROOT / part, Path(scratch) / part)
        shutil.copytree(ROOT / "assets", Path(scratch) / "assets", copy_function=link_or_copy)  # read only: fonts
        if (ROOT / "build" / "cache").is_dir():  # the caches a project that has been used has (a usual start)
            shutil.copytree(ROOT / "build" / "cache", Path(scratch) / "build" / "cache")
        return _measure(Path(scratch), runs)


def _measure(root: Path, runs: int) -> dict[str, float]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        usable = _wait_usable(base, proc, start)
        spec = custom_briefing(json.loads(_get(base + "/api/catalogue")))
        for _ in range(3):
            _post(base + "/api/briefings/render", spec)  # warm: fonts, chart renderer, templates
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            data = _post(base + "/api/briefings/render", spec)
            times.append(time.perf_counter() - t)
            assert data.startswith(b"PK"), "render did not return a .docx"
    finally:
        proc.terminate()
        proc.wait(10)
    return {"usable_s": usable, "render_median_s": statistics.median(times), "render_max_s": max(times),
            "runs": runs}


def rows(m: dict[str, float]) -> list[tuple[str, str, str, bool]]:
    return [
        ("工作台启动到可用 serve → page usable", f"{m['usable_s']:.2f} s", f"≤ {START_BUDGET_S:g} s",
         m["usable_s"] <= START_BUDGET_S),
        (f"自定义简报生成（热服务器，{m['runs']} 次中位数） custom briefing render", f"{m['render_median_s']:.3f} s"
         f"（最长 {m['render_max_s']:.3f} s）", f"≤ {RENDER_BUDGET_S:g} s", m["render_median_s"] <= RENDER_BUDGET_S),
    ]


def main() -> int:
    m = measure()
    print("| 项目 measure | 结果 result | 预算 budget | 达标 |\n|---|---|---|---|")
    table = rows(m)
    for name, value, budget, ok in table:
        print(f"| {name} | {value} | {budget} | {'✓' if ok else '✗'} |")
    print(f"render median: {m['render_median_s']:.3f} s")
    return 0 if all(ok for *_, ok in table) else 1


if __name__ == "__main__":
    sys.exit(main())
