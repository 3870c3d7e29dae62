"""Rendering HN comment HTML: layout rules, links, and terminal safety of hostile text."""

from __future__ import annotations

import dataclasses
import io
import re
import time

import pytest
from hnterm.render.text import STYLES, Rendered, html_to_plain, is_safe_url, render_html, sanitize
from rich.console import Console
from rich.style import Style
from rich.text import Text

# Real comment texts, copied from /work/shared/hn-data (Firebase `text` fields).
REAL_QUOTE_LIST_CODE = (  # 43732238, unlurker-43727743-less-slow-cpp.json
    "&gt; lightweight context switching<p>the cost of context switch consists of two parts, "
    "one of which can be subdivided:<p>1. register save&#x2F;restore<p><pre><code>       1a. "
    "user-space only registers\n       1b. full register save&#x2F;restore, required in kernel "
    "space\n</code></pre>\n2. the cost of the TLB flush, which is in turn proportional to the "
    "working set size of the switched-to process (i.e. if you don&#x27;t touch much memory "
    "after the context switch, the cost is lower than if you do)<p>I am not sure that any "
    "assembler instructions could address either of these.<p>What do you have in mind?"
)
REAL_LINK = (  # 26319818, circumflex-26312516-speed-is-the-killer-feature.json
    "333ms is ages! I can react way faster than that on a touchscreen. I bet you can too:<p>"
    '<a href="https:&#x2F;&#x2F;humanbenchmark.com&#x2F;tests&#x2F;reactiontime" '
    'rel="nofollow">https:&#x2F;&#x2F;humanbenchmark.com&#x2F;tests&#x2F;reactiontime</a>'
)
REAL_TRUNCATED_LINK = (  # 25021371, circumflex-25015967-biden-wins-white-house.json
    "Absolutely not equivalent. Find me a liberal police captain who\u2019s calling for Trump "
    'supporters to be shot in the head: <a href="https:&#x2F;&#x2F;abc3340.com&#x2F;news&#x2F;'
    "local&#x2F;alabama-police-chief-on-social-media-about-biden-voters-put-a-bullet-in-their-"
    'skull" rel="nofollow">https:&#x2F;&#x2F;abc3340.com&#x2F;news&#x2F;local&#x2F;alabama-police-'
    "chief-on-socia...</a>"
)
REAL_ANGLE_LINKS = (  # 43729542, unlurker-43727743-less-slow-cpp.json
    "&gt; Part of me wants to play with rolling my own crazy FM-index library<p>Oh, absolutely, "
    'go for it! And check out what Pesho &lt;<a href="https:&#x2F;&#x2F;github.com&#x2F;pesho-'
    'ivanov">https:&#x2F;&#x2F;github.com&#x2F;pesho-ivanov</a>&gt; &amp; Ragnar are doing &lt;'
    '<a href="https:&#x2F;&#x2F;github.com&#x2F;RagnarGrootKoerkamp">https:&#x2F;&#x2F;github.com'
    "&#x2F;RagnarGrootKoerkamp</a>&gt; ;)"
)
REAL_PRE_THEN_TEXT = (  # 25017818, circumflex-25015967-biden-wins-white-house.json
    "He was chaotic and ineffectual and mostly focused on dumb peeves. But I do think he got "
    "some good ideas through the conventional “wisdom”. His execution on everything was poor."
    "<p><pre><code>  Good new ideas:    </code></pre>\nFocus on China as an existential threat "
    "to US hegemony.<p>Just freaking get out of the Middle East already.<p>Globalization has "
    "not been good for the working and middle class."
)
REAL_SOURCE_NEWLINES = (  # 25017800, circumflex-25015967-biden-wins-white-house.json
    "There will be three, no, four living ex-presidents younger than the current president, "
    "Biden (77).<p>Barak Obama (59)\nBill Clinton (74)\nGeorge W. Bush (74)\nedit: Donald Trump "
    "(74)"
)
# The tail of 43732972 (unlurker range file): a TECO macro whose code block ends in two raw ESCs.
REAL_TECO_TAIL = (
    "Here&#x27;s that TECO macro (have fun!):<p><pre><code>    !Z! ]4 Q4EU ]4 Q4ED ]4 Q4ET ]4 "
    "Q4-10&quot;N ^O &#x27; ]9 ]8 ]7 ]6 ]5 ]4\n    \x1b\x1b\n</code></pre>\nObviously, the TECO "
    "programming language was a challenge to understand."
)

FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2060\ufeff"
    "\ud800-\udfff]"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")


def plain(html: str | None) -> str:
    return render_html(html).text.plain


def styles_at(text: Text, offset: int) -> Style:
    return text.get_style_at_offset(Console(), offset)


def span_texts(text: Text, style: Style) -> list[str]:
    """The substrings covered by spans of exactly this style, in order."""
    return [text.plain[s.start : s.end] for s in text.spans if s.style == style]


def terminal_output(text: Text) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=80)
    console.print(text)
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


# --- entities and whitespace ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("don&#x27;t", "don't"),
        ("&quot;quoted&quot;", '"quoted"'),
        ("and&#x2F;or", "and/or"),
        ("&amp;lt;b&amp;gt; is a tag", "&lt;b&gt; is a tag"),
        ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
        ("&#34;decimal&#34;", '"decimal"'),
        ("&bogus; &amp stays", "&bogus; & stays"),
        ("caf&eacute; &nbsp;x", "café \u00a0x"),
    ],
)
def test_entities_are_decoded_once(html: str, expected: str) -> None:
    assert plain(html) == expected


def test_none_and_empty_give_empty_text() -> None:
    for html in (None, "", "   ", "<p>", "<p><p> \n <p>", "<i></i>"):
        rendered = render_html(html)
        assert isinstance(rendered.text, Text)
        assert rendered.text.plain == ""
        assert rendered.links == ()


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    assert plain("one<p>two<p>three") == "one\n\ntwo\n\nthree"


def test_empty_paragraphs_and_edges_add_no_blank_lines() -> None:
    assert plain("<p>one<p><p>  <p>two<p>") == "one\n\ntwo"
    assert plain("<p>one</p><p>two</p>") == "one\n\ntwo"
    assert plain("one</p>two") == "one\n\ntwo"


def test_whitespace_collapses_like_html() -> None:
    assert plain("  a \n\n b\t\tc  ") == "a b c"
    assert plain("a <i> b </i> c") == "a b c"
    assert plain(REAL_SOURCE_NEWLINES).endswith(
        "Barak Obama (59) Bill Clinton (74) George W. Bush (74) edit: Donald Trump (74)"
    )


def test_br_is_a_single_line_break() -> None:
    assert plain("a<br>b<br/><br>c") == "a\nb\nc"


# --- inline styles -------------------------------------------------------------------------


def test_italic_and_em_are_styled_exactly() -> None:
    text = render_html("so <i>many</i> and <em>more</em> people").text
    assert text.plain == "so many and more people"
    assert span_texts(text, STYLES["italic"]) == ["many", "more"]
    assert styles_at(text, 0).italic is not True


def test_bold_and_strong_are_styled() -> None:
    text = render_html("<b>loud</b> and <strong>strong</strong>").text
    assert span_texts(text, STYLES["bold"]) == ["loud", "strong"]


def test_nested_italic_around_a_link() -> None:
    rendered = render_html('<i>a <a href="https://x.com/p">https://x.com/p</a> b</i> c')
    text = rendered.text
    assert text.plain == "a https://x.com/p b c"
    assert span_texts(text, STYLES["italic"]) == ["a https://x.com/p b"]
    assert span_texts(text, STYLES["link"]) == ["https://x.com/p"]
    url_style = styles_at(text, text.plain.index("x.com"))
    assert url_style.italic and url_style.underline
    assert rendered.links == ("https://x.com/p",)


def test_stray_closing_tags_do_not_unbalance_styles() -> None:
    text = render_html("</i></i>a <i>b</i> c").text
    assert text.plain == "a b c"
    assert span_texts(text, STYLES["italic"]) == ["b"]


def test_unknown_tags_are_dropped_but_text_kept() -> None:
    assert plain("<span class=x>kept</span> <div>too</div> <script>x</script>") == ("kept too x")


# --- links ---------------------------------------------------------------------------------


def test_real_link_shows_full_url_and_is_listed() -> None:
    rendered = render_html(REAL_LINK)
    url = "https://humanbenchmark.com/tests/reactiontime"
    assert rendered.text.plain.endswith("\n\n" + url)
    assert rendered.links == (url,)
    assert span_texts(rendered.text, STYLES["link"]) == [url]


