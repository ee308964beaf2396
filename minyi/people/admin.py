"""Admin for units, sectors, terms, members and accounts with their roles."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from minyi.people.models import Member, Organization, RoleAssignment, Sector, Term, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "active", "sort_order"]
    list_filter = ["kind", "active"]
    list_editable = ["sort_order"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "current"]
    list_filter = ["current"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "title", "is_information_officer", "active"]
    list_filter = ["sector", "is_information_officer", "active", "term"]
    search_fields = ["name", "title"]
    filter_horizontal = ["organizations"]
    list_select_related = ["sector"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "member", "title", "role_list", "is_active"]
    list_filter = ["role_assignments__role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "display_name", "member__name", "email"]
    autocomplete_fields = ["member"]
    list_select_related = ["member"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("平台信息", {"fields": ("display_name", "member", "title")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("平台信息", {"fields": ("display_name", "member", "title")}),
    )

    @admin.display(description="角色")
    def role_list(self, user: User) -> str:
        return "、".join(user.role_labels)
