"""Run-time settings: command-line flags, environment variables, the config file, defaults.

Precedence is flag > environment > file > default, decided in one place (``Config.build``),
which also records where each setting came from (``hnterm config`` prints it). The config
file is TOML (stdlib ``tomllib``) at the platform config path, or ``$HNTERM_CONFIG``. A bad
file or value never stops hnterm: it becomes a one-line problem naming the file, the line and
the key, and that setting keeps its default. Pure: no Textual here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hnterm.model.filters import Filters, check_domains, check_users, check_words
from hnterm.net.client import DEFAULT_API_URL, DEFAULT_SEARCH_URL
from hnterm.storage.files import FileRefused, read_text, refusal
from hnterm.storage.paths import CACHE_ENV, cache_dir
from hnterm.storage.session import config_dir

API_ENV = "HNTERM_API_URL"
CACHE_MAX_ENV = "HNTERM_CACHE_MAX_MB"
DEADLINE_ENV = "HNTERM_REQUEST_DEADLINE"
CONFIG_ENV = "HNTERM_CONFIG"
THEME_ENV = "HNTERM_THEME"
LIVE_ENV = "HNTERM_LIVE_UPDATES"
LIVE_INTERVAL_ENV = "HNTERM_LIVE_INTERVAL"
SEARCH_ENV = "HNTERM_SEARCH_URL"
WRAP_ENV = "HNTERM_WRAP_WIDTH"
DEFAULT_DEADLINE = 30.0  # seconds one request may take in all (connect, headers, body)
DEFAULT_CACHE_MAX_MB = 500  # pruned to on startup; 0 turns the cap off; saved threads stay
DEFAULT_LIVE_INTERVAL = 30.0  # seconds between polls of the open thread
DEFAULT_LIST_WIDTH = 40  # percent of the window the story list takes
DEFAULT_REPLIES_LIMIT = 30  # latest submissions whose replies hnterm replies shows
DEFAULT_WRAP_WIDTH = 100  # columns of comment text at most: a readable measure on wide screens

# Fields a theme table may set: those of ``textual.theme.Theme`` (name comes from the table).
THEME_FIELDS = frozenset(
    {
        "primary",
        "secondary",
        "warning",
        "error",
        "success",
        "accent",
        "foreground",
        "background",
        "surface",
        "panel",
        "boost",
        "dark",
        "luminosity_spread",
        "text_alpha",
        "variables",
    }
)

Origin = str  # "default", "file", "environment" or "flag"


# -- value checks: each takes what TOML or the environment gave and returns the setting ----
def _url(value: object) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    try:
        host = urlsplit(value).hostname
    except ValueError:
        host = None
    if not host:
        raise ValueError("must be an http:// or https:// URL with a host name")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def _whole(low: int, high: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value

    return check


def _seconds(low: float, high: float) -> Callable[[object], float]:
    def check(value: object) -> float:
        if isinstance(value, str):
            with suppress(ValueError):
                value = float(value)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not low < float(value) <= high:  # type: ignore[arg-type]
            raise ValueError(f"must be a number of seconds above {low:g}, at most {high:g}")
        return float(value)  # type: ignore[arg-type]

    return check


def _switch(value: object) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off"):
        return False
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


@dataclass(frozen=True)
class Setting:
    """One setting of the file: its key, the Config field, check, default, variable, doc."""

    key: str
    attr: str
    check: Callable[[object], Any]
    env: str | None
    doc: str


SETTINGS = (
    Setting("api_url", "api_url", _url, API_ENV, "HN API base URL"),
    Setting("cache_dir", "cache_dir", _text, CACHE_ENV, "cache folder (default: platform's)"),
    Setting("cache_max_mb", "cache_max_mb", _whole(0, 10**7), CACHE_MAX_ENV, "cache cap, MB"),
    Setting("request_deadline", "deadline", _seconds(0, 3600), DEADLINE_ENV, "seconds per request"),
    Setting("theme", "theme", _text, THEME_ENV, "Textual theme name (default: last chosen)"),
    Setting("live_updates", "live", _switch, LIVE_ENV, "poll the open thread for new comments"),
    Setting(
        "live_interval",
        "live_interval",
        _seconds(0, 86400),
        LIVE_INTERVAL_ENV,
        "seconds between polls of the open thread",
    ),
    Setting("list_width", "list_width", _whole(15, 85), None, "story list, % of the window"),
    Setting("search_url", "search_url", _url, SEARCH_ENV, "HN search (Algolia) API base URL"),
    Setting("wrap_width", "wrap_width", _whole(0, 1000), WRAP_ENV, "text columns (0: all)"),
    Setting(
        "replies_submissions",
        "replies_limit",
        _whole(1, 500),
        None,
        "your latest submissions whose replies are looked for",
    ),
)


@dataclass(frozen=True)
class Config:
    """What the app needs to know before it starts."""

    api_url: str = DEFAULT_API_URL
    cache_dir: Path = field(default_factory=cache_dir)
    offline: bool = False
    item: int | None = None
    cache_max_mb: int = DEFAULT_CACHE_MAX_MB
    deadline: float = DEFAULT_DEADLINE
    theme: str | None = None  # None: the one last chosen in the app (or Textual's default)
    keys: Mapping[str, str] = field(default_factory=dict)  # binding id -> keys
    themes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # name -> fields
    live: bool = True
    live_interval: float = DEFAULT_LIVE_INTERVAL
    list_width: int | None = None  # None: the one last set with { } (or the default)
    search_url: str = DEFAULT_SEARCH_URL  # all of HN: hnterm search --online, F
    web_url: str | None = None  # --web-url; None: $HNTERM_WEB_URL, else HN's (net.web_forms)
    account: str | None = None  # --account: whose HN session this run uses (None: the active)
    wrap_width: int = DEFAULT_WRAP_WIDTH  # comment text wraps here at most (0: the pane's width)
    filters: Filters = field(default_factory=Filters)  # [filters]: what the reader never reads
    replies_limit: int = DEFAULT_REPLIES_LIMIT  # hnterm replies, 9: submissions looked at
    # Where each setting came from, and what was wrong with the file or environment.
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False)
    problems: tuple[str, ...] = field(default=(), compare=False)
    path: Path | None = field(default=None, compare=False)  # the config file read

    @property
    def cache_max_bytes(self) -> int | None:
        """The cache size cap in bytes, or None when there is none (``0``)."""
        return self.cache_max_mb * 1024 * 1024 if self.cache_max_mb > 0 else None

    @classmethod
    def build(
        cls,
        *,
        api_url: str | None = None,
        cache: str | None = None,
        offline: bool = False,
        item: int | None = None,
        cache_max_mb: int | None = None,
        search_url: str | None = None,
        web_url: str | None = None,
        account: str | None = None,
        file: FileLayer | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Config:
        """Flag > environment > ``file`` > default, for every setting, with its origin."""
        env = os.environ if env is None else env
        file = file if file is not None else FileLayer(None)
        flags = {
            "api_url": api_url,
            "cache_dir": cache,
            "cache_max_mb": cache_max_mb,
            "search_url": search_url,
        }
        values: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        problems = list(file.problems)
        for setting in SETTINGS:
            value, origin = _layered(setting, flags, env, file, problems)
            origins[setting.key] = origin
            if origin != "default":
                values[setting.attr] = value
        values["cache_dir"] = cache_dir(values.get("cache_dir"))
        return cls(
            offline=offline,
            item=item,
            web_url=web_url,
            account=account,
            keys=dict(file.keys),
            themes=dict(file.themes),
            filters=file.filters,
            origins=origins,
            problems=tuple(problems),
            path=file.path,
            **values,
        )

    def shown(self) -> list[tuple[str, Any, Origin]]:
        """Every setting as (file key, effective value, origin), for ``hnterm config``."""
        rows = []
        for setting in SETTINGS:
            value = getattr(self, setting.attr)
            rows.append((setting.key, value, self.origins.get(setting.key, "default")))
        return rows


def _layered(
    setting: Setting,
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    file: FileLayer,
    problems: list[str],
) -> tuple[Any, Origin]:
    """One setting's value and origin; a bad environment value is a problem, then skipped."""
    if flags.get(setting.key) is not None:
        return flags[setting.key], "flag"
    raw = env.get(setting.env) if setting.env else None
    if raw:
        try:
            return setting.check(raw), "environment"
        except ValueError as exc:
            problems.append(f"environment {setting.env}={raw!r}: {exc}; ignored")
    if setting.key in file.values:
        return file.values[setting.key], "file"
    return None, "default"