def test_truncated_link_text_is_replaced_by_full_href() -> None:
    rendered = render_html(REAL_TRUNCATED_LINK)
    url = (
        "https://abc3340.com/news/local/alabama-police-chief-on-social-media-about-biden-voters"
        "-put-a-bullet-in-their-skull"
    )
    assert rendered.text.plain.endswith("shot in the head: " + url)
    assert "..." not in rendered.text.plain
    assert rendered.links == (url,)


def test_links_inside_literal_angle_brackets() -> None:
    rendered = render_html(REAL_ANGLE_LINKS)
    assert "Pesho <https://github.com/pesho-ivanov> & Ragnar" in rendered.text.plain
    assert rendered.links == (
        "https://github.com/pesho-ivanov",
        "https://github.com/RagnarGrootKoerkamp",
    )


def test_link_with_other_text_shows_text_and_url() -> None:
    rendered = render_html('<a href="https://x.com">click here</a>!')
    assert rendered.text.plain == "click here (https://x.com)!"
    assert span_texts(rendered.text, STYLES["link"]) == ["https://x.com"]


def test_link_without_text_shows_url() -> None:
    assert plain('see <a href="https://x.com/"></a> now') == "see https://x.com/ now"


def test_links_are_deduplicated_in_first_appearance_order() -> None:
    html = (
        '<a href="https://b.com/">https://b.com/</a> <a href="https://a.com/">https://a.com/</a>'
        '<p><a href="https://b.com/">https://b.com/</a>'
    )
    assert render_html(html).links == ("https://b.com/", "https://a.com/")


def test_adjacent_links_keep_separate_spans() -> None:
    text = render_html('<a href="https://a.com">https://a.com</a><a href=https://b.com></a>').text
    assert span_texts(text, STYLES["link"]) == ["https://a.com", "https://b.com"]


def test_links_carry_no_hyperlink_metadata() -> None:
    rendered = render_html(REAL_LINK)
    for span in rendered.text.spans:
        style = span.style
        assert isinstance(style, Style)
        assert style.link is None
        assert set(style.meta) == {"part"}  # the part's name only: no @click, no action
    out = terminal_output(rendered.text)
    assert "\x1b]8" not in out
    assert "https://humanbenchmark.com/tests/reactiontime" in out


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "/item?id=1",
        "item?id=1",
        "//evil.example/",
        "http:///nohost",
        "https://exa mple.com/",
        "https://x.com/\x1b]0;t\x07",
        "",
    ],
)
def test_unsafe_hrefs_show_text_only(href: str) -> None:
    attr = href.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    rendered = render_html(f'before <a href="{attr}">the text</a> after')
    assert rendered.text.plain == "before the text after"
    assert rendered.links == ()
    assert span_texts(rendered.text, STYLES["link"]) == []
    assert not styles_at(rendered.text, rendered.text.plain.index("the")).underline


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com", True),
        ("http://example.com/a?b=c#d", True),
        ("HTTPS://EXAMPLE.COM/", True),
        ("http://[::1]:8080/", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/plain,hi", False),
        ("ftp://example.com", False),
        ("/relative", False),
        ("https://", False),
        ("http://@/", False),
        ("http://[::1/", False),
        ("https://a.com/ b", False),
        ("https://a.com/\tb", False),
        ("https://a.com/\u202eb", False),
        ("https://a.com/\u200bb", False),
        ("https://a.com/\x9b", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


# --- code blocks ---------------------------------------------------------------------------


def test_code_block_is_verbatim_and_its_own_block() -> None:
    html = (
        "intro<pre><code>  if a &lt; b:\n      return &quot;x&quot;  \n\n  done\n\n</code></pre>"
        "outro"
    )
    text = render_html(html).text
    code = '  if a < b:\n      return "x"  \n\n  done\n'
    assert text.plain == f"intro\n\n{code}\n\noutro"
    assert span_texts(text, STYLES["code"]) == [code]


def test_tags_inside_code_are_dropped_and_text_kept() -> None:
    assert plain("<pre><code>x = <i>y</i> <p> z</code></pre>") == "x = y  z"


def test_code_tabs_expand_to_four_columns() -> None:
    assert plain("<pre><code>a\tb\n\tc</code></pre>") == "a   b\n    c"


def test_text_after_pre_starts_a_new_paragraph() -> None:
    text = plain(REAL_PRE_THEN_TEXT)
    assert "poor.\n\n  Good new ideas:    \n\nFocus on China as" in text
    assert text.endswith(
        "already.\n\nGlobalization has not been good for the working and middle class."
    )


def test_unclosed_pre_runs_to_the_end() -> None:
    assert plain("a<pre><code>  b\n  c") == "a\n\n  b\n  c"


def test_real_comment_with_quote_list_and_code() -> None:
    text = render_html(REAL_QUOTE_LIST_CODE).text
    paragraphs = text.plain.split("\n\n")
    assert paragraphs[0] == "> lightweight context switching"
    assert paragraphs[2] == "1. register save/restore"
    assert paragraphs[3] == (
        "       1a. user-space only registers\n"
        "       1b. full register save/restore, required in kernel space"
    )
    assert paragraphs[4].startswith("2. the cost of the TLB flush")
    assert paragraphs[-1] == "What do you have in mind?"
    assert span_texts(text, STYLES["quote"]) == ["> lightweight context switching"]
    assert span_texts(text, STYLES["code"]) == [paragraphs[3]]


def test_real_code_block_with_raw_escape_characters() -> None:
    text = plain(REAL_TECO_TAIL)
    assert "\x1b" not in text
    assert "Q4-10\"N ^O ' ]9 ]8 ]7 ]6 ]5 ]4\n    \n\nObviously, the TECO" in text


# --- quotes --------------------------------------------------------------------------------


def test_only_paragraphs_starting_with_gt_are_quotes() -> None:
    text = render_html("&gt; quoted <i>line</i><p>reply a &gt; b<p>&gt;&gt; nested").text
    assert text.plain == "> quoted line\n\nreply a > b\n\n>> nested"
    assert span_texts(text, STYLES["quote"]) == ["> quoted line", ">> nested"]
    assert styles_at(text, 0).dim
    assert not styles_at(text, text.plain.index("reply")).dim


def test_quote_detection_ignores_leading_whitespace() -> None:
    assert span_texts(render_html("  \n &gt;x").text, STYLES["quote"]) == [">x"]


# --- Rich markup is never interpreted ------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    [
        "[bold]hi[/bold]",
        "[/]",
        "[link=https://x]y[/link]",
        "[@click=app.quit]q[/]",
        "[link=file:///etc/passwd]z[/]",
        r"\[escaped] and :smile: and [red on white]",
    ],
)
def test_markup_looking_text_stays_literal(literal: str) -> None:
    rendered = render_html(f"<i>{literal}</i><p>{literal}")
    assert rendered.text.plain == f"{literal}\n\n{literal}"
    assert rendered.links == ()
    for span in rendered.text.spans:
        assert isinstance(span.style, Style) and span.style.link is None
    assert literal in terminal_output(rendered.text)


