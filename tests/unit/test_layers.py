"""The layering holds: the model, the renderer, the client and the cache never import Textual,
so they stay fast to test and usable without a terminal (``hnterm dump``, ``search``)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import hnterm

PURE = (
    "hnterm.model",
    "hnterm.render",
    "hnterm.net",
    "hnterm.storage",
    "hnterm.services",
)
PURE_MODULES = ("hnterm.config",)


def pure_modules() -> list[str]:
    names = list(PURE_MODULES)
    for package in PURE:
        module = __import__(package, fromlist=["__path__"])
        names += [f"{package}.{info.name}" for info in pkgutil.iter_modules(module.__path__)]
    return names


def test_the_pure_layers_never_import_textual():
    modules = pure_modules()
    assert len(modules) > 10
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in modules)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_package_is_hnterm_and_nothing_is_called_app():
    assert hnterm.__name__ == "hnterm"
    done = subprocess.run(
        [sys.executable, "-c", "import app"], capture_output=True, text=True, cwd="/"
    )
    assert done.returncode != 0  # an install claims no top-level `app`


def import_cycles(package: str) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a circle (Tarjan's
    strongly connected components over grimp's graph, the one import-linter builds)."""
    import grimp

    graph = grimp.build_graph(package)
    edges = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_round_a_circle():
    assert import_cycles("hnterm") == []


def test_the_package_root_holds_only_the_entry_point_and_the_config():
    root = {info.name for info in pkgutil.iter_modules(hnterm.__path__) if not info.ispkg}
    assert root == {"__main__", "config"}
