"""Deterministic synthetic HN threads, bigger and deeper than any real fixture we have.

The largest real fixture with full depth has 352 comments (17 levels), so load and render
benchmarks need a generated one: by default 3,000 comments reaching exactly 25 levels, in the
Firebase item form the fake server serves, with the HTML quirks of real comment text.
"""

from __future__ import annotations

import random
from collections import deque

ROOT_TIME = 1_744_970_000  # 2025-04-18, same era as the unlurker fixtures

_VOCABULARY = (
    "the a of to and in that it is for on with as this but not you are be have what can "
    "compiler cache latency thread kernel python rust database index query browser server "
    "deploy benchmark memory allocator garbage collector terminal widget render async await "
    "startup pricing licence remote office manager team release bug patch review test "
    "performance tradeoff network protocol socket parser schema migration backup laptop "
    "battery keyboard monitor editor vim emacs lisp haskell golang java javascript typescript "
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed eiusmod tempor incididunt"
)
_WORDS = _VOCABULARY.split()
_OPENERS = (
    "I think",
    "In my experience",
    "Honestly,",
    "Counterpoint:",
    "FWIW",
    "We tried this and",
    "It&#x27;s worth noting that",
    "Not sure why",
    "The real problem is that",
    "As someone who has done this for years,",
)
_USER_A = ("quiet", "lazy", "rusty", "sharp", "cold", "blue", "tiny", "grumpy", "dark", "fast")
_USER_B = ("otter", "kernel", "pixel", "lambda", "falcon", "badger", "parser", "monad", "yak")
_CODE = (
    "  def load(ids):\n      return [fetch(i) for i in ids if i &gt; 0]\n",
    "  $ curl -s https:&#x2F;&#x2F;example.com&#x2F;api | jq .\n",
    "  for (int i = 0; i &lt; n; i++) {\n      sum += xs[i];\n  }\n",
    "  SELECT id, parent FROM items WHERE parent = ?;\n",
)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 16))]
    if rng.random() < 0.2:
        spot = rng.randrange(len(words))
        words[spot] = f"<i>{words[spot]}</i>"
    if rng.random() < 0.08:
        words.append("&quot;quoted&quot;")
    text = " ".join(words)
    if rng.random() < 0.4:
        text = f"{rng.choice(_OPENERS)} {text}"
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!"))


def _comment_text(rng: random.Random, serial: int) -> str:
    """HN-style HTML: paragraphs split by ``<p>`` (none leading), entities, links, code."""
    paragraphs = []
    if rng.random() < 0.15:
        paragraphs.append("&gt; " + _sentence(rng))
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.12:
        link = f"https:&#x2F;&#x2F;example.com&#x2F;post&#x2F;{serial}"
        paragraphs.append(f'See <a href="{link}" rel="nofollow">{link}</a> for details.')
    if rng.random() < 0.06:
        paragraphs.append(f"<pre><code>{rng.choice(_CODE)}</code></pre>")
        if rng.random() < 0.5:
            paragraphs.append(_sentence(rng))
    return "<p>".join(paragraphs)


