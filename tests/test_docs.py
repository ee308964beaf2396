"""Docs stay in step with the code: settings, roles, states and the transition table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minyi.bulletins.workflow import ISSUES
from minyi.duties.workflow import MACHINE as COMMISSIONS
from minyi.outcomes.workflow import FORWARDINGS
from minyi.people.models import Role
from minyi.reports.models import DeclineReason, State
from minyi.reports.workflow import MACHINE as REPORTS
from minyi.scoring.workflow import NOTICES, OBJECTIONS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORKFLOW = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")


def test_it_documents_every_setting_in_the_readme():
    settings_source = (ROOT / "minyi" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(MINYI_[A-Z_]+)"', settings_source))
    names.discard("MINYI_SECRET_KEY_FILE")  # documented together with MINYI_SECRET_KEY
    missing = sorted(name for name in names if f"`{name}`" not in README)
    assert not missing, f"README is missing settings: {missing}"


def test_it_documents_every_role_with_a_demo_account_or_label():
    for role in Role:
        assert role.label in README, role


def test_it_documents_every_state_and_decline_reason():
    for state in State:
        assert f"`{state.value}`" in WORKFLOW and state.label in WORKFLOW, state
    for reason in DeclineReason:
        assert f"`{reason.value}`" in WORKFLOW, reason


def _section(title: str) -> list[str]:
    """The table rows of one ``## title`` section of docs/workflow.md."""
    body = WORKFLOW.split(f"\n## {title}", 1)[1].split("\n## ", 1)[0]
    return [line for line in body.splitlines() if line.startswith("| ")]


MACHINES = [
    ("流转表 (the transition table)", "", REPORTS),
    ("刊物期次 (bulletin issues)", "", ISSUES),
    ("采用与批示 (outcomes)", "", FORWARDINGS),
    ("积分申诉与年度通报 (objections and annual notices)", "| 申诉 ", OBJECTIONS),
    ("积分申诉与年度通报 (objections and annual notices)", "| 年度通报 ", NOTICES),
    ("约稿 (commissions)", "", COMMISSIONS),
]


@pytest.mark.parametrize(
    ("section", "lead", "machine"), MACHINES, ids=[m.model.__name__ for _, _, m in MACHINES]
)
def test_it_documents_every_row_of_every_transition_table(section, lead, machine):
    # A table of two models names the model in a first column ("| 申诉 | 待处理 …").
    rows = [row[len(lead) :] for row in _section(section) if row.startswith(lead)]
    labels = dict(machine.model._meta.get_field("state").choices)
    for (state, action), move in machine.table.items():
        prefix = f"| {labels[state]} (`{state}`) | {move.label} (`{action}`) |"
        matching = [row for row in rows if row.startswith(prefix)]
        assert matching, f"docs/workflow.md ({section}) lacks the row for {state} → {action}"
        assert f"(`{move.target}`)" in matching[0]


def test_the_architecture_page_names_every_consumer_and_every_app_on_its_floor():
    from django.apps import apps

    from minyi.audit.consumers import consumers

    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for consumer in consumers():
        assert f"{consumer.name} " in page or f"`{consumer.name}`" in page, consumer.name
    for config in apps.get_app_configs():
        if config.name.startswith("minyi."):
            assert f"`{config.name}`" in page, config.name
