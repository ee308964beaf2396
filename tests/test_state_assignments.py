"""Only the state machine changes a ``state``: a scan of minyi's source for any other writer.

``minyi/audit/statemachine.py`` is the one module that sets ``state`` fields; every
app moves its records through its ``Machine`` (row lock, re-check, role check,
event). This test reads every module under ``minyi/`` with ``ast`` and fails on:

- ``obj.state = …`` (also in tuple unpacking and ``+=``), ``setattr(obj, "state", …)``;
- a call passing ``state=…`` that writes: ``.update(state=…)``, ``.create(state=…)``,
  ``Model(state=…)``…; lookups (``filter``, ``exclude``, ``get``, ``Q``) only read;
- ``save(update_fields=[…"state"…])``.

``self.state`` inside a class that is not a model is that object's own business
(``scoring.projection.Projector`` keeps a running tally called state).
"""

from __future__ import annotations

import ast
from pathlib import Path

MINYI = Path(__file__).resolve().parent.parent / "minyi"
MACHINE_MODULES = {"audit/statemachine.py"}
READS = frozenset({"filter", "exclude", "get", "Q"})

#: (module, function) -> why that function may create rows already in a state.
ALLOWED = {
    ("exchange/bulk.py", "_reports"): (
        "Historical import: the reports were sent in years ago, so they are born 已报送, "
        "each with the create and submit events the actions write (audit.record_many)."
    ),
    ("exchange/archive.py", "_reports"): (
        "Archive import: a past year's report is born in the state its row gives (已编发, "
        "已采用, 不予采用…); the create, submit and final-move events are written beside it, "
        "dated when they happened and marked historical."
    ),
    ("exchange/archive.py", "_outcomes"): (
        "Archive import: a past adoption is born 已采用 with the forward and adopt events "
        "dated when they happened, marked historical."
    ),
    ("insights/facts.py", "rows_for"): (
        "The dashboard's fact row copies the report's current state (a read model kept by "
        "the report_facts consumer); it is not the report's state and moves nothing."
    ),
    ("reports/actions.py", "do_merge"): (
        "A composite report is written by the office from reports it has taken on, so it is "
        "born 已受理; its sources move through the machine and a compose event records it."
    ),
}


class Finder(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.classes: list[ast.ClassDef] = []
        self.functions: list[str] = []
        self.found: list[tuple[str, str, int, str]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node)
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def flag(self, node: ast.AST, what: str) -> None:
        function = self.functions[-1] if self.functions else "<module>"
        self.found.append((self.module, function, node.lineno, what))  # type: ignore[attr-defined]

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.check_target(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.check_target(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.check_target(node.target)
        self.generic_visit(node)

    def check_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.check_target(element)
        elif isinstance(target, ast.Attribute) and target.attr == "state" and self.is_field(target):
            self.flag(target, f"{ast.unparse(target)} = …")

    def is_field(self, target: ast.Attribute) -> bool:
        """Is this ``x.state`` (probably) a model's field rather than a plain object's?"""
        if not _is_self(target.value) or not self.classes:
            return True
        return any("Model" in ast.unparse(base) for base in self.classes[-1].bases)

    def visit_Call(self, node: ast.Call) -> None:
        name = _called(node.func)
        if name == "setattr" and len(node.args) >= 2 and _is_state(node.args[1]):
            self.flag(node, "setattr(…, 'state', …)")
        if name not in READS and any(kw.arg == "state" for kw in node.keywords):
            self.flag(node, f"{name}(state=…)")
        for kw in node.keywords:
            if kw.arg == "update_fields" and any(_is_state(n) for n in ast.walk(kw.value)):
                self.flag(node, "save(update_fields=[…'state'…])")
        self.generic_visit(node)


def _called(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _is_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == "state"


def state_writers() -> list[tuple[str, str, int, str]]:
    found = []
    for path in sorted(MINYI.rglob("*.py")):
        module = path.relative_to(MINYI).as_posix()
        if module in MACHINE_MODULES:
            continue
        finder = Finder(module)
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(finder.found)
    return found


def test_nothing_but_the_state_machine_sets_a_state():
    writers = [w for w in state_writers() if (w[0], w[1]) not in ALLOWED]
    assert not writers, "state set outside the state machine:\n" + "\n".join(
        f"minyi/{module}:{line} in {function}: {what}" for module, function, line, what in writers
    )


def test_every_exception_is_still_needed():
    used = {(module, function) for module, function, _, _ in state_writers()}
    assert not set(ALLOWED) - used, "allow-list entries that no code needs any more"


def test_it_catches_each_way_of_setting_a_state():
    source = """
class Report(models.Model):
    def reopen(self):
        self.state = "draft"

class Tally:
    def __init__(self):
        self.state = {}

def sneaky(report, issue, qs):
    report.state = "published"
    issue.state, issue.note = "issued", ""
    setattr(report, "state", "merged")
    qs.update(state="declined")
    Report.objects.create(title="x", state="accepted")
    report.save(update_fields=["state"])
    qs.filter(state="draft").exists()
"""
    finder = Finder("example.py")
    finder.visit(ast.parse(source))
    lines = [line for _, _, line, _ in finder.found]
    assert lines == [4, 11, 12, 13, 14, 15, 16]
