"""The connection to a CardDAV/CalDAV server: caldav's DAVClient plus the requests sync needs.

caldav 3 has no address-book objects, but its client does the HTTP (niquests), Basic/Digest auth and
TLS verification; the CardDAV requests are small XML bodies built here. Every failure becomes a
`SyncProblem` whose message names the account in plain words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from netjournal.core.errors import NetjournalError

log = logging.getLogger(__name__)

DAV = "{DAV:}"
CARD = "{urn:ietf:params:xml:ns:carddav}"
CAL = "{urn:ietf:params:xml:ns:caldav}"
TIMEOUT = 60  # seconds per request; a big address book takes a first-time server a while to list
MULTIGET_BATCH = 200


class SyncProblem(NetjournalError):
    """A sync could not talk to the server (message: plain words naming the account)."""

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind  # auth | offline | tls | timeout | server | other


class TokenExpired(Exception):
    """The server no longer knows the sync token: sync everything again."""


@dataclass
class Found:
    """An address book or calendar on the server."""

    url: str
    name: str
    kind: str  # addressbook | calendar


@dataclass
class Change:
    """What sync-collection (or an ETag listing) says about one object."""

    href: str
    etag: str = ""
    deleted: bool = False


@dataclass
class Listing:
    changes: list[Change] = field(default_factory=list)
    token: str = ""
    complete: bool = True  # False: the changes are the whole collection (compare with what is known)


def _is_local(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1", "[::1]")


def check_url(url: str, allow_http: bool) -> str:
    """The account URL, refused unless it is HTTPS (or HTTP to this machine, or HTTP opted in)."""
    from netjournal.core.errors import ValidationError

    try:
        parts = urlsplit(url.strip())
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and url.isprintable() and parts.port != 0
    except ValueError:  # a port that is no number
        ok = False
    if not ok:
        raise ValidationError(f"{url!a} is not a server address; give one like https://dav.example.org/")
    if parts.scheme == "http" and not allow_http and not _is_local(parts.hostname or ""):
        raise ValidationError(
            f"{url} is plain HTTP: the password and contacts would cross the network unencrypted. Use https://, "
            "or add --allow-http if you really mean it."
        )
    return parts.geturl() if parts.path else parts.geturl() + "/"


class Connection:
    """One account's connection. `name` is the account's name, used in every message."""

    def __init__(self, name: str, url: str, username: str, password: str, *, timeout: int = TIMEOUT) -> None:
        from caldav.davclient import DAVClient

        self.name = name
        self.url = url
        self.host = urlsplit(url).hostname or ""
        # No RFC 6764 DNS look-ups: the network rule allows this account's host and nothing else.
        self.client = DAVClient(
            url=url,
            username=username,
            password=password,
            timeout=timeout,
            ssl_verify_cert=True,
            enable_rfc6764=False,
        )
        # niquests reads proxies and .netrc from the environment; the account says where to connect.
        self.client.session.trust_env = False

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # closing a broken connection must not hide the real problem
            log.debug("closing the connection failed", exc_info=True)

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------------------------- requests
    def request(self, method: str, url: str, body: str = "", headers: dict[str, str] | None = None) -> Any:
        from caldav.lib import error

        target = urljoin(self.url, url)
        if (urlsplit(target).hostname or "") != self.host:
            raise SyncProblem(
                f"{self.name}: the server pointed to another host ({urlsplit(target).hostname}); "
                "netjournal only talks to the account's own host.",
                "server",
            )
        try:
            return self.client.request(target, method, body, headers or {})
        except error.AuthorizationError as exc:
            if getattr(exc, "status", None) == 403 and method == "REPORT":
                raise TokenExpired() from exc
            raise SyncProblem(
                f"{self.name}: the server did not accept the user name or password. Check them with "
                "`netjournal account add` (it replaces the account).",
                "auth",
            ) from exc
        except Exception as exc:
            raise self._translate(exc) from exc

    def _translate(self, exc: Exception) -> SyncProblem:
        text = f"{type(exc).__name__}: {exc}".lower()
        if "certificate" in text or "ssl" in text or "tls" in text:
            return SyncProblem(
                f"{self.name}: the server's certificate could not be verified, so nothing was sent. If it is "
                "your own server with a self-made certificate, add that certificate to the system's trusted ones.",
                "tls",
            )
        if "timeout" in text or "timed out" in text:
            return SyncProblem(
                f"{self.name}: the server did not answer in time; netjournal will try again later.", "timeout"
            )
        if any(w in text for w in ("connection", "refused", "resolve", "unreachable", "network", "name or service")):
            return SyncProblem(
                f"{self.name}: the server could not be reached (offline, or the server is down); netjournal will "
                "try again later.",
                "offline",
            )
        return SyncProblem(f"{self.name}: talking to the server failed ({type(exc).__name__}).", "server")

    def _multistatus(self, resp: Any, what: str) -> Any:
        if resp.status != 207 or resp.tree is None:
            raise SyncProblem(f"{self.name}: the server answered {what} with {resp.status}.", "server")
        return resp.tree

    def propfind(self, url: str, props: str, depth: int = 0) -> Any:
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" '
            f'xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:K="urn:ietf:params:xml:ns:caldav" '
            f'xmlns:CS="http://calendarserver.org/ns/"><D:prop>{props}</D:prop></D:propfind>'
        )
        resp = self.request("PROPFIND", url, body, {"Depth": str(depth), "Content-Type": "application/xml"})
        return self._multistatus(resp, "a PROPFIND")

    # -------------------------------------------------------------------------------- discovery
    def _href_prop(self, url: str, prop: str) -> str | None:
        tree = self.propfind(url, prop)
        tag = prop.split()[0].strip("<>/").replace("D:", DAV).replace("C:", CARD).replace("K:", CAL)
        for el in tree.iter(tag):
            href = el.findtext(f"{DAV}href")
            if href:
                return str(urljoin(url, str(href).strip()))
        return None

    def principal(self) -> str:
        """The user's principal URL (RFC 6764: the account URL, else /.well-known/carddav or caldav)."""
        tried: list[str] = []
        for start in (self.url, "/.well-known/carddav", "/.well-known/caldav"):
            start = urljoin(self.url, start)
            if start in tried:
                continue
            tried.append(start)
            try:
                found = self._href_prop(start, "<D:current-user-principal/>")
            except SyncProblem as exc:
                if exc.kind in ("auth", "tls", "offline", "timeout"):
                    raise
                continue
            if found:
                return found
        raise SyncProblem(f"{self.name}: no CardDAV or CalDAV service was found at {self.url}.", "server")

    def homes(self, principal: str) -> tuple[str | None, str | None]:
        """(addressbook-home-set, calendar-home-set) of a principal."""
        tree = self.propfind(principal, "<C:addressbook-home-set/><K:calendar-home-set/>")
        out: list[str | None] = []
        for tag in (f"{CARD}addressbook-home-set", f"{CAL}calendar-home-set"):
            href = next((el.findtext(f"{DAV}href") for el in tree.iter(tag) if el.findtext(f"{DAV}href")), None)
            out.append(urljoin(principal, href.strip()) if href else None)
        return out[0], out[1]

    def collections(self, home: str) -> list[Found]:
        """Address books and calendars directly under a home set."""
        tree = self.propfind(home, "<D:resourcetype/><D:displayname/>", depth=1)
        found = []
        for resp in tree.iter(f"{DAV}response"):
            href = resp.findtext(f"{DAV}href") or ""
            types = resp.find(f".//{DAV}resourcetype")
            if types is None:
                continue
            kind = (
                "addressbook"
                if types.find(f"{CARD}addressbook") is not None
                else "calendar"
                if types.find(f"{CAL}calendar") is not None
                else None
            )
            if kind is None:
                continue
            url = urljoin(home, href.strip())
            name = (resp.findtext(f".//{DAV}displayname") or "").strip() or urlsplit(url).path.rstrip("/").split("/")[
                -1
            ]
            found.append(Found(url, name, kind))
        return found

    def discover(self) -> tuple[str, list[Found]]:
        """The principal and every address book and calendar the account holds."""
        principal = self.principal()
        book_home, cal_home = self.homes(principal)
        found: dict[str, Found] = {}
        for home in dict.fromkeys(h for h in (book_home, cal_home) if h):
            for f in self.collections(home):
                found.setdefault(f.url, f)
        return principal, list(found.values())

    # ------------------------------------------------------------------------------ address books
    def sync_collection(self, url: str, token: str) -> Listing:
        """RFC 6578: what changed since `token` ("" = everything). TokenExpired if the server forgot it."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">'
            f"<D:sync-token>{_xml_text(token)}</D:sync-token><D:sync-level>1</D:sync-level>"
            "<D:prop><D:getetag/></D:prop></D:sync-collection>"
        )
        resp = self.request("REPORT", url, body, {"Depth": "0", "Content-Type": "application/xml"})
        if resp.status in (400, 403, 409, 412) or (resp.status == 507 and token):
            raise TokenExpired()
        if resp.status == 501 or resp.status == 405:
            raise NotImplementedError
        tree = self._multistatus(resp, "a sync request")
        listing = Listing(token=(tree.findtext(f"{DAV}sync-token") or "").strip(), complete=bool(token))
        for r in tree.iter(f"{DAV}response"):
            href = urljoin(url, (r.findtext(f"{DAV}href") or "").strip())
            if href.rstrip("/") == urljoin(url, "").rstrip("/"):
                continue
            status = r.findtext(f"{DAV}status") or ""
            etag = (r.findtext(f".//{DAV}getetag") or "").strip()
            listing.changes.append(Change(href, etag, deleted=" 404" in status))
        return listing

    def etags(self, url: str) -> Listing:
        """Every object and its ETag (for servers without sync-collection)."""
        tree = self.propfind(url, "<D:getetag/><D:resourcetype/>", depth=1)
        listing = Listing(complete=False)
        for r in tree.iter(f"{DAV}response"):
            href = urljoin(url, (r.findtext(f"{DAV}href") or "").strip())
            if href.rstrip("/") == url.rstrip("/") or r.find(f".//{DAV}collection") is not None:
                continue
            listing.changes.append(Change(href, (r.findtext(f".//{DAV}getetag") or "").strip()))
        return listing

    def multiget(self, url: str, hrefs: list[str], data_tag: str = "address-data") -> dict[str, tuple[str, str]]:
        """{href: (etag, text)} for the objects asked for (addressbook-multiget, or calendar-multiget)."""
        ns, root = (
            (("C", "urn:ietf:params:xml:ns:carddav"), "addressbook-multiget")
            if data_tag == "address-data"
            else (("C", "urn:ietf:params:xml:ns:caldav"), "calendar-multiget")
        )
        out: dict[str, tuple[str, str]] = {}
        for i in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[i : i + MULTIGET_BATCH]
            body = (
                f'<?xml version="1.0" encoding="utf-8"?><{ns[0]}:{root} xmlns:D="DAV:" xmlns:{ns[0]}="{ns[1]}">'
                f"<D:prop><D:getetag/><{ns[0]}:{data_tag}/></D:prop>"
                + "".join(f"<D:href>{_xml_text(urlsplit(h).path)}</D:href>" for h in batch)
                + f"</{ns[0]}:{root}>"
            )
            resp = self.request("REPORT", url, body, {"Depth": "1", "Content-Type": "application/xml"})
            tree = self._multistatus(resp, "a request for cards")
            for r in tree.iter(f"{DAV}response"):
                href = urljoin(url, (r.findtext(f"{DAV}href") or "").strip())
                data = r.find(f".//{{{ns[1]}}}{data_tag}")
                if data is not None and data.text:
                    out[href] = ((r.findtext(f".//{DAV}getetag") or "").strip(), data.text)
        return out

    def get(self, href: str) -> tuple[int, str, str]:
        resp = self.request("GET", href)
        text = resp._raw.decode("utf-8", "replace") if isinstance(resp._raw, bytes) else str(resp._raw or "")
        return resp.status, (resp.headers.get("etag") or "").strip(), text

    def put(
        self, href: str, text: str, etag: str | None, content_type: str = "text/vcard; charset=utf-8"
    ) -> tuple[int, str]:
        """PUT with If-Match (etag) or If-None-Match: * (etag None). Returns (status, new ETag or "")."""
        headers = {"Content-Type": content_type}
        if etag is None:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        resp = self.request("PUT", href, text, headers)
        return resp.status, (resp.headers.get("etag") or "").strip()

    def delete(self, href: str, etag: str) -> int:
        resp = self.request("DELETE", href, "", {"If-Match": etag} if etag else {})
        return int(resp.status)


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
