"""CAS2 history for the national data generator: applications by route and cohort, made by prison,
court and probation staff, with the provider's status updates, notes and, for Home Detention Curfew,
the person's moves between prisons and offender managers; drafts in progress and abandoned ones.

The data keeps the rules the services keep:
- an application starts only on a day its route and cohort are open (the reference data's opening
  and closing dates: HDC from 29 January 2024, the bail routes from 7 April 2025, the probation
  cohorts from 1 September 2026), by a user holding the route's role; prison routes from the user's
  own prison, for a person with a prison number (a woman in a women's prison, a man in a man's);
- its typed columns fit the route: HDC eligibility before the conditional release date, a bail
  hearing for the bail routes, preferred areas and the answers the provider reports on;
- every status update is a transition of `cas.referrals.cas2.workflow.WORKFLOW` from the status the
  application was in, with the details the action needs, and the application's status, `closed_at`
  and timeline agree; submission writes the first prison assignment for prison routes, as the tier does;
- abandoned drafts are kept (deleted, no answers), as the services keep them.

It runs after the CAS3 history from a seed of its own (`EXTRA_STEPS`), so the CAS3 rows of a scale are
the same with or without it. Rows are written in batches by `bulk.insert`, like the rest.
"""

import datetime as dt
import random

from django.db import transaction

from cas.accounts.models import RoleAssignment, User
from cas.core.roles import Role
from cas.core.tiers import DRAFT, Service
from cas.datagen import generator
from cas.datagen.bulk import insert
from cas.datagen.generator import BATCH, Context, _at, _id, historical_timestamps
from cas.people.synthetic.dataset import national_person
from cas.reference.models import Prison, ProbationRegion
from cas.referrals.cas2.workflow import WORKFLOW, Action, Status, detail_choices
from cas.referrals.models import PrisonAssignment, Referral, ReferralCohort, ReferralRoute, TimelineEntry

# What the generated users are called, by role.
KINDS = {
    Role.CAS2_ASSESSOR: "CAS2 assessor",
    Role.CAS2_COURT_REFERRER: "Court bail referrer",
    Role.CAS2_PROBATION_REFERRER: "Probation referrer",
    Role.CAS2_PRISON_REFERRER: "Prison bail referrer",
    Role.CAS2_HDC_REFERRER: "Prison offender manager",
}
# Applications started a day, per unit of scale, while the route is open.
DAILY = {"court_bail": 5.0, "prison_bail": 4.0, "hdc": 12.0, "probation": 10.0}
# The probation cohorts' shares of that route's applications.
COHORT_WEIGHTS = {"atcr": 30, "hcrd": 15, "hefr": 15, "isc": 10, "rarr": 10, "from_ap": 20}
DRAFTS = 0.1  # of applications started, never submitted
ABANDONED_OLD = 0.75  # of drafts older than RECENT_DAYS, abandoned by the referrer
ABANDONED_RECENT = 0.2
RECENT_DAYS = 30
TRANSFERS = 0.12  # of submitted HDC applications: the person moved prison
ALLOCATIONS = 0.08  # of submitted HDC applications: a new offender manager at the same prison
NOTES = 0.2
ASSESSORS = 8
COURT_REFERRERS_PER_REGION = 2
PROBATION_REFERRERS_PER_REGION = 2
HDC_REFERRERS_PER_PRISON = 2
PREFERRED_AREAS = (
    "Leeds",
    "Bradford",
    "Manchester",
    "Liverpool",
    "Birmingham",
    "Coventry",
    "Bristol",
    "Plymouth",
    "Newcastle",
    "Sunderland",
    "Nottingham",
    "Leicester",
    "Cardiff",
    "Swansea",
    "Croydon",
    "Norwich",
    "Ipswich",
    "Brighton",
    "Southampton",
    "Sheffield",
)
COURTS = ("Leeds Magistrates' Court", "Manchester Crown Court", "Birmingham Magistrates' Court", "Bristol Crown Court")
NOTE_TEXTS = (
    ("assessor", "Called the offender manager to confirm the release address area."),
    ("assessor", "Checked the exclusion zones against the properties we have."),
    ("referrer", "The person's hearing has moved: the new date is in the application."),
    ("referrer", "The person agrees to share a kitchen and bathroom."),
)

