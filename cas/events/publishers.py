"""Where domain events go besides the feed: signed webhooks, or an SNS-compatible topic.

Configured in `settings.EVENTS["endpoints"]` (from `EVENTS_WEBHOOKS`, `EVENTS_WEBHOOK_URL` and
`EVENTS_SNS_TOPIC_ARN`; see config/settings.py). A publisher's `send(event, message)` returns the
HTTP status on success and raises on failure; the caller logs and retries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, urlencode, urlsplit

import requests
from django.conf import settings


def signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Publisher(Protocol):
    name: str

    def send(self, event, message: dict) -> int: ...


@dataclass(frozen=True)
class WebhookPublisher:
    """POSTs the thin message as JSON, signed `X-CAS-Signature: sha256=<HMAC of the body>`."""

    name: str
    url: str
    secret: str = ""

    def send(self, event, message: dict) -> int:
        body = json.dumps(message).encode()
        response = requests.post(
            self.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-CAS-Signature": f"sha256={signature(body, self.secret)}",
                "X-CAS-Event-Id": str(event.pk),
            },
            timeout=settings.EVENTS.get("timeout", 5),
        )
        if response.status_code >= 300:
            raise requests.HTTPError(f"webhook answered {response.status_code}")
        return response.status_code


def _sign(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class SnsPublisher:
    """Publishes to an SNS topic (AWS, or any SNS-compatible service such as LocalStack) with the
    Query API and Signature Version 4, as the HMPPS domain events topic expects: the message is the
    thin event, with `eventType` as a message attribute for subscription filters."""

    name: str
    topic_arn: str
    endpoint_url: str
    region: str
    access_key: str
    secret_key: str

    def request(self, message: dict, now: dt.datetime | None = None) -> tuple[str, dict, bytes]:
        now = now or dt.datetime.now(dt.UTC)
        body = urlencode(
            {
                "Action": "Publish",
                "Version": "2010-03-31",
                "TopicArn": self.topic_arn,
                "Message": json.dumps(message),
                "MessageAttributes.entry.1.Name": "eventType",
                "MessageAttributes.entry.1.Value.DataType": "String",
                "MessageAttributes.entry.1.Value.StringValue": message["eventType"],
            },
            quote_via=quote,
        ).encode()
        parts = urlsplit(self.endpoint_url)
        amz_date = now.strftime("%Y%m%dT%H%M%SZ")
        day = now.strftime("%Y%m%d")
        payload_hash = hashlib.sha256(body).hexdigest()
        headers = {
            "content-type": "application/x-www-form-urlencoded; charset=utf-8",
            "host": parts.netloc,
            "x-amz-date": amz_date,
        }
        signed = ";".join(sorted(headers))
        canonical = "\n".join(
            [
                "POST",
                parts.path or "/",
                "",
                "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)),
                signed,
                payload_hash,
            ]
        )
        scope = f"{day}/{self.region}/sns/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = _sign(_sign(_sign(_sign(f"AWS4{self.secret_key}".encode(), day), self.region), "sns"), "aws4_request")
        headers["authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.access_key}/{scope}, SignedHeaders={signed}, "
            f"Signature={hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()}"
        )
        return self.endpoint_url, headers, body

    def send(self, event, message: dict) -> int:
        url, headers, body = self.request(message)
        response = requests.post(url, data=body, headers=headers, timeout=settings.EVENTS.get("timeout", 5))
        if response.status_code >= 300:
            raise requests.HTTPError(f"topic answered {response.status_code}")
        return response.status_code


def configured_publishers() -> list[Publisher]:
    """Every endpoint in the settings. The legacy single webhook (`webhook_url`) counts as one."""
    config = settings.EVENTS
    publishers: list[Publisher] = []
    for endpoint in config.get("endpoints") or []:
        if endpoint.get("type", "webhook") == "sns":
            publishers.append(
                SnsPublisher(
                    name=endpoint["name"],
                    topic_arn=endpoint["topic_arn"],
                    endpoint_url=endpoint["endpoint_url"],
                    region=endpoint.get("region", "eu-west-2"),
                    access_key=endpoint.get("access_key", ""),
                    secret_key=endpoint.get("secret_key", ""),
                )
            )
        else:
            publishers.append(WebhookPublisher(endpoint["name"], endpoint["url"], endpoint.get("secret", "")))
    if config.get("webhook_url") and all(p.name != "webhook" for p in publishers):
        publishers.append(WebhookPublisher("webhook", config["webhook_url"], config.get("webhook_secret", "")))
    return publishers
