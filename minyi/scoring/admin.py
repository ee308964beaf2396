"""Admin: read-mostly views of rule sets and the ledger (rules are edited in the app, versioned)."""

from __future__ import annotations

from django.contrib import admin

from minyi.scoring.models import (
    AnnualNotice,
    Campaign,
    CampaignUnit,
    Commendation,
    Correction,
    Objection,
    Score,
    ScoreBand,
    ScoreRule,
    ScoreRuleSet,
)


class ReadOnly(admin.ModelAdmin):
    """History is written by the app (with events); the admin only looks."""

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class RuleInline(admin.TabularInline):
    model = ScoreRule
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "level", "points")


class BandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0
    can_delete = False
    readonly_fields = ("label", "min_points", "max_points")


@admin.register(ScoreRuleSet)
class ScoreRuleSetAdmin(ReadOnly):
    list_display = ("year", "version", "organization", "created_by", "created_at", "note")
    list_filter = ("year",)
    inlines = [RuleInline, BandInline]


@admin.register(Score)
class ScoreAdmin(ReadOnly):
    list_display = ("year", "member", "unit", "kind", "level", "base", "share", "points", "event")
    list_filter = ("year", "kind")
    search_fields = ("member__name", "report__title")
    list_select_related = ("member", "unit", "event")


@admin.register(Correction, Objection)
class HistoryAdmin(ReadOnly):
    pass


class QuotaInline(admin.TabularInline):
    model = CampaignUnit
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("name", "kind", "starts_on", "ends_on", "multiplier")
    inlines = [QuotaInline]


class CommendationInline(admin.TabularInline):
    model = Commendation
    extra = 0


@admin.register(AnnualNotice)
class AnnualNoticeAdmin(ReadOnly):
    list_display = ("year", "title", "state", "public")
    inlines = [CommendationInline]
