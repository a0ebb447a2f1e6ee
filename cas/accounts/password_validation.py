"""Password rules beyond Django's own: an upper limit, so that passwords of any sensible length (64
characters and more) are allowed but a megabyte of text is not hashed (OWASP ASVS 2.1.2)."""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"The password must be {self.max_length} characters or fewer",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return f"Your password must be {self.max_length} characters or fewer."
