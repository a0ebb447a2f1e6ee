"""Values shared by the MI reports: how yes/no, dates, genders, short references and corrected
referral dates are written, so every report says the same thing the same way."""

import datetime as dt
import uuid

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from cas.referrals.models import TimelineEntry
from cas.reporting.mi import ReportParams

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def yes_no(value) -> str:
    return "" if value is None else ("Yes" if value else "No")


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def local_moment(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment in UK time, without its time zone (spreadsheets hold no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# Age bands of the equality monitoring: (lowest age, label), oldest first, so the first band whose
# lowest age is reached is the person's.
AGE_BANDS = ((50, "50+"), (35, "35-49"), (25, "25-34"), (18, "18-24"))


def age_band(date_of_birth: dt.date | None, moment: dt.datetime | None) -> str:
    """The band of the person's age on the (local) day of `moment`; blank when either is unknown, and
    "Under 18" for a child (adult services only, so a sign of a wrong date of birth)."""
    if date_of_birth is None or moment is None:
        return ""
    day = local_date(moment)
    age = day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    return next((label for lowest, label in AGE_BANDS if age >= lowest), "Under 18")


def day_bounds(params: ReportParams) -> tuple[dt.datetime, dt.datetime]:
    """The period as [start, end) moments in local time: whole days, both dates included."""
    start = timezone.make_aware(dt.datetime.combine(params.start_date, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(params.end_date + dt.timedelta(days=1), dt.time.min))
    return start, end


def gender(gender_identity: str, sex: str) -> str:
    """The gender identity, or sex where no gender identity is recorded (as the statistics do)."""
    return (gender_identity or sex or "").strip()


def short_ref(value: uuid.UUID | str) -> str:
    """A short, stable reference for a property or bedspace: its UUID written in base58 (22
    characters at most, no look-alike characters), so rows can be matched across reports."""
    number = uuid.UUID(str(value)).int
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(BASE58[rest])
    return "".join(reversed(digits)) or BASE58[0]


def overlap_days(start: dt.date, end: dt.date, period_start: dt.date, period_end: dt.date) -> int:
    """Days from `start` to `end` (both included) that fall in the period."""
    first, last = max(start, period_start), min(end, period_end)
    return max(0, (last - first).days + 1)


def corrected_date_annotations(field: str, referral_ref: str = "pk") -> dict:
    """The date as the referral was submitted and whether an assessor corrected it since.

    Corrections overwrite the typed column and leave the old value in the referral's timeline
    (`details.from` of its first date-correction entry for the field), so the submitted value is
    read from there in the same query (a subquery), never one query per row."""
    corrections = TimelineEntry.objects.filter(
        referral=OuterRef(referral_ref), kind=TimelineEntry.Kind.DATE, details__field=field
    )
    first_from = (
        corrections.order_by("created_at", "id").annotate(value=KeyTextTransform("from", "details")).values("value")[:1]
    )
    return {f"{field}_corrected": Exists(corrections), f"{field}_submitted": Subquery(first_from)}


def submitted_and_updated(row, field: str, current: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(the date given at submission, the corrected date or None when it was never corrected)."""
    if not getattr(row, f"{field}_corrected", False):
        return current, None
    submitted = getattr(row, f"{field}_submitted", None)
    return (dt.date.fromisoformat(submitted) if submitted else None), current
