"""Apps import one way: each package imports only the ones below it, and no two import each
other. Read from the source with `ast`, every import statement of every module (those inside
functions too), so a late import cannot hide a dependency that Django would only meet at run
time. Migrations' dependencies follow the same layers."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_APPS = {"tests"}

# What each package may import besides itself. lib is plain library code; accounts is the base
# app; curation, teaching and learning all sit on quiz and know nothing of each other; daily
# sits on teaching and curation; ops and bench
# (health checks, demo data, benchmarks) sit on top; config (settings, URLs) may name any app.
BASE = {"lib", "accounts"}
MAY_IMPORT = {
    "lib": set(),
    "accounts": {"lib"},
    "questions": BASE,
    "quiz": BASE | {"questions"},
    "teaching": BASE | {"questions", "quiz"},
    "curation": BASE | {"questions", "quiz"},
    "learning": BASE | {"questions", "quiz"},
    # The daily habit: streaks, leaderboards (a class's board is the teacher's) and problem
    # reports (whose fixes run curation's regrade).
    "daily": BASE | {"questions", "quiz", "teaching", "curation"},
    "ops": BASE | {"questions", "quiz", "teaching", "curation", "learning", "daily"},
    "bench": BASE | {"questions", "quiz", "teaching", "curation", "learning", "daily", "ops"},
    "config": BASE | {"questions", "quiz", "teaching", "curation", "learning", "daily", "ops", "bench"},
}


def packages() -> list[str]:
    return sorted(
        p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in NOT_APPS
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute names an import statement reads, relative ones resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not node.level:
        return [node.module]
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return [".".join([*base, node.module] if node.module else base)]


def app_imports():
    """(app, module's path, line, statement, imported app) for every import of another of our
    packages, in every module of every package."""
    names = set(packages())
    for app in sorted(names):
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                for name in imported_modules(path, node):
                    target = name.split(".")[0]
                    if target in names and target != app:
                        where = path.relative_to(ROOT).as_posix()
                        yield app, where, node.lineno, ast.unparse(node), target


def test_every_package_has_a_place_in_the_layers():
    assert set(packages()) - set(MAY_IMPORT) == set(), "add the new package to MAY_IMPORT"


def test_no_module_imports_an_app_above_its_own():
    wrong = [
        f"{where}:{line}: `{statement}`: {app} may not import {target} "
        f"(it may import {', '.join(sorted(MAY_IMPORT[app])) or 'no app'})"
        for app, where, line, statement, target in app_imports()
        if target not in MAY_IMPORT.get(app, set())
    ]
    assert not wrong, "imports back up the layers:\n" + "\n".join(wrong)


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle in the graph, as the apps along it (first one repeated at the end), or []."""
    done: set[str] = set()

    def visit(app: str, path: list[str]) -> list[str]:
        if app in path:
            return path[path.index(app) :] + [app]
        if app in done:
            return []
        for target in sorted(edges.get(app, ())):
            cycle = visit(target, path + [app])
            if cycle:
                return cycle
        done.add(app)
        return []

    for app in sorted(edges):
        cycle = visit(app, [])
        if cycle:
            return cycle
    return []


def test_no_two_apps_import_each_other_even_through_others():
    edges: dict[str, set[str]] = {}
    example: dict[tuple[str, str], str] = {}
    for app, where, line, statement, target in app_imports():
        edges.setdefault(app, set()).add(target)
        example.setdefault((app, target), f"{where}:{line}: `{statement}`")
    cycle = find_cycle(edges)
    steps = [f"{a} -> {b}, e.g. {example[a, b]}" for a, b in zip(cycle, cycle[1:])]
    assert not cycle, "apps import each other in a cycle:\n" + "\n".join(steps)


def test_migrations_depend_on_nothing_above_their_app():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = [
        f"{app}/migrations/{name}.py depends on {(target, target_name)}: {app} sits below {target}"
        for (app, name), migration in sorted(loader.disk_migrations.items())
        if app in MAY_IMPORT
        for target, target_name in migration.dependencies
        if target in MAY_IMPORT and target != app and target not in MAY_IMPORT[app]
    ]
    assert not wrong, "\n".join(wrong)


def modules_importing(module: str):
    """(path, line, statement) of every app module that imports `module` (as `import a.b`,
    `from a.b import x` or `from a import b`)."""
    package, _, name = module.rpartition(".")
    for app in packages():
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                names = imported_modules(path, node)
                if isinstance(node, ast.ImportFrom):
                    names += [f"{names[0]}.{alias.name}" for alias in node.names]
                if any(n == module or n.startswith(module + ".") for n in names):
                    yield path.relative_to(ROOT).as_posix(), node.lineno, ast.unparse(node)


def test_only_the_quiz_services_reach_the_store():
    """The store's reads skip the access check a service makes first: a view that read through
    it directly could show one learner another's attempt."""
    outside = [f"{where}:{line}: `{statement}`" for where, line, statement in modules_importing("quiz.store")
               if where != "quiz/services.py"]
    assert not outside, "quiz.store is private to quiz/services.py:\n" + "\n".join(outside)


def test_only_the_paper_service_reaches_the_paper_store():
    """The paper store's reads skip the access check quiz/papers.py makes first."""
    outside = [f"{where}:{line}: `{statement}`" for where, line, statement in modules_importing("quiz.paper_store")
               if where != "quiz/papers.py"]
    assert not outside, "quiz.paper_store is private to quiz/papers.py:\n" + "\n".join(outside)
