"""Adverse ratings in the annual notice: each shows its reason and is reviewed before confirming.

A rating in the lowest band (不称职) is adverse. The notice lists its top members with their
band and the band's reason (``rankings.rating_reason``: "未完成最低任务（…3月、7月未报送）").
Before the approver can confirm the notice, the editor reviews every adverse rating among
them: 维持 (confirm) or 改定 (override to another band), always with a note, one
``rating_review`` event each. A review counts only while the rating it reviewed still
stands: a recompute that changes the band or the reason makes it pending again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from minyi.audit.models import record
from minyi.audit.statemachine import ActionRefused, require_role
from minyi.core import clock
from minyi.people.models import Role
from minyi.scoring.models import (
    AnnualNotice,
    NoticeState,
    RatingReview,
    ReviewDecision,
    ScoreRuleSet,
)
from minyi.scoring.rankings import Line, is_adverse, member_table

if TYPE_CHECKING:
    from minyi.people.models import User

NAMES_SHOWN = 5


def notice_lines(year: int, ruleset: ScoreRuleSet | None) -> list[Line]:
    """The members the notice lists: the top ones with points."""
    top = ruleset.top_members if ruleset else 10
    return [line for line in member_table(year, ruleset) if line.points > 0][:top]


@dataclass
class Rating:
    """One listed member's rating: as computed, and as it stands after any review."""

    line: Line
    adverse: bool
    review: RatingReview | None

    @property
    def reviewed(self) -> bool:
        r = self.review
        return r is not None and (r.band, r.reason) == (self.band, self.reason)

    @property
    def band(self) -> str:
        return self.line.extra.get("band", "")

    @property
    def reason(self) -> str:
        return self.line.extra.get("reason", "")[:300]

    def shown(self) -> dict[str, str]:
        """Band, reason and review note as the notice prints them."""
        if not self.reviewed:
            return {"band": self.band, "reason": self.reason, "review": ""}
        r = self.review
        assert r is not None
        if r.decision == ReviewDecision.OVERRIDE:
            reason = f"经复核改定：{r.note}（原评定{r.band}：{r.reason}）"
            return {"band": r.final_band, "reason": reason, "review": r.note}
        return {"band": self.band, "reason": self.reason, "review": f"经复核维持：{r.note}"}


def ratings(notice: AnnualNotice, lines: list[Line] | None = None) -> list[Rating]:
    ruleset = ScoreRuleSet.objects.current(notice.year)
    lines = notice_lines(notice.year, ruleset) if lines is None else lines
    reviews = {r.member_id: r for r in notice.rating_reviews.all()}
    return [
        Rating(line, is_adverse(line.extra.get("band", ""), ruleset), reviews.get(line.key))
        for line in lines
    ]


def unreviewed(notice: AnnualNotice) -> list[Rating]:
    return [r for r in ratings(notice) if r.adverse and not r.reviewed]


def confirm_guard(notice: AnnualNotice) -> str | None:
    """The notice's ``confirm`` guard: every adverse rating reviewed, in Chinese if not."""
    pending = unreviewed(notice)
    if not pending:
        return None
    names = "、".join(r.line.name for r in pending[:NAMES_SHOWN])
    more = f"等 {len(pending)} 人" if len(pending) > NAMES_SHOWN else ""
    return (
        f"尚有 {len(pending)} 项不利评定未经复核（{names}{more}），"
        "请研究室逐一维持或改定并填写说明后再审定通报。"
    )


def check_review(
    user: User, notice: AnnualNotice, member_id: int, *, decision: str, band: str, note: str
) -> tuple[Rating, str]:
    """The rating to review and the band it ends in; refuse in Chinese otherwise."""
    require_role(user, Role.EDITOR, "复核评定档次")
    if notice.state != NoticeState.DRAFT:
        raise ActionRefused("通报已审定，不能再复核评定。")
    rating = next((r for r in ratings(notice) if r.line.key == member_id), None)
    if rating is None or not rating.adverse:
        raise ActionRefused("该委员不在通报名单中，或其评定不属于需复核的不利评定。")
    if decision not in ReviewDecision.values:
        raise ActionRefused("请选择复核结论：维持或改定。")
    if not note.strip():
        raise ActionRefused("请填写复核说明（如：3月、7月确未报送，维持评定）。")
    if decision == ReviewDecision.CONFIRM:
        return rating, rating.band
    ruleset = ScoreRuleSet.objects.current(notice.year)
    labels = [b.label for b in ruleset.bands.all()] if ruleset else []
    if band not in labels:
        raise ActionRefused("请选择改定后的档次。")
    if band == rating.band:
        raise ActionRefused("改定后的档次与原评定相同，请选择“维持”。")
    return rating, band


def do_review(
    user: User, notice: AnnualNotice, member_id: int, *, decision: str, band: str, note: str
) -> RatingReview:
    rating, final = check_review(user, notice, member_id, decision=decision, band=band, note=note)
    fields: dict[str, Any] = {
        "band": rating.band,
        "reason": rating.reason,
        "decision": decision,
        "final_band": final,
        "note": note.strip()[:200],
        "reviewed_by": user,
        "reviewed_at": clock.now(),
    }
    with transaction.atomic():
        review, _ = RatingReview.objects.update_or_create(
            notice=notice, member_id=member_id, defaults=fields
        )
        payload = {
            "year": notice.year,
            "member": rating.line.name,
            "decision": ReviewDecision(decision).label,
            "band": rating.band,
            "final_band": final,
            "reason": rating.reason,
            "note": fields["note"],
        }
        record("rating_review", notice, actor=user, payload=payload)
    return review