A = Action
S = Status
# How likely each next step is from each status (only the workflow's allowed actions are ever taken:
# the weights of any other are ignored). AWAITING_ARRIVAL and the closed statuses end the history,
# save a rare withdrawal or cancellation before arrival.
NEXT = {
    S.RECEIVED: {
        A.AWAIT_DECISION: 55,
        A.REQUEST_INFORMATION: 20,
        A.ADD_TO_WAITING_LIST: 10,
        A.WITHDRAW: 6,
        A.CANCEL: 9,
    },
    S.MORE_INFO_REQUESTED: {A.SEND_INFORMATION: 60, A.AWAIT_DECISION: 20, A.MARK_INCOMPLETE: 15, A.WITHDRAW: 5},
    S.AWAITING_DECISION: {
        A.OFFER_PLACE: 45,
        A.ADD_TO_WAITING_LIST: 15,
        A.NOT_PLACED: 15,
        A.REQUEST_INFORMATION: 10,
        A.WITHDRAW: 8,
        A.CANCEL: 7,
    },
    S.ON_WAITING_LIST: {
        A.OFFER_PLACE: 50,
        A.AWAIT_DECISION: 10,
        A.NOT_PLACED: 25,
        A.WITHDRAW: 10,
        A.REQUEST_INFORMATION: 5,
    },
    S.PLACE_OFFERED: {A.ACCEPT_OFFER: 80, A.DECLINE_OFFER: 20},
    S.OFFER_ACCEPTED: {A.ARRANGE_ARRIVAL: 85, A.DECLINE_OFFER: 10, A.WITHDRAW: 5},
    S.AWAITING_ARRIVAL: {A.WITHDRAW: 3, A.CANCEL: 2},
}
# The chance the history stops at a status that does not close it (the person arrived, or the provider
# has not moved it on yet).
STOPS = {S.AWAITING_ARRIVAL: 0.95}
# Statuses an HDC application is no longer moved from (the MoJ's "non-assignable" ones).
NOT_MOVED = frozenset({S.AWAITING_ARRIVAL, S.WITHDRAWN, S.CANCELLED})


def cas2_users(ctx: Context) -> dict:
    """The provider's assessors (national), court and probation staff in every region, and prison bail
    and HDC staff in every prison: the roles of the CAS2 routes."""
    regions = list(ProbationRegion.objects.exclude(delius_code="NA").order_by("pk"))
    national = ProbationRegion.objects.get(delius_code="NA")
    wanted = [(f"gen.cas2.assessor.{n}", Role.CAS2_ASSESSOR, national, None) for n in range(1, ASSESSORS + 1)]
    for region in regions:
        code = region.delius_code.lower()
        wanted += [
            (f"gen.cas2.court.{code}.{n}", Role.CAS2_COURT_REFERRER, region, None)
            for n in range(1, COURT_REFERRERS_PER_REGION + 1)
        ]
        wanted += [
            (f"gen.cas2.probation.{code}.{n}", Role.CAS2_PROBATION_REFERRER, region, None)
            for n in range(1, PROBATION_REFERRERS_PER_REGION + 1)
        ]
    for prison in Prison.objects.filter(is_active=True).select_related("region").order_by("code"):
        code = prison.code.lower()
        wanted.append((f"gen.cas2.prison.{code}", Role.CAS2_PRISON_REFERRER, prison.region, prison))
        wanted += [
            (f"gen.cas2.hdc.{code}.{n}", Role.CAS2_HDC_REFERRER, prison.region, prison)
            for n in range(1, HDC_REFERRERS_PER_PRISON + 1)
        ]
    users: dict = {"assessors": [], "by_region": {}, "by_prison": {}}
    for username, role, region, prison in wanted:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": f"Generated {KINDS[role]}",
                "last_name": prison.name if prison else region.name,
                "email": f"{username}@justice.gov.uk",
                "region": region,
                "prison": prison,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            RoleAssignment.objects.get_or_create(user=user, role=role)
        entry = (user.pk, user.get_full_name(), user.email, user.username, region.pk)
        if role == Role.CAS2_ASSESSOR:
            users["assessors"].append(entry)
        elif prison is not None:
            users["by_prison"].setdefault((prison.pk, str(role)), []).append(entry)
        else:
            users["by_region"].setdefault((region.pk, str(role)), []).append(entry)
    return users


