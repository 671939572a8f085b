"""Runs Xandikos for the tests behind HTTP Basic auth read from a plain htpasswd file.

Xandikos's own --htpasswd needs its self-signed TLS and hashed entries; the tests want plain HTTP on
127.0.0.1 with user/password auth as Radicale has it, so a tiny WSGI check sits in front.
usage: xandikos_runner.py STORE PORT HTPASSWD PRINCIPAL
"""

from __future__ import annotations

import base64
import hmac
import io
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    store, port, htpasswd, principal = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.environ.update(XANDIKOSPATH=store, AUTOCREATE="yes", CURRENT_USER_PRINCIPAL=principal)
    from xandikos.wsgi import app

    users = dict(line.split(":", 1) for line in Path(htpasswd).read_text().split())

    def guarded(environ, start_response):  # type: ignore[no-untyped-def]
        header = environ.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Basic "):
            user, _, password = base64.b64decode(header[6:]).decode("utf-8", "replace").partition(":")
            if user in users and hmac.compare_digest(users[user], password):
                environ["REMOTE_USER"] = user
                # wsgiref hands over the raw socket and Xandikos reads to EOF: give it just the body.
                length = int(environ.get("CONTENT_LENGTH") or 0)
                environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length) if length else b"")
                return app(environ, start_response)
        start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="xandikos"'), ("Content-Length", "0")])
        return [b""]

    with make_server("127.0.0.1", port, guarded, server_class=_Threaded, handler_class=_Quiet) as httpd:
        httpd.serve_forever()


if __name__ == "__main__":
    main()
