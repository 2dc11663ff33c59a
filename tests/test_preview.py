"""``casekit preview``: the build folder's HTML served on 127.0.0.1, rebuilt on change.

The server is tested on its own first (a folder with a page and a PDF, no build): what
it serves and refuses, the page it adds a toolbar to, the events it streams. Then
``casekit preview`` runs as an author runs it, in a subprocess on a copy of the example,
and headless Chromium looks at the page (skipped where Chromium is missing).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from casekit.building.preview import EVENTS, Board, Shown, open_server, page, served_file
from casekit.building.watch import Rebuild
from casekit.cli.commands import main
from casekit.core.errors import Location, TemplateError

from .browser import axe_violations, chromium, describe_violations

BUILT = '<!DOCTYPE html>\n<html lang="en">\n<head><title>t</title></head>\n<body class="x">\n<main><p>The case.</p></main>\n</body>\n</html>\n'  # noqa: E501


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A build folder with a page, a PDF, a hidden cache, and a secret beside it."""
    build = tmp_path / "project" / "build"
    (build / ".cache").mkdir(parents=True)
    (build / "manuscript.html").write_text(BUILT, encoding="utf-8")
    (build / "manuscript.pdf").write_bytes(b"%PDF-1.7\n")
    (build / ".cache" / "store.json").write_text("{}", encoding="utf-8")
    (build / ".manuscript.pdf.d").write_text("rule", encoding="utf-8")
    (tmp_path / "project" / "secret.yaml").write_text("patient: x\n", encoding="utf-8")
    (build / "outside").symlink_to(tmp_path / "project" / "secret.yaml")
    return build


REFUSED = {
    "parent": "/../secret.yaml",
    "parent-encoded": "/%2e%2e/secret.yaml",
    "slash-encoded": "/..%2fsecret.yaml",
    "backslash": "/..\\secret.yaml",
    "absolute": "{secret}",
    "double-slash-absolute": "/{secret}",
    "hidden-cache": "/.cache/store.json",
    "make-rule": "/.manuscript.pdf.d",
    "link-out-of-folder": "/outside",
    "missing": "/nothing.html",
    "nul": "/manuscript.html%00.pdf",
    "too-long": "/" + "a" * 5000,
}


@pytest.mark.parametrize("path", REFUSED.values(), ids=REFUSED.keys())
def test_served_file_refuses_what_is_not_a_file_of_the_folder(folder: Path, path: str) -> None:
    secret = folder.parent / "secret.yaml"
    assert served_file(folder, path.format(secret=secret)) is None


def test_served_file_finds_a_file_of_the_folder(folder: Path) -> None:
    assert served_file(folder, "/") is None  # the page itself is made, not served
    assert served_file(folder, "/manuscript.pdf") == (folder / "manuscript.pdf").resolve()
    assert served_file(folder, "/manuscript%2Epdf") == (folder / "manuscript.pdf").resolve()


def test_the_page_gets_the_toolbar_after_body_and_the_script_before_its_end() -> None:
    shown = Shown(3, ("templates/sections/case.md.j2:12: template error: <oops>",), Path("."))
    served = page(BUILT, shown, has_pdf=True)
    assert served.index('<body class="x">') < served.index('<aside id="casekit-preview"')
    assert served.index("</aside>") < served.index("<main>")
    assert served.index("<script>") > served.index("</main>")
    assert served.index("</script>") < served.index("</body>")
    assert "var version = 3;" in served
    assert 'href="/manuscript.pdf"' in served
    # The error is escaped text, shown: the banner is not hidden.
    assert "case.md.j2:12: template error: &lt;oops&gt;</pre>" in served
    assert 'role="alert"' in served and 'role="alert" hidden' not in served
    clean = page(BUILT, Shown(3, (), Path(".")), has_pdf=False)
    assert 'hidden>\n<p style="margin:0"><strong>The last rebuild failed' in clean
    assert "manuscript.pdf" not in clean


def test_a_page_before_the_first_build_is_a_placeholder_with_the_banner() -> None:
    served = page(None, Shown(0, ("manuscript/case.yaml:3: input error: x",), Path(".")), False)
    assert "No HTML built yet" in served
    assert "manuscript/case.yaml:3: input error: x" in served