class _Writer:
    """Collects a batch of applications with their timelines and prison assignments, and writes it."""

    def __init__(self):
        self.referrals: list = []
        self.entries: list = []
        self.assignments: list = []
        self.counts = {"cas2 applications": 0, "cas2 timeline entries": 0, "cas2 prison assignments": 0}

    def entry(self, referral, kind, when, author, author_kind, **fields):
        self.entries.append(
            TimelineEntry(
                referral_id=referral.id,
                kind=kind,
                created_at=when,
                author_id=author[0] if author else None,
                author_name=author[1] if author else "The service",
                author_kind=author_kind,
                **fields,
            )
        )

    def flush(self):
        with transaction.atomic(), historical_timestamps(Referral):
            insert(Referral, self.referrals, batch_size=BATCH)
            insert(TimelineEntry, self.entries, batch_size=BATCH)
            insert(PrisonAssignment, self.assignments, batch_size=BATCH)
        self.counts["cas2 applications"] += len(self.referrals)
        self.counts["cas2 timeline entries"] += len(self.entries)
        self.counts["cas2 prison assignments"] += len(self.assignments)
        self.referrals.clear()
        self.entries.clear()
        self.assignments.clear()


def cas2_history(ctx: Context) -> None:
    """Every CAS2 application of the routes' open days, in the order they were started."""
    rng = random.Random(f"cas-national-cas2:{ctx.scale:g}")
    today = ctx.today
    end_of_today = dt.datetime.combine(today, dt.time(23, 59), tzinfo=dt.UTC)
    users = cas2_users(ctx)
    regions = dict(ProbationRegion.objects.values_list("delius_code", "pk"))
    prisons = list(Prison.objects.filter(is_active=True).order_by("code").values_list("pk", "code", "is_womens_prison"))
    routes = {r.code: r for r in ReferralRoute.objects.filter(service=Service.CAS2).order_by("sort_order")}
    cohorts: dict[str, list[ReferralCohort]] = {}
    for cohort in ReferralCohort.objects.filter(route__service=Service.CAS2).order_by("sort_order"):
        cohorts.setdefault(cohort.route.code, []).append(cohort)
    people = generator._people_in_pool(ctx)
    known: dict[int, tuple] = {}

    def person(index: int) -> tuple:
        found = known.get(index)
        if found is None:
            p, risk = national_person(index)
            found = known[index] = (
                p.crn,
                p.noms_number or "",
                p.pnc_number or "",
                p.name,
                p.date_of_birth,
                p.sex or "",
                p.gender_identity or "",
                p.ethnicity or "",
                regions.get(p.manager.region_code),
                risk.rosh.overall or "",
            )
        return found

    def someone(sex_rule: str | None, needs_noms: bool) -> tuple:
        while True:
            candidate = person(generator._person_for(rng, people, sex_rule))
            if candidate[1] or not needs_noms:
                return candidate

    # Every application's start, by route, then all of them in time order.
    starts = []
    for code, route in routes.items():
        last = min(today, (route.closes_on - dt.timedelta(days=1)) if route.closes_on else today)
        days = (last - route.opens_on).days + 1
        if days <= 0 or code not in DAILY:
            continue
        for _ in range(int(DAILY[code] * ctx.scale * days + rng.random())):
            starts.append((route.opens_on + dt.timedelta(days=rng.randrange(days)), code))
    starts.sort()

    writer = _Writer()
    statuses: dict[str, int] = {}
    for day, code in starts:
        route = routes[code]
        open_cohorts = [c for c in cohorts.get(code, ()) if c.is_open_on(day)]
        if not open_cohorts:
            continue
        cohort = rng.choices(open_cohorts, [COHORT_WEIGHTS.get(c.code, 10) for c in open_cohorts])[0]
        referral, referrer = _application(ctx, rng, route, cohort, day, users, prisons, someone)
        if referral is None:
            continue
        writer.referrals.append(referral)
        if rng.random() < DRAFTS:
            age = (today - day).days
            if rng.random() < (ABANDONED_OLD if age > RECENT_DAYS else ABANDONED_RECENT):
                referral.deleted_at = min(
                    end_of_today, referral.created_at + dt.timedelta(days=rng.randrange(1, 30), hours=1)
                )
                referral.answers = {}
            referral.updated_at = referral.deleted_at or referral.created_at
            statuses["draft"] = statuses.get("draft", 0) + 1
        else:
            _submit_and_assess(rng, writer, referral, referrer, code, users, prisons, end_of_today)
            statuses[referral.status] = statuses.get(referral.status, 0) + 1
        if len(writer.referrals) >= BATCH:
            writer.flush()
    writer.flush()
    ctx.counts.update(writer.counts)
    ctx.progress(
        f"cas2: {writer.counts['cas2 applications']} applications ("
        + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        + f"), {writer.counts['cas2 timeline entries']} timeline entries"
    )


