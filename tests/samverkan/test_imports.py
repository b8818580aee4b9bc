"""The arrows between the parts (issue 17): the core (samverkan/) imports no app, governance imports
neither agreements nor deviations, agreements does not import deviations, and no modules import each
other in a circle. Every import counts, also one inside a function or under ``TYPE_CHECKING``; what
an app hands the core it registers from its ``AppConfig.ready()`` (samverkan/registry.py)."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("samverkan", "agreements", "governance", "deviations", "signin")

# (importing app, imported app): arrows that must not exist.
FORBIDDEN = {
    ("samverkan", "agreements"),
    ("samverkan", "governance"),
    ("samverkan", "deviations"),
    ("governance", "agreements"),
    ("governance", "deviations"),
    ("agreements", "deviations"),
    # sign-in hands the core its login panel and logout hook through the registry; no app needs it
    ("samverkan", "signin"),
    ("agreements", "signin"),
    ("governance", "signin"),
    ("deviations", "signin"),
}


# Forbidden imports that exist today and are being removed (importer -> imported module). The list may
# only shrink: an entry that no longer exists fails the test, so that it is taken off.
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = modules()


def _known(name: str) -> str | None:
    """The module of ours that importing ``name`` loads last (a package's attribute resolves to the
    package), or None for anything outside the four packages."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    """Every module of ours that ``module`` imports, with the line, wherever the import statement is."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names
            ]
        else:
            continue
        for target in targets:
            known = _known(target)
            if known and known != module:
                yield known, node.lineno


GRAPH = {module: sorted(set(imports_of(module))) for module in MODULES}


def _app(module: str) -> str:
    return module.partition(".")[0]


def forbidden_imports() -> set[tuple[str, str]]:
    return {
        (module, target)
        for module, targets in GRAPH.items()
        for target, _line in targets
        if (_app(module), _app(target)) in FORBIDDEN
    }


def circles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm, iteratively)."""
    edges = {module: [target for target, _line in targets] for module, targets in GRAPH.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_walk_sees_imports_inside_functions_and_relative_ones():
    assert ("samverkan.selectors", _line_of("samverkan.pagecache", "samverkan.selectors")) in GRAPH[
        "samverkan.pagecache"
    ]  # imported inside _person()
    assert "agreements.tasks" in MODULES and len(MODULES) > 60


def _line_of(module: str, target: str) -> int:
    return next(line for found, line in GRAPH[module] if found == target)


def test_the_core_imports_no_app():
    assert {(m, t) for m, t in forbidden_imports() if _app(m) == "samverkan"} == set()


def test_no_app_imports_against_the_arrows():
    assert forbidden_imports() == set()


def test_no_modules_import_each_other_in_a_circle():
    assert circles() == []


def test_a_circle_would_be_found():
    GRAPH["samverkan.registry"].append(("samverkan.api", 1))
    try:
        assert any({"samverkan.api", "samverkan.registry"} <= set(circle) for circle in circles())
    finally:
        GRAPH["samverkan.registry"].pop()
