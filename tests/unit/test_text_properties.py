"""Property tests: whatever a comment contains, rendering is total and terminal-safe."""

from __future__ import annotations

import re

from hnterm.render.text import STYLES, html_to_plain, is_safe_url, render_html, sanitize
from hypothesis import given, settings
from hypothesis import strategies as st

# C0 except "\n", DEL, C1, bidi controls, zero-width characters, lone surrogates (ESC is C0).
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)

FRAGMENTS = [
    "<p>",
    "</p>",
    "<i>",
    "</i>",
    "<em>",
    "<b>",
    "</b>",
    "<strong>",
    "<br>",
    "<span class='x'>",
    "<pre>",
    "<code>",
    "</code>",
    "</pre>",
    '<a href="https://example.com/x">',
    '<a href="https:&#x2F;&#x2F;example.com&#x2F;a" rel="nofollow">',
    "<a href=http://e.com/?q=1&amp;r=2>",
    '<a href="javascript:alert(1)">',
    "<a href='file:///etc/passwd'>",
    '<a href="data:text/html,x">',
    '<a href="/item?id=1">',
    '<a href="https://x.com/\x1b]0;t\x07">',
    "</a>",
    '<a href="',
    "<",
    ">",
    "/",
    '"',
    "'",
    "=",
    "&gt;",
    "&lt;",
    "&amp;",
    "&#x27;",
    "&#x2F;",
    "&quot;",
    "&#27;",
    "&#x1b;",
    "&#x9b;",
    "&#0;",
    "&bogus;",
    "&",
    "#",
    ";",
    "\x1b",
    "\x1b[",
    "\x1b[31m",
    "\x1b]0;t\x07",
    "\x1b]52;c;aGk=\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bPq#0\x1b\\",
    "\x1b\\",
    "\x9b31m",
    "\x9d0;x\x9c",
    "\x90",
    "\x07",
    "\x00",
    "\x7f",
    "\r",
    "\t",
    "\n",
    " ",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\ud800",
    "\u2028",
    "[bold]",
    "[/]",
    "[link=https://x]",
    "[@click=app.quit]",
    "> ",
    "x",
    "https://example.com/x",
    "...",
    "日本",
    "😀",
    "é",
]

any_char = st.characters(exclude_categories=())  # includes lone surrogates and controls
any_text = st.text(alphabet=any_char, max_size=200)
html_ish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=any_char, max_size=4)), max_size=40
).map("".join)
# The same without code blocks, whose content is verbatim and so may hold blank lines.
no_pre_fragments = [f for f in FRAGMENTS if "pre" not in f]
html_ish_no_pre = st.lists(st.sampled_from(no_pre_fragments), max_size=40).map("".join)

SETTINGS = settings(max_examples=200, deadline=None)


def check_rendered(html: str) -> None:
    rendered = render_html(html)
    text = rendered.text
    plain = text.plain
    assert not FORBIDDEN.search(plain), repr(plain)
    assert all(is_safe_url(link) for link in rendered.links)
    assert len(set(rendered.links)) == len(rendered.links)
    link_texts = [plain[s.start : s.end] for s in text.spans if s.style == STYLES["link"]]
    # Every link span is exactly one listed URL, and every listed URL is shown in full.
    assert set(link_texts) == set(rendered.links)
    for span in text.spans:
        assert 0 <= span.start < span.end <= len(plain)
        assert span.style in STYLES.values()
    assert html_to_plain(html) == plain


@SETTINGS
@given(any_text)
def test_arbitrary_text_renders_safely(html: str) -> None:
    check_rendered(html)


@SETTINGS
@given(html_ish)
def test_html_like_input_renders_safely(html: str) -> None:
    check_rendered(html)


@SETTINGS
@given(html_ish_no_pre)
def test_paragraph_layout_has_no_stray_blank_lines(html: str) -> None:
    plain = render_html(html).text.plain
    assert not plain.startswith((" ", "\n"))
    assert not plain.endswith((" ", "\n"))
    assert "\n\n\n" not in plain


@SETTINGS
@given(st.one_of(any_text, html_ish))
def test_sanitize_is_idempotent_and_safe(s: str) -> None:
    once = sanitize(s)
    assert sanitize(once) == once
    assert not FORBIDDEN.search(once)
    assert len(once) <= len(s)  # only removes, or replaces one character with one space


@SETTINGS
@given(
    st.text(
        alphabet=st.characters(
            exclude_categories=("Cc", "Cs", "Cf", "Cn", "Zl", "Zp"), include_characters="\n"
        ),
        max_size=200,
    )
)
def test_sanitize_keeps_ordinary_text_unchanged(s: str) -> None:
    assert sanitize(s) == s


@SETTINGS
@given(st.text(alphabet=any_char, max_size=60))
def test_safe_urls_have_no_controls_or_spaces(suffix: str) -> None:
    url = "https://example.com/" + suffix
    if is_safe_url(url):
        assert sanitize(url) == url
        assert not any(c.isspace() for c in url)