def _application(ctx, rng, route, cohort, day, users, prisons, someone):
    """A new application started on `day` by a user of the route's role, for a person who fits it."""
    code = route.code
    if code in ("prison_bail", "hdc"):
        prison_pk, prison_code, womens = prisons[rng.randrange(len(prisons))]
        role = Role.CAS2_PRISON_REFERRER if code == "prison_bail" else Role.CAS2_HDC_REFERRER
        staff = users["by_prison"].get((prison_pk, str(role)))
        if not staff:
            return None, None
        referrer = rng.choice(staff)
        p = someone("Female" if womens else "Male", needs_noms=True)
    else:
        role = Role.CAS2_COURT_REFERRER if code == "court_bail" else Role.CAS2_PROBATION_REFERRER
        prison_pk = None
        p = someone(None, needs_noms=False)
        region_pk = p[8] or rng.choice([key[0] for key in users["by_region"]])
        staff = (
            users["by_region"].get((region_pk, str(role)))
            or users["by_region"][next(key for key in users["by_region"] if key[1] == str(role))]
        )
        referrer = rng.choice(staff)
    created = _at(day, rng)
    referral = Referral(
        id=_id(rng),
        service=Service.CAS2,
        created_by_id=referrer[0],
        status=DRAFT,
        crn=p[0],
        noms_number=p[1],
        pnc_number=p[2],
        person_name=p[3],
        date_of_birth=p[4],
        sex=p[5],
        gender_identity=p[6],
        ethnicity=p[7],
        origin_region_id=referrer[4],
        # CAS2's region is the person's probation region, for reports and filters (never a queue).
        region_id=p[8] or referrer[4],
        form_key="cas2-referral",
        form_version=1,
        answers={},
        rosh_level=p[9],
        route_id=route.pk,
        cohort_id=cohort.pk,
        referring_prison_id=prison_pk,
        consent_given=True,
        consent_given_on=day,
        created_at=created,
        updated_at=created,
    )
    if code == "hdc":
        referral.hdc_eligibility_date = day + dt.timedelta(days=rng.randint(14, 120))
        referral.conditional_release_date = referral.hdc_eligibility_date + dt.timedelta(days=rng.randint(60, 540))
    elif code == "court_bail":
        referral.bail_hearing_date = day + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 7)))
        referral.bail_hearing_court = rng.choice(COURTS)
    elif code == "prison_bail":
        referral.bail_hearing_date = day + dt.timedelta(days=rng.randint(7, 42))
        referral.bail_hearing_court = rng.choice(COURTS)
    first, second = rng.sample(PREFERRED_AREAS, 2)
    referral.preferred_area_1, referral.preferred_area_2 = first, (second if rng.random() < 0.7 else "")
    referral.has_exclusion_zones = rng.random() < 0.25
    referral.has_risk_to_self_concerns = rng.random() < 0.2
    referral.has_substance_misuse_needs = rng.random() < 0.45
    referral.has_mental_health_needs = rng.random() < 0.4
    referral.has_physical_health_needs = rng.random() < 0.15
    referral.funding_source = rng.choice(("housing_benefit", "housing_benefit", "personal_money"))
    referral.has_id_documents = rng.random() < 0.7
    referral.needs_accessible_property = rng.random() < 0.05
    referral.needs_women_only = p[5] == "Female" and rng.random() < 0.6
    referral.referrer_phone = f"0300 {rng.randrange(10**6):06d}"
    referral.referrer_job_title = {
        "court_bail": "Court liaison officer",
        "prison_bail": "Bail information officer",
        "hdc": "Prison offender manager",
        "probation": "Probation practitioner",
    }[code]
    return referral, referrer


