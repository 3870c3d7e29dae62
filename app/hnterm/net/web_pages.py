"""Reading the pages news.ycombinator.com serves, with the standard library's HTML parser.

What hnterm relies on (the shapes are recorded in ``tests/fixtures/hn-web-item.html`` and
``hn-web-reply.html``; attribute values are HTML-escaped on the page, ``&amp;`` in hrefs):

* Who is logged in: ``<a id="me" href="user?id=NAME">NAME</a>`` in the top bar. A page
  without it, fetched with a ``user`` cookie, means the session expired or was revoked.
* Login: ``POST /login`` with ``acct``, ``pw``, ``goto``. Success is a redirect (302) that sets
  the ``user`` cookie (``NAME&HASH``). A wrong password is a 200 page saying "Bad login.";
  a login HN wants to check by hand is a page with "Validation required" and a reCAPTCHA.
* Votes: per item, ``<a id="up_ID" href="vote?id=ID&how=up&auth=TOKEN&goto=...">`` (its
  class holds ``nosee`` once voted) and, while HN allows taking it back,
  ``<a id="un_ID" href="vote?id=ID&how=un&auth=TOKEN&goto=...">unvote</a>``.
* Favourites: ``<a href="fave?id=ID&auth=TOKEN">favorite</a>``, or
  ``fave?id=ID&un=t&auth=TOKEN`` ("un-favorite") when it is one already.
* Long threads continue on ``<a href="item?id=ROOT&p=2" class="morelink" rel="next">``.
* Reply: ``/reply?id=ID&goto=...`` holds ``<form action="comment" method="post">`` with hidden
  ``parent``, ``goto``, ``hmac`` and a ``<textarea name="text">``; posting it answers with a
  redirect, or with a page whose text is HN's refusal ("You're posting too fast...").
* Comments on an item page: ``<tr class="athing comtr" id="ID">`` with ``<a class="hnuser">``.
* Favourites: ``/favorites?id=NAME`` lists a user's favourite stories as
  ``<tr class="athing submission" id="ID">`` rows, newest first.
* Submit: ``/submit`` holds ``<form action="r" method="post">`` with hidden ``fnid`` and
  ``fnop`` and the fields ``title``, ``url`` and ``<textarea name="text">``; posting it
  answers with a redirect (to /newest), or with a page whose text is HN's refusal.

Every parse goes through ``_parse``: whatever the page holds (``html.parser`` asserts on
``<![foo[``, a name that is no HN user name in the ``me`` link), the caller gets
``PageNotUnderstood``, a ``WebError`` like every other failure it already handles. Ids are
ASCII digits in the item id range (``str.isdigit`` also takes ``²``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

from hnterm.model.errors import WebError
from hnterm.model.items import is_item_id
from hnterm.model.users import is_username
from hnterm.render.text import sanitize

MAX_MESSAGE = 200  # a refusal shown to the user is cut to this many characters
_P = TypeVar("_P", bound=HTMLParser)


class PageNotUnderstood(WebError):
    """HN's page was not in any shape hnterm reads (odd markup, an impossible user name)."""

    def __init__(self) -> None:
        super().__init__("HN's page was not understood")


@dataclass
class VoteLinks:
    """What the page offers for one item: the links to follow and the state they imply."""

    up: str | None = None  # the href to vote up
    un: str | None = None  # the href to take the vote back
    voted: bool = False
    fave: str | None = None  # the href to favourite or (``faved``) unfavourite
    faved: bool = False


@dataclass
class ItemPage:
    """One page of an item: who is logged in, each item's links, where the thread goes on."""

    user: str | None = None
    items: dict[int, VoteLinks] = field(default_factory=dict)
    more: str | None = None  # href of the next page of a long thread
    comments_by: dict[int, str] = field(default_factory=dict)  # comment id -> author
    stories: list[int] = field(default_factory=list)  # story rows, in page order


@dataclass
class Form:
    """A form's action and its named fields (hidden inputs and textareas)."""

    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)


