"""The architecture the README describes, checked: layers, no import cycle, no start-up registries.

Reads the source (ast) for imports, including the ones inside functions: a lazy import is
still a dependency. See `participation/composition.py` for the layers and the wiring.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("participation", "ideas", "voting")
FIRST_PARTY = (*PACKAGES, "piccolo_conf")
ROOT_MODULES = {
    "participation.composition",
    "participation.core",
    "participation.app",
    "participation.cli",
    "participation.pages",
    "participation.tasks",
    "participation.demo",
    "participation.map_pages",  # the map: ideas and register projects (and their sensors) on one page
    "participation.outbox_pages",  # the admin page of failed mail: joins the outbox with accounts' guards
    "participation.security_log_pages",  # the admin page of the security log, in the staff area's menu
    "participation.templating",  # configures Jinja for the app: staff checks for the navigation
    "participation.scale_data",  # generated data for measuring: writes every domain's tables
    "participation.scale_plan",  # what the generated data holds (uses every domain's statuses)
}
LAYER_NAMES = ["shared", "accounts", "content", "voting", "moderation", "stats", "notifications", "root"]


def layer_of(module: str) -> int:
    if module in ROOT_MODULES:
        return 7
    if module.startswith("participation.notifications"):
        return 6
    if module.startswith("participation.stats"):
        return 5
    if module.startswith("participation.moderation"):
        return 4
    if module.startswith("voting"):
        return 3
    if module.startswith(("ideas", "participation.register", "participation.media")):
        return 2
    if module.startswith("participation.accounts"):
        return 1
    return 0


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {"piccolo_conf": ROOT / "piccolo_conf.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "piccolo_migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        deps: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {_resolve(a.name) for a in node.names if a.name.split(".")[0] in FIRST_PARTY}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FIRST_PARTY:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    deps.add(full if full in MODULES else _resolve(node.module))
        graph[module] = {d for d in deps if d and d != module}
    return graph


def test_no_import_from_a_lower_layer_to_a_higher_one():
    upward = [
        f"{module} ({LAYER_NAMES[layer_of(module)]}) imports {dep} ({LAYER_NAMES[layer_of(dep)]})"
        for module, deps in import_graph().items()
        for dep in sorted(deps)
        if layer_of(dep) > layer_of(module)
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_checks_see_a_violation():
    """The layer rule is not vacuous: voting really sits above ideas."""
    assert layer_of("voting.services") > layer_of("ideas.services") > layer_of("participation.accounts.services")
    assert "ideas.lifecycle" in import_graph()["voting.services"]


def _all_modules():
    for package in PACKAGES:
        root = importlib.import_module(package)
        yield root
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if "piccolo_migrations" not in info.name:
                yield importlib.import_module(info.name)


def _holds_callables(value: object) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return isinstance(value, (list, dict, set)) and any(
        inspect.isfunction(item) or inspect.ismethod(item) or inspect.iscoroutinefunction(item) for item in items
    )


def test_no_module_level_registry_of_callables():
    """Wiring lives in the composition root; no module holds a mutable list of hooks filled at start-up."""
    from participation.app import create_app
    from participation.settings import get_settings

    create_app(get_settings())  # building the app must not fill any module-level list either
    found = [
        f"{module.__name__}.{name}"
        for module in _all_modules()
        for name, value in vars(module).items()
        if not name.startswith("__") and _holds_callables(value)
    ]
    assert found == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_global_statement(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    assert not [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Global)]
