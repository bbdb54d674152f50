"""PyYAML's English parser messages, said in Chinese, with the fix an office user needs."""

from __future__ import annotations

import re

# (pattern of PyYAML's problem or context text, Chinese); the first match wins; {0} is the quoted character.
_PATTERNS: list[tuple[str, str]] = [
    (r"mapping values are not allowed here", "此处不允许出现“键: 值”（可能缩进不对，或冒号后面少了空格；文字中含英文冒号“: ”时请给整段文字加引号）"),
    (r"could not find expected ':'", "找不到应有的冒号“:”（可能上一行的引号没有闭合，或缩进不对）"),
    (r"found character '\\t' that cannot start any token", "含制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"),
    (r"found character (.*) that cannot start any token", "字符 {0} 不能出现在这个位置的开头（以 @、` 等符号开头的文字请加引号）"),
    (r"expected <block end>, but found '-'", "列表项“-”的缩进与上面的不一致"),
    (r"expected <block end>, but found '<block mapping start>'", "这一行的缩进比上一行多，但上一行不是“键:”（请对齐缩进）"),
    (r"expected <block end>, but found '<scalar>'", "缩进不一致，或一行里有多余的文字（以引号开头的文字请在引号后结束）"),
    (r"expected <block end>, but found (.*)", "缩进不一致：这里出现了 {0}（也可能是前面某处的引号没有闭合，引号一直延续到了这里）"),
    (r"found unexpected end of stream", "文件意外结束（有引号或括号没有闭合）"),
    (r"did not find expected key", "缩进不一致，找不到应有的键"),
    (r"did not find expected node content", "这里缺少内容（可能多了一个逗号或“-”）"),
    (r"did not find expected '-' indicator", "列表项应以“- ”开头，且缩进一致"),
    (r"did not find expected ',' or ']'", "方括号列表 [...] 中缺少逗号或右括号“]”"),
    (r"did not find expected ',' or '}'", "花括号 {...} 中缺少逗号或右括号“}”"),
    (r"expected ',' or '\]', but got (.*)", "方括号列表 [...] 中缺少逗号或右括号“]”，却遇到 {0}"),
    (r"expected ',' or '}', but got (.*)", "花括号 {...} 中缺少逗号或右括号“}”，却遇到 {0}"),
    (r"found undefined alias", "使用了未定义的别名（*名称）"),
    (r"found duplicate anchor", "重复的锚点（&名称）"),
    (r"could not determine a constructor for the tag", "不允许使用 YAML 标签（以 !! 或 ! 开头），请删除"),
    (r"found undefined tag handle", "不允许使用 YAML 标签（以 ! 开头），请删除或给文字加引号"),
    (r"expected '<document start>', but found", "文件里有多余的内容（可能缩进不对，或有一行顶格写了文字）"),
    (r"expected a single document in the stream|but found another document", "文件里只能有一份内容：请删除“---”分隔线"),
    (r"found unexpected document separator", "出现了“---”或“...”分隔线，请删除"),
    (r"found unknown escape character (.*)", "双引号文字中有无法识别的转义符（反斜杠后是 {0}；要写反斜杠请改用单引号，或写成两个反斜杠）"),
    (r"expected escape sequence", "双引号文字中的 \\x/\\u 转义写法不对"),
    (r"found a tab character", "含制表符（Tab），请用空格"),
    (r"found a tab character that violates indentation", "含制表符（Tab），请用空格缩进"),
    (r"expected chomping or indentation indicators|expected a comment or a line break", "“|”或“>”后面只能换行（多行文字写在下一行）"),
    (r"expected the node content", "这里缺少内容"),
    (r"expected alphabetic or numeric character", "锚点或别名（& 或 * 后）的名称不对；以 & 或 * 开头的文字请加引号"),
    (r"found unhashable key", "键不能是列表或映射"),
    (r"sequence entries are not allowed here", "此处不允许出现列表项“-”（缩进不对？）"),
    (r"mapping keys are not allowed here", "此处不允许出现“? 键”"),
    (r"while scanning a quoted scalar", "引号没有闭合"),
    (r"while scanning a simple key", "一行文字后缺少冒号“:”（或缩进不对）"),
    (r"while scanning a block scalar", "“|”或“>”多行文字的写法不对"),
    (r"while scanning an? (alias|anchor)", "以 & 或 * 开头的文字请加引号"),
    (r"while scanning a directive", "以 % 开头的行请加引号"),
    (r"while scanning a tag", "以 ! 开头的文字请加引号"),
    (r"while parsing a flow (mapping|sequence)", "花括号或方括号没有闭合（以“{”或“[”开头的文字请加引号）"),
    (r"while parsing a block (mapping|collection)", "缩进不一致"),
    (r"while parsing a (block|flow) node", "这里的内容写法不对"),
]
_FLOW_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s#'\"][^:#]*:\s+)?(?:\{[^}]*@|[{\[][^}\]]*[}\]]\s*[^\s#,}\]])")
_TOKENS = {"'<block sequence start>'": "列表项“-”", "'<block mapping start>'": "“键:”", "'<scalar>'": "文字",
           "'<block end>'": "缩进结束", "'<flow mapping start>'": "“{”", "'<flow sequence start>'": "“[”",
           "'<stream end>'": "文件结尾", "'<document start>'": "“---”"}
_ODD_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s#'\"][^:#]*:\s+)?[@`%&*!|>]")


def problem_zh(detail: str) -> str:
    """A PyYAML problem or context text in Chinese; unknown ones become a generic sentence, never English."""
    for pattern, zh in _PATTERNS:
        m = re.match(pattern, detail)
        if m:
            return zh.format(*(_TOKENS.get(g, g) for g in m.groups() if g)) if m.groups() else zh
    return "写法不对（请检查这一行的缩进、冒号和引号）"


def quote_hint(lines: list[str], line_no: int | None) -> str:
    """When the faulty line (or the one before) starts its text with `{`, `[` or another YAML sign: say to quote it."""
    if not line_no:
        return ""
    for n in (line_no, line_no - 1):
        if 1 <= n <= len(lines):
            text = lines[n - 1]
            if _FLOW_START.match(text):
                return (f"第{n}行的文字以“{{”或“[”开头，YAML 会把它当成映射或列表：请把整段文字放进引号，"
                        "例如 p: \"{gdp@2024}……\"")
            if _ODD_START.match(text):
                return f"第{n}行的文字以 YAML 的特殊符号开头：请把整段文字放进引号"
    return ""