def query_of(href: str) -> dict[str, str]:
    """The query of a relative href, one value per name."""
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def _int(value: str | None) -> int | None:
    """An item id written in ASCII digits, else None."""
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if is_item_id(number) else None


def _parse(parser: _P, html: str) -> _P:
    """``parser`` fed the whole page; any failure of the parser or of our handlers is
    ``PageNotUnderstood`` (html.parser raises AssertionError and others on odd markup)."""
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # whatever the page made the parser do: one error for callers
        raise PageNotUnderstood from exc
    return parser


class _ItemParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ItemPage()
        self._comment: int | None = None
        self._in_me = False
        self._in_user = False

    def links(self, item_id: int) -> VoteLinks:
        return self.page.items.setdefault(item_id, VoteLinks())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        classes = attr.get("class", "").split()
        if tag == "tr" and "athing" in classes:
            self._comment = _int(attr.get("id")) if "comtr" in classes else None
            story = _int(attr.get("id")) if "comtr" not in classes else None
            if story is not None:
                self.page.stories.append(story)
            return
        if tag != "a":
            return
        href = attr.get("href", "")
        path = urlsplit(href).path.lstrip("/")
        query = query_of(href)
        item_id = _int(query.get("id"))
        if attr.get("id") == "me":
            self._in_me = True
            self.page.user = None
        elif "hnuser" in classes and self._comment is not None:
            self._in_user = True
        elif path == "vote" and item_id is not None and query.get("auth"):
            links = self.links(item_id)
            if query.get("how") == "up":
                links.up = href
                links.voted = links.voted or "nosee" in classes
            elif query.get("how") == "un":
                links.un = href
                links.voted = True
        elif path == "fave" and item_id is not None and query.get("auth"):
            links = self.links(item_id)
            links.fave = href
            links.faved = query.get("un") == "t"
        elif path == "item" and "morelink" in classes:
            self.page.more = href

    def handle_data(self, data: str) -> None:
        if self._in_me:
            self.page.user = (self.page.user or "") + data.strip()
        elif self._in_user and self._comment is not None:
            self.page.comments_by[self._comment] = data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_me = self._in_user = False


def parse_item_page(html: str) -> ItemPage:
    """Vote and favourite links per item id, the logged-in user, the "more" link."""
    page = _parse(_ItemParser(), html).page
    if page.user and not is_username(page.user):
        raise PageNotUnderstood  # the top bar names someone HN could not have signed up
    return page


class _FormParser(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = action
        self.form: Form | None = None
        self._inside = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form" and self.form is None:
            action = urlsplit(attr.get("action", "")).path.lstrip("/")
            if action == self.wanted:
                self.form = Form(action)
                self._inside = True
        elif self._inside and self.form is not None and tag == "input":
            if attr.get("name") and attr.get("type", "text") in ("hidden", "text"):
                self.form.fields[attr["name"]] = attr.get("value", "")
        elif self._inside and self.form is not None and tag == "textarea" and attr.get("name"):
            self._textarea = attr["name"]
            self.form.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.form is not None:
            self.form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._inside = False


def parse_form(html: str, action: str) -> Form | None:
    """The first form posting to ``action`` ("comment", "login", "r"), or None."""
    return _parse(_FormParser(action), html).form


class _TextParser(HTMLParser):
    SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_text(html: str) -> str:
    """A page's visible text on one line, sanitised for the terminal and cut short: how
    HN's refusal pages are shown to the user."""
    parts = _parse(_TextParser(), html).parts
    text = " ".join(sanitize(" ".join(parts)).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def login_failure(html: str) -> str:
    """Why a login page came back instead of the redirect that logs in."""
    text = page_text(html)
    lowered = text.lower()
    if "validation required" in lowered or "recaptcha" in html.lower():
        return (
            "HN wants a captcha for this login: log in once in a browser, "
            "then try hnterm login again"
        )
    if "bad login" in lowered:
        return "wrong username or password"
    return f"HN did not log in: {text or 'an empty page'}"