@dataclass
class Served:
    board: Board
    address: str
    port: int

    def get(self, path: str, host: str | None = None) -> Answer:
        """The whole answer to a GET of ``path`` (with ``host`` as its Host header)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            response = connection.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def stream(self, path: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        """An answer still being sent (the event stream); close the connection after."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        return connection, connection.getresponse()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def served(folder: Path) -> Iterator[Served]:
    board = Board(folder)
    server = open_server(board, 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    try:
        address, port = server.server_address[:2]
        yield Served(board, str(address), int(port))
    finally:
        board.close()
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_server_listens_on_loopback_only(served: Served) -> None:
    assert served.address == "127.0.0.1"


@pytest.mark.parametrize("path", REFUSED.values(), ids=REFUSED.keys())
def test_the_server_answers_404_outside_the_folder(served: Served, folder: Path, path: str) -> None:
    answer = served.get(path.format(secret=folder.parent / "secret.yaml"))
    assert answer.status == 404
    assert b"patient" not in answer.body


def test_the_server_serves_the_page_with_its_toolbar_and_leaves_the_file_alone(
    served: Served, folder: Path
) -> None:
    for path in ("/", "/manuscript.html"):
        answer = served.get(path)
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
        assert answer.headers["Cache-Control"] == "no-store"
        body = answer.body.decode("utf-8")
        assert 'id="casekit-preview"' in body and EVENTS in body
    assert (folder / "manuscript.html").read_text(encoding="utf-8") == BUILT
    pdf = served.get("/manuscript.pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.body == b"%PDF-1.7\n"


def test_the_server_answers_only_to_this_machines_names(served: Served) -> None:
    """A page of another site that a DNS name points at 127.0.0.1 gets nothing."""
    assert served.get("/", host="attacker.example").status == 403
    assert served.get("/", host=f"attacker.example:{served.port}").status == 403
    assert served.get("/", host=f"localhost:{served.port}").status == 200


def test_the_event_stream_tells_each_rebuild(served: Served, folder: Path) -> None:
    connection, response = served.stream(EVENTS)
    assert response.getheader("Content-Type") == "text/event-stream"

    def event() -> dict[str, Any]:
        line = response.readline().decode("utf-8")
        while not line.startswith("data: "):
            line = response.readline().decode("utf-8")
        data: dict[str, Any] = json.loads(line.removeprefix("data: "))
        return data

    assert event() == {"version": 0, "errors": []}
    error = TemplateError("undefined value", Location(folder / "case.md.j2", 12))
    served.board.record(Rebuild(0.1, None, error), lambda e: [e.one_line(folder)])
    assert event() == {"version": 0, "errors": ["case.md.j2:12: template error: undefined value"]}
    assert served.board.shown.folder == folder  # the last good build stays served
    connection.close()


def test_preview_says_when_its_port_is_taken(example: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", "-C", str(example), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"casekit: preview error: port {port} of 127.0.0.1 is in use "
        "(hint: give another with --port N, or --port 0 to pick a free one)"
    ]
    assert not (example / "build").exists()


# `casekit preview` as an author runs it, in its own process.


class Preview:
    """A running ``casekit preview --port 0`` on a project."""

    def __init__(self, project: Path) -> None:
        self.project = project
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "casekit", "preview", "--port", "0", "-C", str(project)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if not first.startswith("previewing at "):
            self.process.kill()
            _, err = self.process.communicate()
            pytest.fail(f"casekit preview did not start: {first!r} {err}")
        self.url = first.split()[2]
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(stream, into), daemon=True)
            for stream, into in (
                (self.process.stdout, self.lines),
                (self.process.stderr, self.errors),
            )
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def wait_for_builds(self, count: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while sum(line.startswith("built ") for line in self.lines) < count:
            assert self.process.poll() is None, f"casekit preview stopped: {self.errors}"
            assert time.monotonic() < deadline, f"no build {count} in {seconds} s: {self.lines}"
            time.sleep(0.05)

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C: the exit status and what was printed on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        for reader in self._readers:
            reader.join(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return status, "".join(self.errors)


@pytest.mark.slow
def test_ctrl_c_stops_the_preview_cleanly(example: Path) -> None:
    preview = Preview(example)
    preview.wait_for_builds(1)
    port = int(preview.url.rsplit(":", 1)[1].strip("/"))
    status, err = preview.interrupt()
    assert status in (0, 130), err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "stopped previewing"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview of a copy of the example, shared by the browser tests (each leaves the
    templates as it found them)."""
    from .conftest import copy_example

    preview = Preview(copy_example(tmp_path_factory.mktemp("preview") / "project"))
    try:
        preview.wait_for_builds(1)
        yield preview
    finally:
        _, err = preview.interrupt()
        assert "Traceback" not in err


def _discussion(preview: Preview) -> Path:
    return preview.project / "templates" / "sections" / "discussion.md.j2"


@pytest.mark.slow
def test_the_page_shows_an_edit_within_two_seconds(browser: Any, running: Preview) -> None:
    page = browser.new_page()
    try:
        page.goto(running.url)
        page.get_by_role("heading", name="Discussion").wait_for(timeout=10_000)
        section = _discussion(running)
        text = section.read_text(encoding="utf-8")
        sentence = "A closing sentence added while the preview ran."
        try:
            section.write_text(text + f"\n{sentence}\n", encoding="utf-8")
            edited = time.monotonic()
            try:
                page.get_by_text(sentence).wait_for(timeout=2_000)
            except Exception as error:
                said = "".join(running.lines + running.errors)
                raise AssertionError(f"not shown within 2 s; the preview said:\n{said}") from error
            assert time.monotonic() - edited < 2.0
        finally:
            section.write_text(text, encoding="utf-8")
        page.get_by_text(sentence).wait_for(state="detached", timeout=10_000)
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("{{ case.patient.no_such_field }}", "template error"),
        ("{% endfor %}", "template error"),
    ],
    ids=["undefined-variable", "bad-tag"],
)
def test_a_failed_rebuild_shows_its_error_in_the_banner_until_fixed(
    browser: Any, running: Preview, broken: str, expected: str
) -> None:
    page = browser.new_page()
    try:
        page.goto(running.url)
        main_text = page.locator("main")
        main_text.get_by_text("Discussion").first.wait_for(timeout=10_000)
        banner = page.locator("#casekit-error")
        assert banner.is_hidden()
        section = _discussion(running)
        text = section.read_text(encoding="utf-8")
        lines = text.count("\n")
        try:
            section.write_text(text + broken + "\n", encoding="utf-8")
            banner.wait_for(state="visible", timeout=10_000)
            shown = banner.locator("pre").inner_text()
            assert shown.startswith(f"templates/sections/discussion.md.j2:{lines + 1}")
            assert expected in shown and "\n" not in shown.strip()
            # The same line the terminal got, without its "casekit: " prefix.
            deadline = time.monotonic() + 5
            while not any(line.strip() == f"casekit: {shown}" for line in running.errors):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            # The last good build stays visible, and the page stays accessible.
            assert main_text.get_by_text("Discussion").first.is_visible()
            violations = axe_violations(page)
            assert not violations, describe_violations(violations)
        finally:
            section.write_text(text, encoding="utf-8")
        banner.wait_for(state="hidden", timeout=10_000)
    finally:
        page.close()


@pytest.mark.slow
def test_the_toolbar_opens_the_pdf(browser: Any, running: Preview) -> None:
    page = browser.new_page()
    try:
        page.goto(running.url)
        link = page.get_by_role("link", name="Open the PDF")
        href = link.get_attribute("href", timeout=10_000)
        assert href == "/manuscript.pdf"
        assert link.get_attribute("target") == "_blank"  # beside the page, not over it
        response = page.request.get(running.url.rstrip("/") + href)
        assert response.status == 200 and response.body().startswith(b"%PDF")
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    ["/../manuscript/case.yaml", "/%2e%2e/manuscript/case.yaml", "/{case}"],
    ids=["parent", "parent-encoded", "absolute"],
)
def test_the_running_preview_refuses_paths_out_of_the_build_folder(
    running: Preview, path: str
) -> None:
    case = running.project / "manuscript" / "case.yaml"
    host, port = running.url.removeprefix("http://").strip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path.format(case=case))
        response = connection.getresponse()
        assert response.status == 404
        assert b"patient" not in response.read()
    finally:
        connection.close()
