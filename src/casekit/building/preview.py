"""``casekit preview``: the manuscript's HTML in a browser, rebuilt on every change.

The rebuild loop is ``casekit watch``'s (:func:`casekit.building.watch.watch`); this
module adds a small HTTP server (the standard library's) beside it. The server listens
on the loopback interface only, answers only to the names of this machine (a page of
another site cannot reach it through a DNS name of its own), and serves only the build
folder: no path outside it, and no hidden file in it (the caches, the make rules).

The page a browser gets is ``manuscript.html`` as built, with a toolbar, an error
banner and a short script added on the way out; the file on disk stays as pandoc wrote
it. The script listens to a stream of server-sent events: after a good rebuild the
page reloads; after a failed one the banner shows the error, one located line per
problem as the command line prints it, above the last good build, and clears once a
rebuild succeeds.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from casekit.building.plan import Request, make_plan
from casekit.building.watch import Rebuild, watch
from casekit.core.errors import CasekitError
from casekit.typesetting.formats import FORMATS

LOOPBACK = "127.0.0.1"
"""The only address the server listens on."""

FORMATS_SHOWN = ("html", "pdf")
"""What a preview builds: the page it serves, and the PDF its toolbar opens."""

EVENTS = "/.casekit/events"
"""The event stream the page listens to (a hidden path: no file of the folder has it)."""

HEARTBEAT = 15.0
"""Seconds between comments on an idle event stream, so a closed page is noticed."""


class PreviewError(CasekitError):
    """The preview server cannot start (its port is taken, or not allowed)."""

    kind = "preview error"


@dataclass(frozen=True)
class Shown:
    """What the served page shows: which good build, and the last rebuild's error."""

    version: int
    """How many good builds the preview has made; the page reloads when it changes."""
    errors: tuple[str, ...]
    """The last rebuild's error, one line per problem; empty when it succeeded."""
    folder: Path
    """The build folder served (``build/``, or ``build/NAME/`` for a journal)."""


class Board:
    """The latest :class:`Shown`, shared by the rebuild loop and the server's threads."""

    def __init__(self, folder: Path) -> None:
        self._shown = Shown(0, (), folder)
        self._changed = threading.Condition()
        self._closed = False

    @property
    def shown(self) -> Shown:
        """What the page should show now."""
        with self._changed:
            return self._shown

    @property
    def closed(self) -> bool:
        """Whether the preview is stopping."""
        with self._changed:
            return self._closed

    def record(self, rebuild: Rebuild, describe: Callable[[CasekitError], Sequence[str]]) -> None:
        """Take a rebuild's outcome: a new version after a good build, the error after a
        failed one (the last good build stays served)."""
        with self._changed:
            shown = self._shown
            if rebuild.result is not None:
                folder = rebuild.result.plan.folder
                self._shown = Shown(shown.version + 1, (), folder)
            elif rebuild.error is not None:
                self._shown = replace(shown, errors=tuple(describe(rebuild.error)))
            self._changed.notify_all()

    def wait(self, seen: Shown | None, timeout: float) -> Shown:
        """What to show, once it differs from ``seen`` (at once for None), the preview
        stops, or ``timeout`` seconds pass."""
        with self._changed:
            self._changed.wait_for(lambda: self._shown != seen or self._closed, timeout)
            return self._shown

    def close(self) -> None:
        """Wake every waiting event stream: the preview is stopping."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def served_file(folder: Path, path: str) -> Path | None:
    """The file of ``folder`` a URL path names, or None: nothing outside the folder
    (``..``, an absolute path, a link out of it) and nothing hidden in it."""
    parts = [part for part in unquote(path).replace("\\", "/").split("/") if part]
    if any(part.startswith(".") or "\0" in part for part in parts):
        return None
    root = folder.resolve()
    try:
        candidate = root.joinpath(*parts).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
    except OSError:  # a name too long, a loop of links: nothing to serve either
        return None
    return candidate


_BODY = re.compile(r"<body\b[^>]*>", re.I)
_BODY_END = re.compile(r"</body\s*>", re.I)

_STYLE = (
    "position:sticky;top:0;z-index:10;margin:0 0 1em;padding:0.4em 0.8em;"
    "font:14px/1.4 system-ui,sans-serif;color:#1a1a1a;background:#eef1f5;"
    "border-bottom:1px solid #8a94a6"
)
_ERROR_STYLE = (
    "margin:0.4em 0 0;padding:0.4em 0.6em;color:#5f1414;background:#fdecea;border:1px solid #b3261e"
)

_SCRIPT = """<script>
(function () {
  var version = %(version)s;
  var events = new EventSource(%(events)s);
  events.onmessage = function (message) {
    var shown = JSON.parse(message.data);
    if (shown.version !== version) {
      events.close();
      location.reload();
      return;
    }
    var banner = document.getElementById("casekit-error");
    banner.querySelector("pre").textContent = shown.errors.join("\\n");
    banner.hidden = shown.errors.length === 0;
  };
})();
</script>
"""

_EMPTY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>casekit preview</title></head>
<body>
<main>
<h1>No HTML built yet</h1>
<p>The page appears here after the first good build.</p>
</main>
</body>
</html>
"""