def _details(rng, action, route_code) -> dict:
    choices = detail_choices(action, route_code)
    if action not in WORKFLOW.details_required or not choices:
        return {}
    picked = rng.sample(choices, min(len(choices), rng.choice((1, 1, 1, 2))))
    return {"status_details": [c for c, _ in picked], "labels": [label for _, label in picked]}


def _step_later(rng, moment: dt.datetime, route_code: str) -> dt.datetime:
    """When the next thing happens: hours for court bail (assessed the same day), days for the rest."""
    if route_code == "court_bail":
        return moment + dt.timedelta(hours=rng.randint(1, 30), minutes=rng.randrange(60))
    return moment + dt.timedelta(days=rng.randint(0, 9), hours=rng.randint(1, 8), minutes=rng.randrange(60))


def _submit_and_assess(rng, writer, referral, referrer, route_code, users, prisons, end_of_today) -> None:
    """Submitted (court bail within hours, to be assessed that day; the rest within days), then taken
    through the workflow by the provider until it closes, the person arrives or today comes."""
    created = referral.created_at
    if route_code == "court_bail":
        submitted = created + dt.timedelta(minutes=rng.randint(20, 120))
    else:
        submitted = max(created + dt.timedelta(minutes=20), _step_later(rng, created, route_code))
    submitted = min(submitted, end_of_today)
    referral.status, referral.submitted_at = WORKFLOW.submitted, submitted
    writer.entry(referral, TimelineEntry.Kind.SUBMITTED, submitted, referrer, "referrer", to_status=WORKFLOW.submitted)
    moments = [submitted]
    if referral.referring_prison_id:
        is_hdc = route_code == "hdc"
        writer.assignments.append(
            PrisonAssignment(
                referral_id=referral.id,
                prison_id=referral.referring_prison_id,
                offender_manager_id=referrer[0] if is_hdc else None,
                offender_manager_name=referrer[1] if is_hdc else "",
                reason=PrisonAssignment.Reason.SUBMITTED,
                created_at=submitted,
            )
        )
        referral.current_prison_id = referral.referring_prison_id
        referral.offender_manager_id = referrer[0] if is_hdc else None

    # The provider's status updates, each an allowed transition of the workflow.
    assessor = rng.choice(users["assessors"])
    moment = submitted
    status = referral.status
    while True:
        allowed = WORKFLOW.allowed_actions(status)
        weights = NEXT.get(status, {})
        options = [(action, weights[action]) for action in allowed if weights.get(action)]
        if not options or rng.random() < STOPS.get(status, 0):
            break
        moment = _step_later(rng, moment, route_code)
        if moment > end_of_today:
            break  # still with the provider today
        action = rng.choices([a for a, _ in options], [w for _, w in options])[0]
        after = WORKFLOW.next_status(status, action)
        by_referrer = action in WORKFLOW.action_permissions
        writer.entry(
            referral,
            TimelineEntry.Kind.STATUS,
            moment,
            referrer if by_referrer else assessor[:2],
            "referrer" if by_referrer else "assessor",
            action=str(action),
            from_status=status,
            to_status=after,
            details=_details(rng, action, route_code),
            emailed_to="" if by_referrer else referrer[2],
        )
        moments.append(moment)
        if not referral.assessor_name:
            referral.assessor_name = assessor[1]
            referral.provider_reference = f"NAC-{rng.randrange(10**6):06d}"
        status = after
        if WORKFLOW.status(status).closes:
            referral.closed_at = moment
            break
    referral.status = status

    if route_code == "hdc":
        _moves(rng, writer, referral, users, prisons, moments, end_of_today)
    if rng.random() < NOTES:
        for _ in range(rng.choice((1, 1, 2))):
            who, text = rng.choice(NOTE_TEXTS)
            when = min(end_of_today, submitted + (moments[-1] - submitted) * rng.random() + dt.timedelta(minutes=1))
            if who == "referrer":
                writer.entry(referral, TimelineEntry.Kind.NOTE, when, referrer, "referrer", text=text)
            else:
                writer.entry(
                    referral, TimelineEntry.Kind.NOTE, when, assessor[:2], "assessor", text=text, emailed_to=referrer[2]
                )
            moments.append(when)
    referral.updated_at = max(moments)


