"""core is the shared kernel: it imports no domain package (ARCHITECTURE.md), so the dependency arrows
point one way and a backwards need goes through a registry or a job named by a string."""
import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
DOMAINS = {"accounts", "chapters", "projects", "sponsors", "credentials", "learning", "events", "api", "app"}


def imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_domain_package():
    offenders = {path.name: sorted(imported_packages(path) & DOMAINS) for path in sorted(CORE.glob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}
