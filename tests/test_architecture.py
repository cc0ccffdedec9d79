"""The house plan (STYLE.md): core never imports Qt or the GUI, and imports only point down."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"

FORBIDDEN_IN_CORE = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "musicmatch_gui")

# floor of each part of core; a module may import from its own floor or below.
FLOORS = {
    "core": 1,
    "core.errors": 1,
    "core.features": 1,
    "core.fileio": 1,
    "core.calibration": 1,
    "core.paths": 1,
    "core.jobs": 2,
    "core.match": 2,
    "core.prefilter": 2,
    "core.audio": 2,
    "core.timing": 2,
    "core.project": 2,
    "core.library": 3,
    "core.video": 3,
    "core.recommend": 3,
    "core.export": 3,
    "core.pipeline": 4,
    "core.demo": 4,
    "core.cli": 5,
    "core.__main__": 5,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> int | None:
    if module == "core":
        return FLOORS["core"]
    best = None
    for prefix, floor in FLOORS.items():
        if prefix == "core":  # the package itself, not a prefix for everything
            continue
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, floor)
    return None if best is None else best[1]


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def violations(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Rule breaches in ``{module: (source, is_package)}``; empty when the plan holds."""
    problems = []
    for module, (source, is_package) in sorted(sources.items()):
        own_floor = floor_of(module)
        if own_floor is None:
            problems.append(f"{module}: not on any floor of the house plan (add it to FLOORS)")
            continue
        for line, target in imported_modules(source, module, is_package):
            top = target.split(".")[0]
            if top in FORBIDDEN_IN_CORE:
                problems.append(f"{module}:{line} imports {target} (core must stay Qt-free)")
            elif top == "core":
                target_floor = floor_of(target)
                if target_floor is not None and target_floor > own_floor:
                    problems.append(
                        f"{module}:{line} imports {target} from floor {target_floor} "
                        f"above its own floor {own_floor}"
                    )
    return problems


def core_sources() -> dict[str, tuple[str, bool]]:
    return {
        module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for path in CORE.rglob("*.py")
    }


def test_core_follows_the_house_plan():
    assert violations(core_sources()) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("core.match", "from PySide6.QtCore import QObject\n", "core must stay Qt-free"),
        ("core.features", "import musicmatch_gui.app\n", "core must stay Qt-free"),
        ("core.match", "from core.cli import main\n", "above its own floor"),
        ("core.library.csv_format", "from ..cli import main\n", "above its own floor"),
        ("core.newthing", "import os\n", "not on any floor"),
    ],
)
def test_the_check_catches_breaches(module, source, expected):
    problems = violations({module: (textwrap.dedent(source), False)})
    assert len(problems) == 1 and expected in problems[0]


def test_importing_all_of_core_loads_no_qt():
    modules = sorted(m for m in core_sources() if m != "core.__main__")
    code = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
        bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_IN_CORE!r})
        print(','.join(bad))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == ""


# -- the window's own layers ------------------------------------------------------------------------

GUI = ROOT / "musicmatch_gui"
WIDGET_MAY_NOT_IMPORT = ("musicmatch_gui.actions", "musicmatch_gui.main_window", "musicmatch_gui.app")


