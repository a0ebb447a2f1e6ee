def build_context(ctx: dict) -> None:
    from cas.events.models import OutboundEmail

    ctx["email"] = OutboundEmail.objects.create(
        template_key="account_created", to_address="someone@justice.gov.uk", subject="Sample", body="Body"
    )


SAMPLES = {"web:outbox-detail": lambda ctx: {"pk": ctx["email"].pk}}

LISTS_PEOPLE = {"web:outbox-list"}