# --- terminal safety -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[38;2;1;2;3mrgb", "rgb"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x1b]52;c;aGVsbG8=\x07b", "ab"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("a\x1bPq#0;2;0;0;0#1~~@@\x1b\\b", "ab"),
        ("a\x1b_apc payload\x1b\\b", "ab"),
        ("a\x9b31mb", "ab"),
        ("a\x9d0;title\x9cb", "ab"),
        ("a\x90dcs\x9cb", "ab"),
        ("a\x1b(Bb\x1b7c\x1b=d", "abcd"),
        ("unterminated \x1b[", "unterminated "),
        ("lone\x1b", "lone"),
        ("a\x07b\x08c\x00d\x7fe\x85f", "abcdef"),
        ("a\r\nb\rc", "a\nbc"),
        ("a\tb", "a b"),
        ("a\u202eb\u2066c\u2069d\u200ee\u200ff\u061cg", "abcdefg"),
        ("a\u200bb\u200cc\u200dd\u2060e\ufefff", "abcdef"),
        ("a\ud800b\udfffc", "abc"),
        ("a\u2028b\u2029c", "a b c"),
    ],
)
def test_sanitize_removes_escapes_and_invisible_controls(dirty: str, clean: str) -> None:
    assert sanitize(dirty) == clean
    assert sanitize(clean) == clean


