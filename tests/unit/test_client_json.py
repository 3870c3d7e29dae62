"""How the client decodes the API's JSON, over real HTTP from a server that sends raw bodies:
items go through orjson, and where orjson reads a body differently from ``json``, ``json``
decides, so what an item holds does not depend on the decoder."""

import json

import pytest
from aiohttp import web
from hnterm.model.items import parse_item
from hnterm.net.client import APIError, HNClient

from tests.webthread import ThreadedApp

ITEM = 4242


class RawBodies(ThreadedApp):
    """Answers ``/v0/<path>`` with ``bodies[path]`` as it is, bytes for bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: dict[str, bytes] = {}

    async def _handle(self, request: web.Request) -> web.Response:
        body = self.bodies.get(request.match_info["path"])
        if body is None:
            return web.Response(status=404)
        return web.Response(body=body, content_type="application/json")

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v0/{path:.*}", self._handle)


@pytest.fixture
def raw_server():
    server = RawBodies().start()
    yield server
    server.stop()


@pytest.fixture
async def client(raw_server):
    async with HNClient(f"http://127.0.0.1:{raw_server.port}/v0/", backoff=0.01) as client:
        yield client


COMMENT = '{"id": 4242, "type": "comment", "by": "a", "parent": 1, "time": 1700000000'
# Bodies orjson refuses or reads otherwise than json: each field is what json makes of it.
DIFFERENT = {
    "lone surrogate": (COMMENT + ', "text": "a\\ud800b"}').encode(),
    "int over 64 bits": (COMMENT + f', "score": {2**70}' + "}").encode(),
    "NaN": (COMMENT + ', "score": NaN}').encode(),
    "byte order mark": b"\xef\xbb\xbf" + (COMMENT + ', "score": 3}').encode(),
}


@pytest.mark.parametrize("body", DIFFERENT.values(), ids=DIFFERENT.keys())
async def test_an_item_holds_what_json_reads(client, raw_server, body):
    raw_server.bodies[f"item/{ITEM}.json"] = body
    expected = parse_item(json.loads(body), expected_id=ITEM)
    assert expected is not None
    assert await client.item(ITEM) == expected


async def test_the_usual_item_is_read_whole(client, raw_server):
    body = (COMMENT + ', "kids": [7, 8, 7], "text": "caf\u00e9 &amp; <i>x</i>"}').encode()
    raw_server.bodies[f"item/{ITEM}.json"] = body
    item = await client.item(ITEM)
    assert item is not None
    assert (item.by, item.parent, item.kids, item.text) == ("a", 1, (7, 8), "café &amp; <i>x</i>")


async def test_json_nested_too_deep_is_a_one_line_error(client, raw_server):
    # Deeper than json's recursion and orjson's limit of 1,024: once a RecursionError that
    # escaped the client and ended the whole load.
    deep = b"[" * 5000 + b"]" * 5000
    raw_server.bodies[f"item/{ITEM}.json"] = COMMENT.encode() + b', "kids": ' + deep + b"}"
    raw_server.bodies["topstories.json"] = deep
    with pytest.raises(APIError, match="malformed JSON"):
        await client.item(ITEM)
    with pytest.raises(APIError, match="malformed JSON"):
        await client.story_ids("top")
