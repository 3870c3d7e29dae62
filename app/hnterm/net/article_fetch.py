"""Fetching a story's linked page: one GET with the API client's limits, a few redirects.

Same timeouts, total deadline and 4 MB cap as ``HNClient``. Unlike the API, article links
redirect in real life (http to https, short links), so up to ``MAX_REDIRECTS`` are followed, but
each hop is checked: only http(s), and never to a loopback, private, link-local or otherwise
non-public address (a story link must not make hnterm probe the reader's network). The one
exception is an article URL that is itself on loopback (the tests' page server): then its
redirects may stay there. Names are checked where they are resolved (a resolver that refuses
such addresses), so a DNS answer cannot slip past a check made earlier. Only HTML is accepted.
Every failure is an ``ArticleError`` whose message is one line for the reader.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from hnterm.net.client import read_capped, timeouts
from hnterm.render.text import is_safe_url

if TYPE_CHECKING:
    import aiohttp

MAX_REDIRECTS = 5
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
USER_AGENT = "Mozilla/5.0 (compatible; hnterm article reader)"


class ArticleError(Exception):
    """Why the article could not be read; the message is one line for the reader."""


@dataclass(frozen=True)
class Page:
    """A fetched HTML page: its final URL (after redirects) and body."""

    url: str
    body: bytes
    charset: str | None


def _is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, allow_local: bool) -> None:
    """Refuse what may not be fetched: not http(s), or a literal non-public address."""
    if not is_safe_url(url):
        raise ArticleError("not an http(s) link")
    host = urlsplit(url).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        local = host.lower() == "localhost" or host.lower().endswith(".localhost")
        if local and not allow_local:
            raise ArticleError(f"refused: {host} is a local address") from None
        return  # a name: checked by the resolver when connecting
    if not allow_local and not _public(host):
        raise ArticleError(f"refused: {host} is not a public address")


def _resolver(allow_local: bool) -> Any:
    """aiohttp's resolver, refusing non-public answers unless ``allow_local``."""
    from aiohttp.resolver import DefaultResolver

    class PublicOnly(DefaultResolver):  # type: ignore[misc, valid-type]
        async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> Any:
            hosts = await super().resolve(host, port, family)
            if not allow_local and any(not _public(h["host"]) for h in hosts):
                raise OSError(f"{host} resolves to a non-public address")
            return hosts

    return PublicOnly()


async def fetch_page(url: str, *, timeout: float = 10.0, deadline: float = 30.0) -> Page:
    """GET ``url`` as HTML, following up to ``MAX_REDIRECTS`` checked redirects."""
    import aiohttp

    allow_local = _is_loopback_url(url)
    check_url(url, allow_local=allow_local)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=4, resolver=_resolver(allow_local)),
        timeout=timeouts(timeout, deadline),
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
    )
    try:
        async with session:
            return await _follow(session, url, allow_local)
    except TimeoutError as exc:
        raise ArticleError(f"no answer within {deadline:g} s (timeout)") from exc
    except aiohttp.ClientConnectorCertificateError as exc:
        raise ArticleError("the site's TLS certificate is not trusted") from exc
    except aiohttp.ClientConnectorError as exc:
        raise ArticleError(f"cannot reach {urlsplit(url).hostname}: {exc.os_error}") from exc
    except aiohttp.ClientError as exc:
        raise ArticleError(f"the download failed ({type(exc).__name__})") from exc


async def _follow(session: aiohttp.ClientSession, url: str, allow_local: bool) -> Page:
    for _ in range(MAX_REDIRECTS + 1):
        async with session.get(url, allow_redirects=False) as response:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                target = urljoin(url, location.strip()) if location else ""
                if not target:
                    raise ArticleError(f"HTTP {response.status} redirect without a target")
                check_url(target, allow_local=allow_local)
                url = target
                continue
            if response.status in (401, 402, 403):
                raise ArticleError(
                    f"the site refused (HTTP {response.status}): a paywall or a login?"
                )
            if response.status != 200:
                raise ArticleError(f"the site answered HTTP {response.status}")
            kind = response.content_type.lower()
            if kind not in HTML_TYPES:
                what = "a PDF" if kind == "application/pdf" else kind or "no content type"
                raise ArticleError(f"not a web page ({what})")
            body = await read_capped(response, _too_large)
            return Page(str(response.url), body, response.charset)
    raise ArticleError(f"more than {MAX_REDIRECTS} redirects")


def _too_large(size: str) -> ArticleError:
    """What a page over the size cap says (``size`` names the cap)."""
    return ArticleError(f"the page is too large ({size})")
