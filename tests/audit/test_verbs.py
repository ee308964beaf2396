"""One vocabulary of verbs: every verb named, and decided on by every table keyed by verb."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

import minyi
from minyi.audit.verbs import VERB_LABELS, Verb
from minyi.insights.audit_log import VERB_GROUP
from minyi.notify.authors import FEEDBACK_MESSAGES
from minyi.notify.kinds import KINDS, VERB_KINDS
from minyi.scoring.ledger import LEDGER_EFFECTS

CHINESE = re.compile(r"[\u4e00-\u9fff]")
EVERY_VERB = set(Verb)


@pytest.mark.parametrize("verb", list(Verb), ids=str)
def test_every_verb_has_a_chinese_label(verb):
    assert CHINESE.search(verb.label), verb
    assert VERB_LABELS[verb.value] == verb.label


@pytest.mark.parametrize(
    ("table", "name"),
    [
        (FEEDBACK_MESSAGES, "notify.authors.FEEDBACK_MESSAGES"),
        (VERB_KINDS, "notify.kinds.VERB_KINDS"),
        (LEDGER_EFFECTS, "scoring.ledger.LEDGER_EFFECTS"),
        (VERB_GROUP, "insights.audit_log.VERB_GROUP"),
    ],
)
def test_every_table_keyed_by_verb_decides_every_verb(table, name):
    missing = EVERY_VERB - set(table)
    unknown = set(table) - EVERY_VERB
    assert not missing, f"{name} has no decision for {sorted(missing)}"
    assert not unknown, f"{name} names verbs outside Verb: {sorted(unknown)}"


def test_notification_kinds_name_real_kinds():
    assert {kind for kind in VERB_KINDS.values() if kind} <= set(KINDS)


def test_a_verb_that_tells_authors_has_a_notification_kind():
    told = {verb for verb, message in FEEDBACK_MESSAGES.items() if message}
    assert all(VERB_KINDS[verb] for verb in told)


def _literal_verbs() -> list[tuple[str, str]]:
    """Every string literal passed as the verb to record(), _event() or transition()."""
    found = []
    root = pathlib.Path(minyi.__file__).parent
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            first = node.args[0]
            if name in {"record", "_event", "Entry"} and isinstance(first, ast.Constant):
                found.append((f"{path.relative_to(root)}:{node.lineno}", first.value))
    return found


def test_every_verb_written_in_the_code_is_in_the_vocabulary():
    literals = _literal_verbs()
    assert literals, "the scan found no call at all: the test would prove nothing"
    strays = [(where, verb) for where, verb in literals if verb not in VERB_LABELS]
    assert not strays


def test_partial_tables_keyed_by_verb_name_only_real_verbs():
    """Tables that concern a few verbs (the rest fall through) still name real ones."""
    from minyi.desk.templatetags.report_timeline import DETAILS
    from minyi.outcomes.summary import OUTCOME_RANK
    from minyi.scoring.projection import SCORING_VERBS

    for name, keys in [("OUTCOME_RANK", OUTCOME_RANK), ("timeline DETAILS", DETAILS)]:
        assert set(keys) <= EVERY_VERB, name
    assert set(SCORING_VERBS) <= set(VERB_LABELS)
    assert {verb for verb, effect in LEDGER_EFFECTS.items() if effect == "earns"} == set(
        SCORING_VERBS
    )
