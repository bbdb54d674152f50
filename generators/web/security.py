"""Request guard (pure ASGI): access token, loopback Host names, same-origin state changes, body size limit."""

from __future__ import annotations

import hmac
import html
import ipaddress
import json
import re
import socket
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

COOKIE = "reportgen_token"
HEADER = "x-reportgen-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 12 * 1024 * 1024


WILDCARD = {"0.0.0.0", "::", ""}
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*")


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.strip("[]") if name.startswith("[") else name)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """"localhost" or a loopback address literal (127.0.0.0/8, ::1); "127.evil.com" is a name, not an address."""
    name = host.strip().lower()
    if name == "localhost":
        return True
    addr = _address(name)
    return addr is not None and addr.is_loopback


def host_name(header: str) -> str | None:
    """The name or address of a Host header without its port, lower case; None when the header is malformed."""
    h = header.strip().lower()
    if h.startswith("["):
        name, sep, rest = h[1:].partition("]")
        if not sep or (rest and not re.fullmatch(r":\d{1,5}", rest)) or _address(name) is None:
            return None
        return name
    if h.count(":") > 1:  # a bare IPv6 address (no port possible)
        return h if _address(h) is not None else None
    name, sep, port = h.partition(":")
    if sep and not re.fullmatch(r"\d{1,5}", port):
        return None
    return name if (_address(name) is not None or _NAME.fullmatch(name)) else None


def allowed_names(host: str | None) -> tuple[frozenset[str], bool]:
    """What a server started on `host` answers to besides loopback: (names, any address literal).

    A wildcard bind (0.0.0.0, ::) answers to this computer's name and to any address literal (an address
    cannot be rebound by a DNS server; a name can, so only our own names pass); another host, to that one name."""
    if host is None or host.strip().lower() in WILDCARD:
        names = set()
        try:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        except OSError:
            pass
        return frozenset(n for n in names if n and n != "localhost"), True
    return frozenset({host.strip().lower().strip("[]")}), False


def host_allowed(header: str, names: frozenset[str] = frozenset(), any_address: bool = False) -> bool:
    """A Host header this server answers to: loopback, one of `names`, or (wildcard bind) an address literal."""
    name = host_name(header)
    if name is None:
        return False
    return is_loopback(name) or name in names or (any_address and _address(name) is not None)


class _TooLarge(Exception):
    pass


class Guard:
    """Wraps the app: every request carries the token (when one is set); POSTs come from this page only."""

    def __init__(self, app, token: str | None, loopback_only: bool, max_body: int = MAX_BODY,
                 host: str | None = None):
        self.app = app
        self.token = token
        self.loopback_only = loopback_only
        self.max_body = max_body
        self.names, self.any_address = (frozenset(), False) if loopback_only else allowed_names(host)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"]
        host = headers.get("host", "")
        page = method == "GET" and "text/html" in headers.get("accept", "")  # a person at a browser, not a script
        if not host_allowed(host, self.names, self.any_address):
            wanted = "本机地址（127.0.0.1 或 localhost）" + ("或启动时的地址 " + "、".join(sorted(self.names)) if self.names else "")
            return await _deny(send, 403, "Host", f"只接受{wanted}的访问，实际为“{host[:100]}”", page)
        if self.token is not None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = headers.get(HEADER) or _cookie(headers.get("cookie", ""))
            from_query = (query.get("token") or [""])[0]
            if from_query and hmac.compare_digest(from_query, self.token) and method in SAFE_METHODS:
                return await _set_cookie_redirect(send, scope, query, self.token)
            if not given or not hmac.compare_digest(given, self.token):
                return await _deny(send, 401, "token", "需要访问令牌：请使用启动工作台时显示的完整网址（含 ?token=…）打开",
                                   page)
        if method not in SAFE_METHODS:
            origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
            scheme = scope.get("scheme", "http")
            if origin and origin != f"{scheme}://{host}":
                return await _deny(send, 403, "Origin", f"拒绝跨站请求：来源“{origin}”不是本工作台（{scheme}://{host}）")
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                return await _deny(send, 413, "body", f"请求过大：不超过 {self.max_body // 1024 // 1024} MB")
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _deny(send, 413, "body", f"请求过大：不超过 {self.max_body // 1024 // 1024} MB")


def _cookie(header: str) -> str:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # noqa: BLE001 - a malformed cookie header is just no token
        return ""
    return jar[COOKIE].value if COOKIE in jar else ""


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


PAGE = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>工作台 · 无法打开</title></head>"
        "<body style=\"font-family:sans-serif;max-width:40rem;margin:4rem auto;line-height:1.7\">"
        "<h1 style=\"font-size:1.4rem\">无法打开工作台</h1><p>{}</p></body></html>")


async def _deny(send, status: int, field: str, message: str, page: bool = False) -> None:
    """The refusal as JSON problems; as a small Chinese page when a person opened the address in a browser."""
    if page:
        body, kind = PAGE.format(html.escape(message)).encode(), b"text/html; charset=utf-8"
    else:
        body = json.dumps({"problems": [{"field": field, "message": message}]}, ensure_ascii=False).encode()
        kind = b"application/json; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _set_cookie_redirect(send, scope, query: dict, token: str) -> None:
    rest = {k: v for k, v in query.items() if k != "token"}
    # Always a path on this server: "//evil.example" or "/\\evil.example" would send the browser elsewhere.
    target = "/" + scope.get("path", "/").lstrip("/\\") + (("?" + urlencode(rest, doseq=True)) if rest else "")
    # Lax, not Strict: a link to the address clicked in a chat or mail program must open the page; state changes
    # are guarded by the Origin check, not by the cookie.
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", target.encode("utf-8")), (b"set-cookie", cookie.encode("latin-1")),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
