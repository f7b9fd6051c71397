#!/usr/bin/env python3
"""Open many atlas sessions at once and print how long each waits for a drawn map.

Run from the checkout with the set-up environment: `.venv/bin/python scripts/loadtest.py`
(`--sessions 20`, `--data data/geojson`, `--bound 120`). It starts the app once on a free
port, then twice behind nginx (a temporary configuration, run as the user ``nobody`` on a free
high port: ``ip_hash`` and the WebSocket upgrade, as in the README), and opens ``--sessions``
sessions at once in one headless Chromium (one context each, so no session shares a cache or a
cookie). For each: seconds from navigation to markers drawn, and the script runs the session
made. Bounded: every wait stops after ``--bound`` seconds, and a session that did not draw by
then is counted as such. Figures only, no assertions.

All sessions come from 127.0.0.1, and ``ip_hash`` would send them all to one process; so, for
the test only, each context sends ``X-Forwarded-For: 10.0.<n>.1`` and nginx takes the client's
address from it (``real_ip_header``), as it would see 20 users' own addresses.

Two kinds of session are opened. **Served** (the default): a client that asks the server for
what a browser asks on a first visit, over the same HTTP (six connections kept open, as a
browser keeps them) and WebSocket protocol: the page and the scripts and styles it names, the
session's script run (Streamlit's ``BackMsg`` / ``ForwardMsg`` protobufs), then the map frame's
page, its scripts and the sites payload; the time is from the first request to the last byte of
the payload. It measures the server, since nothing is drawn on this machine's two cores.
**Drawn** (``--browser``): one headless Chromium context per session, timed from navigation to
the markers drawn; then 20 Chromium pages share the two cores with the server, so it measures
this one machine playing server and 20 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import http.client
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import streamlit
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from appserver import free_port, stop, wait_until_healthy  # noqa: E402
from benchmark import ScriptRuns, frame_named, start_app  # noqa: E402
from test_browser import CHROMIUM_ARGS  # noqa: E402

NGINX = """worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ application/javascript js; text/css css; font/woff2 woff2; image/png png; image/svg+xml svg; }}
    gzip on;
    gzip_types application/javascript text/css image/svg+xml;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream atlas {{ ip_hash; {servers} }}
    server {{
        listen 127.0.0.1:{port};
        # Load test only: take the client's address from the header each browser context sends.
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Forwarded-For;
        # Streamlit's frontend files, named by their content: read by nginx, not by the app's Python.
        location /static/ {{ alias {frontend}/; expires 1y; add_header Cache-Control public; }}
        location / {{
            proxy_pass http://atlas;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_read_timeout 86400;
        }}
    }}
}}
"""


def start_nginx(ports: list[int]) -> tuple[subprocess.Popen, str, Path]:
    """Start nginx in the foreground as ``nobody`` on a free port, proxying to ``ports``; wait until it answers."""
    prefix = Path(tempfile.mkdtemp(prefix="atlas-nginx-"))
    prefix.chmod(0o777)
    port = free_port()
    servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
    frontend = Path(streamlit.__file__).parent / "static" / "static"
    config = NGINX.format(prefix=prefix, port=port, servers=servers, frontend=frontend)
    (prefix / "nginx.conf").write_text(config, encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf"), "-p", str(prefix)]
    command += ["-g", "daemon off;"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(process, url, prefix / "error.log", seconds=30)
    return process, url, prefix


#: Files a page names that a browser fetches before it can run it: scripts and styles.
_ASSET = re.compile(r'(?:src|href)="([^"]+\.(?:js|css))"')
#: The sites payload the map frame fetches (gzipped), named in the frame page's options.
_PAYLOAD = re.compile(r'"payload_gzip":\s*"([^"]+)"')
#: Connections a browser opens at once to one host.
_PER_HOST = 6


class Connections:
    """Session ``number``'s connections to the server, as a browser keeps them.

    At most :data:`_PER_HOST`, each kept open between requests (HTTP/1.1 keep-alive) for one request at a time.
    """

    def __init__(self, url: str, number: int, bound: float) -> None:
        address = urlsplit(url)
        self.headers = {"X-Forwarded-For": f"10.0.{number}.1", "Accept-Encoding": "gzip"}
        self.idle: queue.SimpleQueue[http.client.HTTPConnection] = queue.SimpleQueue()
        for _ in range(_PER_HOST):
            self.idle.put(http.client.HTTPConnection(address.hostname, address.port, timeout=bound))
        self.gate = asyncio.Semaphore(_PER_HOST)

    def _get(self, url: str, text: bool) -> bytes:
        connection = self.idle.get()
        try:
            connection.request("GET", urlsplit(url)._replace(scheme="", netloc="").geturl(), headers=self.headers)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise OSError(f"GET {url}: HTTP {response.status}")
        except (OSError, http.client.HTTPException):
            connection.close()  # a new one is opened by its next request
            raise
        finally:
            self.idle.put(connection)
        zipped = response.headers.get("Content-Encoding") == "gzip"
        return gzip.decompress(body) if text and zipped else body

    async def get(self, url: str, text: bool = False) -> bytes:
        """GET ``url`` with the session's own address header, gzip accepted: the body.

        Only a page to read (``text``) is unzipped: the client's own work should not be what is timed.
        """
        async with self.gate:
            return await asyncio.to_thread(self._get, url, text)

    async def get_all(self, urls: list[str]) -> None:
        """Fetch ``urls`` as a browser does, at most :data:`_PER_HOST` at a time."""
        await asyncio.gather(*(self.get(url) for url in urls))

    def close(self) -> None:
        """Close every connection."""
        while not self.idle.empty():
            self.idle.get().close()


def _forward(payload: bytes) -> ForwardMsg:
    """A message the server sent on the session's stream."""
    message = ForwardMsg()
    message.ParseFromString(payload)
    return message