# -- the file ------------------------------------------------------------------------------
def config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$HNTERM_CONFIG``, else ``config.toml`` in the config folder (``$HNTERM_CONFIG_DIR``,
    else the platform's): the folder the session is kept in too."""
    env = os.environ if env is None else env
    chosen = env.get(CONFIG_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return config_dir(env) / "config.toml"


def file_state(path: Path) -> str:
    """The config file in a few words for ``hnterm config``: "" when it is one to read."""
    try:
        reason = refusal(path.stat())
    except FileNotFoundError:
        return "not there"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    return reason or ""


@dataclass
class FileLayer:
    """What a config file set (checked values by file key), and what was wrong with it."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    themes: dict[str, dict[str, Any]] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)
    problems: list[str] = field(default_factory=list)
    exists: bool = False


def load_file(path: Path | None = None) -> FileLayer:
    """Read and check a config file; a missing file is no file, never an error, but one
    named by ``$HNTERM_CONFIG`` is said (a typo in it must not pass in silence)."""
    named = path is None and bool(os.environ.get(CONFIG_ENV))
    path = config_path() if path is None else path
    layer = FileLayer(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        if named:
            layer.problems.append(
                f"config file {path} (${CONFIG_ENV}) is not there; using defaults"
            )
        return layer
    except FileRefused as exc:
        layer.problems.append(f"config file {path} {exc}; using defaults")
        return layer
    layer.exists = True
    import tomllib  # only for a file that is there (~2 ms a run without one does not pay)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        layer.problems.append(f"config file {path}: not valid TOML: {exc}; using defaults")
        return layer
    _check_file(layer, data, text)
    return layer


def _check_file(layer: FileLayer, data: dict[str, Any], text: str) -> None:
    by_key = {setting.key: setting for setting in SETTINGS}
    for key, value in data.items():
        if key == "keys":
            _check_keys(layer, value, text)
        elif key == "themes":
            _check_themes(layer, value, text)
        elif key == "filters":
            _check_filters(layer, value, text)
        elif key in by_key:
            try:
                layer.values[key] = by_key[key].check(value)
            except ValueError as exc:
                _problem(layer, text, key, f"{exc}, not {value!r}; using the default")
        else:
            _problem(layer, text, key, "unknown setting; ignored")


def _check_keys(layer: FileLayer, table: object, text: str) -> None:
    if not isinstance(table, dict):
        _problem(layer, text, "keys", "must be a table ([keys]); ignored")
        return
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            _problem(
                layer, text, f"keys.{binding_id}", 'keys must be a string such as "j,down"', "keys"
            )
            continue
        layer.keys[binding_id] = keys


FILTER_CHECKS = {"words": check_words, "domains": check_domains, "users": check_users}


def _check_filters(layer: FileLayer, table: object, text: str) -> None:
    """``[filters]``: words, domains, users; a bad list is said and left out, not the rest."""
    if not isinstance(table, dict):
        _problem(layer, text, "filters", "must be a table ([filters]); ignored")
        return
    kept: dict[str, tuple[str, ...]] = {}
    for name, value in table.items():
        check = FILTER_CHECKS.get(name)
        if check is None:
            _problem(layer, text, f"filters.{name}", "unknown filter; ignored", "filters")
            continue
        try:
            kept[name] = check(value)
        except ValueError as exc:
            _problem(layer, text, f"filters.{name}", f"{exc}; ignored", "filters")
    layer.filters = Filters(**kept)


def _check_themes(layer: FileLayer, table: object, text: str) -> None:
    if not isinstance(table, dict):
        _problem(layer, text, "themes", "must be a table ([themes.NAME]); ignored")
        return
    for name, fields_ in table.items():
        section = f"themes.{name}"
        if not isinstance(fields_, dict):
            _problem(layer, text, section, "must be a table of theme fields; ignored")
            continue
        if "file" in fields_:  # the theme lives in a file of its own
            fields_ = _theme_file(layer, text, section, fields_)
            if fields_ is None:
                continue
        unknown = sorted(set(fields_) - THEME_FIELDS)
        if unknown:
            _problem(layer, text, section, f"unknown theme field(s) {', '.join(unknown)}; ignored")
            continue
        if not isinstance(fields_.get("primary"), str):
            _problem(layer, text, section, 'needs primary = "#rrggbb"; ignored')
            continue
        layer.themes[name] = fields_


def _theme_file(
    layer: FileLayer, text: str, section: str, table: dict[str, Any]
) -> dict[str, Any] | None:
    """A theme table's ``file = "path"``: that TOML file's fields (relative to the config)."""
    import tomllib  # as in load_file, whose file named this one

    path = Path(str(table["file"])).expanduser()
    if not path.is_absolute() and layer.path is not None:
        path = layer.path.parent / path
    try:
        data = tomllib.loads(read_text(path))
    except FileNotFoundError:
        _problem(layer, text, section, f"theme file {path} is not there; ignored")
        return None
    except FileRefused as exc:
        _problem(layer, text, section, f"theme file {path} {exc}; ignored")
        return None
    except tomllib.TOMLDecodeError as exc:
        _problem(layer, text, section, f"theme file {path}: not valid TOML: {exc}; ignored")
        return None
    data.pop("name", None)
    return {**data, **{k: v for k, v in table.items() if k != "file"}}


def _problem(layer: FileLayer, text: str, key: str, what: str, table: str | None = None) -> None:
    """A problem naming the file, the line where ``key`` is set and the key."""
    line = _line_of(text, key, table)
    where = f"line {line}, " if line else ""
    layer.problems.append(f"config file {layer.path}: {where}{key}: {what}")


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The line that sets ``key`` (or opens ``[key]``), for the message only."""
    last = key.removeprefix(f"{table}.") if table else key.rsplit(".", 1)[-1]
    pattern = re.compile(
        rf"^\s*(\[\s*{re.escape(key)}\s*\]|\"?{re.escape(last)}\"?\s*=)", re.MULTILINE
    )
    start = 0
    if table is not None:
        header = re.search(rf"^\s*\[\s*{re.escape(table)}\s*\]", text, re.MULTILINE)
        start = header.end() if header else 0
    found = pattern.search(text, start)
    return text.count("\n", 0, found.start()) + 1 if found else None
