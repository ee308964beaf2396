"""Actions on reports with side effects: ``check_*`` validates, ``do_*`` changes.

Every ``do_*`` runs in one transaction and writes its events; a failure leaves
the stored data exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused
from minyi.core import clock
from minyi.core.models import next_number
from minyi.core.wording import too_long
from minyi.people.models import Member, Organization, Role
from minyi.reports.access import can_edit_text
from minyi.reports.models import (
    OFFICE_EDITABLE_STATES,
    Category,
    DeclineReason,
    Report,
    ReportAuthor,
    Revision,
    State,
    Urgency,
    body_size_problem,
)
from minyi.reports.workflow import check_transition, claim_fields, transition

if TYPE_CHECKING:
    from minyi.people.models import User


class ConflictError(ActionRefused):
    """Someone saved a newer revision since this form was opened."""


def check_text(fields: dict[str, str]) -> dict[str, str]:
    """Validate the four text fields; return error messages by field name."""
    errors = {}
    if not fields.get("title", "").strip():
        errors["title"] = "请填写标题。"
    elif len(fields["title"]) > 200:
        errors["title"] = too_long("标题", 200, len(fields["title"]))
    body = sum(len(fields.get(name, "")) for name in ("situation", "analysis", "suggestions"))
    if problem := body_size_problem(body):
        errors["body"] = problem
    return errors


def check_for_submission(report: Report) -> list[str]:
    """What a report must have before it can be sent in."""
    problems = []
    if not report.situation.strip():
        problems.append("请填写“情况”部分。")
    if not report.suggestions.strip():
        problems.append("请填写“意见建议”部分。")
    if report.body_length > settings.REPORT_MAX_CHARS:
        problems.append(
            f"正文共 {report.body_length} 字，超过 {settings.REPORT_MAX_CHARS} 字的上限，请精简。"
        )
    if not report.report_authors.exists() and not report.informant.strip():
        problems.append("请至少填写一位反映人。")
    if not report.submitting_unit_id:
        problems.append("请选择报送单位。")
    if not report.consent_to_publish and not report.no_consent_reason.strip():
        problems.append("不同意公开时须说明理由。")
    return problems


def do_create_report(
    user: User,
    *,
    fields: dict[str, str],
    authors: Sequence[Member] = (),
    **attrs: Any,
) -> Report:
    """Create a draft with its first revision."""
    if errors := check_text(fields):
        raise ActionRefused("；".join(errors.values()))
    with transaction.atomic():
        report = Report.objects.create(created_by=user, revision_number=1, **fields, **attrs)
        set_authors(report, authors)
        Revision.objects.create(
            report=report, number=1, author=user, note="初稿", **report.text_fields()
        )
        record(
            "create",
            report,
            actor=user,
            report_id=report.pk,
            payload={"title": report.title},
        )
    return report


def set_authors(report: Report, authors: Sequence[Member]) -> None:
    report.report_authors.all().delete()
    seen: set[int] = set()
    rows = []
    for member in authors:
        if member.pk not in seen:
            seen.add(member.pk)
            rows.append(ReportAuthor(report=report, member=member, position=len(rows)))
    ReportAuthor.objects.bulk_create(rows)


def do_save_text(
    report: Report,
    user: User,
    *,
    fields: dict[str, str],
    base_revision: int,
    note: str = "",
) -> Revision | None:
    """Save an edit as a new revision, refusing it if a newer one was saved meanwhile.

    Returns None when nothing changed, so a plain "save" does not bloat history.
    """
    if errors := check_text(fields):
        raise ActionRefused("；".join(errors.values()))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not can_edit_text(user, locked):
            raise ActionRefused("当前状态下您不能修改这篇稿件。")
        if locked.revision_number != base_revision:
            raise ConflictError(conflict_message(locked))
        if all(getattr(locked, k) == v for k, v in fields.items()):
            return None
        claimed = claim_for_office(locked, user)
        number = locked.revision_number + 1
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.revision_number = number
        locked.save(update_fields=[*fields, *claimed, "revision_number", "updated_at"])
        by_office = locked.state in OFFICE_EDITABLE_STATES
        revision = Revision.objects.create(
            report=locked,
            number=number,
            author=user,
            by_office=by_office,
            note=note[:200],
            **locked.text_fields(),
        )
        record(
            "edit",
            locked,
            actor=user,
            report_id=locked.pk,
            payload={"revision": number, "by_office": by_office, "note": note[:200]},
        )
    for name in [*fields, "revision_number"]:
        setattr(report, name, getattr(locked, name))
    return revision


def conflict_message(report: Report) -> str:
    """Say who saved the newer revision, and that the user's text is safe."""
    latest = report.current_revision()
    when = timezone.localtime(latest.created_at) if latest else None
    who = f"{latest.author}于{when:%H:%M}" if latest and when else "他人"
    return (
        f"保存冲突：{who}已保存了更新的版本（第 {report.revision_number} 版）。"
        "您的修改没有丢失，仍在下方表单中；请对照最新版本后再保存。"
    )


