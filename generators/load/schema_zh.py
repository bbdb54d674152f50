"""Pydantic validation errors in Chinese: every error kind, bounds and choices spelled out, unknown keys with did-you-mean."""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Mapping

from pydantic import BaseModel

from generators.errors import did_you_mean

_SIMPLE = {
    "missing": "缺少必填字段",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数（不能带小数）",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头，或写成 [甲, 乙]）",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "dict_type": "应为“键: 值”的映射",
    "model_type": "应为“键: 值”的映射",
    "model_attributes_type": "应为“键: 值”的映射",
    "finite_number": "应为有限的数字（不能是 NaN 或无穷大）",
    "path_type": "应为文件路径（文字）",
    "none_required": "这里不应有值",
    "int_parsing_size": "整数过大",
    "string_unicode": "应为文字",
    "url_parsing": "应为网址",
    "date_parsing": "应为日期（文字）",
}


def _bound(err: Mapping[str, Any]) -> str | None:
    ctx = err.get("ctx") or {}
    kind = err["type"]
    words = {"greater_than": "大于", "greater_than_equal": "大于或等于", "less_than": "小于", "less_than_equal": "小于或等于"}
    for k, word in words.items():
        if kind == k:
            limit = next(iter(ctx.values()), "")
            return f"超出允许范围：应{word} {limit}"
    if kind == "string_too_short" and ctx.get("min_length") == 1 and not str(err.get("input", "")).strip():
        return "必填：不能为空"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        n = ctx.get("min_length", ctx.get("max_length"))
        what = "字数" if kind.startswith("string") else "条目数"
        return f"{what}{'太少：至少' if 'short' in kind else '太多：至多'} {n}" + (" 个字" if what == "字数" else " 条")
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(str(err.get("input", "")), choices)
        return "取值不在允许范围内（允许：" + "、".join(choices) + "）" + (f"。{hint}" if hint else "")
    if kind in ("value_error", "assertion_error"):
        return str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return None


def message(err: Mapping[str, Any], model: type[BaseModel] | None = None) -> str:
    """One pydantic error as a Chinese sentence (no English text ever comes through)."""
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(err["loc"][-1]) if err["loc"] else ""
        allowed = allowed_keys(model, tuple(err["loc"][:-1])) if model else []
        hint = did_you_mean(key, allowed)
        return f"不认识的字段“{key}”（拼写错误？）" + (hint or ("可用的字段：" + "、".join(allowed) if allowed else ""))
    text = _bound(err) or _SIMPLE.get(kind)
    if text is None:
        text = "取值不对"
    found = err.get("input")
    if kind == "string_type" and isinstance(found, (dict, list)):
        text += "（这段文字以“{”或“[”开头，YAML 把它当成了映射或列表：请把整段文字放进引号，例如 p: \"{gdp@2024}……\"）"
    return text


def found_text(err: Mapping[str, Any]) -> str | None:
    """The offending value as the user wrote it, when it is short and not a whole mapping."""
    if err["type"] in ("missing", "extra_forbidden") or err["type"] in ("value_error", "assertion_error"):
        return None
    found = err.get("input")
    if isinstance(found, (dict, list)):
        return None
    return "空（没有内容）" if found is None else str(found)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """BaseModel classes inside an annotation (Optional, list[...], unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            out.extend(_models_in(arg))
    return out


def allowed_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The field names (aliases as written in the file) of the model found by walking `loc` from `model`."""
    current = model
    for key in loc:
        if current is None:
            return []
        if isinstance(key, int) or (isinstance(key, str) and key not in _field_map(current)):
            continue
        models = _models_in(_field_map(current)[key])
        current = models[0] if models else None
    return sorted(_field_map(current)) if current is not None else []


def _field_map(model: type[BaseModel]) -> dict[str, Any]:
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}