def gui_violations(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Widgets are parts the window puts together: they never import its commands, the window or the launcher."""
    problems = []
    for module, (source, is_package) in sorted(sources.items()):
        if not module.startswith("musicmatch_gui.widgets"):
            continue
        for line, target in imported_modules(source, module, is_package):
            if any(target == bad or target.startswith(bad + ".") for bad in WIDGET_MAY_NOT_IMPORT):
                problems.append(f"{module}:{line} imports {target} (widgets never import actions or the window)")
    return problems


def gui_sources() -> dict[str, tuple[str, bool]]:
    return {module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
            for path in GUI.rglob("*.py")}


def test_widgets_never_import_the_window_or_its_commands():
    assert gui_violations(gui_sources()) == []


@pytest.mark.parametrize("source", ["from musicmatch_gui.main_window import MainWindow\n",
                                    "from ..actions import translate\n", "import musicmatch_gui.app\n"])
def test_the_gui_check_catches_breaches(source):
    problems = gui_violations({"musicmatch_gui.widgets.thing": (source, False)})
    assert len(problems) == 1 and "widgets never import" in problems[0]


def test_settings_and_data_folders_are_named_once():
    """QSettings is built in musicmatch_gui/settings.py only; the user data folder in core/paths.py only."""
    offenders = []
    for path in [*GUI.rglob("*.py"), *CORE.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT).as_posix()
        if "QSettings(" in text and where != "musicmatch_gui/settings.py":
            offenders.append(f"{where}: QSettings(")
        if "user_data_dir(" in text and where != "core/paths.py":
            offenders.append(f"{where}: user_data_dir(")
    assert offenders == []


# -- the window's application layer (#13): commands are collaborators, not mixins --------------------

ACTIONS_MAY_NOT_IMPORT = ("musicmatch_gui.main_window", "musicmatch_gui.app")


def action_violations(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """The window's commands never import the window (or the launcher): the window hands them what they use."""
    problems = []
    for module, (source, is_package) in sorted(sources.items()):
        if not module.startswith("musicmatch_gui.actions"):
            continue
        for line, target in imported_modules(source, module, is_package):
            if any(target == bad or target.startswith(bad + ".") for bad in ACTIONS_MAY_NOT_IMPORT):
                problems.append(f"{module}:{line} imports {target} (actions never import the window)")
    return problems


def test_actions_never_import_the_window():
    assert action_violations(gui_sources()) == []


def test_the_actions_check_catches_breaches():
    problems = action_violations({"musicmatch_gui.actions.thing": ("from ..main_window import MainWindow\n", False)})
    assert len(problems) == 1 and "never import the window" in problems[0]


def undeclared_attributes(source: str) -> dict[str, list[str]]:
    """``{class: [attribute, ...]}``: what each ``...Commands`` class reads from ``self`` without declaring it.

    Declared means assigned in ``__init__`` (``self.x = ...``) or defined in the class body
    (methods, properties, class attributes). A collaborator that reaches for anything else is
    leaning on its host the way the old mixins leaned on the window.
    """
    found = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.ClassDef) and node.name.endswith("Commands")):
            continue
        declared = {item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
        declared |= {target.id for item in node.body if isinstance(item, (ast.Assign, ast.AnnAssign))
                     for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
                     if isinstance(target, ast.Name)}
        init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
        for sub in ast.walk(init) if init is not None else ():
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target] if isinstance(sub, ast.AnnAssign) \
                else []
            declared |= {t.attr for t in targets if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                         and t.value.id == "self"}
        used = {sub.attr for sub in ast.walk(node) if isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Name) and sub.value.id == "self"}
        missing = sorted(used - declared)
        if missing:
            found[node.name] = missing
    return found


@pytest.mark.parametrize("module", ["library", "projects"])
def test_library_and_project_commands_use_only_what_they_are_given(module):
    source = (GUI / "actions" / f"{module}.py").read_text(encoding="utf-8")
    assert "Commands" in source
    assert undeclared_attributes(source) == {}


def test_the_attribute_check_catches_a_reach_into_the_host():
    source = textwrap.dedent("""
        class ThingCommands:
            def __init__(self, jobs):
                self.jobs = jobs
            def run(self):
                self.jobs.start()
                self.session.picks.clear()
    """)
    assert undeclared_attributes(source) == {"ThingCommands": ["session"]}


def test_the_window_mixes_in_no_library_or_project_commands():
    """The library and project commands are held (``library_cmds``, ``project_cmds``), not inherited."""
    tree = ast.parse((GUI / "main_window.py").read_text(encoding="utf-8"))
    window = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    bases = [ast.unparse(base) for base in window.bases]
    assert not [b for b in bases if b in ("LibraryActions", "ProjectActions") or b.endswith("Commands")]
    assigned = {t.attr for n in ast.walk(window) if isinstance(n, ast.Assign) for t in n.targets
                if isinstance(t, ast.Attribute)}
    assert {"library_cmds", "project_cmds"} <= assigned
