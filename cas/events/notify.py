"""GOV.UK Notify client: one class, a narrow interface, errors turned into NotifyError."""

import base64
import hashlib
import hmac
import json
import time
import uuid

import requests

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"


class NotifyError(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parse_api_key(api_key: str) -> tuple[str, str]:
    """Notify keys are `<name>-<service id (uuid)>-<secret (uuid)>`; returns (service id, secret)."""
    if len(api_key) < 74:
        raise NotifyError("The GOV.UK Notify API key is not in the expected format")
    secret = api_key[-36:]
    service_id = api_key[-73:-37]
    try:
        uuid.UUID(secret)
        uuid.UUID(service_id)
    except ValueError:
        raise NotifyError("The GOV.UK Notify API key is not in the expected format") from None
    return service_id, secret


def make_token(service_id: str, secret: str, now: float | None = None) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    claims = _b64(json.dumps({"iss": service_id, "iat": int(now if now is not None else time.time())}).encode())
    signing_input = f"{header}.{claims}".encode()
    signature = _b64(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return f"{header}.{claims}.{signature}"


class NotifyClient:
    def __init__(self, api_key: str, base_url: str = DEFAULT_BASE_URL, timeout: float = 10.0, session=None):
        self.service_id, self.secret = parse_api_key(api_key)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def send_email(self, *, template_id: str, email_address: str, personalisation: dict, reference: str = "") -> str:
        body = {"template_id": template_id, "email_address": email_address, "personalisation": personalisation}
        if reference:
            body["reference"] = reference
        try:
            response = self.session.post(
                f"{self.base_url}/v2/notifications/email",
                json=body,
                headers={"Authorization": f"Bearer {make_token(self.service_id, self.secret)}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise NotifyError(f"GOV.UK Notify could not be reached: {exc.__class__.__name__}") from exc
        if response.status_code != 201:
            try:
                errors = response.json().get("errors", [])
                detail = "; ".join(e.get("message", "") for e in errors) or response.text[:200]
            except ValueError:
                detail = response.text[:200]
            raise NotifyError(f"GOV.UK Notify refused the email ({response.status_code}): {detail}")
        return response.json()["id"]
