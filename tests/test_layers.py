"""How the packages of app/ depend on each other: only downward, with no
cycle, and each feature package imports on its own.

The layers (docs/ARCHITECTURE.md, "Layers"): the shared modules at the top
of app/ import no feature package; search and mail sit below the features
and plug them in through registries; the push interface (app/push.py)
lets features reach live sockets without importing app/live.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

# Package-level import cycles that must stay, each with the reason why.
# Keep it empty: a cycle means one of the two belongs lower, or needs a
# registry or an interface (see app/push.py, app/mail/sender.py).
ALLOWED_CYCLES: set[frozenset[str]] = set()
# Top-level modules that wire features together rather than serve them.
WIRING = {"app", "app.cli"}


def _node(module: str) -> str | None:
    """The graph node of a module: its package under app/ ("events"), or
    "app.<name>" for a module at the top of app/, or "app" (the factory)."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    if len(parts) == 1:
        return "app"
    return parts[1] if (APP / parts[1]).is_dir() else f"app.{parts[1]}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path):
    """(module, line) for every import in the file, at module or function level."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            if target == "app":  # `from app import background`: the modules themselves
                for alias in node.names:
                    yield f"app.{alias.name}", node.lineno
            else:
                yield target, node.lineno


@cache
def import_graph() -> dict[tuple[str, str], list[str]]:
    """{(importer node, imported node): ["app/x/y.py:12", ...]}"""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(APP.rglob("*.py")):
        source = _node(_module_name(path))
        for module, line in _imported_modules(path):
            target = _node(module)
            if target is not None and target != source:
                edges[source, target].append(f"{path.relative_to(ROOT)}:{line}")
    return edges


def _cycles(nodes: set[str], edges) -> list[set[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    successors = defaultdict(set)
    for source, target in edges:
        successors[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in successors[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def test_no_two_packages_import_each_other():
    edges = import_graph()
    nodes = {node for edge in edges for node in edge}
    problems = []
    for component in _cycles(nodes, edges):
        if frozenset(component) in ALLOWED_CYCLES:
            continue
        inside = sorted((a, b) for a, b in edges if a in component and b in component)
        problems.append("cycle between " + ", ".join(sorted(component)) + ":\n" + "\n".join(
            f"    {a} -> {b}  ({', '.join(edges[a, b][:3])})" for a, b in inside))
    assert not problems, "packages of app/ import each other:\n" + "\n".join(problems)


def test_shared_modules_import_no_feature_package():
    edges = import_graph()
    upward = sorted(f"{a} -> {b}  ({', '.join(places[:3])})" for (a, b), places in edges.items()
                    if a.startswith("app.") and a not in WIRING and not b.startswith("app"))
    assert not upward, "modules at the top of app/ are shared by the features and import none:\n" + "\n".join(upward)


# Each feature package on its own, in a fresh process: the third-party
# libraries are loaded once, then a forked child per package imports it with
# nothing of app/ loaded before (not even app/__init__.py, which imports
# every feature), so an import that only works in the factory's order fails
# here. The child also checks that importing wired nothing into the shared
# Socket.IO object or Engine.IO: that is register(app)'s job.
_ALONE = r"""
import importlib, importlib.util, json, os, sys, traceback
root, packages, libraries = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
sys.path.insert(0, root)
for name in libraries:
    try:
        importlib.import_module(name)
    except Exception:
        pass
for package in packages:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            stub = importlib.util.module_from_spec(importlib.machinery.ModuleSpec("app", None, is_package=True))
            stub.__path__ = [os.path.join(root, "app")]
            sys.modules["app"] = stub
            import engineio.socket
            original_socket = engineio.socket.Socket
            importlib.import_module("app." + package)
            problems = []
            if engineio.socket.Socket is not original_socket:
                problems.append("importing it replaced engineio.socket.Socket")
            socketio = sys.modules.get("app.extensions") and sys.modules["app.extensions"].socketio
            if socketio is not None and (socketio.handlers or socketio.namespace_handlers):
                problems.append("importing it registered Socket.IO handlers")
            result = "; ".join(problems)
        except BaseException:
            result = traceback.format_exc()
        os.write(write, json.dumps([package, result]).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    print(b"".join(chunks).decode() or json.dumps([package, "the child died"]), flush=True)
"""


def _third_party_imports() -> list[str]:
    names = set()
    for path in APP.rglob("*.py"):
        for module, _line in _imported_modules(path):
            top = module.split(".")[0]
            if top != "app" and top not in sys.stdlib_module_names:
                names.add(module)
    return sorted(names)


def test_each_feature_package_imports_on_its_own():
    packages = sorted(path.parent.name for path in APP.glob("*/__init__.py"))
    run = subprocess.run([sys.executable, "-c", _ALONE, str(ROOT), json.dumps(packages),
                          json.dumps(_third_party_imports())],
                         capture_output=True, text=True, timeout=300, check=False)
    results = dict(json.loads(line) for line in run.stdout.splitlines() if line.startswith("["))
    assert set(results) == set(packages), run.stderr[-2000:]
    failed = {package: problem for package, problem in results.items() if problem}
    assert not failed, "\n\n".join(f"import app.{package} alone: {problem}" for package, problem in failed.items())
