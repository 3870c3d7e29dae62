"""``hnterm config``: where the config file is, and every effective setting with its origin.

    hnterm config            path, then ``key = value  # origin`` lines (TOML, so it can be
                             pasted into the file)
    hnterm config --json     the same as JSON

Origins are ``default``, ``file``, ``environment`` and ``flag`` (flag > environment > file >
default), and ``remembered`` for a setting left unset that the app keeps from its last use
(the theme chosen in the palette, the list width set with { }), read from the cache as the
app reads it. The config's keys and themes are checked as the app checks them at start, and
what is wrong is said on stderr, after the problems with the file (printed by
``hnterm.cli.main`` before this runs). The web URL the HN session cookie is sent to is
shown too, as a comment: it is set by ``--web-url`` or ``$HNTERM_WEB_URL``, not in the file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from hnterm.cli.common import command_cache, say, terminal_json
from hnterm.config import Config, config_path, file_state
from hnterm.model.errors import HNError
from hnterm.net.web_forms import DEFAULT_WEB_URL, WEB_ENV, web_url
from hnterm.services.settings import Preferences, Settings
from hnterm.storage.cache import DB_NAME

REMEMBERED = "remembered"  # the origin of a preference the app kept, for a setting left unset


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print the config file's path and the effective settings, each with where it came "
        "from: default, file, environment or flag (which win in the reverse order)."
    )
    parser.add_argument("--json", action="store_true", help="print them as JSON")


def run(args: argparse.Namespace, config: Config) -> int:
    path = config.path or config_path()
    shown = _shown(config, _remembered(config))
    problems = app_problems(config)
    if args.json:
        print(json.dumps(_as_json(config, path, shown, problems), indent=2))
        return 0
    for problem in problems:
        say(f"hnterm: {problem}", file=sys.stderr)
    state = file_state(path)
    state = f"  ({state}: every setting has its default)" if state else ""
    say(f"# config file: {path}{state}")
    rows = [
        (f"# {key} (unset)" if value is None else f"{key} = {_toml(value)}", origin)
        for key, value, origin in shown
    ]
    web = _web(config)
    rows.append((f"# web_url = {_toml(web['value'])}", f"{web['origin']}: {web['note']}"))
    width = max(len(line) for line, _ in rows)
    for line, origin in rows:
        say(f"{line:<{width}}  # {origin}")
    if config.keys:
        say("\n[keys]  # file")
        for binding_id, keys in config.keys.items():
            say(f"{_toml(binding_id)} = {_toml(keys)}")
    for name in config.themes:
        say(f"\n[themes.{_toml(name)}]  # file")
    if config.filters:
        say("\n[filters]  # file; X turns them off and on in the app")
        for name, values in _filters(config).items():
            if values:
                say(f"{name} = [{', '.join(_toml(value) for value in values)}]")
    return 0


def _filters(config: Config) -> dict[str, list[str]]:
    """The config's [filters], list by list (``hnterm.model.filters``)."""
    filters = config.filters
    return {
        "words": list(filters.words),
        "domains": list(filters.domains),
        "users": list(filters.users),
    }


def _remembered(config: Config) -> Preferences:
    """What the app kept from its last use, read through the settings service as the app
    reads it; the defaults when there is no cache yet (none is made for this)."""
    if not (config.cache_dir / DB_NAME).exists():
        return Preferences()

    async def recall() -> Preferences:
        async with command_cache(config, "config") as worker:
            return await Settings(config, worker).recall()

    return asyncio.run(recall())


def _shown(config: Config, kept: Preferences) -> list[tuple[str, Any, str]]:
    """``config.shown()`` with what the app uses for a setting left unset, when it kept one:
    the theme and the list width (``Config`` leaves them None for exactly that)."""
    remembered = {"theme": kept.theme, "list_width": kept.list_width}
    return [
        (key, remembered[key], REMEMBERED)
        if value is None and remembered.get(key) is not None
        else (key, value, origin)
        for key, value, origin in config.shown()
    ]


def app_problems(config: Config) -> list[str]:
    """What the app would say at start about the config's keys, themes and theme: the app's
    own checks (``ui.preferences``), so Textual is loaded only when there is one to check."""
    if not (config.keys or config.themes or config.theme):
        return []
    from hnterm.ui.app import HNApp
    from hnterm.ui.preferences import config_problems

    groups = {title.lower(): bindings for title, bindings in HNApp.binding_groups()}
    return config_problems(config, groups)


def _as_json(
    config: Config, path: Path, shown: list[tuple[str, Any, str]], problems: list[str]
) -> dict[str, Any]:
    return {
        "path": str(path),
        "settings": {
            key: {"value": str(value) if isinstance(value, Path) else value, "origin": origin}
            for key, value, origin in shown
        },
        "keys": dict(config.keys),
        "themes": sorted(config.themes),
        "filters": _filters(config),
        "problems": [*config.problems, *problems],
        "web_url": _web(config),
    }


def _web(config: Config) -> dict[str, str]:
    """The web URL the session cookie goes to, where that came from, and what that means."""
    chosen = config.web_url or os.environ.get(WEB_ENV)
    origin = "flag" if config.web_url else f"environment ({WEB_ENV})" if chosen else "default"
    try:
        url = web_url(config.web_url)
    except HNError as exc:
        return {"value": chosen or DEFAULT_WEB_URL, "origin": origin, "note": f"{exc}"}
    return {"value": url, "origin": origin, "note": "the HN session cookie is sent here only"}


def _toml(value: object) -> str:
    """A value as TOML writes it (a string with what a terminal acts on escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return terminal_json(str(value))
