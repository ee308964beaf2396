"""Docs stay in step with the code: settings, roles, states and the transition table."""

from __future__ import annotations

import re
from pathlib import Path

from minyi.people.models import Role
from minyi.reports.models import DeclineReason, State
from minyi.reports.workflow import TRANSITIONS

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


def test_it_documents_every_row_of_the_transition_table():
    rows = {line for line in WORKFLOW.splitlines() if line.startswith("| ")}
    for (state, action), move in TRANSITIONS.items():
        prefix = f"| {State(state).label} (`{state}`) | {move.label} (`{action}`) |"
        matching = [row for row in rows if row.startswith(prefix)]
        assert matching, f"docs/workflow.md lacks the row for {state} → {action}"
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