def toolbar(shown: Shown, has_pdf: bool) -> str:
    """The bar added at the top of the page: a link to the PDF, and the error banner."""
    pdf = FORMATS["pdf"].filename
    link = (
        f'<a href="/{pdf}" target="_blank" rel="noopener" style="color:#0b3d91">Open the PDF</a>'
        if has_pdf
        else "No PDF built yet."
    )
    errors = html.escape("\n".join(shown.errors))
    hidden = "" if shown.errors else " hidden"
    return (
        f'<aside id="casekit-preview" aria-label="casekit preview" style="{_STYLE}">\n'
        f'<p style="margin:0">casekit preview: rebuilt on every change. {link}</p>\n'
        f'<div id="casekit-error" role="alert" style="{_ERROR_STYLE}"{hidden}>\n'
        '<p style="margin:0"><strong>The last rebuild failed</strong>; '
        "this is the last good build.</p>\n"
        f'<pre style="margin:0.3em 0 0;white-space:pre-wrap">{errors}</pre>\n'
        "</div>\n</aside>\n"
    )


def page(built: str | None, shown: Shown, has_pdf: bool) -> str:
    """The page a browser gets: the built HTML (or a placeholder before the first good
    build) with the toolbar after ``<body>`` and the script before ``</body>``."""
    text = built if built is not None else _EMPTY_PAGE
    script = _SCRIPT % {"version": shown.version, "events": json.dumps(EVENTS)}
    body = _BODY.search(text)
    end = _BODY_END.search(text, body.end()) if body else None
    if body is None or end is None:  # not a page pandoc wrote: add, do not insert
        return toolbar(shown, has_pdf) + text + script
    return (
        text[: body.end()] + "\n" + toolbar(shown, has_pdf)
        + text[body.end() : end.start()] + script + text[end.start() :]
    )  # fmt: skip


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    board: Board
    hosts: frozenset[str]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer is no error, and the library never prints."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "casekit-preview"

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the library never prints."""

    def do_GET(self) -> None:
        if self.headers.get("Host", "").lower() not in self.server.hosts:
            self._send(HTTPStatus.FORBIDDEN, b"preview answers to this machine only\n")
            return
        path = urlsplit(self.path).path
        shown = self.server.board.shown
        if path == EVENTS:
            self._events()
        elif path in ("/", "/" + FORMATS["html"].filename):
            self._page(shown)
        elif path == "/favicon.ico":  # asked for by every browser: no icon, and no 404
            self._send(HTTPStatus.NO_CONTENT, b"")
        else:
            found = served_file(shown.folder, path)
            if found is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n")
                return
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, found.read_bytes(), kind)

    def _page(self, shown: Shown) -> None:
        built = shown.folder / FORMATS["html"].filename
        try:
            text: str | None = built.read_text(encoding="utf-8")
        except OSError:
            text = None
        has_pdf = (shown.folder / FORMATS["pdf"].filename).is_file()
        body = page(text, shown, has_pdf).encode("utf-8")
        self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")

    def _events(self) -> None:
        board = self.server.board
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sent: Shown | None = None
        while not board.closed:
            shown = board.wait(sent, HEARTBEAT)
            if board.closed:
                return
            if shown == sent:
                chunk = ": still here\n\n"
            else:
                data = {"version": shown.version, "errors": list(shown.errors)}
                chunk = f"data: {json.dumps(data)}\n\n"
                sent = shown
            try:
                self.wfile.write(chunk.encode("utf-8"))
                self.wfile.flush()
            except OSError:  # the page was closed or reloaded
                return

    def _send(self, status: HTTPStatus, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def open_server(board: Board, port: int) -> _Server:
    """A server on ``127.0.0.1:port`` (0: a free port), not yet serving."""
    try:
        server = _Server((LOOPBACK, port), _Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PreviewError(
                f"port {port} of {LOOPBACK} is in use",
                hint="give another with --port N, or --port 0 to pick a free one",
            ) from None
        raise PreviewError(
            f"cannot listen on {LOOPBACK}:{port}: {exc.strerror or exc}",
            hint="--port 0 picks a free port",
        ) from None
    server.board = board
    bound = server.server_address[1]
    server.hosts = frozenset(f"{name}:{bound}" for name in (LOOPBACK, "localhost"))
    return server


def preview(
    request: Request,
    port: int,
    ready: Callable[[str], None],
    report: Callable[[Rebuild], None],
    stop: threading.Event,
    describe: Callable[[CasekitError], Sequence[str]],
    interval: float = 0.25,
    unread: Callable[[set[Path]], None] | None = None,
) -> int:
    """Serve the build folder's HTML and rebuild on every change until ``stop`` is set
    (or Ctrl-C); returns the builds made.

    ``ready`` is told the page's address once the server listens, before the first
    build; ``report`` each rebuild, as :func:`~casekit.building.watch.watch` tells it;
    ``describe`` turns a failed rebuild's error into the lines the banner shows.
    """
    try:
        folder = make_plan(request).folder
    except CasekitError:
        folder = request.project.build  # the first build says what is wrong
    board = Board(folder)
    server = open_server(board, port)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()

    def rebuilt(rebuild: Rebuild) -> None:
        board.record(rebuild, describe)
        report(rebuild)

    try:
        ready(f"http://{LOOPBACK}:{server.server_address[1]}/")
        return watch(request, rebuilt, stop, interval, unread)
    finally:
        board.close()
        server.shutdown()
        server.server_close()
        thread.join()