def _shape(rng: random.Random, comments: int, depth: int, hot: int = 0) -> list[int]:
    """Parent index of each comment (-1 = the story), with max depth exactly ``depth``; with
    ``hot``, the first top-level comment gets at least that many descendants."""
    parents: list[int] = []
    depths: list[int] = []

    def add(parent: int) -> int:
        parents.append(parent)
        depths.append(1 if parent < 0 else depths[parent] + 1)
        return len(parents) - 1

    # A few long chains (a back-and-forth argument): the first reaches exactly `depth`.
    chain = [-1]
    for _ in range(depth):
        chain.append(add(chain[-1]))
    budget = comments - depth
    branches = [(chain[depth // 2], depth - depth // 2), (-1, depth - 3), (chain[depth // 3], 6)]
    for start, length in branches:
        base = 0 if start < 0 else depths[start]
        length = min(length, depth - base)
        if length <= 0 or length * 4 > budget:
            continue
        node = start
        for _ in range(length):
            node = add(node)
        budget -= length

    # A hot subthread first, if asked: replies under the first top-level comment only.
    inside: dict[int, None] = {}
    for index, parent in enumerate(parents):
        if index == 0 or parent in inside:
            inside[index] = None
    hot_left = max(0, hot - (len(inside) - 1)) if hot and parents else 0
    if hot_left > budget:
        raise ValueError(f"{comments} comments cannot give a {hot}-reply subthread")
    hot_pool = [i for i in inside if depths[i] < depth]

    # The rest: preferential attachment (busy subthreads attract replies), damped by depth.
    pool = [i for i in range(len(parents)) if depths[i] < depth]
    for _ in range(budget):
        parent = -1
        if hot_left:
            hot_left -= 1
            while True:
                candidate = hot_pool[rng.randrange(len(hot_pool))]
                if rng.random() < 0.8 ** (depths[candidate] - 1):
                    parent = candidate
                    break
            if depths[parent] + 1 < depth:
                hot_pool.append(len(parents))
        elif pool and rng.random() >= 0.12:
            while True:
                candidate = pool[rng.randrange(len(pool))]
                if rng.random() < 0.8 ** (depths[candidate] - 1):
                    parent = candidate
                    break
        node = add(parent)
        if parent >= 0 and rng.random() < 0.4:
            pool.append(parent)
        if depths[node] < depth:
            pool.append(node)
    return parents


def generate_thread(
    root_id: int = 90_000_000,
    comments: int = 3000,
    depth: int = 25,
    seed: int = 1,
    hot: int = 0,
) -> dict[int, dict]:
    """A story plus exactly ``comments`` comments whose deepest is exactly ``depth`` levels.

    ``hot`` makes the first top-level comment (the head of the deepest chain) hold at least
    that many descendants, e.g. to time collapsing a huge subthread; 0 leaves the shape as is.
    """
    if comments < 0 or depth < 0:
        raise ValueError("comments and depth must be >= 0")
    if (comments == 0) != (depth == 0) or depth > comments:
        raise ValueError(f"cannot make {comments} comments reach depth {depth}")
    rng = random.Random(seed)
    parents = _shape(rng, comments, depth, hot)

    # Times: a reply comes after its parent; ids follow time (with gaps), like real HN.
    times: list[int] = []
    for parent in parents:
        after = ROOT_TIME if parent < 0 else times[parent]
        times.append(after + 20 + int(rng.expovariate(1 / 1800)))
    order = sorted(range(comments), key=lambda i: (times[i], i))
    ids = [0] * comments
    next_id = root_id
    for index in order:
        next_id += 1 + (rng.randrange(1, 6) if rng.random() < 0.3 else 0)
        ids[index] = next_id
    rank = {index: position for position, index in enumerate(order)}

    kids: list[list[int]] = [[] for _ in range(comments)]
    top: list[int] = []
    for index, parent in enumerate(parents):
        (top if parent < 0 else kids[parent]).append(index)

    def display_order(indexes: list[int]) -> list[int]:
        # Roughly oldest first, shuffled by "votes", like HN's ranking.
        keyed = sorted(indexes, key=lambda i: rank[i] * rng.uniform(0.4, 1.6))
        return [ids[i] for i in keyed]

    # Deleted and dead comments; never on the first (deepest) chain so it stays readable.
    candidates = list(range(depth, comments))
    deleted = set(rng.sample(candidates, min(len(candidates), comments // 60)))
    rest = [i for i in candidates if i not in deleted]
    dead = set(rng.sample(rest, min(len(rest), comments // 90)))

    users = [f"{a}{b}{n}" for a in _USER_A for b in _USER_B for n in ("", "42", "_")]
    items: dict[int, dict] = {
        root_id: {
            "by": "generator",
            "descendants": comments,
            "id": root_id,
            "kids": display_order(top),
            "score": 1234,
            "time": ROOT_TIME,
            "title": f"Generated: {comments} comments, {depth} levels",
            "type": "story",
            "url": f"https://example.com/generated/{root_id}",
        }
    }
    for index in range(comments):
        parent_id = root_id if parents[index] < 0 else ids[parents[index]]
        item: dict = {}
        if index in deleted:
            item = {"deleted": True, "id": ids[index]}
        else:
            item = {"by": rng.choice(users), "id": ids[index]}
        if kids[index]:
            item["kids"] = display_order(kids[index])
        item["parent"] = parent_id
        if index not in deleted:
            if index in dead and rng.random() < 0.5:
                item["text"] = "[flagged]"
            else:
                item["text"] = _comment_text(rng, index)
            if index in dead:
                item["dead"] = True
        item["time"] = times[index]
        item["type"] = "comment"
        items[ids[index]] = item
    return dict(sorted(items.items()))


def thread_stats(items: dict[int, dict], root_id: int) -> tuple[int, int]:
    """(comments reachable from the root through ``kids``, deepest level; top-level = 1)."""
    count = 0
    max_depth = 0
    queue = deque([(root_id, 0)])
    seen = {root_id}
    while queue:
        item_id, level = queue.popleft()
        item = items.get(item_id)
        if item is None:
            continue
        if item_id != root_id:
            count += 1
            max_depth = max(max_depth, level)
        for kid in item.get("kids") or ():
            if kid not in seen:
                seen.add(kid)
                queue.append((kid, level + 1))
    return count, max_depth
