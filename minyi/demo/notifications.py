"""Notification settings for the demo accounts, so ``make run`` shows emails and digests.

Called once by ``manage.py load_demo`` after it has replayed a year of history.
That history's notifications stay in the app but are not emailed (nobody wants a
year of old news on the first run); the demo accounts get addresses and a mix of
preferences, so the console shows immediate emails as people act in the app and
the daily digests (with the office's queues and overdue reminders) once the
worker's digest time has come.
"""

from __future__ import annotations

from django.db import transaction

from minyi.demo.reference import DEMO_USERNAMES
from minyi.notify.kinds import Delivery
from minyi.notify.models import Notification, Preference
from minyi.people.models import User

#: (username, kind, delivery): the member gets everything at once (the default),
#: the officer reads a digest, the office reads its reminders in the digest too.
DEMO_PREFERENCES = [
    ("officer", "report_status", Delivery.DIGEST),
    ("officer", "outcome", Delivery.DIGEST),
    ("editor", "deadline", Delivery.DIGEST),
    ("approver", "deadline", Delivery.DIGEST),
    ("leader", "action_needed", Delivery.OFF),
]


@transaction.atomic
def prepare_demo_notifications() -> None:
    Notification.objects.filter(delivered_at__isnull=True).update(delivery=Delivery.OFF)
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    for user in users.values():
        if not user.email:
            user.email = f"{user.username}@demo.minyi.local"
            user.save(update_fields=["email"])
    for username, kind, delivery in DEMO_PREFERENCES:
        if username in users:
            Preference.objects.update_or_create(
                user=users[username], kind=kind, defaults={"delivery": delivery}
            )