async def _script_run(url: str, number: int, bound: float) -> tuple[str, int, object]:
    """Open the session's stream and ask for its first run: (map component's name, script runs, open socket)."""
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    socket = await websockets.connect(
        stream,
        subprotocols=["streamlit"],
        additional_headers={"X-Forwarded-For": f"10.0.{number}.1"},
        max_size=None,
        open_timeout=bound,
    )
    await socket.send(BackMsg(rerun_script=ClientState(query_string="", page_script_hash="")).SerializeToString())
    component, runs = "", 0
    while True:
        message = _forward(await asyncio.wait_for(socket.recv(), bound))
        kind = message.WhichOneof("type")
        runs += kind == "new_session"
        element = message.delta.new_element if kind == "delta" else None
        if element is not None and element.WhichOneof("type") == "component_instance":
            component = element.component_instance.component_name or component
        if kind == "script_finished":
            return component, runs, socket


async def _later_runs(socket, seconds: float) -> int:
    """Script runs the session starts by itself within ``seconds`` (a second run per page load would)."""
    runs, deadline = 0, time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        try:
            payload = await asyncio.wait_for(socket.recv(), left)
        except TimeoutError:
            break
        runs += _forward(payload).WhichOneof("type") == "new_session"
    return runs


async def one_client(url: str, number: int, bound: float) -> tuple[float, int]:
    """One first visit over the protocol: (seconds until the map's payload is served, or inf; script runs)."""
    start, socket, runs = time.perf_counter(), None, 0
    connections = Connections(url, number, bound)
    try:
        page = (await connections.get(url + "/", text=True)).decode("utf-8")
        await connections.get_all([urljoin(url + "/", asset) for asset in _ASSET.findall(page)])
        component, runs, socket = await _script_run(url, number, bound)
        frame = f"{url}/component/{component}/index.html"
        html = (await connections.get(frame, text=True)).decode("utf-8")
        payload = _PAYLOAD.findall(html)
        if not payload:
            raise ValueError(f"{frame} names no sites payload")
        files = [urljoin(frame, name) for name in _ASSET.findall(html) + payload]
        await connections.get_all(files)
        served = time.perf_counter() - start
        runs += await _later_runs(socket, 2.0)
    except (OSError, TimeoutError, ValueError, websockets.WebSocketException):  # refused, timed out, closed: not served
        served = float("inf")
    finally:
        connections.close()
        if socket is not None:
            await socket.close()
    return served, runs


