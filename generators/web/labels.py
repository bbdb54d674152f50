"""Field paths of a briefing spec (`sections[1].blocks[2].p`) as the form's own Chinese labels."""

from __future__ import annotations

import re

from generators.load.specs import BriefingSpec, InlineChart

# The briefing's own fields by the titles of its schema (the labels the form shows), and the save box's name.
TOP = {k: f.title or k for k, f in BriefingSpec.model_fields.items()} | {"name": "保存名", "status": "成品"}
CHART = {"title": "图表标题", "kind": "图表类型", "figures": "图表中的数字", "total": "构成图的合计"}
assert set(CHART) <= set(InlineChart.model_fields)
FIGURE = {"ref": "指标", "label": "显示名称", "growth": "增速", "from": "起始数值", "note": "注"}
BLOCK = {"p": "段落", "heading": "小标题", "points": "要点", "chart": "图表", "use": "文章段落", "photo": "图片说明",
         "image": "图片", "caption": "图题", "quote": "引文", "speaker": "引文出处", "table": "表格", "figures": "数据",
         "id": "编号"}
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def field_label(path: str) -> str:
    """"sections[1].blocks[2].p" → "第 1 部分第 2 块（段落）"; unknown shapes are returned unchanged."""
    parts = [_PART.fullmatch(x) for x in (path or "").split(".")]
    if not path or not all(parts):
        return path or ""
    steps = [(m.group(1), int(m.group(2)) if m.group(2) else None) for m in parts if m]
    key, n = steps[0]
    if key == "keyfigures" and n:
        tail = FIGURE.get(steps[1][0], steps[1][0]) if len(steps) > 1 else ""
        return f"关键数据第 {n} 项" + (f"（{tail}）" if tail else "")
    if key == "sections" and n:
        text = f"第 {n} 部分"
        if len(steps) == 1:
            return text
        sub, m = steps[1]
        if sub == "title":
            return text + "的标题"
        if sub == "blocks" and m:
            text += f"第 {m} 块"
            if len(steps) > 3 and steps[2][0] == "chart":  # a chart from picked figures: its own field
                what, k = steps[3]
                return text + f"（{CHART.get(what, what)}" + (f"第 {k} 个" if k else "") + "）"
            if len(steps) > 2:
                what, k = steps[2]
                text += f"（{BLOCK.get(what, what)}" + (f"第 {k} 条" if k else "") + "）"
            return text
        return text + f"（{sub}）"
    return TOP.get(key, path) if len(steps) == 1 else path
