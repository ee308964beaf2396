"""Members roster (委员名册) import: a dry-run plan of every row, then one transaction.

Columns: 姓名, 界别, 单位, 职务, 是否特约信息员, 手机 — the same as the roster export,
so an export re-imported changes nothing. How a row finds its member (``Lookups.match``):

1. same name and same phone number;
2. otherwise the only member with that name, if the row has no phone or that
   member has none on file yet (the row then fills it in);
3. otherwise a new member — unless the row has no phone and several members share
   the name, which is rejected because we cannot tell them apart.

An empty 手机 cell never erases a number already on file.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.models import record
from minyi.exchange.models import ImportJob, ImportKind, ImportStatus
from minyi.exchange.tables import ImportFileError
from minyi.people.models import Member, Organization, Sector, Term

if TYPE_CHECKING:
    from minyi.people.models import User

COLUMNS = ["姓名", "界别", "单位", "职务", "是否特约信息员", "手机"]
UNIT_SEPARATORS = re.compile(r"[、，,；;\n]")
PHONE = re.compile(r"^1\d{10}$")
YES, NO = "是", "否"
OFFICER_VALUES = {YES: True, NO: False, "": False}

CREATE, UPDATE, UNCHANGED, REJECTED = "create", "update", "unchanged", "rejected"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "无变化", REJECTED: "拒绝"}
FIELDS = ["name", "phone", "sector_id", "title", "is_information_officer"]


class StalePlanError(Exception):
    """The members changed after the dry run; the fresh plan must be reviewed first."""


def column_index(headers: list[str]) -> dict[str, int]:
    """Where each required column is; ImportFileError naming any that are missing."""
    found = {h.strip(): i for i, h in enumerate(headers)}
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise ImportFileError(
            f"文件缺少以下列：{'、'.join(missing)}。第一行须为表头：{'、'.join(COLUMNS)}。"
        )
    return {c: found[c] for c in COLUMNS}


class Lookups:
    """Every sector, unit and member loaded once, so a 10,000-row plan is a few queries."""

    def __init__(self) -> None:
        self.sectors = {s.name: s.pk for s in Sector.objects.all()}
        self.units: dict[str, int] = {}
        for org in Organization.objects.all():
            self.units.setdefault(org.name, org.pk)
            if org.short_name:
                self.units.setdefault(org.short_name, org.pk)
        members = Member.objects.prefetch_related("organizations")
        self.members = {m.pk: m for m in members}
        self.by_name_phone = {(m.name, m.phone): m.pk for m in self.members.values() if m.phone}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for m in self.members.values():
            self.by_name[m.name].append(m.pk)

    def match(self, name: str, phone: str) -> tuple[int | None, str, str]:
        """(existing member id or None to create, reason to reject, note to show)."""
        if phone and (pk := self.by_name_phone.get((name, phone))):
            return pk, "", ""
        same_name = self.by_name.get(name, [])
        if not same_name:
            return None, "", ""
        if not phone:
            if len(same_name) > 1:
                return None, f"系统中有 {len(same_name)} 位“{name}”，请填写手机号以便区分", ""
            return same_name[0], "", ""
        blank = [pk for pk in same_name if not self.members[pk].phone]
        if len(same_name) == 1 and blank:
            return blank[0], "", ""
        if blank:
            return None, f"系统中有 {len(same_name)} 位“{name}”，无法确定手机号属于哪一位", ""
        return None, "", f"系统中已有同名委员（手机号不同），将作为另一位“{name}”新增"


def _parse_units(text: str, lookups: Lookups, problems: list[str]) -> list[int]:
    unit_ids = []
    for unit in filter(None, (u.strip() for u in UNIT_SEPARATORS.split(text))):
        if unit in lookups.units:
            unit_ids.append(lookups.units[unit])
        else:
            problems.append(f"未知单位“{unit}”")
    return sorted(set(unit_ids))


def _parse_row(cells: dict[str, str], lookups: Lookups) -> tuple[dict[str, Any], list[str]]:
    """The member's wanted values from one row, and every problem with it."""
    problems = []
    name = cells["姓名"]
    phone = re.sub(r"[\s\-]", "", cells["手机"])
    if not name:
        problems.append("缺少姓名")
    elif len(name) > 50:
        problems.append("姓名超过 50 字")
    if phone and not PHONE.match(phone):
        problems.append(f"手机号“{cells['手机']}”格式不正确（应为 1 开头的 11 位数字）")
    sector_id = None
    if cells["界别"]:
        sector_id = lookups.sectors.get(cells["界别"])
        if sector_id is None:
            problems.append(f"未知界别“{cells['界别']}”")
    unit_ids = _parse_units(cells["单位"], lookups, problems)
    if len(cells["职务"]) > 100:
        problems.append("职务超过 100 字")
    officer = cells["是否特约信息员"]
    if officer not in OFFICER_VALUES:
        problems.append(f"是否特约信息员应填“是”或“否”，而不是“{officer}”")
    wanted = {
        "name": name,
        "phone": phone,
        "sector_id": sector_id,
        "title": cells["职务"],
        "is_information_officer": OFFICER_VALUES.get(officer, False),
        "unit_ids": unit_ids,
    }
    return wanted, problems


def _changes(member: Member, wanted: dict[str, Any]) -> list[str]:
    labels = {"sector_id": "界别", "title": "职务", "is_information_officer": "特约信息员"}
    changed = [label for f, label in labels.items() if getattr(member, f) != wanted[f]]
    if wanted["phone"] and member.phone != wanted["phone"]:
        changed.append("手机")
    if sorted(o.pk for o in member.organizations.all()) != wanted["unit_ids"]:
        changed.append("单位")
    return changed


