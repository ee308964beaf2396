"""Gap-free counters for serial numbers (report 流水号, bulletin issue 期号)."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction


class Counter(models.Model):
    key = models.CharField(max_length=60)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="unique_counter")]

    def __str__(self) -> str:
        return f"{self.key}/{self.year}: {self.last}"


def next_number(key: str, year: int) -> int:
    """Return the next number for (key, year); must run inside the caller's transaction.

    The counter row is locked with SELECT ... FOR UPDATE, so two writers can
    neither take the same number nor leave a gap if the caller's transaction
    commits. The first writer of a year creates the row; a concurrent creator
    loses on the unique constraint and retries the locked read.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    counter = Counter.objects.select_for_update().filter(key=key, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                Counter.objects.create(key=key, year=year, last=0)
        except IntegrityError:
            pass
        counter = Counter.objects.select_for_update().get(key=key, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
