"""Each wing imports only downward (README: "Where the code lives"). Read every module's imports and check them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("samkort", "centres", "collaboration")

# What each wing may import, besides itself and third-party code. Entry points (urls, admin, management commands,
# template tags, migrations, settings, the app configurations that connect signals once the apps are ready) wire the
# wings together and may import any of them.
CORE = {"samkort", "centres", "collaboration"}
MAY_IMPORT: dict[str, set[str]] = {
    "samkort": set(),
    "centres": {"samkort"},
    "collaboration": {"samkort", "centres"},
    "records": CORE,
    "network": CORE,
    "maps": CORE | {"network", "rounds"},
    "reports": CORE | {"network", "maps", "rounds"},
    "demo": CORE | {"rounds"},
    "imports": CORE | {"records"},
    "rounds": CORE | {"records", "network"},
    "merging": CORE | {"records", "rounds"},
}
ENTRY_POINTS = ("urls", "admin", "management", "templatetags", "migrations", "settings", "wsgi", "asgi", "apps")
WINGS = ("records", "network", "maps", "reports", "demo", "imports", "rounds", "merging")


def wing_of(module: str) -> str | None:
    """The wing a first-party module belongs to; None for an entry point, which may import anything."""
    parts = module.split(".")
    if any(part in ENTRY_POINTS for part in parts[1:]):
        return None
    if parts[0] == "collaboration" and len(parts) > 1 and parts[1] in WINGS:
        return parts[1]
    return parts[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, package: str) -> list[str]:
    """Every first-party module a source imports, at any depth (imports inside functions count too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            # `from collaboration import maps` imports the wing itself, so its name counts.
            found += [f"{base}.{alias.name}" for alias in node.names] if base in FIRST_PARTY else [base]
    return [name for name in found if name.split(".")[0] in FIRST_PARTY]


def forbidden_imports(module: str, source: str) -> list[str]:
    wing = wing_of(module)
    if wing is None:
        return []
    package = module if module.count(".") == 0 else module.rsplit(".", 1)[0]
    allowed = MAY_IMPORT[wing] | {wing}
    return [name for name in imported_modules(source, package) if wing_of(name) not in allowed | {None}]


def app_modules() -> list[Path]:
    return sorted(path for app in FIRST_PARTY for path in (ROOT / app).rglob("*.py"))


@pytest.mark.parametrize("path", app_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_it_imports_only_downward(path):
    module = module_name(path)
    assert forbidden_imports(module, path.read_text(encoding="utf-8")) == [], (
        f"{module} ({wing_of(module)}) may import only {sorted(MAY_IMPORT[wing_of(module)])}"
    )


def test_the_network_knows_nothing_of_http_or_plotly():
    """The network wing is pure: a selection in, graphs and figures out."""
    for path in (ROOT / "collaboration" / "network").rglob("*.py"):
        imported = [
            name
            for name in imported_all(path.read_text(encoding="utf-8"))
            if name.startswith(("django.http", "plotly"))
        ]
        assert imported == [], path


def imported_all(source: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


class TestTheRuleItself:
    """The checker must catch what the rule forbids, or the tests above prove nothing."""

    def test_it_catches_the_network_importing_the_maps(self):
        source = "from collaboration.maps.pages import MapView\n"
        assert forbidden_imports("collaboration.network.graph", source) == ["collaboration.maps.pages"]

    def test_it_catches_records_importing_reports_inside_a_function(self):
        source = "def f():\n    from collaboration.reports import exports\n"
        assert forbidden_imports("collaboration.records.views", source) == ["collaboration.reports"]

    def test_it_catches_centres_importing_the_collaboration_app(self):
        assert forbidden_imports("centres.views", "import collaboration.models\n") == ["collaboration.models"]

    def test_it_allows_a_wing_below_and_the_core(self):
        source = "from collaboration.network.graph import Selection\nfrom collaboration.models import Form\n"
        assert forbidden_imports("collaboration.maps.pages", source) == []

    def test_it_catches_a_relative_import_upward(self):
        source = "from ..maps import pages\n"
        assert forbidden_imports("collaboration.network.graph", source) == ["collaboration.maps"]

    def test_entry_points_may_import_every_wing(self):
        source = "from collaboration.maps import views\nfrom collaboration.reports import views\n"
        assert forbidden_imports("collaboration.urls", source) == []
