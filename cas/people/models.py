"""The case system's limits on who may see a person, copied here so that lists, searches, sorts and
reports can mask restricted and excluded people inside their queries (`cas.people.access`)."""

from django.db import models


class PersonAccess(models.Model):
    """One person's limits as the case system last gave them. A CRN with no row has not been
    checked yet and counts as limited (fail closed) until it is."""

    crn = models.CharField(max_length=20, primary_key=True)
    # Only the allowed users may see a restricted person.
    restricted = models.BooleanField(default=False)
    # When the lists were last found different from (or first copied from) the case system.
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "person's access limits"
        verbose_name_plural = "people's access limits"

    def __str__(self) -> str:
        return self.crn


class PersonAccessUser(models.Model):
    class Kind(models.TextChoices):
        ALLOWED = "allowed", "Allowed (restricted person)"
        EXCLUDED = "excluded", "Excluded"

    person = models.ForeignKey(PersonAccess, on_delete=models.CASCADE, related_name="users")
    # Lower case: the case system's usernames are compared without case.
    username = models.CharField(max_length=150)
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "username", "kind"], name="person_access_user_once")]
        indexes = [models.Index(fields=["username", "kind"], name="person_access_by_user")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind} {self.username}"
