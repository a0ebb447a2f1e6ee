import io

import pytest
from django.core.management import call_command

from cas.demo.placements import DEMO_BOOKINGS, load_demo_bookings
from cas.placements.models import Booking
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_demo_bookings_in_every_state_and_several_regions_idempotent():
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert f"{len(DEMO_BOOKINGS)} bookings," in out.getvalue()
    statuses = {b.current_status.value for b in Booking.objects.all()}
    assert statuses == {"provisional", "confirmed", "arrived", "departed", "closed", "cancelled", "not_arrived"}
    assert set(Booking.objects.values_list("region__delius_code", flat=True)) == {"N51", "N07", "N03", "N50"}
    assert Booking.objects.filter(is_overstay=True, overstay_authorised=True).exists()
    linked = Booking.objects.get(crn="X100001")
    assert linked.referral is not None and linked.referral.status == ReferralStatus.ARCHIVED
    assert Referral.objects.filter(crn="X200007", status=ReferralStatus.READY_TO_PLACE).exists()
    count = Booking.objects.count()
    assert load_demo_bookings() == 0 and Booking.objects.count() == count
