def build_context(ctx: dict) -> None:
    from cas.accounts.services import create_api_token
    from cas.core import clock
    from cas.events.models import DomainEvent

    ctx["event"] = DomainEvent.objects.create(
        event_type="sample.event",
        service="cas3",
        occurred_at=clock.now(),
        crn="X100001",
        subject_type="accounts.user",
        subject_id=str(ctx["other_user"].pk),
        detail={"sample": True},
    )
    ctx["api_token"], _ = create_api_token(None, ctx["other_user"], "Sample system")


SAMPLES = {
    "api:event-detail": lambda ctx: {"pk": ctx["event"].pk},
    "web:user-token-create": lambda ctx: {"pk": ctx["other_user"].pk},
    "web:user-token-revoke": lambda ctx: {"pk": ctx["other_user"].pk, "token_id": ctx["api_token"].pk},
}

LISTS_PEOPLE = {"api:event-feed"}