def _moves(rng, writer, referral, users, prisons, moments, end_of_today) -> None:
    """An HDC application follows the person: a move to another prison (its offender manager allocated
    there later, or not yet), or a new offender manager at the same prison, while the provider has it."""
    # Not moved once it reached a status it is not moved from (the last status update's moment).
    last = moments[-1] if referral.status in NOT_MOVED else end_of_today
    first = moments[0] + dt.timedelta(hours=1)
    if last <= first:
        return
    r = rng.random()
    if r >= TRANSFERS + ALLOCATIONS:
        return
    when = first + (last - first) * rng.random()
    womens = {pk: w for pk, _, w in prisons}
    codes = {pk: code for pk, code, _ in prisons}
    here = referral.current_prison_id
    earliest = when
    if r < TRANSFERS:
        choices = [pk for pk, _, w in prisons if pk != here and w == womens[here]]
        if not choices:
            return
        there = rng.choice(choices)
        writer.assignments.append(
            PrisonAssignment(
                referral_id=referral.id, prison_id=there, reason=PrisonAssignment.Reason.TRANSFER, created_at=when
            )
        )
        writer.entry(
            referral,
            TimelineEntry.Kind.TRANSFER,
            when,
            None,
            "system",
            details={"from_prison": codes[here], "to_prison": codes[there]},
        )
        referral.current_prison_id, referral.offender_manager_id = there, None
        moments.append(when)
        here = there
        if rng.random() >= 0.6:
            return
        # The new prison allocates an offender manager some days later, if the history goes that far.
        earliest, when = when, when + dt.timedelta(days=rng.randint(1, 14))
    staff = users["by_prison"].get((here, str(Role.CAS2_HDC_REFERRER)), [])
    staff = [s for s in staff if s[0] != referral.offender_manager_id]
    if not staff or when > last or when < earliest:
        return
    manager = rng.choice(staff)
    writer.assignments.append(
        PrisonAssignment(
            referral_id=referral.id,
            prison_id=here,
            offender_manager_id=manager[0],
            offender_manager_name=manager[1],
            reason=PrisonAssignment.Reason.ALLOCATION,
            created_at=when,
        )
    )
    writer.entry(
        referral,
        TimelineEntry.Kind.ALLOCATION,
        when,
        None,
        "system",
        details={"prison": codes[here], "offender_manager": manager[1]},
    )
    referral.offender_manager_id = manager[0]
    moments.append(when)
