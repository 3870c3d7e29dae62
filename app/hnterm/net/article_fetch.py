"""Fetching a story's linked page: one GET through the one HTTP layer, a few redirects.

The API client's timeouts, deadline (covering every attempt) and 4 MB cap apply
(``hnterm.net.transport``). Unlike the API, article links redirect in real life (http to
https, short links), so aiohttp follows up to ``MAX_REDIRECTS``, and the transport checks every
hop: only http(s), and only public addresses, on the hop's address literal before connecting
and on every DNS answer. A story link must not make hnterm probe the reader's network, and no
URL can lift that: the tests reach their loopback page servers through the test-only setting
``HNTERM_TEST_ONLY_LOOPBACK`` alone. Only HTML is read. Every failure is an ``ArticleError``
(or a ``NetworkError``) whose message is one line for the reader, naming the host that failed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hnterm.model.errors import HNError
from hnterm.net.transport import Addresses, Policy, Transport
from hnterm.render.text import is_safe_url

MAX_REDIRECTS = 5
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HEADERS = {
    "User-Agent": "Mozilla/5.0 (compatible; hnterm article reader)",
    "Accept": "text/html,application/xhtml+xml",
}


class ArticleError(HNError):
    """Why the article could not be read; the message is one line for the reader."""


@dataclass(frozen=True)
class Page:
    """A fetched HTML page: its final URL (after redirects) and body."""

    url: str
    body: bytes
    charset: str | None


def article_policy(base: Policy | None = None) -> Policy:
    """``base``'s timeouts and deadline (the API client's), redirects followed, one retry,
    public addresses only (plus the tests' own servers, when a test names them)."""
    return replace(
        base or Policy(),
        retries=1,
        redirects=MAX_REDIRECTS,
        addresses=Addresses.from_environment(),
    )


async def fetch_page(url: str, policy: Policy | None = None) -> Page:
    """GET ``url`` as HTML under ``policy`` (default: ``article_policy()``)."""
    if not is_safe_url(url):
        raise ArticleError("not an http(s) link")
    policy = policy or article_policy()
    async with Transport(
        policy, ArticleError, headers=HEADERS, connections=4, cookies=True, what="the page"
    ) as http:
        answer = await http.request("GET", url, types=HTML_TYPES)
    status = answer.status
    if status in (301, 302, 303, 307, 308):  # aiohttp stops at a redirect with no Location
        raise ArticleError(f"HTTP {status} redirect without a target")
    if status in (401, 402, 403):
        raise ArticleError(f"the site refused (HTTP {status}): a paywall or a login?")
    if status != 200:
        raise ArticleError(f"the site answered HTTP {status}")
    if answer.content_type not in HTML_TYPES:
        kind = answer.content_type
        what = "a PDF" if kind == "application/pdf" else kind or "no content type"
        raise ArticleError(f"not a web page ({what})")
    return Page(answer.url, answer.body, answer.charset)
