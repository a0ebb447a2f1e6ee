"""Form definitions by key, so stored records name their form and version rather than code."""

from cas.forms_engine.definition import FormDefinition

_DEFINITIONS: dict[str, FormDefinition] = {}


def register(definition: FormDefinition) -> FormDefinition:
    _DEFINITIONS[definition.key] = definition
    return definition


def get(key: str) -> FormDefinition:
    try:
        return _DEFINITIONS[key]
    except KeyError:
        raise LookupError(f"No form definition registered as {key!r}") from None
