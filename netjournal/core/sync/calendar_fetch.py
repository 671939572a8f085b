"""Reading calendars over the network: CalDAV (the `caldav` library) and plain iCalendar subscriptions.

Only the source's own host is contacted: redirects to another host are refused, not followed (the
network rule), and CalDAV's DNS discovery is off here (the account already knows its URL). HTTPS is
verified unless the user turned that off for this source; plain HTTP only to this machine or with an
explicit opt-in. Every failure becomes a `CalendarUnavailable` with a plain message naming the source;
no password or secret address is ever put in a message or a log.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from netjournal.core.errors import NetjournalError, ValidationError

TIMEOUT_S = 20
MAX_BYTES = 10 * 1024 * 1024  # a subscription larger than this is refused (a few years of a busy calendar fit)
MAX_REDIRECTS = 3


class CalendarUnavailable(NetjournalError):
    """A calendar source could not be read this time; nothing in the journal was changed."""


def is_local(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, name: str, *, allow_http: bool = False) -> str:
    """The address to fetch (webcal:// becomes https://), or a ValidationError saying what is wrong."""
    if len(url) > 2000 or any(ord(ch) <= 32 or "\ud800" <= ch <= "\udfff" for ch in url):
        raise ValidationError(
            f"{name}: that is not a calendar address (it is too long or holds spaces or odd characters)."
        )
    if url[:9].lower() == "webcal://":
        url = "https://" + url[9:]
    elif url[:10].lower() == "webcals://":
        url = "https://" + url[10:]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise ValidationError(
            f"{name}: {url[:60]!r} is not a calendar address; it should start with https:// or webcal://."
        )
    if parts.scheme.lower() == "http" and not (allow_http or is_local(parts.hostname)):
        raise ValidationError(
            f"{name}: the address uses plain http://, which anyone on the way could read or change. Use its "
            "https:// address (most calendar services offer one)."
        )
    return url


def _host(url: str) -> str:
    return urlsplit(url).hostname or "the server"


def _problem(name: str, url: str, exc: BaseException) -> CalendarUnavailable:
    """A plain message for a network failure (never with the address's secret path or a password)."""
    import niquests

    host = _host(url)
    if isinstance(exc, niquests.exceptions.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return CalendarUnavailable(
            f"{name}: the secure connection to {host} failed: its certificate could not be verified. If this is "
            "your own server with a self-signed certificate, add its certificate to the system, or turn off "
            "verification for this account only if you trust the network."
        )
    if isinstance(exc, niquests.exceptions.Timeout | TimeoutError):
        return CalendarUnavailable(f"{name}: {host} did not answer within {TIMEOUT_S} seconds; trying again later.")
    if isinstance(exc, niquests.exceptions.ConnectionError | ConnectionError | OSError):
        return CalendarUnavailable(
            f"{name}: could not reach {host} (the server may be down, or this computer offline); trying again later."
        )
    return CalendarUnavailable(f"{name}: reading the calendar from {host} failed ({type(exc).__name__}).")


# ------------------------------------------------------------------------------------------ subscriptions


def fetch_ics(name: str, url: str, *, verify_tls: bool = True, allow_http: bool = False) -> str:
    """The text of an iCalendar subscription, by a plain GET (size-capped, with a timeout)."""
    import niquests

    url = check_url(url, name, allow_http=allow_http)
    host = _host(url)
    try:
        with niquests.Session() as http:
            for _ in range(MAX_REDIRECTS + 1):
                r = http.get(
                    url,
                    timeout=TIMEOUT_S,
                    verify=verify_tls,
                    stream=True,
                    allow_redirects=False,
                    headers={"Accept": "text/calendar, */*;q=0.5", "User-Agent": "netjournal"},
                )
                if r.status_code in (301, 302, 303, 307, 308) and r.headers.get("Location"):
                    target = urljoin(url, str(r.headers["Location"]))
                    if _host(target) != host:
                        raise CalendarUnavailable(
                            f"{name}: {host} sends this calendar on to another server ({_host(target)}); netjournal "
                            "only connects to the host you gave. Subscribe to the address it moved to instead."
                        )
                    url = check_url(target, name, allow_http=allow_http)
                    r.close()
                    continue
                break
            else:
                raise CalendarUnavailable(f"{name}: {host} redirects too many times; check the address.")
            status = r.status_code or 0
            if status in (401, 403):
                raise CalendarUnavailable(
                    f"{name}: {host} refused the address (HTTP {status}). A secret address stops working "
                    "when it is reset; copy the new one from your calendar's settings."
                )
            if status == 404 or status == 410:
                raise CalendarUnavailable(f"{name}: there is no calendar at that address on {host} (any more).")
            if status >= 400:
                raise CalendarUnavailable(f"{name}: {host} answered with an error (HTTP {status}); try later.")
            body = bytearray()
            for chunk in r.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise CalendarUnavailable(
                        f"{name}: the calendar at {host} is larger than {MAX_BYTES // (1024 * 1024)} MB, more than "
                        "netjournal reads. Publish a shorter period if the service lets you."
                    )
    except CalendarUnavailable:
        raise
    except Exception as exc:
        raise _problem(name, url, exc) from exc
    text = bytes(body).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text[:15].upper().startswith("BEGIN:VCALENDAR"):
        looks = "a web page" if text[:200].lstrip().lower().startswith(("<!doctype", "<html")) else "something else"
        raise CalendarUnavailable(
            f"{name}: {host} did not send a calendar (it sent {looks}). Check that the address is the calendar's "
            "iCalendar (.ics) address, not the page that shows it."
        )
    return text


# ------------------------------------------------------------------------------------------ CalDAV


def caldav_client(name: str, url: str, username: str, password: str, *, verify_tls: bool, allow_http: bool) -> Any:
    import caldav

    url = check_url(url, name, allow_http=allow_http)
    client: Any = caldav.DAVClient
    return client(
        url=url,
        username=username or None,
        password=password or None,
        timeout=TIMEOUT_S,
        ssl_verify_cert=verify_tls,
        enable_rfc6764=False,
        require_tls=not (allow_http or is_local(_host(url))),
    )


def _caldav_problem(name: str, url: str, exc: BaseException) -> CalendarUnavailable:
    from caldav.lib import error

    host = _host(url)
    if isinstance(exc, error.AuthorizationError):
        return CalendarUnavailable(
            f"{name}: {host} did not accept the user name and password. Check them in Settings → Accounts."
        )
    if isinstance(exc, error.NotFoundError):
        return CalendarUnavailable(f"{name}: a chosen calendar is no longer on {host}; choose the calendars again.")
    if isinstance(exc, error.DAVError):
        cause = exc.__cause__ or exc.__context__
        if cause is not None and not isinstance(cause, error.DAVError):
            return _problem(name, url, cause)
        return CalendarUnavailable(
            f"{name}: {host} answered in a way netjournal does not understand as a calendar server; check the address."
        )
    return _problem(name, url, exc)


def fetch_caldav(
    name: str,
    url: str,
    username: str,
    password: str,
    calendars: tuple[str, ...],
    window: tuple[datetime, datetime],
    *,
    verify_tls: bool = True,
    allow_http: bool = False,
    client: Any = None,
) -> tuple[list[tuple[str, str]], list[str], Callable[[str, str], Any]]:
    """Every event object overlapping the window, from the chosen calendars (all of them when none chosen).

    Returns ([(calendar URL, iCalendar text)], the calendars read in full, lookup(calendar, uid) -> text | None).
    Raises CalendarUnavailable when the account cannot be read at all; a single calendar that fails is
    left out of "read in full" (its meetings stay as they are) and named in the error list by the caller.
    """
    try:
        if client is None:  # else an account's open connection (the contacts side's `dav.Connection.client`)
            client = caldav_client(name, url, username, password, verify_tls=verify_tls, allow_http=allow_http)
        if calendars:
            cals = [client.calendar(url=c) for c in calendars]
        else:
            cals = client.principal().calendars()
    except ValidationError:
        raise
    except Exception as exc:
        raise _caldav_problem(name, url, exc) from exc
    texts: list[tuple[str, str]] = []
    complete: list[str] = []
    start, end = window
    failures: list[BaseException] = []
    for cal in cals:
        href = str(cal.url)
        try:
            found = cal.search(start=start, end=end, event=True, expand=False)
            texts += [(href, str(obj.data)) for obj in found]
            complete.append(href)
        except Exception as exc:
            failures.append(exc)
    if failures and not complete:
        raise _caldav_problem(name, url, failures[0]) from failures[0]
    by_href = {str(c.url): c for c in cals}

    def lookup(calendar: str, uid: str) -> Any:
        from caldav.lib import error

        cal = by_href.get(calendar)
        if cal is None:
            return "unknown"
        try:
            return str(cal.get_event_by_uid(uid).data)
        except error.NotFoundError:
            return None
        except Exception:
            return "unknown"  # cannot tell this time: the meeting stays as it is

    return texts, complete, lookup
