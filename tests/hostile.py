"""A thread written by an attacker: every kind of hostile text in one place.

Used by the hostile-input tests and for trying the app by hand in tmux:
``python -m tests.fakehn`` does not serve it, but ``python -m tests.hostile`` does.
"""

from __future__ import annotations

ROOT = 77_000_000
ESC = "\x1b"

HOSTILE_TEXTS: dict[str, str] = {
    "sgr colour": f"{ESC}[31mred{ESC}[0m and {ESC}[5mblink",
    "title change": f"{ESC}]0;pwned title{ESC}\\ and {ESC}]2;again\x07",
    "osc 52 clipboard": f"{ESC}]52;c;cm0gLXJmIH4K\x07copy me",
    "osc 8 hyperlink": f"{ESC}]8;;http://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\",
    "dcs": f"{ESC}Pq#0;2;0;0;0#1;2;100;100;0{ESC}\\after dcs",
    "c1 controls": "\x9b31mcsi\x9d0;title\x9c \x85nel \x90dcs\x9c",
    "c0 controls": "bell\x07 backspace\x08 nul\x00 del\x7f vt\x0b ff\x0c cr\r",
    "bidi": "abc\u202edcba\u202c \u2066isolate\u2069 \u200fmark",
    "zero width": "zero\u200bwidth\u200d\ufeffjoin\u2060",
    "rich markup": "[bold]not bold[/bold] [/] [link=file:///etc/passwd]x[/link]",
    "textual action": "[@click=app.quit]quit[/] [@click=screen.dismiss()]x[/]",
    "malformed html": "<i>never closed <a href='x <p>para <b <pre><code>unclosed code",
    "entities": "&bogus; &amp;lt; &#0; &#x1b;[31m &#xD800; &#1114112; &notanentity",
    "unsafe links": (
        '<a href="javascript:alert(1)">js</a> <a href="file:///etc/passwd">file</a> '
        '<a href="data:text/html,x">data</a> <a href="https://ok.example/">fine</a>'
    ),
    "wide text": "日本語のコメント 😀👍🏽 مرحبا עברית " * 3,
}


def hostile_thread() -> dict[int, dict]:
    """A story plus one comment per hostile text, a 100 KB comment and a nested chain."""
    kids = list(range(ROOT + 1, ROOT + 1 + len(HOSTILE_TEXTS)))
    items: dict[int, dict] = {
        ROOT: {
            "id": ROOT,
            "type": "story",
            "by": f"op{ESC}[31m",
            "title": f"Hostile [bold]thread[/] {ESC}]0;title{ESC}\\ \u202eevil",
            "url": "https://example.com/hostile",
            "score": 1,
            "time": 1_745_000_000,
            "descendants": len(kids) + 2,
            "kids": [*kids, ROOT + 100],
        }
    }
    for item_id, text in zip(kids, HOSTILE_TEXTS.values(), strict=True):
        items[item_id] = {
            "id": item_id,
            "type": "comment",
            "by": f"user{ESC}]0;t\x07[bold]",
            "parent": ROOT,
            "time": 1_745_000_100,
            "text": text,
        }
    items[ROOT + 100] = {
        "id": ROOT + 100,
        "type": "comment",
        "by": "longwinded",
        "parent": ROOT,
        "time": 1_745_000_200,
        "text": ("<p>" + "word " * 2000) * 10,
        "kids": [ROOT + 101],
    }
    items[ROOT + 101] = {
        "id": ROOT + 101,
        "type": "comment",
        "by": "reply",
        "parent": ROOT + 100,
        "time": 1_745_000_300,
        "text": "[red]still literal[/red]",
    }
    return items


if __name__ == "__main__":
    import asyncio

    from tests.fakehn import FakeHN

    server = FakeHN(hostile_thread(), port=8766)
    server.lists["topstories"] = [ROOT]
    asyncio.run(server.serve_in_loop(lambda s: print(s.url, flush=True)))
