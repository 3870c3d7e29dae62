"""One way in: the HTTP layer every client here goes through (the HN API, the search API,
HN's web forms and article pages), with one policy.

- **A deadline per request that covers every attempt** and every wait between them: a server
  that trickles bytes or asks to wait costs one deadline, never one per retry. aiohttp's own
  timeouts bound each connect and each read within it.
- **Retries** (tenacity) of what may pass on a later try: 429 and 5xx answers, resets, cut
  bodies, a read timeout while time is left; an unreachable host once at most, so the app can
  go offline at once. ``Retry-After`` is honoured (never retried sooner than asked) and capped:
  a wait longer than ``MAX_WAIT``, or than the deadline has left, ends the request at once.
- **A cap on body size** (``MAX_BODY``): a gzip bomb or an endless body stops there.
- **Redirects**: none followed (the answer is the redirect), or up to ``Policy.redirects`` by
  aiohttp, every hop checked.
- **An address policy** (``Addresses``, for links from the outside: article pages): public
  addresses only, checked on every hop's address literal before connecting and on every DNS
  answer (a resolver that refuses the rest), so no URL, redirect or DNS record can point
  hnterm at the reader's own network. Its one exception is a test-only setting, never data:
  ``HNTERM_TEST_ONLY_LOOPBACK`` names the loopback ``address:port`` pairs of the tests' own
  servers. Proxies are not used under it (the check must see the real address).
- **One mapping** of whatever went wrong into a one-line reason, raised as the client's error
  class (``NetworkError`` when the host could not be reached). A reason names the host that
  failed: after a redirect, the redirect's target.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import math
import os
import socket
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar

from hnterm.model.errors import HNError, NetworkError

if TYPE_CHECKING:
    import aiohttp
    from tenacity import RetryCallState
    from yarl import URL

T = TypeVar("T")

MAX_BODY = 4 * 1024 * 1024
READ_CHUNK = 64 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WAIT = 10.0  # seconds a server may make us wait between two attempts
TEST_LOOPBACK_ENV = "HNTERM_TEST_ONLY_LOOPBACK"  # tests only: "127.0.0.1:PORT,[::1]:PORT"
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 addresses as NAT64 writes them (RFC 6052)


class Failure(Exception):
    """What went wrong with one attempt, as a reason for the user; ``retry``: a later attempt
    may pass; ``network``: the host was not reached; ``wait``: what ``Retry-After`` asked."""

    def __init__(
        self, reason: str, *, retry: bool = False, network: bool = False, wait: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.network = network
        self.wait = wait


def load_http_stack() -> None:
    """Import aiohttp now. It is imported by the first request, not with this module (~120 ms
    of CPU that nothing without a request should pay); the app calls this first thing on its
    network thread, so the UI can wait for it instead of competing for the interpreter."""
    import aiohttp  # noqa: F401


def retry_after(value: str, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date); None when it says
    nothing usable ("nan", garbage): the usual backoff applies then."""
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP date is GMT
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return None if math.isnan(seconds) else min(max(seconds, 0.0), 86_400.0)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` is, or None for a name. An IPv6 address that carries an IPv4 one
    (IPv4-mapped, 6to4, NAT64) is that IPv4 address: where it leads is what is checked."""
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0].strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return ip


@dataclass(frozen=True)
class Addresses:
    """Where a client may connect: public addresses, and ``loopback``, the (address, port)
    pairs of the tests' own servers (only loopback addresses count there). Nothing a server
    sends can add to it."""

    loopback: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> Addresses:
        """Public addresses, plus what ``HNTERM_TEST_ONLY_LOOPBACK`` names (tests set it)."""
        raw = (os.environ if env is None else env).get(TEST_LOOPBACK_ENV, "")
        pairs = set()
        for entry in raw.split(","):
            host, _, port = entry.strip().rpartition(":")
            ip = _ip(host)
            if ip is not None and ip.is_loopback and port.isascii() and port.isdigit():
                pairs.add((str(ip), int(port)))
        return cls(frozenset(pairs))

    def allows(self, address: str, port: int | None) -> bool:
        ip = _ip(address)
        if ip is None:
            return False
        if ip.is_global and not (ip.is_multicast or ip.is_reserved):  # reserved: ::/8 (::a.b.c.d)
            return True
        return ip.is_loopback and (str(ip), port) in self.loopback

    def check(self, url: URL) -> None:
        """Refuse a URL whose host is an address literal that is not allowed (a name is
        checked when it is resolved)."""
        host = url.raw_host or ""
        if _ip(host) is not None and not self.allows(host, url.port):
            shown = f"[{host}]" if ":" in host else host
            raise Failure(f"refused: {shown} is not a public address")


def _checking_resolver(addresses: Addresses) -> Any:
    """aiohttp's threaded resolver, refusing any answer ``addresses`` does not allow (every
    name is checked where it is resolved, so no DNS answer slips past a check made earlier)."""
    from aiohttp.abc import AbstractResolver, ResolveResult
    from aiohttp.resolver import ThreadedResolver

    class Checked(AbstractResolver):
        def __init__(self) -> None:
            self.resolver = ThreadedResolver()

        async def resolve(
            self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
        ) -> list[ResolveResult]:
            answers = await self.resolver.resolve(host, port, family)
            for answer in answers:
                if not addresses.allows(answer["host"], port):
                    raise Failure(f"refused: {host} is at {answer['host']}, not a public address")
            return answers

        async def close(self) -> None:
            await self.resolver.close()

    return Checked()


@dataclass(frozen=True)
class Policy:
    """How one client's requests may go (see the module's docstring)."""

    timeout: float = 10.0  # seconds one read may wait for data (connects: 5 s at most)
    deadline: float = 30.0  # seconds one request may take, all its attempts together
    retries: int = 3
    backoff: float = 0.25  # the first pause between attempts (doubling, jittered)
    redirects: int = 0  # followed at most; 0: a redirect is the answer
    addresses: Addresses | None = None  # None: the configured host as it is (no checks)
    max_body: int = MAX_BODY

    @property
    def connect(self) -> float:
        return min(self.timeout, self.deadline, 5.0)

    @property
    def read(self) -> float:
        return min(self.timeout, self.deadline)


@dataclass(frozen=True)
class Answer:
    """An answer read whole: ``body`` is empty when its type was not among those asked for."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    content_type: str
    charset: str | None
    cookies: dict[str, str] = field(default_factory=dict)


def _same(answer: Answer) -> Answer:
    return answer


class Transport:
    """One aiohttp session under one ``Policy``; failures are raised as ``error`` (the
    client's own class), or ``NetworkError`` when the host could not be reached.

    The session is made on the first request, inside the running event loop (and aiohttp is
    imported then too, off the path to the first frame).
    """

    def __init__(
        self,
        policy: Policy,
        error: type[HNError],
        *,
        headers: Mapping[str, str] | None = None,
        connections: int = 16,
        proxy_for: str | None = None,
        cookies: bool = False,
        what: str = "the answer",
    ) -> None:
        """``proxy_for``: use the proxy the environment sets for this URL (``HTTPS_PROXY``,
        ``NO_PROXY``); ``cookies``: keep cookies between the hops of a request (article sites
        set them on redirects); ``what``: the body's name in reasons ("the page")."""
        self.policy = policy
        self.error = error
        self.headers = dict(headers or {"User-Agent": "hnterm"})
        self.connections = connections
        self.proxy_for = proxy_for if policy.addresses is None else None
        self.cookies = cookies
        self.what = what
        self.requests = 0  # attempts sent
        self._session: aiohttp.ClientSession | None = None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Transport:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
        label: str = "",
        types: Iterable[str] | None = None,
    ) -> Answer:
        """The answer to one request (any status but those retried)."""
        return await self.fetch(
            method, url, _same, data=data, headers=headers, retry=retry, label=label, types=types
        )

    async def fetch(
        self,
        method: str,
        url: str | URL,
        parse: Callable[[Answer], T],
        *,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
        label: str = "",
        types: Iterable[str] | None = None,
    ) -> T:
        """``parse`` of the answer, within the deadline. ``parse`` raises a ``Failure`` with
        ``retry`` for an answer worth asking again (malformed JSON), or the client's own error.
        ``retry`` off (a post, a vote): one attempt, whatever happens. ``label`` starts every
        reason but "cannot reach". ``types``: the content types whose body is read."""
        policy = self.policy
        kinds = None if types is None else frozenset(types)

        async def attempt() -> T:
            return parse(await self._attempt(method, url, data, headers, kinds))

        ends = time.monotonic() + policy.deadline
        try:
            async with asyncio.timeout(policy.deadline):
                try:
                    return await attempt()
                except Failure as failure:
                    if not (retry and failure.retry and policy.retries > 0):
                        raise
                    return await self._retry(attempt, failure, ends)
        except TimeoutError:
            reason = f"no complete answer within {policy.deadline:g} s (timeout)"
            raise self.error(f"{label}: {reason}" if label else reason) from None
        except Failure as failure:
            raise self._final(failure, label) from failure.__cause__

    def _final(self, failure: Failure, label: str) -> HNError:
        if failure.network:
            return NetworkError(failure.reason)
        reason = failure.reason
        if failure.wait is not None:
            reason += f"; it asked to wait {failure.wait:.0f} s"
        return self.error(f"{label}: {reason}" if label else reason)

    async def _retry(self, attempt: Callable[[], Awaitable[T]], first: Failure, ends: float) -> T:
        """Retry ``attempt``, whose first try failed with ``first``, under the policy, by
        tenacity; ``ends``: the request's deadline (``time.monotonic``), when no retry can
        start any more. The first try ran outside tenacity, whose bookkeeping costs ~30 µs of
        CPU a call (a thread load is thousands of requests that nearly all pass at once): it
        is handed ``first`` as the outcome of its first attempt."""
        pending: Failure | None = first

        async def again() -> T:
            nonlocal pending
            if pending is not None:
                failure, pending = pending, None
                raise failure
            return await attempt()

        retrying: Any = self._retrying(ends)
        result: T = await retrying(again)
        return result

    def _retrying(self, ends: float) -> Any:
        from tenacity import AsyncRetrying, retry_if_exception, wait_random_exponential

        policy = self.policy
        backoff = wait_random_exponential(multiplier=policy.backoff, max=MAX_WAIT)

        def wait(state: RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            if isinstance(failure, Failure) and failure.wait is not None:
                return failure.wait
            return backoff(state)

        def spent(state: RetryCallState) -> bool:
            # An unreachable host rarely comes back within a second: fail fast so the app can
            # go offline, instead of stalling every pending request through the whole backoff.
            failure = state.outcome.exception() if state.outcome else None
            network = isinstance(failure, Failure) and failure.network
            retries = min(policy.retries, 1) if network else policy.retries
            too_long = state.upcoming_sleep > MAX_WAIT
            out_of_time = time.monotonic() + state.upcoming_sleep >= ends
            return state.attempt_number > retries or too_long or out_of_time

        return AsyncRetrying(
            retry=retry_if_exception(lambda exc: isinstance(exc, Failure) and exc.retry),
            stop=spent,
            wait=wait,
            reraise=True,
        )

    def _open(self) -> aiohttp.ClientSession:
        import aiohttp
        from aiohttp.helpers import get_env_proxy_for_url
        from yarl import URL

        policy = self.policy
        proxy, proxy_auth = None, None
        if self.proxy_for is not None:
            # Read once here: aiohttp's ``trust_env`` re-reads the proxy variables on every
            # request, which cost ~0.4 ms of CPU per item (measured), more than the rest.
            with contextlib.suppress(LookupError):
                proxy, proxy_auth = get_env_proxy_for_url(URL(self.proxy_for))
        resolver = None if policy.addresses is None else _checking_resolver(policy.addresses)
        self._session = aiohttp.ClientSession(
            proxy=proxy,
            proxy_auth=proxy_auth,
            connector=aiohttp.TCPConnector(
                limit=self.connections, ttl_dns_cache=300, resolver=resolver
            ),
            timeout=aiohttp.ClientTimeout(
                total=None, connect=policy.connect, sock_read=policy.read
            ),
            headers=self.headers,
            cookie_jar=None if self.cookies else aiohttp.DummyCookieJar(),
        )
        return self._session

    async def _attempt(
        self,
        method: str,
        url: str | URL,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        types: frozenset[str] | None,
    ) -> Answer:
        """One attempt (with its redirects): the answer read whole, or a ``Failure``."""
        import aiohttp

        self.requests += 1
        session = self._session or self._open()
        policy = self.policy
        hops: list[URL] = []  # the URL of every hop tried, when hops are checked
        options: dict[str, Any] = {}
        if policy.redirects or policy.addresses is not None:
            options["middlewares"] = (_hop_check(policy.addresses, hops),)
        try:
            async with session.request(
                method,
                url,
                data=data,
                headers=headers,
                allow_redirects=policy.redirects > 0,
                max_redirects=policy.redirects + 1,  # aiohttp counts the one it refuses
                **options,
            ) as response:
                status = response.status
                if status in RETRY_STATUSES:
                    busy = ": the server is busy" if status in (429, 503) else ""
                    wait = retry_after(response.headers.get("Retry-After", ""))
                    raise Failure(f"HTTP {status}{busy}", retry=True, wait=wait)
                kind = response.content_type.lower()
                read = types is None or kind in types
                body = await read_capped(response, policy.max_body, self.what) if read else b""
                cookies = (  # read only when sent: most answers (the API's) set none
                    {name: morsel.value for name, morsel in response.cookies.items()}
                    if "Set-Cookie" in response.headers
                    else {}
                )
                return Answer(
                    status,
                    str(response.url),
                    response.headers,
                    body,
                    kind,
                    response.charset,
                    cookies,
                )
        except Failure:
            raise
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise describe(exc, hops[-1] if hops else url, policy) from exc


def _hop_check(addresses: Addresses | None, hops: list[URL]) -> Any:
    """A client middleware run before every hop's connection: note the hop, check its
    address (aiohttp itself refuses a redirect to anything but http and https)."""

    async def check(request: aiohttp.ClientRequest, handler: Any) -> aiohttp.ClientResponse:
        hops.append(request.url)
        if addresses is not None:
            addresses.check(request.url)
        response: aiohttp.ClientResponse = await handler(request)
        return response

    return check


def describe(exc: BaseException, where: URL | str, policy: Policy) -> Failure:
    """The one mapping of what aiohttp (or the socket) raised into a reason for the user;
    ``where`` is the hop that failed."""
    import aiohttp
    from yarl import URL

    hop = URL(where) if isinstance(where, str) else where
    origin = str(hop.origin()) if hop.absolute and hop.host else str(where)
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return Failure(
            f"the TLS certificate of {origin} is not trusted ({exc.certificate_error}); "
            "a private CA goes in SSL_CERT_FILE"
        )
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return Failure(
            f"cannot reach {origin} (its name does not resolve)", network=True, retry=True
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return Failure(f"cannot reach {origin}", network=True, retry=True)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        within = f"no connection within {policy.connect:g} s"
        return Failure(f"cannot reach {origin} ({within})", network=True, retry=True)
    if isinstance(exc, aiohttp.ServerTimeoutError | TimeoutError):
        return Failure(f"{origin} sent nothing for {policy.read:g} s (timeout)", retry=True)
    if isinstance(exc, aiohttp.TooManyRedirects):
        return Failure(f"more than {policy.redirects} redirects")
    if isinstance(exc, aiohttp.NonHttpUrlClientError):
        return Failure("not an http(s) link")
    if isinstance(exc, aiohttp.InvalidURL | ValueError):
        return Failure(f"not a usable link ({type(exc).__name__})")
    return Failure(f"the answer from {origin} broke off ({type(exc).__name__})", retry=True)


async def read_capped(response: aiohttp.ClientResponse, limit: int, what: str) -> bytes:
    """The (decompressed) body, refusing anything over ``limit`` bytes: a gzip bomb or an
    endless body stops there."""
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise Failure(f"{what} is too large ({int(declared):,} bytes)")
    content = response.content
    chunks: list[bytes] = []
    size = 0
    while chunk := await content.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise Failure(f"{what} is too large (over {limit // 2**20} MB)")
        chunks.append(chunk)
        if content.at_eof():  # the whole body was there (an API item): no read just for EOF
            break
    return b"".join(chunks)