def do_submit(report: Report, user: User) -> None:
    """Send a draft, withdrawn or returned report in; number it on first submission."""
    action = "resubmit" if report.state == State.RETURNED else "submit"
    check_transition(report, action, user)
    if problems := check_for_submission(report):
        raise ActionRefused("；".join(problems))
    with transaction.atomic():
        extra: dict[str, Any] = {"original_revision_number": report.revision_number}
        if not report.serial:
            year = clock.localdate().year
            extra["serial"] = f"{year}-{next_number('report', year):04d}"
        transition(
            report,
            action,
            user,
            extra_fields=extra,
            payload={"revision": report.revision_number},
        )


def do_decline(
    report: Report,
    user: User,
    *,
    reason: str,
    note: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    """``payload`` adds to the event (the 十报十不报 items ticked at triage)."""
    if reason not in DeclineReason.values:
        raise ActionRefused("请选择不予采用的原因。")
    if reason == DeclineReason.OTHER and not note.strip():
        raise ActionRefused("选择“其他”时须填写说明。")
    transition(
        report,
        "decline",
        user,
        note=note,
        extra_fields={"decline_reason": reason},
        payload={"reason": DeclineReason(reason).label, "code": reason, **(payload or {})},
    )


def check_merge(reports: Sequence[Report], user: User) -> None:
    if len(reports) < 2:
        raise ActionRefused("综合编报至少需要选择两篇稿件。")
    for report in reports:
        check_transition(report, "merge", user)


def composite_starting_text(reports: Sequence[Report]) -> dict[str, str]:
    """The composite's text before the editor writes it: the first source's, as a start.

    Not the sources pasted one after another: the editor writes one report from
    them, with the sources beside the form (``office:merge``).
    """
    first = reports[0]
    return {name: getattr(first, name) for name in ("title", *COMPOSITE_BODY)}


COMPOSITE_BODY = ("situation", "analysis", "suggestions")


def do_merge(
    reports: Sequence[Report], user: User, *, title: str, text: dict[str, str] | None = None
) -> Report:
    """Combine several reports into one composite (综合稿); every author keeps credit.

    ``text`` is the composite's body as the editor wrote it (情况, 原因分析, 意见建议);
    without it the composite starts from ``composite_starting_text``.
    """
    check_merge(reports, user)
    first = reports[0]
    start = composite_starting_text(reports)
    fields = {
        "title": title.strip() or first.title,
        **{name: (text or start).get(name, "") for name in COMPOSITE_BODY},
    }
    if not any(fields[name].strip() for name in COMPOSITE_BODY):
        raise ActionRefused("综合稿的正文不能为空，请填写情况、原因分析或意见建议。")
    with transaction.atomic():
        composite = do_create_report(
            user,
            fields=fields,
            is_composite=True,
            state=State.ACCEPTED,
            submitting_unit=first.submitting_unit,
            category=first.category,
            urgency=max((r.urgency for r in reports), key=_urgency_rank),
            submitted_at=clock.now(),
            # The editor who composes it handles it (claim means ownership).
            claimed_by=user,
            claimed_at=clock.now(),
            informant="、".join(r.informant for r in reports if r.informant)[:200],
        )
        composite.original_revision_number = 1
        year = clock.localdate().year
        composite.serial = f"{year}-{next_number('report', year):04d}"
        composite.save(update_fields=["original_revision_number", "serial"])
        for report in reports:
            credit_authors(composite, report)
            transition(
                report,
                "merge",
                user,
                extra_fields={"merged_into": composite},
                payload={"into": composite.pk, "into_title": composite.title},
            )
        record(
            "compose",
            composite,
            actor=user,
            report_id=composite.pk,
            payload={"sources": [r.pk for r in reports]},
        )
    return composite


def credit_authors(target: Report, source: Report) -> None:
    """Give every author of ``source`` a byline on ``target`` (after its own authors)."""
    existing = set(target.report_authors.values_list("member_id", flat=True))
    position = len(existing)
    for author in source.report_authors.all():
        if author.member_id not in existing:
            ReportAuthor.objects.create(
                report=target, member_id=author.member_id, position=position, via_report=source
            )
            existing.add(author.member_id)
            position += 1


def claim_for_office(locked: Report, user: User) -> list[str]:
    """Apply the claim rule to an office edit of a locked report; return the fields it set.

    Authors editing their own draft are not the office and never claim.
    """
    if locked.state not in OFFICE_EDITABLE_STATES or not user.has_role(Role.EDITOR):
        return []
    claim = claim_fields(locked, user)
    for name, value in claim.items():
        setattr(locked, name, value)
    return list(claim)


def _urgency_rank(urgency: str) -> int:
    return {"routine": 0, "urgent": 1, "special": 2}.get(urgency, 0)


def do_mark_duplicate(report: Report, user: User, *, original: Report) -> None:
    """Merge a duplicate into an earlier report; its authors are credited there."""
    if original.pk == report.pk:
        raise ActionRefused("不能将稿件标记为与自身重复。")
    if original.state in (State.DRAFT, State.WITHDRAWN, State.MERGED, State.DECLINED):
        raise ActionRefused("只能并入仍在办理或已编发的稿件。")
    check_transition(report, "merge", user)
    with transaction.atomic():
        credit_authors(original, report)
        transition(
            report,
            "merge",
            user,
            extra_fields={"merged_into": original, "duplicate_of": original},
            payload={"into": original.pk, "into_title": original.title, "duplicate": True},
        )


def do_claim(report: Report, user: User, *, release: bool = False) -> None:
    """Take (or give back) a report in the triage queue so two editors do not both handle it."""
    if not user.has_role(Role.EDITOR):
        raise ActionRefused("只有信息编辑可以认领稿件。")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if release:
            if locked.claimed_by_id != user.pk:
                raise ActionRefused("只能取消自己认领的稿件。")
            locked.claimed_by, locked.claimed_at = None, None
        else:
            if locked.claimed_by_id and locked.claimed_by_id != user.pk:
                raise ActionRefused(
                    f"该稿件已由{locked.claimed_by}认领处理；如需办理，请使用“接手”。"
                )
            locked.claimed_by, locked.claimed_at = user, clock.now()
        locked.save(update_fields=["claimed_by", "claimed_at"])
        record("release" if release else "claim", locked, actor=user, report_id=locked.pk)
    report.claimed_by, report.claimed_at = locked.claimed_by, locked.claimed_at


def do_take_over(report: Report, user: User) -> None:
    """Take a report another editor claimed (接手); the event tells the previous claimer.

    The previous claimer is notified by a consumer of the ``take_over`` event
    (``notify.staff``), never by a call from here.
    """
    if not user.has_role(Role.EDITOR):
        raise ActionRefused("只有信息编辑可以接手稿件。")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.claimed_by_id:
            raise ActionRefused("该稿件无人认领，直接认领即可。")
        if locked.claimed_by_id == user.pk:
            raise ActionRefused("该稿件已由您认领，无需接手。")
        previous = locked.claimed_by
        locked.claimed_by, locked.claimed_at = user, clock.now()
        locked.save(update_fields=["claimed_by", "claimed_at"])
        record(
            "take_over",
            locked,
            actor=user,
            report_id=locked.pk,
            payload={"previous": str(previous), "previous_id": previous.pk, "title": locked.title},
        )
    report.claimed_by, report.claimed_at = locked.claimed_by, locked.claimed_at


def units_for(user: User) -> list[Organization]:
    """Units a user may submit for: their member organisations and liaison units."""
    ids = set(user.liaison_unit_ids)
    if user.member_id:
        ids.update(user.member.organizations.values_list("id", flat=True))
    if user.is_office:
        return list(Organization.objects.filter(active=True))
    return list(Organization.objects.filter(id__in=ids, active=True))


def do_recategorize(report: Report, user: User, *, category: Category | None, urgency: str) -> bool:
    """Correct a report's category and urgency while the office handles it; log before/after."""
    if not user.has_role(Role.EDITOR):
        raise ActionRefused("只有信息编辑可以调整类别和紧急程度。")
    with transaction.atomic():
        # Re-read under a lock (the report was already fetched through the
        # access check) so the "before" in the event is what was really stored.
        locked = Report.objects.select_for_update().filter(pk=report.pk).first()
        if locked is None or locked.state not in OFFICE_EDITABLE_STATES:
            raise ActionRefused(
                f"稿件当前状态为“{report.get_state_display()}”，不能再调整类别和紧急程度。"
            )
        before = {"category": str(locked.category or ""), "urgency": locked.urgency}
        if locked.category_id == (category.pk if category else None) and locked.urgency == urgency:
            return False
        claimed = claim_for_office(locked, user)
        locked.category, locked.urgency = category, urgency
        locked.save(update_fields=["category", "urgency", *claimed, "updated_at"])
        after = {"category": str(category or ""), "urgency": urgency}
        record(
            "recategorize",
            locked,
            actor=user,
            report_id=locked.pk,
            payload={"before": before, "after": after, "note": _classify_note(before, after)},
        )
    report.category, report.urgency = category, urgency
    return True


def _classify_note(before: dict[str, str], after: dict[str, str]) -> str:
    parts = []
    if before["category"] != after["category"]:
        parts.append(f"类别：{before['category'] or '未分类'} → {after['category'] or '未分类'}")
    if before["urgency"] != after["urgency"]:
        parts.append(
            f"紧急程度：{Urgency(before['urgency']).label} → {Urgency(after['urgency']).label}"
        )
    return "；".join(parts)


def do_update_details(
    report: Report,
    user: User,
    *,
    details: dict[str, Any],
    authors: Sequence[Member],
) -> bool:
    """Change authors, unit, category, urgency or consent while the authors may edit.

    Returns False when nothing changed, so no empty event is written.
    """
    if not can_edit_text(user, report):
        raise ActionRefused("当前状态下您不能修改这篇稿件。")
    changed = [name for name, value in details.items() if getattr(report, name) != value]
    old_authors = [ra.member_id for ra in report.report_authors.all()]
    new_authors = list(dict.fromkeys(m.pk for m in authors))
    if not changed and old_authors == new_authors:
        return False
    with transaction.atomic():
        for name in changed:
            setattr(report, name, details[name])
        if changed:
            report.save(update_fields=[*changed, "updated_at"])
        if old_authors != new_authors:
            set_authors(report, authors)
            changed.append("authors")
        record(
            "edit_details",
            report,
            actor=user,
            report_id=report.pk,
            payload={"fields": changed},
        )
    return True
