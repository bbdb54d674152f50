"""The staff commands (serve, list), registered on the main typer app: the 工作台 web page and the catalogue."""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import sys
import threading
import webbrowser
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from generators.cli_app import ROOT_HELP, app
from generators.cli_app import checked_root as _root
from generators.errors import InputError, Problem
from generators.web.hello import HELLO_APP

if TYPE_CHECKING:
    from fastapi import FastAPI

TOKEN = re.compile(r"^[A-Za-z0-9_\-]{8,128}$")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址（默认 127.0.0.1，只有本机能打开；其他地址必须用访问令牌）")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口（默认 8000）")] = 8000,
    token: Annotated[Optional[str], typer.Option("--token", help="访问令牌（不是 127.0.0.1 时不给则自动生成并显示）")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """启动工作台：在浏览器中生成文档、编写简报、做年度更新（Ctrl+C 结束）。"""
    from generators.web.app import create_app
    from generators.web.security import is_loopback

    proj = _root(root).resolve()
    if not (proj / "data").is_dir():
        raise InputError(Problem(str(proj), message="找不到 data/ 文件夹：请在项目文件夹中运行，或用 --root 指定"))
    os.chdir(proj)  # messages name files as data/…, not /full/path/…, however the server was started (--root)
    local = is_loopback(host)
    if token is not None and not TOKEN.match(token):
        raise InputError(Problem("--token", message="访问令牌只能用英文字母、数字、- 和 _", expected="8 到 128 个字符",
                                 found=token))
    if not local and token is None:
        token = secrets.token_urlsafe(18)
    sock = _listen(host, port)
    if sock is None:  # the port is taken: by a 工作台 already running (a second double click), or by something else
        here = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        if _workbench_at(host, port):
            print(f"工作台已经在运行：{here}" + ("，已在浏览器中打开。" if not no_browser else "。"), flush=True)
            if not no_browser:
                webbrowser.open(here)
            return
        raise InputError(Problem(f"{host}:{port}", message=f"端口 {port} 已被别的程序占用，工作台无法启动",
                                 expected="一个空闲的端口（可用 --port 换一个，例如 --port 8001）",
                                 found=f"端口 {port} 正在被使用"))
    web = create_app(proj, token=token, loopback_only=local, host=host)
    query = f"?token={token}" if token else ""
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/" + query
    print(f"工作台已启动：{url}", flush=True)
    if token and not local:
        others = _lan_addresses() if host in ("0.0.0.0", "::") else [host]
        for addr in others:
            print(f"其他电脑请打开：http://{addr}:{port}/{query}", flush=True)
        print(f"访问令牌：{token}（网址中已含令牌；不要把它发给无关的人）", flush=True)
    print("关闭本窗口或按 Ctrl+C 即可停止。", flush=True)
    if not no_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    run_server(web, sock)


def run_server(web: FastAPI, sock: socket.socket) -> None:
    """Serve `web` on the socket `serve` has already bound (so a taken port is found before anything is printed)."""
    import uvicorn

    with sock:
        uvicorn.Server(uvicorn.Config(web, log_level="warning", access_log=False)).run(sockets=[sock])


ADDRESS_IN_USE = {errno.EADDRINUSE, 10048, 10013}  # POSIX; Windows' WSAEADDRINUSE and WSAEACCES (port reserved or taken)


def _listen(host: str, port: int) -> socket.socket | None:
    """A listening socket on host:port, or None when the port is taken; another failure is a located input error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name == "nt":  # SO_REUSEADDR would let a second server share the port on Windows: take it alone
            sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_EXCLUSIVEADDRUSE", socket.SO_REUSEADDR), 1)
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in ADDRESS_IN_USE or getattr(exc, "winerror", None) in ADDRESS_IN_USE:
            return None
        raise InputError(Problem(f"{host}:{port}", message=f"无法在这个地址上启动工作台（{exc.strerror or exc}）",
                                 expected="本机的一个地址，例如 127.0.0.1", found=host)) from None
    return sock


def _workbench_at(host: str, port: int) -> bool:
    """Whether what listens on host:port is a 工作台 (it answers /api/hello as one)."""
    import json
    import urllib.request

    ask = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in ask and not ask.startswith("["):
        ask = f"[{ask}]"
    try:
        with urllib.request.urlopen(f"http://{ask}:{port}/api/hello", timeout=3) as res:  # our own address (http only)
            return json.loads(res.read(4096)).get("app") == HELLO_APP
    except (OSError, ValueError, AttributeError):
        return False


def _lan_addresses() -> list[str]:
    """This computer's IPv4 addresses other computers can reach (no packet is sent to find them)."""
    import socket

    found = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # a documentation address: UDP connect only picks the outgoing interface
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not a.startswith("127.")] or ["本机的局域网地址"]


class What(str, Enum):
    indicators = "indicators"
    charts = "charts"
    blocks = "blocks"


def _rows(cat: dict, what: What, word: str) -> list[list[str]]:
    w = word.lower()

    def hit(*texts: str) -> bool:
        return not w or any(w in str(t).lower() for t in texts)

    if what == What.indicators:
        rows = []
        for i in cat["indicators"]:
            if hit(i["search"]):
                last = i["periods"][-1] if i["periods"] else None
                latest = f"{last['value']}{last['unit']}（{last['period']}，{last['source_name']}）" if last else "（无数字）"
                rows.append([i["id"], i["name"], i["unit"] or "—", "、".join(i["category_names"]),
                             "、".join(p["period"] + (f"/{p['scope']}" if p["scope"] else "") for p in i["periods"]), latest])
        return rows
    if what == What.charts:
        return [[c["id"], c["title"], c["kind"]] for c in cat["charts"] if hit(c["id"], c["title"], c["kind"])]
    return [[b["id"], b["where"], b["first_words"]] for b in cat["blocks"]
            if hit(b["id"], b["where"], b.get("text") or b["first_words"])]


KIND_ZH = {What.indicators: "指标", What.charts: "图表", What.blocks: "段落"}
HEADERS = {What.indicators: ["指标ID", "名称", "单位", "类别", "时期", "最新数值（时期，来源）"],
           What.charts: ["图表ID", "标题", "类型"], What.blocks: ["段落（use: 写法）", "位置", "开头文字"]}


@app.command("list")
def list_(
    what: Annotated[What, typer.Argument(help="要列出的内容：indicators（指标）、charts（图表）或 blocks（可引用的段落）")],
    word: Annotated[Optional[str], typer.Argument(help="只列出含这个词的（名称、ID 或文字）")] = None,
    root: Annotated[Optional[Path], typer.Option("--root", help=ROOT_HELP)] = None,
) -> None:
    """列出写简报时可用的指标、图表和段落（与工作台的目录相同），可加一个搜索词。"""
    from rich.console import Console
    from rich.table import Table

    from generators.web.service import Service

    rows = _rows(Service(_root(root)).catalogue(), what, word or "")
    if not rows:
        print(f"没有找到含“{word}”的{KIND_ZH[what]}。")
        return
    table = Table(*HEADERS[what], show_lines=False, header_style="bold")
    for r in rows:
        table.add_row(*r)
    Console(width=200 if not sys.stdout.isatty() else None, soft_wrap=False).print(table)
    print(f"共 {len(rows)} 项。")
