"""The emails the service sends, in our own words. Placeholders use GOV.UK Notify's ((name)) syntax
so the same text can be pasted into Notify templates; Notify template ids come from settings."""

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\(\(([a-z_]+)\)\)")


class MissingPersonalisation(ValueError):
    pass


@dataclass(frozen=True)
class EmailTemplate:
    key: str
    subject: str
    body: str
    description: str

    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.subject + self.body))

    def render(self, personalisation: dict) -> tuple[str, str]:
        missing = self.placeholders() - set(personalisation)
        if missing:
            raise MissingPersonalisation(f"{self.key} needs {', '.join(sorted(missing))}")

        def fill(text: str) -> str:
            return PLACEHOLDER.sub(lambda m: str(personalisation[m.group(1)]), text)

        return fill(self.subject), fill(self.body)


EMAIL_TEMPLATES: dict[str, EmailTemplate] = {}


def register(template: EmailTemplate) -> EmailTemplate:
    if template.key in EMAIL_TEMPLATES:
        raise ValueError(f"Email template {template.key} is registered twice")
    EMAIL_TEMPLATES[template.key] = template
    return template


register(
    EmailTemplate(
        key="account_created",
        subject="Your account for the Community Accommodation Service",
        body=(
            "Hello ((name)),\n\n"
            "An administrator has created an account for you on the Community Accommodation Service.\n\n"
            "Your username is ((username)). Sign in at ((sign_in_url)).\n\n"
            "If you did not expect this email, tell your service administrator."
        ),
        description="Sent to a new user when an administrator creates their account.",
    )
)
