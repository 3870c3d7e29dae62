"""The config's ``[keys]`` and ``[themes]`` applied to the app, and what was wrong with them.

Keys go through Textual's keymap (bindings with ids), so the footer and the key handling follow
them without hnterm's widgets knowing; the help screen asks ``remapped`` for the keys to show.
Conflicts are checked here at start because Textual only reports a clash when the key is
pressed, and silently; so is an entry that names no key (``","`` splits into nothing) or a
key Textual cannot bind: it is reported, and its binding keeps its default keys.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.color import ColorParseError
from textual.keys import ASCII_KEY_NAMES, KEY_NAME_REPLACEMENTS, Keys, key_to_character
from textual.signal import SignalError
from textual.theme import BUILTIN_THEMES, Theme

if TYPE_CHECKING:
    from hnterm.config import Config
    from hnterm.services.settings import Settings

BindingGroups = Mapping[str, Iterable[Binding]]  # a place (a widget, the screen) -> its keys


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Names of keys that type no character (and the names Textual gives some characters).
KEY_NAMES = frozenset(
    {key.value.rpartition("+")[2] for key in Keys} | set(KEY_NAME_REPLACEMENTS.values())
)


def key_name(key: str) -> str:
    """A key as Textual names it: a character by its Unicode name ("?" -> "question_mark",
    "-" -> "minus"), anything else as it is. Textual's own is private
    (``textual.keys._character_to_key``), so this is that function, kept to its few lines;
    tests/ui/test_keymap.py holds it to what Textual binds."""
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        name = ASCII_KEY_NAMES.get(key, key)
    return KEY_NAME_REPLACEMENTS.get(name, name)


def bindable(key: str) -> bool:
    """Whether Textual can bind ``key`` (as ``key_name`` gives it): modifiers it knows, then
    a key that has a name or types a character."""
    *modifiers, name = key.split("+")
    if not name or not MODIFIERS.issuperset(modifiers):
        return False
    return name in KEY_NAMES or key_to_character(name) is not None


def checked(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries Textual can bind, keys named as Textual stores them and spaces dropped;
    and why each other entry was left out (its binding keeps its default keys)."""
    good: dict[str, str] = {}
    problems = []
    for binding_id, keys in keymap.items():
        names = [key_name(key) for key in keys.replace(" ", "").split(",")]
        if not all(names):
            problems.append(
                f"[keys] {binding_id}: {keys!r} names no key (keys are comma-separated; "
                'the comma key is "comma"); it keeps its default keys'
            )
        elif bad := [name for name in names if not bindable(name)]:
            problems.append(
                f"[keys] {binding_id}: {bad[0]!r} is not a key Textual can bind; "
                "it keeps its default keys"
            )
        else:
            good[binding_id] = ",".join(names)
    return good, problems


def keymap_problems(groups: BindingGroups, keymap: Mapping[str, str]) -> list[str]:
    """Entries that name no key Textual can bind, unknown binding ids, and two actions on
    one key in one place once remapped."""
    keymap, problems = checked(keymap)
    known = {b.id for bindings in groups.values() for b in bindings if b.id}
    problems += [
        f"[keys] {binding_id}: no key has this id; ignored (docs/configuration.md lists them)"
        for binding_id in keymap
        if binding_id not in known
    ]
    for place, bindings in groups.items():
        problems += _clashes(place, list(bindings), keymap)
    return problems


def _clashes(place: str, bindings: list[Binding], keymap: Mapping[str, str]) -> list[str]:
    """Keys of ``place`` that more than one of its bindings claim, one at least remapped."""
    owners: dict[str, list[Binding]] = {}
    for binding in bindings:
        for key in _keys(binding, keymap):
            owners.setdefault(key, []).append(binding)
    problems = []
    for key, claimants in owners.items():
        if len(claimants) > 1 and any(b.id in keymap for b in claimants):
            ids = " and ".join(b.id or b.action for b in claimants)
            problems.append(f"[keys] {ids} are both on {key!r} in the {place}; change one")
    return problems


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id or "", binding.key)
    return [key.strip() for key in keys.split(",") if key.strip()]


def remapped(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[Binding]:
    """``bindings`` with the keys the keymap gives them (for the help screen)."""
    keymap = checked(keymap)[0]
    return [
        replace(b, key=keymap[b.id], key_display=None) if b.id in keymap else b for b in bindings
    ]


# hnterm's own themes, beside Textual's (which include ``ansi-dark``/``ansi-light``: the
# terminal's own palette). High contrast: white on black, yellow and cyan accents, every
# part of a comment above WCAG's 7:1 (tests/ui/test_colours.py).
HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    dark=True,
    # the cursor row and the thread's guides and rules stand out from the black
    variables={"surface-lighten-2": "#3A3A3A", "panel-lighten-2": "#B0B0B0"},
)
THEMES = (HIGH_CONTRAST,)


def user_themes(themes: Mapping[str, Mapping[str, Any]]) -> tuple[list[Theme], list[str]]:
    """Textual themes from the config's ``[themes.NAME]`` tables, and the ones that failed."""
    built, problems = [], []
    for name, fields in themes.items():
        try:
            theme = Theme(name=name, **fields)
            theme.to_color_system()  # parses every colour: a bad one fails here, not later
        except (TypeError, ValueError, ColorParseError) as exc:
            problems.append(f"[themes.{name}]: {exc}; not registered")
        else:
            built.append(theme)
    return built, problems


def apply(app: App[Any], config: Config, groups: BindingGroups) -> list[str]:
    """Register the config's themes and keymap on ``app``; the problems found."""
    themes, problems = user_themes(config.themes)
    for theme in themes:
        app.register_theme(theme)
    problems += keymap_problems(groups, config.keys)
    keymap = checked(config.keys)[0]
    if keymap:
        app.set_keymap(keymap)
    return problems


def theme_problem(config: Config, available: Iterable[str]) -> str | None:
    """The config's theme when it is none of the ``available`` ones, said in one line."""
    if not config.theme or config.theme in available:
        return None
    names = ", ".join(sorted(available))
    where = f"config file {config.path}" if config.origins.get("theme") == "file" else "theme"
    return f"{where}: theme {config.theme!r} is not one of: {names}"


def config_problems(config: Config, groups: BindingGroups) -> list[str]:
    """What the app says about the config's themes, theme and keys at start, without an app
    (``hnterm config``): the same checks, against Textual's own themes and the config's."""
    themes, problems = user_themes(config.themes)
    problems += keymap_problems(groups, config.keys)
    known = [*BUILTIN_THEMES, *(theme.name for theme in (*THEMES, *themes))]
    problem = theme_problem(config, known)
    return [*problems, problem] if problem else problems


async def restore_theme(app: App[Any], settings: Settings) -> None:
    """The config's theme, else the one last chosen; from then on each change is kept."""
    config = settings.config
    stored = (await settings.recall()).theme
    wanted = config.theme or stored
    if wanted and wanted in app.available_themes:
        app.theme = wanted
    elif problem := theme_problem(config, app.available_themes):
        app.notify(problem, title="Config", severity="warning", markup=False, timeout=15)
    last = [app.theme]

    def keep(theme: Theme) -> None:
        if theme.name != last[0]:  # a failed write reaches the cache's problem notice
            last[0] = theme.name
            settings.remember_theme(theme.name)

    with suppress(SignalError):  # the app closed while the stored theme was read: nothing to keep
        app.theme_changed_signal.subscribe(app, keep)
