"""Property-based tests: validators accept exactly the valid inputs and never crash on junk."""

import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cas.core.forms import GovukDateField
from cas.web.forms.people import PersonSearchForm

date_field = GovukDateField(label_for_errors="release date")


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_real_date_round_trips(day):
    assert date_field.clean([str(day.day), str(day.month), str(day.year)]) == day
    assert date_field.clean([f" {day.day:02d} ", f"{day.month:02d}", str(day.year)]) == day


@given(st.lists(st.text(max_size=12), min_size=3, max_size=3))
def test_junk_is_a_clear_error_never_a_crash(parts):
    try:
        result = date_field.clean(parts)
    except ValidationError as exc:
        assert exc.messages[0].startswith(("Enter the release date", "The release date must"))
    else:
        assert isinstance(result, dt.date)


@given(st.integers(min_value=1, max_value=31), st.integers(min_value=1, max_value=12), st.integers(1000, 2100))
def test_impossible_dates_are_refused(day, month, year):
    try:
        expected = dt.date(year, month, day)
    except ValueError:
        expected = None
    if expected is None:
        try:
            date_field.clean([str(day), str(month), str(year)])
            raise AssertionError("accepted an impossible date")
        except ValidationError as exc:
            assert exc.messages == ["The release date must be a real date"]


@given(st.text(max_size=30))
def test_crn_validation_never_crashes_and_only_accepts_the_format(text):
    form = PersonSearchForm({"crn": text})
    if form.is_valid():
        crn = form.cleaned_data["crn"]
        assert len(crn) == 7 and crn[0].isalpha() and crn[0].isupper() and crn[1:].isdigit() and crn.isascii()
    else:
        assert form.errors["crn"]


@given(st.from_regex(r"\A[A-Za-z][0-9]{6}\Z"))
def test_every_well_formed_crn_is_accepted_and_upper_cased(text):
    form = PersonSearchForm({"crn": f"  {text} "})
    assert form.is_valid() and form.cleaned_data["crn"] == text.upper()
