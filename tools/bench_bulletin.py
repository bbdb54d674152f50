"""`make bench` for reading a statistics bulletin: time per file, and what was recognised, per format.

The bulletins are tests/fixtures/bulletins/ (tools/make_bulletins.py; FICTIONAL figures, three styles, each as
.txt, .docx, .pdf and .html). Reading = text extraction + matching every yearly indicator, in this process with
the dataset loaded (as the web page and `new-year --bulletin` do after their start), median of the runs per file;
the budget holds for the slowest file. Recognition is compared with expected.json: found with exact digits /
published, wrong values, values for indicators the bulletin does not publish.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "bulletins"
READ_BUDGET_S = 0.25
FORMATS = (".txt", ".docx", ".pdf", ".html")


def measure(runs: int) -> dict:
    from generators.bulletin.reader import read_bulletin
    from generators.load.dataset import load_dataset

    truth = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    indicators = load_dataset(ROOT / "data", briefings=False).indicators
    times: dict[str, float] = {}
    per_format = {f: {"published": 0, "exact": 0, "wrong": 0, "phantom": 0} for f in FORMATS}
    for path in sorted(p for p in FIXTURES.iterdir() if p.suffix in FORMATS):
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            reading = read_bulletin(path, indicators, ROOT / "data", 2025, "衡南县")
            samples.append(time.perf_counter() - t)
        times[path.name] = statistics.median(samples)
        values = truth[path.stem]["values"]
        score = per_format[path.suffix]
        for ind, text in values.items():
            got = reading.found.get(ind)
            score["published"] += text is not None
            score["exact"] += text is not None and got is not None and got.text == text
            score["wrong"] += text is not None and got is not None and got.text != text
            score["phantom"] += text is None and got is not None
    return {"times": times, "formats": per_format}


def rows(m: dict) -> list[tuple[str, str, str, bool]]:
    slowest = max(m["times"], key=m["times"].get)
    t = m["times"][slowest]
    out = [(f"读取统计公报 read a bulletin（{len(m['times'])} 份，最慢 {slowest}）", f"{t * 1000:.0f} ms",
            f"≤ {READ_BUDGET_S * 1000:.0f} ms", t <= READ_BUDGET_S)]
    for fmt, s in m["formats"].items():
        rate = s["exact"] / s["published"] if s["published"] else 0
        out.append((f"公报识别率 {fmt} recognised（数字完全一致）", f"{s['exact']}/{s['published']} = {rate:.0%}，"
                    f"错值 {s['wrong']}，未公布却有值 {s['phantom']}", "≥ 90%，0，0",
                    rate >= 0.9 and s["wrong"] == 0 and s["phantom"] == 0))
    return out


if __name__ == "__main__":
    for row in rows(measure(5)):
        print(" | ".join(map(str, row)))
