"""A plain web server on 127.0.0.1 for calendar subscriptions: each test sets what a path answers."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta


def ics(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def vevent(uid: str, start: datetime, title: str, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}\r\nSUMMARY:{title}\r\n{extra}END:VEVENT\r\n"
    )


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Callable[[Handler], None]] = {}

    def do_GET(self) -> None:
        self.routes.get(self.path, lambda h: h.send_error(404))(self)

    def log_message(self, *args: object) -> None:
        pass


def send(body: bytes, kind: str = "text/calendar", status: int = 200, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    def reply(h: Handler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return reply


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) is expected here


Routes = dict[str, Callable[[Handler], None]]


def serve() -> Iterator[tuple[str, Routes]]:
    """The server's base URL and its routes (path -> reply), until the generator is closed."""
    routes: Routes = {}
    handler = type("Handler", (Handler,), {"routes": routes})
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
