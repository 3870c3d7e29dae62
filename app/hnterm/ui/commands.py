"""The command palette's actions: what the keys do where the palette was opened, each with its
keys shown ("Save  s", "Context  a"), run through the app's action system as the key would run
it. The keys are the ones Textual resolves there (the focused widget's, its containers', the
screen's and the app's, as remapped by the config), so the palette never offers what a key
would not do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import Screen

from hnterm.ui.screens.help import shown_keys


@dataclass(frozen=True)
class BoundAction:
    """One action a key runs on ``screen``: its footer label, its keys as shown, and where it
    runs (the node whose binding it is)."""

    title: str
    keys: str
    help: str
    node: DOMNode
    action: str


def bound_actions(screen: Screen[object]) -> list[BoundAction]:
    """The actions hnterm's keys run on ``screen`` now, one per action with all its keys, in
    the order Textual looks keys up (focused widget first). Only bindings with an id: every
    hnterm binding has one (the keymap names it); Textual's own (page left, focus previous,
    the palette's key) have none. Disabled actions are left out."""
    found: dict[tuple[int, str], list[Binding]] = {}
    nodes: dict[tuple[int, str], DOMNode] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or binding.id is None or not binding.description:
            continue
        where = (id(active.node), binding.action)
        found.setdefault(where, []).append(binding)
        nodes[where] = active.node
    app = screen.app
    return [
        BoundAction(
            title=bindings[0].description,
            keys=shown_keys(app, sorted(bindings, key=typed_last)),
            help=bindings[0].tooltip,
            node=nodes[where],
            action=bindings[0].action,
        )
        for where, bindings in found.items()
    ]


def typed_last(binding: Binding) -> bool:
    """Sorts a letter or sign ('k', '/') before a named key ('up', 'ctrl+b'), as help and
    the footer write them, whatever order Textual keeps the keys in."""
    character = key_to_character(binding.key)
    return character is None or not character.isprintable() or character.isspace()


class KeyActions(Provider):
    """The palette's entries for the current screen's keys (see the module's docstring)."""

    def _actions(self) -> list[BoundAction]:
        return bound_actions(self.screen)

    def _run(self, bound: BoundAction) -> Callable[[], Awaitable[bool]]:
        return partial(self.app.run_action, bound.action, bound.node)

    @staticmethod
    def _shown(title: Content, bound: BoundAction) -> Content:
        return Content.assemble(title, "  ", (bound.keys, "bold $text-accent"))

    async def discover(self) -> Hits:
        for bound in self._actions():
            shown = self._shown(Content(bound.title), bound)
            yield DiscoveryHit(shown, self._run(bound), text=bound.title, help=bound.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for bound in self._actions():
            score = max(matcher.match(bound.title), matcher.match(bound.help) * 0.9)
            if score > 0:
                shown = self._shown(matcher.highlight(bound.title), bound)
                help_text = bound.help or None
                yield Hit(score, shown, self._run(bound), text=bound.title, help=help_text)
