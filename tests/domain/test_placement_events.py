"""A booking's events reach a real local webhook receiver: every event of the booking's life, in
order, exactly once, although the receiver refuses its first delivery. And the SNS publisher signs
a Publish request a topic accepts."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from cas.core import clock
from cas.events.domain_events import redeliver_pending
from cas.events.models import DomainEvent, EventDelivery
from cas.events.publishers import SnsPublisher, configured_publishers
from cas.placements import services
from cas.placements.services import OverstayDecision
from tests.estate_factories import make_estate
from tests.placement_factories import departure_reason, move_on

pytestmark = pytest.mark.django_db
SECRET = "receiver-secret"


class Receiver:
    """A webhook endpoint on localhost: answers 500 to the first request, then 202."""

    def __init__(self):
        self.received: list[dict] = []
        self.requests = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests += 1
                expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                if self.headers["X-CAS-Signature"] != f"sha256={expected}":
                    self.send_response(401)
                elif receiver.requests == 1:
                    self.send_response(500)
                else:
                    receiver.received.append(json.loads(body))
                    self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_every_event_of_a_booking_reaches_the_webhook_in_order_exactly_once(
    settings, django_capture_on_commit_callbacks
):
    _, (bedspace,) = make_estate("N51", bedspaces=1)
    today = clock.today()
    with Receiver() as receiver:
        settings.EVENTS = {
            **settings.EVENTS,
            "endpoints": [{"name": "ndelius", "type": "webhook", "url": receiver.url, "secret": SECRET}],
            "backoff_seconds": 30,
        }
        steps = [
            lambda b: services.create_booking(
                None, bedspace, crn="X100001", arrival_date=today, departure_date=today + dt.timedelta(days=20)
            ),
            lambda b: services.confirm_booking(None, b),
            lambda b: services.record_arrival(
                None,
                b,
                arrival_date=today - dt.timedelta(days=1),
                expected_departure_date=today + dt.timedelta(days=20),
            ),
            lambda b: services.change_departure_date(
                None,
                b,
                departure_date=today + dt.timedelta(days=90),
                overstay=OverstayDecision(True, "Tenancy starts later"),
            ),
            lambda b: services.record_departure(
                None, b, departure_date=today, reason=departure_reason(), move_on_category=move_on()
            ),
        ]
        booking = None
        for step in steps:
            with django_capture_on_commit_callbacks(execute=True):
                booking = step(booking)
        # The first delivery failed, so the person's later events waited behind it.
        assert receiver.received == []
        assert redeliver_pending() == 0  # still backing off
        redeliver_pending(clock.now() + dt.timedelta(minutes=5))
        redeliver_pending(clock.now() + dt.timedelta(minutes=10))  # nothing left to send twice
    events = list(DomainEvent.objects.filter(subject_id=str(booking.pk)).order_by("occurred_at", "id"))
    assert [m["id"] for m in receiver.received] == [str(e.pk) for e in events]
    assert [m["eventType"] for m in receiver.received] == [
        "accommodation.cas3.booking.provisionally-made",
        "accommodation.cas3.booking.confirmed",
        "accommodation.cas3.person.arrived",
        "accommodation.cas3.booking.dates-changed",
        "accommodation.cas3.person.departed",
    ]
    assert receiver.requests == len(events) + 1  # one refused, then each event once
    first = EventDelivery.objects.get(event=events[0])
    assert first.status == "delivered" and first.attempts == 2
    assert list(first.log.values_list("status_code", flat=True)) == [None, 202]
    assert all(
        e.delivery == DomainEvent.Delivery.DELIVERED for e in DomainEvent.objects.filter(pk__in=[e.pk for e in events])
    )


def test_sns_publisher_signs_a_publish_request(settings):
    settings.EVENTS = {
        **settings.EVENTS,
        "endpoints": [
            {
                "type": "sns",
                "name": "sns",
                "topic_arn": "arn:aws:sns:eu-west-2:000000000000:domainevents",
                "endpoint_url": "http://localhost:4566/",
                "region": "eu-west-2",
                "access_key": "AKIDEXAMPLE",
                "secret_key": "secret",
            }
        ],
    }
    (publisher,) = configured_publishers()
    assert isinstance(publisher, SnsPublisher)
    url, headers, body = publisher.request(
        {"eventType": "accommodation.cas3.person.arrived", "id": "1"}, now=dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    )
    form = parse_qs(body.decode())
    assert form["Action"] == ["Publish"] and form["TopicArn"] == ["arn:aws:sns:eu-west-2:000000000000:domainevents"]
    assert json.loads(form["Message"][0])["eventType"] == "accommodation.cas3.person.arrived"
    assert form["MessageAttributes.entry.1.Value.StringValue"] == ["accommodation.cas3.person.arrived"]
    assert headers["authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260501/eu-west-2/sns/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature="
    )
    assert headers["x-amz-date"] == "20260501T120000Z" and url == "http://localhost:4566/"
