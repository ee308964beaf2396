"""Reference data of the demo CPPCC: units, sectors, the term, members, categories, accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.conf import settings

from minyi.bulletins.models import ApprovalStep, Bulletin
from minyi.core import clock
from minyi.demo import words
from minyi.demo.topics import CATEGORY_TREE, Topic
from minyi.outcomes.models import Recipient
from minyi.people.models import (
    Member,
    Organization,
    OrgKind,
    Role,
    RoleAssignment,
    Sector,
    Term,
    User,
)
from minyi.reports.models import Category

#: (username, role label shown in the table, display name, title)
DEMO_ACCOUNTS = (
    ("member", "委员（民盟市委）", "张明远", "市政协委员，市第一人民医院主任医师"),
    ("officer", "特约信息员", "李思琪", "市政协委员、特约信息员，理工大学教授"),
    ("liaison", "信息联络员（民盟市委）", "王丽华", "民盟市委办公室信息联络员"),
    ("editor", "信息编辑", "赵敏", "市政协研究室信息科科长"),
    ("approver", "签发人", "钱志远", "市政协秘书长"),
    # The first step of a two-step chain (分管副秘书长审签): one person may not act at both.
    ("deputy", "签发人（分管副秘书长）", "周文博", "市政协副秘书长"),
    ("leader", "领导", "孙建华", "市政协主席"),
    ("admin", "系统管理员", "系统管理员", ""),
)
DEMO_USERNAMES = tuple(row[0] for row in DEMO_ACCOUNTS)
DEMO_UNIT = "民盟市委"
#: Usernames of the per-unit liaison accounts that enter reports in the story.
CREATOR_PREFIX = "demo-liaison-"


@dataclass
class Refs:
    """What the story needs to know about the reference data it writes with."""

    host: Organization
    units: list[Organization]
    unit_members: dict[int, list[Member]]
    unit_creators: dict[int, User]
    topics: list[tuple[Category, Topic]]
    bulletins: dict[str, Bulletin]
    recipients: dict[str, Recipient]
    accounts: dict[str, User]
    officer_ids: set[int] = field(default_factory=set)


def _org(name: str, short: str, kind: str, parent: Organization | None, order: int) -> Organization:
    return Organization.objects.get_or_create(
        name=name,
        defaults={"short_name": short, "kind": kind, "parent": parent, "sort_order": order},
    )[0]


def build_units() -> tuple[Organization, list[Organization]]:
    """Create the host, the research office and the 30 units that submit reports."""
    host = _org(settings.HOST_NAME, words.HOST_SHORT, OrgKind.HOST, None, 0)
    _org(*words.RESEARCH_OFFICE, OrgKind.RESEARCH_OFFICE, host, 1)
    units = []
    for i, (name, short, _) in enumerate(words.PARTIES):
        units.append(_org(name, short, OrgKind.DEMOCRATIC_PARTY, host, 10 + i))
    name, short, _ = words.FEDERATION
    units.append(_org(name, short, OrgKind.FEDERATION_OF_COMMERCE, host, 20))
    for i, (name, short) in enumerate(words.COMMITTEES):
        units.append(_org(name, short, OrgKind.SPECIAL_COMMITTEE, host, 30 + i))
    for i, district in enumerate(words.DISTRICTS):
        units.append(_org(f"{district}政协", district, OrgKind.DISTRICT_CPPCC, host, 50 + i))
    return host, units


def build_sectors_and_term() -> tuple[dict[str, Sector], Term]:
    sectors = {
        name: Sector.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
        for i, name in enumerate(words.SECTORS)
    }
    year = clock.localdate().year
    # The 第十二届 term is the five-year term running now (counted from 2022).
    start = year - (year - 2022) % 5
    term = Term.objects.get_or_create(
        name="第十二届", defaults={"start_year": start, "end_year": start + 5, "current": True}
    )[0]
    return sectors, term


def unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    weights = [1 / (i + 8) for i in range(len(words.SURNAMES))]
    while len(names) < count:
        surname = rng.choices(words.SURNAMES, weights)[0]
        given = "".join(rng.choices(words.GIVEN_CHARS, k=rng.choice((1, 2, 2, 2))))
        if (name := surname + given) not in taken:
            taken.add(name)
            names.append(name)
    return names


def _sector_for(rng: random.Random, unit: Organization, sectors: dict[str, Sector]) -> Sector:
    for name, _, sector in (*words.PARTIES, words.FEDERATION):
        if unit.name == name:
            return sectors[sector]
    party_sectors = {row[2] for row in (*words.PARTIES, words.FEDERATION)}
    return sectors[rng.choice([s for s in words.SECTORS if s not in party_sectors])]


def _title_for(rng: random.Random, sector: Sector) -> str:
    jobs = next((j for key, j in words.JOBS.items() if key in sector.name), words.DEFAULT_JOBS)
    return f"市政协委员，{rng.choice(jobs)}"


def build_members(
    rng: random.Random, units: list[Organization], count: int, officers: int
) -> tuple[dict[int, list[Member]], list[Member]]:
    """Members, each in a sector and 1–2 units; every unit gets some members."""
    sectors, term = build_sectors_and_term()
    demo_unit = next(u for u in units if u.name == DEMO_UNIT)
    committees = [u for u in units if u.kind == OrgKind.SPECIAL_COMMITTEE]
    taken = {row[2] for row in DEMO_ACCOUNTS}
    names = [DEMO_ACCOUNTS[0][2], DEMO_ACCOUNTS[1][2], *unique_names(rng, count - 2, taken)]
    weights = [3 if u.kind == OrgKind.DEMOCRATIC_PARTY else 2 for u in units]
    by_unit: dict[int, list[Member]] = {u.pk: [] for u in units}
    members = []
    for i, name in enumerate(names):
        # The first members go round every unit once, so none is left empty.
        unit = demo_unit if i < 2 else units[(i - 2) % len(units)]
        if i >= len(units) + 2:
            unit = rng.choices(units, weights)[0]
        sector = _sector_for(rng, unit, sectors)
        title = _title_for(rng, sector) if i >= 2 else DEMO_ACCOUNTS[i][3]
        member = Member.objects.create(name=name, sector=sector, term=term, title=title)
        second = rng.choice(committees) if rng.random() < 0.5 else None
        member.organizations.add(*{unit, second} - {None})
        for org in {unit, second} - {None}:
            by_unit[org.pk].append(member)
        members.append(member)
    chosen = [members[1], *rng.sample(members[2:], k=max(officers - 1, 0))]
    Member.objects.filter(pk__in=[m.pk for m in chosen]).update(is_information_officer=True)
    for member in chosen:
        member.is_information_officer = True
    return by_unit, members


def build_categories() -> list[tuple[Category, Topic]]:
    topics = []
    for i, (parent_name, children) in enumerate(CATEGORY_TREE.items()):
        parent = Category.objects.get_or_create(
            name=parent_name, parent=None, defaults={"sort_order": i}
        )[0]
        for j, (name, topic) in enumerate(children.items()):
            child = Category.objects.get_or_create(
                name=name, parent=parent, defaults={"sort_order": j}
            )[0]
            topics.append((child, topic))
    return topics


def build_outlets() -> tuple[dict[str, Bulletin], dict[str, Recipient]]:
    bulletins = {
        code: Bulletin.objects.get_or_create(
            code=code,
            defaults={"name": name, "publisher": f"{settings.HOST_NAME}研究室", "sort_order": i},
        )[0]
        for i, (name, code) in enumerate(words.BULLETINS)
    }
    for code, chain in words.APPROVAL_CHAINS.items():
        for position, (label, role) in enumerate(chain, start=1):
            ApprovalStep.objects.get_or_create(
                bulletin=bulletins[code],
                urgency="",
                position=position,
                defaults={"label": label, "role": role},
            )
    recipients = {
        name: Recipient.objects.get_or_create(
            name=name, defaults={"level": level, "sort_order": i}
        )[0]
        for i, (name, level) in enumerate(words.RECIPIENTS)
    }
    return bulletins, recipients


def build_accounts(
    password: str, members: list[Member], demo_unit: Organization
) -> dict[str, User]:
    """The demo accounts; only the demo loader creates them."""
    roles = {
        "liaison": Role.LIAISON,
        "editor": Role.EDITOR,
        "approver": Role.APPROVER,
        "deputy": Role.APPROVER,
        "leader": Role.LEADER,
    }
    accounts = {}
    for username, _, display, title in DEMO_ACCOUNTS:
        member = {"member": members[0], "officer": members[1]}.get(username)
        if username == "admin":
            user = User.objects.create_superuser(username, password=password)
        else:
            user = User.objects.create_user(username, password=password, member=member)
        user.display_name, user.title = display, title
        user.save(update_fields=["display_name", "title"])
        if role := roles.get(username):
            org = demo_unit if role == Role.LIAISON else None
            RoleAssignment.objects.create(user=user, role=role, organization=org)
        accounts[username] = User.objects.get(pk=user.pk)
    return accounts


def build_unit_creators(
    rng: random.Random, units: list[Organization], liaison: User
) -> dict[int, User]:
    """A liaison account per unit that enters its members' reports (no password: no login)."""
    creators = {}
    names = unique_names(rng, len(units), set())
    for i, unit in enumerate(units):
        if unit.name == DEMO_UNIT:
            creators[unit.pk] = liaison
            continue
        user = User(
            username=f"{CREATOR_PREFIX}{i + 1:02d}",
            display_name=names[i],
            title=f"{unit.name}信息联络员",
        )
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.LIAISON, organization=unit)
        creators[unit.pk] = User.objects.get(pk=user.pk)
    return creators


def build_reference(
    rng: random.Random, *, members: int, officers: int, password: str
) -> tuple[Refs, list[Member]]:
    host, units = build_units()
    by_unit, all_members = build_members(rng, units, members, officers)
    demo_unit = next(u for u in units if u.name == DEMO_UNIT)
    accounts = build_accounts(password, all_members, demo_unit)
    bulletins, recipients = build_outlets()
    refs = Refs(
        host=host,
        units=units,
        unit_members=by_unit,
        unit_creators=build_unit_creators(rng, units, accounts["liaison"]),
        topics=build_categories(),
        bulletins=bulletins,
        recipients=recipients,
        accounts=accounts,
        officer_ids={m.pk for m in all_members if m.is_information_officer},
    )
    return refs, all_members
