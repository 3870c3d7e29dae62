"""Generated "Ask HN: Who is hiring?" threads by ``whoishiring``, as HN posts them monthly.

``hiring_items`` builds a few months of the three monthly threads (Who is hiring?, Who wants to
be hired?, Freelancer?) with their job posts as top-level comments; the newest "Who is hiring?"
has hundreds of posts, a known set of which say "remote" (some only in a reply, some in a
word that is not "remote", one with hostile text). ``HiringData`` says which is which, so
tests assert against what was generated, not against a second run of the same matching.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

AUTHOR = "whoishiring"
MONTHS = ("October 2026", "November 2026")  # oldest first
_CITIES = ("Berlin", "London", "NYC", "Lisbon", "Toronto", "Austin", "Tokyo")
_STACKS = ("Python", "Rust", "Go", "TypeScript", "Elixir", "Kotlin")
_ROLES = ("Backend engineer", "SRE", "Data engineer", "Frontend engineer", "ML engineer")
TITLES = {
    "hiring": "Ask HN: Who is hiring? ({month})",
    "hired": "Ask HN: Who wants to be hired? ({month})",
    "freelancer": "Ask HN: Freelancer? Seeking freelancer? ({month})",
}


@dataclass
class HiringData:
    items: dict[int, dict] = field(default_factory=dict)
    stories: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, month) -> id
    posts: dict[int, list[int]] = field(default_factory=dict)  # story -> top-level posts
    remote: dict[int, set[int]] = field(default_factory=dict)  # story -> posts saying remote

    def user(self) -> dict[str, Any]:
        """The ``whoishiring`` user record, ``submitted`` newest first as Firebase has it."""
        return {
            "id": AUTHOR,
            "created": 1_300_000_000,
            "karma": 100,
            "submitted": sorted(self.stories.values(), reverse=True),
        }

    def search_hits(self) -> list[dict[str, Any]]:
        """The stories as the search API's hits (tags story and author_whoishiring)."""
        return [
            {
                "objectID": str(story),
                "author": AUTHOR,
                "created_at_i": self.items[story]["time"],
                "_tags": ["story", f"author_{AUTHOR}", f"story_{story}"],
                "title": self.items[story]["title"],
                "points": self.items[story]["score"],
                "num_comments": self.items[story]["descendants"],
                "story_id": story,
            }
            for story in self.stories.values()
        ]


def hiring_items(posts: int = 400, seed: int = 7, first_id: int = 50_000_000) -> HiringData:
    """Every month's three threads; the newest "Who is hiring?" has ``posts`` posts."""
    rng = random.Random(seed)
    data = HiringData()
    next_id = first_id
    time = 1_790_000_000
    for month in MONTHS:
        for kind in TITLES:
            count = posts if (kind, month) == ("hiring", MONTHS[-1]) else 12
            next_id, time = _thread(data, rng, kind, month, count, next_id, time)
    return data


def _thread(
    data: HiringData, rng: random.Random, kind: str, month: str, count: int, story: int, time: int
) -> tuple[int, int]:
    """One thread from id ``story`` on; the next free id and time."""
    next_id = story + 1
    tops: list[int] = []
    remote: set[int] = set()
    descendants = 0
    for n in range(count):
        post = next_id
        next_id += 1
        says_remote = n % 5 == 0
        where = "REMOTE (US/EU)" if says_remote else rng.choice(_CITIES) + " | ONSITE"
        text = (
            f"Company{n} | {rng.choice(_ROLES)} | {where} | {rng.choice(_STACKS)}"
            f"<p>We build things. Apply at jobs{n}@example.com"
        )
        if n % 7 == 3 and not says_remote:
            text += "<p>No remoteness, sorry: remotely possible later."  # not the word
        if n == 10:
            text += "<p>\x1b]0;pwned\x07\x1b[31mred\x1b[0m [bold]markup[/bold] \u202eevil"
        kids = []
        if n % 4 == 1:  # a reply; on some non-remote posts the reply asks about remote
            reply = next_id
            next_id += 1
            kids.append(reply)
            data.items[reply] = {
                "by": f"asker{n}",
                "id": reply,
                "parent": post,
                "text": "Is remote possible?" if not says_remote else "Which time zones?",
                "time": time + 2 * n + 1,
                "type": "comment",
            }
            descendants += 1
        item: dict[str, Any] = {
            "by": f"employer{n}",
            "id": post,
            "parent": story,
            "text": text,
            "time": time + 2 * n,
            "type": "comment",
        }
        if kids:
            item["kids"] = kids
        data.items[post] = item
        tops.append(post)
        descendants += 1
        if says_remote:
            remote.add(post)
    data.items[story] = {
        "by": AUTHOR,
        "descendants": descendants,
        "id": story,
        "kids": tops,
        "score": 500,
        "time": time,
        "title": TITLES[kind].format(month=month),
        "type": "story",
        "text": "Please state the location and include REMOTE for remote work.",
    }
    data.stories[(kind, month)] = story
    data.posts[story] = tops
    data.remote[story] = remote
    return next_id + 10, time + 3600


def serve_hiring(server: Any, data: HiringData) -> None:
    """Serve ``data`` from a ``FakeHN`` (items and the ``whoishiring`` user)."""
    server.items.update(data.items)
    server.users[AUTHOR] = data.user()
