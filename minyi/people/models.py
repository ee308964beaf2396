"""Organisations, sectors, terms, members and user accounts with roles."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models


class OrgKind(models.TextChoices):
    HOST = "host", "市政协"
    DISTRICT_CPPCC = "district_cppcc", "区县(市)政协"
    DEMOCRATIC_PARTY = "democratic_party", "民主党派市委"
    FEDERATION_OF_COMMERCE = "federation_of_commerce", "工商联"
    SPECIAL_COMMITTEE = "special_committee", "专门委员会"
    RESEARCH_OFFICE = "research_office", "研究室（信息科）"
    SECTOR_GROUP = "sector_group", "界别组"


class Organization(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=30, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Sector(models.Model):
    name = models.CharField("界别", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "界别"
        verbose_name_plural = "界别"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    name = models.CharField("届次", max_length=30, unique=True)
    start_year = models.PositiveIntegerField("起始年份")
    end_year = models.PositiveIntegerField("结束年份")
    current = models.BooleanField("本届", default=False)

    class Meta:
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    name = models.CharField("姓名", max_length=50)
    sector = models.ForeignKey(
        Sector, verbose_name="界别", null=True, blank=True, on_delete=models.PROTECT
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name="所属单位", blank=True, related_name="members"
    )
    term = models.ForeignKey(
        Term, verbose_name="届次", null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField("职务", max_length=100, blank=True)
    is_information_officer = models.BooleanField("特约信息员", default=False)
    phone = models.CharField("手机", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    active = models.BooleanField("在职", default=True)

    class Meta:
        verbose_name = "委员"
        verbose_name_plural = "委员"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "委员"
    INFORMATION_OFFICER = "information_officer", "特约信息员"
    LIAISON = "liaison", "信息联络员"
    EDITOR = "editor", "信息编辑"
    APPROVER = "approver", "签发人"
    LEADER = "leader", "领导"
    ADMIN = "admin", "系统管理员"


#: Roles that see and handle every report in the office.
OFFICE_ROLES = frozenset({Role.EDITOR, Role.APPROVER, Role.ADMIN})


class User(AbstractUser):
    display_name = models.CharField("显示名称", max_length=50, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name="对应委员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    title = models.CharField("职务", max_length=100, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        found = set(self.role_assignments.values_list("role", flat=True))
        if self.is_superuser:
            found.add(Role.ADMIN)
        if self.member_id:
            found.add(Role.MEMBER)
            if self.member.is_information_officer:
                found.add(Role.INFORMATION_OFFICER)
        return frozenset(found)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_office(self) -> bool:
        return self.has_role(*OFFICE_ROLES)

    @cached_property
    def liaison_unit_ids(self) -> frozenset[int]:
        return frozenset(
            self.role_assignments.filter(role=Role.LIAISON, organization__isnull=False).values_list(
                "organization_id", flat=True
            )
        )

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.roles]


class RoleAssignment(models.Model):
    """One role held by a user; a liaison's role names the unit it serves."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="信息联络员必须指定所联络的单位",
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="unique_role_assignment"
            ),
        ]

    def __str__(self) -> str:
        unit = f"（{self.organization}）" if self.organization_id else ""
        return f"{self.user} · {self.get_role_display()}{unit}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role == Role.LIAISON and not self.organization_id:
            raise ValidationError({"organization": "信息联络员必须指定所联络的单位。"})


# Terms served and officer appointments live in their own module; imported to register them.
from minyi.people.terms import OfficerAppointment, TermMembership  # noqa: E402, F401