def test_sanitize_keeps_normal_unicode() -> None:
    text = "日本語 テキスト, émigré, naïve, 😀👍🏽, 👨‍👩‍👧 family?, ½ ≠ ∞, \u00a0nbsp\nline"
    # The family emoji uses ZWJ, which is dropped by design; everything else is unchanged.
    assert sanitize(text) == text.replace("\u200d", "")
    assert sanitize("plain ascii text\nwith newline") == "plain ascii text\nwith newline"


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[31mred",
        "\x1b]0;title\x07",
        "\x1b]52;c;Y3VybCBldmlsLmNvbSB8IHNo\x07",
        "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
        "\x1bPq#0;2;0;0;0\x1b\\",
        "\x9b31m",
        "&#27;[31m entity-escaped ESC &#x9b;",
        "\x1b[2J\x1b[H\x1b[?1049h",
    ],
)
def test_escape_sequences_never_reach_the_terminal(hostile: str) -> None:
    html = f"{hostile}<p><i>{hostile}</i><p>&gt; {hostile}<p><pre><code>{hostile}</code></pre>"
    html += f'<p><a href="https://x.com/">{hostile}</a>'
    rendered = render_html(html)
    assert not FORBIDDEN.search(rendered.text.plain)
    out = terminal_output(rendered.text)
    assert "\x07" not in out
    assert "\x1b]" not in out
    assert "\x1b" not in SGR.sub("", out)  # the only escapes left are Rich's own colours


def test_bidi_and_zero_width_are_removed_from_rendered_text() -> None:
    text = plain("ab\u202ecd<p>e\u200bf\ufeffg<pre><code>h\u2067i\u200dj</code></pre>")
    assert text == "abcd\n\nefg\n\nhij"


def test_rendered_spans_use_the_exported_styles() -> None:
    html = "&gt; q<p><i>i</i> <b>b</b> <a href=https://x.com>https://x.com</a><pre>c</pre>"
    used = {span.style for span in render_html(html).text.spans}
    assert used == {STYLES[n] for n in ("quote", "italic", "bold", "link", "code")}


# --- malformed input -----------------------------------------------------------------------


def test_unclosed_italic_styles_to_the_end() -> None:
    text = render_html("<i>never closed").text
    assert text.plain == "never closed"
    assert span_texts(text, STYLES["italic"]) == ["never closed"]


def test_incomplete_tag_is_literal_text() -> None:
    rendered = render_html('text <a href="x')
    assert rendered.text.plain == 'text <a href="x'
    assert rendered.links == ()


def test_unclosed_link_is_finished_at_paragraph_end() -> None:
    rendered = render_html('<a href="https://x.com/">words<p>next')
    assert rendered.text.plain == "words (https://x.com/)\n\nnext"
    assert rendered.links == ("https://x.com/",)


@pytest.mark.parametrize(
    "html",
    [
        "<",
        ">",
        "<>",
        "</>",
        "<a",
        "<a href=",
        "<a href='https://x.com",
        "</a></pre></code></p>",
        "<pre>",
        "<p/><br/><i/>",
        "<!-- comment -->",
        "<![CDATA[x]]>",
        "&",
        "&#",
        "&#x;",
        "&#99999999999;",
        "<a href=https://x.com><a href=https://y.com>",
    ],
)
def test_malformed_html_never_raises(html: str) -> None:
    rendered = render_html(html)
    assert not FORBIDDEN.search(rendered.text.plain)
    assert all(is_safe_url(link) for link in rendered.links)


def test_hundred_kilobyte_comment_renders_in_linear_time() -> None:
    unit = 'Some <i>text</i> &amp; a <a href="https://e.com/x">https://e.com/x</a>.<p>'
    html = (unit * (100_000 // len(unit) + 1))[:100_000]
    start = time.perf_counter()
    rendered = render_html(html)
    assert rendered.text.plain.count("\n\n") > 1000
    assert rendered.links == ("https://e.com/x",)
    # Pathological shapes that would be quadratic with naive tokenizing or run merging.
    for hostile in ("a<x>" * 25_000, "<a" * 50_000, "<" + "a" * 100_000, "\x1b]" * 50_000):
        assert len(render_html(hostile).text.plain) <= len(hostile)
    assert time.perf_counter() - start < 5.0  # ~0.1 s when linear; quadratic takes minutes


# --- API shape -----------------------------------------------------------------------------


def test_html_to_plain_matches_render() -> None:
    assert html_to_plain(REAL_QUOTE_LIST_CODE) == render_html(REAL_QUOTE_LIST_CODE).text.plain
    assert html_to_plain(None) == ""


def test_rendered_is_frozen() -> None:
    rendered = render_html("x")
    assert isinstance(rendered, Rendered)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rendered.links = ("https://x.com",)  # type: ignore[misc]