def _decide(entry: dict[str, Any], wanted: dict[str, Any], lookups: Lookups) -> None:
    """Fill in the entry's action (and reason) for a row that has no problems."""
    member_id = entry["member_id"]
    if member_id is None:
        entry.update(action=CREATE, wanted=wanted)
        return
    member = lookups.members[member_id]
    # An empty phone cell keeps the number on file (the phone is how people are told apart).
    wanted = {**wanted, "phone": wanted["phone"] or member.phone}
    if changed := _changes(member, wanted):
        entry.update(action=UPDATE, wanted=wanted, reason="变更：" + "、".join(changed))
    else:
        entry.update(action=UNCHANGED)


def build_plan(headers: list[str], rows: list[list[str]]) -> list[dict[str, Any]]:
    """Decide create / update / unchanged / rejected for every row, changing nothing."""
    index = column_index(headers)
    if not rows:
        raise ImportFileError("文件中只有表头，没有委员数据。")
    lookups = Lookups()
    seen_rows: dict[tuple[str, str], int] = {}
    seen_members: dict[int, int] = {}
    plan = []
    for line, row in enumerate(rows, start=2):
        cells = {c: row[i].strip() for c, i in index.items()}
        wanted, problems = _parse_row(cells, lookups)
        key = (wanted["name"], wanted["phone"])
        if wanted["name"] and key in seen_rows:
            problems.append(f"与第 {seen_rows[key]} 行重复")
        seen_rows.setdefault(key, line)
        member_id, reason, note = (None, "", "") if problems else lookups.match(*key)
        if member_id is not None and member_id in seen_members:
            reason = f"与第 {seen_members[member_id]} 行是同一位委员"
        if member_id is not None:
            seen_members.setdefault(member_id, line)
        problems += [reason] if reason else []
        entry: dict[str, Any] = {"line": line, "cells": cells, "member_id": member_id}
        if problems:
            entry.update(action=REJECTED, reason="；".join(problems), member_id=None)
        else:
            _decide(entry, wanted, lookups)
            if note:
                entry["reason"] = note
        plan.append(entry)
    return plan


def counts(plan: list[dict[str, Any]]) -> dict[str, int]:
    found = Counter(entry["action"] for entry in plan)
    return {action: found[action] for action in ACTION_LABELS}


def plan_job(user: User, filename: str, headers: list[str], rows: list[list[str]]) -> ImportJob:
    """Read-only dry run: the stored plan is what the admin reviews and later confirms."""
    plan = build_plan(headers, rows)
    return ImportJob.objects.create(
        kind=ImportKind.ROSTER,
        created_by=user,
        filename=filename[:200],
        headers=headers,
        rows=rows,
        plan=plan,
        total=len(plan),
    )


def _decisions(plan: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["line"], e["action"], e["member_id"], e.get("wanted")) for e in plan]


def _member_fields(wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if k != "unit_ids"}


def _write(plan: list[dict[str, Any]]) -> None:
    """Create and update members and their units with a handful of bulk queries."""
    through = Member.organizations.through
    term = Term.objects.filter(current=True).first()
    creates = [e["wanted"] for e in plan if e["action"] == CREATE]
    new = Member.objects.bulk_create(
        (Member(**_member_fields(w), term=term) for w in creates), batch_size=500
    )
    links = [
        through(member_id=m.pk, organization_id=u)
        for m, w in zip(new, creates, strict=True)
        for u in w["unit_ids"]
    ]
    updates = {e["member_id"]: e["wanted"] for e in plan if e["action"] == UPDATE}
    members = list(Member.objects.filter(pk__in=updates))
    for member in members:
        for name, value in _member_fields(updates[member.pk]).items():
            setattr(member, name, value)
    Member.objects.bulk_update(members, FIELDS, batch_size=500)
    through.objects.filter(member_id__in=updates).delete()
    links += [
        through(member_id=pk, organization_id=u) for pk, w in updates.items() for u in w["unit_ids"]
    ]
    through.objects.bulk_create(links, batch_size=1000)


def apply_plan(job: ImportJob, user: User) -> dict[str, int]:
    """Carry out the reviewed plan in one transaction and write one event with the counts.

    The plan is worked out again under a lock: if the members changed since the dry
    run (another import, an edit in the admin), the fresh plan is stored and
    StalePlanError raised, so nothing happens that the admin has not seen.
    """
    with transaction.atomic():
        # Every roster job row is locked, so two confirmations (of this job or of two
        # jobs for the same file) run one after the other and the second sees the first.
        list(ImportJob.objects.select_for_update().filter(kind=ImportKind.ROSTER).values("pk"))
        job = ImportJob.objects.get(pk=job.pk)
        if job.status == ImportStatus.APPLIED:
            return job.result
        fresh = build_plan(job.headers, job.rows)
        stale = _decisions(fresh) != _decisions(job.plan)
        if stale:
            job.plan, job.total = fresh, len(fresh)
            job.save(update_fields=["plan", "total"])
        else:
            _write(job.plan)
            result = counts(job.plan)
            job.status, job.done, job.result = ImportStatus.APPLIED, job.total, result
            job.save(update_fields=["status", "done", "result"])
            payload = {"file": job.filename, **result}
            record("import_roster", job, actor=user, payload=payload)
    if stale:  # Raised after the block so the fresh plan is kept for review.
        raise StalePlanError("自预览以来委员数据已有变化，已重新生成预览，请核对后再确认。")
    return result
