"""Real CardDAV/CalDAV servers for the sync tests: Radicale and Xandikos on 127.0.0.1, one per test.

Each server runs in its own process with its own storage folder and a plain htpasswd file (user
`ana`, password `secret`). Helpers create a fresh address book or calendar collection and PUT a
vCard or iCalendar object straight onto the server, as another device would.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import ssl
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

USER = "ana"
PASSWORD = "secret"
RUNNER = Path(__file__).with_name("xandikos_runner.py")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """One running server. `url` is its root; `principal` the user's home (collections go under it)."""

    kind: str
    root: Path
    port: int
    scheme: str = "http"
    principal: str = f"/{USER}/"
    cert: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    # Where the server's discovery (addressbook-home-set, calendar-home-set) says collections live.
    book_home: str = f"/{USER}/"
    cal_home: str = f"/{USER}/"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/"

    # -------------------------------------------------------------------------- life cycle
    def start(self, timeout: float = 20.0) -> Server:
        log = open(self.root / f"{self.kind}.log", "ab")  # noqa: SIM115 - the child owns it until it exits
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.env})
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited: {(self.root / f'{self.kind}.log').read_text()[-2000:]}")
            try:
                status, _, _ = self.request("PROPFIND", self.principal, b"", {"Depth": "0"})
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.kind} did not answer within {timeout} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    # ----------------------------------------------------------------------------- requests
    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None, *, auth: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        """One raw HTTP request to the server (as another client would send it)."""
        if self.scheme == "https":
            ctx = ssl.create_default_context(cafile=str(self.cert)) if self.cert else ssl.create_default_context()
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=ctx, timeout=10
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        hdrs = dict(headers or {})
        if auth:
            token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            hdrs["Authorization"] = f"Basic {token}"
        if body:
            hdrs.setdefault("Content-Type", "application/xml; charset=utf-8")
        try:
            conn.request(method, path, body=body or None, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def _mkcol(self, path: str, resourcetype: str, ns: str, name: str) -> str:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<D:mkcol xmlns:D="DAV:" xmlns:X="{ns}"><D:set><D:prop>'
            f"<D:resourcetype><D:collection/><X:{resourcetype}/></D:resourcetype>"
            f"<D:displayname>{name}</D:displayname>"
            "</D:prop></D:set></D:mkcol>"
        ).encode()
        status, _, text = self.request("MKCOL", path, body)
        if status not in (200, 201):
            raise RuntimeError(f"MKCOL {path} on {self.kind}: {status} {text[:300]!r}")
        return path

    def _home(self, home: str) -> str:
        if home != self.principal:  # Xandikos: the home set is a plain collection of its own
            status, _, _ = self.request("MKCOL", home)
            if status not in (200, 201, 405):
                raise RuntimeError(f"MKCOL {home} on {self.kind}: {status}")
        return home

    def make_addressbook(self, name: str = "Contacts") -> str:
        """A fresh, empty address book in the address-book home; returns its path (ends with /)."""
        path = f"{self._home(self.book_home)}{name.lower()}-{uuid.uuid4().hex[:8]}/"
        return self._mkcol(path, "addressbook", "urn:ietf:params:xml:ns:carddav", name)

    def make_calendar(self, name: str = "Calendar") -> str:
        """A fresh, empty calendar collection in the calendar home; returns its path (ends with /)."""
        path = f"{self._home(self.cal_home)}{name.lower()}-{uuid.uuid4().hex[:8]}/"
        return self._mkcol(path, "calendar", "urn:ietf:params:xml:ns:caldav", name)

    def put(self, collection: str, name: str, text: str, content_type: str, etag: str | None = None) -> str:
        """PUT one object into a collection; returns its new ETag ("" when the server sent none)."""
        headers = {"Content-Type": content_type}
        if etag is not None:
            headers["If-Match"] = etag
        status, hdrs, body = self.request("PUT", collection + name, text.encode(), headers)
        if status not in (200, 201, 204):
            raise RuntimeError(f"PUT {collection}{name} on {self.kind}: {status} {body[:300]!r}")
        return hdrs.get("etag", "")

    def put_vcard(self, collection: str, name: str, text: str) -> str:
        return self.put(collection, name, text, "text/vcard; charset=utf-8")

    def put_ical(self, collection: str, name: str, text: str) -> str:
        return self.put(collection, name, text, "text/calendar; charset=utf-8")

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, ETag, body) of one object."""
        status, hdrs, body = self.request("GET", path)
        return status, hdrs.get("etag", ""), body.decode("utf-8", "replace")

    def delete(self, path: str) -> int:
        return self.request("DELETE", path)[0]

    def list_hrefs(self, collection: str) -> list[str]:
        """The object paths in a collection (PROPFIND depth 1), without the collection itself."""
        body = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
        status, _, text = self.request("PROPFIND", collection, body, {"Depth": "1"})
        if status != 207:
            raise RuntimeError(f"PROPFIND {collection}: {status}")
        import xml.etree.ElementTree as ET

        out = []
        for resp in ET.fromstring(text).iter("{DAV:}response"):
            href = resp.findtext("{DAV:}href") or ""
            path = urlsplit(href).path
            if path.rstrip("/") != collection.rstrip("/"):
                out.append(path)
        return sorted(out)


def _htpasswd(root: Path) -> Path:
    path = root / "users"
    path.write_text(f"{USER}:{PASSWORD}\n")
    return path


def radicale(root: Path, *, tls: bool = False) -> Server:
    """A Radicale 3 server (not started) storing in `root`; with `tls`, a self-signed certificate."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    users = _htpasswd(root)
    lines = [
        "[server]",
        f"hosts = 127.0.0.1:{port}",
        "[auth]",
        "type = htpasswd",
        f"htpasswd_filename = {users}",
        "htpasswd_encryption = plain",
        # Radicale delays every failed login by default; tests of a wrong password need not wait.
        "delay = 0",
        "[rights]",
        "type = owner_only",
        "[storage]",
        f"filesystem_folder = {root / 'collections'}",
        "[logging]",
        "level = warning",
        "mask_passwords = True",
        "[web]",
        "type = none",
    ]
    cert = None
    if tls:
        cert, key = self_signed_cert(root)
        lines[2:2] = ["ssl = True", f"certificate = {cert}", f"key = {key}"]
    config = root / "radicale.conf"
    config.write_text("\n".join(lines) + "\n")
    return Server(
        "radicale",
        root,
        port,
        scheme="https" if tls else "http",
        cert=cert,
        argv=[sys.executable, "-m", "radicale", "--config", str(config)],
    )


def xandikos(root: Path) -> Server:
    """A Xandikos server (not started) storing in `root`, behind a Basic-auth check (xandikos_runner.py)."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    users = _htpasswd(root)
    return Server(
        "xandikos",
        root,
        port,
        book_home=f"/{USER}/contacts/",
        cal_home=f"/{USER}/calendars/",
        argv=[sys.executable, str(RUNNER), str(root / "store"), str(port), str(users), f"/{USER}/"],
    )


def self_signed_cert(root: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost signed by itself (no CA trusts it): (cert, key) paths."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = root / "cert.pem", root / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def vcard(uid: str, name: str, *, email: str | None = None, tel: str | None = None, org: str | None = None) -> str:
    """A small vCard 3.0 as a phone would write it."""
    given, _, family = name.rpartition(" ") if " " in name else (name, "", "")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{family};{given};;;"]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    if tel:
        lines.append(f"TEL;TYPE=CELL:{tel}")
    if org:
        lines.append(f"ORG:{org}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
