"""The API's one JSON parser: DRF's, with limits on what a body may hold.

Each limit turns input that failed deep inside the service (a RecursionError in the parser, a
renderer that cannot encode a lone surrogate echoed in an error message, a NUL that PostgreSQL
refuses) into a 400 problem+json before any serializer or form sees it, whatever the field's type.
"""

import json
import math
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32
# Text no column can store and no response can encode: NUL (PostgreSQL text) and the UTF-16
# surrogates, which JSON's \ud800 escapes can produce but UTF-8 cannot represent.
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class BodyRefused(ParseError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BodyRefused("Numbers must be finite: 1e999 and the like are too large", code="number_too_large")
    return value


def _constant(name: str):
    raise BodyRefused(f"{name} is not a number JSON allows", code="number_not_allowed")


def check_values(data) -> None:
    """Walk the parsed body without recursion: no deeper than MAX_DEPTH, no text with NUL or
    surrogates in any key or value."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None and _BAD_TEXT.search(key):
                    raise _bad_text()
                stack.append((item, depth + 1))
        elif isinstance(value, str) and _BAD_TEXT.search(value):
            raise _bad_text()


def _bad_text() -> BodyRefused:
    # The message never repeats the value: a lone surrogate cannot be written back in the answer.
    return BodyRefused(
        "Text must not contain NUL characters or unpaired surrogates: send plain UTF-8 text",
        code="invalid_text",
    )


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        declared = str(request.META.get("CONTENT_LENGTH") or "") if request is not None else ""
        if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise _too_large()  # before reading a byte of it
        body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
        encoding = get_encoding(parser_context)  # text encodings only, as DRF's parser
        try:
            data = json.loads(body.decode(encoding), parse_float=_finite, parse_constant=_constant)
        except RecursionError:
            raise _too_deep() from None
        except ValueError as exc:  # bad JSON, bad bytes for the encoding, an integer of over 4300 digits
            raise ParseError(f"JSON parse error - {exc}") from None
        check_values(data)
        return data


def _too_deep() -> BodyRefused:
    return BodyRefused(
        f"The JSON is nested too deeply: use at most {MAX_DEPTH} levels of arrays and objects", code="too_deep"
    )


def _too_large() -> BodyRefused:
    return BodyRefused(f"The request body must be {MAX_BODY_BYTES // 1024 // 1024} MB or smaller", code="too_large")
