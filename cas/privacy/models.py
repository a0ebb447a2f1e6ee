from django.db import models


class AnonymisedPerson(models.Model):
    """A person whose records the retention rules anonymised.

    Only the pseudonyms are kept, never the original CRN or prison number: the table lets the
    retention run skip people it already anonymised and lets administrators see how many were.
    """

    id = models.BigAutoField(primary_key=True)
    pseudonym_crn = models.CharField(max_length=7, unique=True)
    anonymised_at = models.DateTimeField()
    last_activity_at = models.DateTimeField(null=True, blank=True, help_text="The last activity on the closed case")
    records = models.PositiveIntegerField(default=0, help_text="How many records were anonymised")

    class Meta:
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"{self.pseudonym_crn} anonymised {self.anonymised_at:%Y-%m-%d}"