async def clients_at_once(url: str, count: int, bound: float) -> list[tuple[float, int]]:
    """Open ``count`` protocol sessions at once, each with a browser's connections per host."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=count * _PER_HOST))
    return await asyncio.gather(*(one_client(url, n, bound) for n in range(count)))


async def one_session(browser, url: str, number: int, bound: float) -> tuple[float, int]:
    """Open the atlas in a fresh context: (seconds to markers drawn or inf, script runs the session made)."""
    context = await browser.new_context(
        viewport={"width": 1500, "height": 1000}, extra_http_headers={"X-Forwarded-For": f"10.0.{number}.1"}
    )
    page = await context.new_page()
    runs = ScriptRuns(page)
    start = time.perf_counter()
    try:
        await page.goto(url, timeout=bound * 1000)
        await page.wait_for_selector('iframe[title*="atlas_map"]', timeout=bound * 1000)
        atlas = frame_named(page, "atlas_map")
        await atlas.wait_for_function("() => window.atlas && window.atlas.ready", polling=50, timeout=bound * 1000)
        drawn = time.perf_counter() - start
    except Exception:  # playwright's TimeoutError: not drawn within the bound
        drawn = float("inf")
    await page.wait_for_timeout(2000)  # a second script run would come now
    await context.close()
    return drawn, runs.count


async def sessions_at_once(url: str, count: int, bound: float) -> list[tuple[float, int]]:
    """Open ``count`` sessions at once (after one untimed one) in one Chromium."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        await one_session(browser, url, 250, bound)  # one browser start and one page, not timed
        results = await asyncio.gather(*(one_session(browser, url, n, bound) for n in range(count)))
        await browser.close()
    return results


def _warm(urls: list[str], bound: float) -> None:
    """One session per app process first, so each holds the layers (as a server that has been up a while)."""
    for url in urls:
        asyncio.run(clients_at_once(url, 1, bound))


def _line(label: str, results: list[tuple[float, int]], bound: float) -> str:
    times = sorted(seconds for seconds, _ in results)
    done = [t for t in times if t != float("inf")]
    runs = sorted({r for _, r in results})
    median = statistics.median(times)
    worst = f"{times[-1]:.2f} s" if times[-1] != float("inf") else f"> {bound:g} s"
    return (
        f"| {label} | {len(results)} | {median:.2f} s | {worst} | {len(done)} of {len(results)} | "
        f"{', '.join(map(str, runs))} | {os.getloadavg()[0]:.2f} |"
    )


def _measured(label: str, warm: list[str], url: str, args: argparse.Namespace) -> list[str]:
    """Warm the app processes at ``warm``, then open the sessions at once against ``url``: table rows."""
    _warm(warm, args.bound)
    load = os.getloadavg()[0]
    rows = [
        _line(
            f"{label}, served (load before {load:.2f})",
            asyncio.run(clients_at_once(url, args.sessions, args.bound)),
            args.bound,
        )
    ]
    if args.browser:
        load = os.getloadavg()[0]
        drawn = asyncio.run(sessions_at_once(url, args.sessions, args.bound))
        rows.append(_line(f"{label}, drawn in Chromium (load before {load:.2f})", drawn, args.bound))
    return rows


def main() -> None:
    """Run the sessions against one process, then against two behind nginx; print one table."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sessions", type=int, default=20)
    options.add_argument("--data", type=Path, default=ROOT / "data" / "geojson")
    options.add_argument("--bound", type=float, default=120.0, help="seconds any one wait may take")
    options.add_argument("--browser", action="store_true", help="also open the sessions in headless Chromium")
    args = options.parse_args()
    lines = []
    started: list[subprocess.Popen] = []
    prefix = None
    try:
        one, url = start_app(args.data)
        started.append(one)
        lines += _measured("1 process", [url], url, args)
        second, url2 = start_app(args.data)
        started.append(second)
        proxy, proxied, prefix = start_nginx([int(url.rsplit(":", 1)[1]), int(url2.rsplit(":", 1)[1])])
        started.append(proxy)
        lines += _measured("2 processes behind nginx", [url, url2], proxied, args)
    finally:
        for process in reversed(started):
            stop(process, seconds=30)
        if prefix:
            shutil.rmtree(prefix, ignore_errors=True)
    print(f"\n{args.sessions} sessions opened at once, data {args.data}, {os.cpu_count()} cores")
    print("| | sessions | median (payload served, or drawn) | worst | done | script runs per session | load after |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
