"""A small form, declared twice, to test the engine without any CAS knowledge: version 1 and the
version 2 that renames a field, drops a choice and a page, and changes the meaning of a question."""

import datetime as dt

from django import forms

from cas.forms_engine import forms as f
from cas.forms_engine.definition import END, FormDefinition, Migration, Page, Section, Task


class HasPetsForm(f.PageForm):
    heading_field = "has_pets"
    has_pets = f.yes_no("Does {name} have pets?", error="Select yes if {name} has pets")


class PetDetailsV1(f.PageForm):
    pet_type = f.radios(
        "What kind of pet?", [("cat", "Cat"), ("dog", "Dog"), ("other", "Other")], error="Select the kind of pet"
    )
    other = f.text("What other kind of pet?", error="Enter the kind of pet")
    conditional_fields = {"pet_type": {"other": ("other",)}}


class PetDetailsV2(f.PageForm):
    species = f.radios("What species?", [("cat", "Cat"), ("dog", "Dog")], error="Select the species")


class HousingForm(f.PageForm):
    heading_field = "moved_in"
    moved_in = f.date("When did they move in?", what="date they moved in")

    def clean_moved_in(self):
        value = self.cleaned_data["moved_in"]
        if value and value > self.today:
            raise forms.ValidationError("The date they moved in must be today or in the past")
        return value


class NeedsForm(f.PageForm):
    heading_field = "needs"
    needs = f.checkboxes(
        "Which needs?",
        [("hearing", "Hearing"), ("mobility", "Mobility"), ("none", "None of these")],
        error="Select their needs, or ‘None of these’",
    )
    hearing_detail = f.textarea("Hearing needs", error="Describe their hearing needs")
    mobility_detail = f.textarea("Mobility needs", error="Describe their mobility needs")
    conditional_fields = {"needs": {"hearing": ("hearing_detail",), "mobility": ("mobility_detail",)}}
    exclusive_choices = {"needs": "none"}


class EmailForm(f.PageForm):
    heading_field = "email"
    email = f.text("Email address", error="Enter an email address")


class PhoneForm(f.PageForm):
    heading_field = "phone"
    phone = f.text("Phone number (optional)", required=False)


class ConsentForm(f.PageForm):
    heading_field = "consent"
    consent = f.yes_no("Has consent been given?", error="Select yes if consent has been given")


def _pets_next(answers, ctx):
    return "pet-details" if answers.value("household", "has-pets", "has_pets") == "yes" else "housing"


def _consent_blocker(values, answers, ctx):
    if values and values.get("consent") == "no":
        return "consent must be given before you submit"
    return None


def definition(version: int = 1) -> FormDefinition:
    pet_details = PetDetailsV1 if version == 1 else PetDetailsV2
    contact_pages = [Page("email", "Email address", EmailForm)]
    if version == 1:
        contact_pages.append(Page("phone", "Phone number", PhoneForm))
    return FormDefinition(
        key="sample",
        version=version,
        title="Sample form",
        sections=(
            Section(
                "about",
                "About the person",
                (
                    Task(
                        "household",
                        "Household",
                        (
                            Page("has-pets", "Does {name} have pets?", HasPetsForm, next=_pets_next),
                            Page("pet-details", "Pet details", pet_details, next="housing"),
                            Page("housing", "When did they move in?", HousingForm, next=END),
                        ),
                    ),
                    Task("needs", "Needs", (Page("needs", "Which needs?", NeedsForm),)),
                    Task("contact", "Contact", tuple(contact_pages)),
                    Task(
                        "consent",
                        "Consent",
                        (Page("consent", "Consent", ConsentForm, blocker=_consent_blocker),),
                        depends_on=(),
                    ),
                ),
            ),
            Section(
                "check",
                "Check",
                (
                    Task(
                        "check",
                        "Check your answers",
                        (Page("review", "Check", kind="review"),),
                        depends_on=("household", "needs", "contact", "consent"),
                    ),
                ),
            ),
        ),
        migrations=(
            Migration(
                1,
                2,
                "pet_type renamed species; phone no longer asked; moving-in date now means the tenancy start",
                transform=_v1_to_v2,
                reanswer=(("household", "housing", "We now ask for the date the tenancy started."),),
            ),
        )
        if version >= 2
        else (),
        reporting=lambda answers, ctx: {"has_pets": answers.value("household", "has-pets", "has_pets") == "yes"},
    )


def _v1_to_v2(data: dict) -> dict:
    pets = (data.get("household") or {}).get("pet-details")
    if pets is not None:
        pets["species"] = pets.pop("pet_type", None)
        pets.pop("other", None)
    return data


CTX = {"placeholders": {"name": "Alex"}, "today": dt.date(2026, 11, 23)}
