import pytest
from django.urls import reverse

from cas.core.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_me(client):
    client.force_login(make_user(Role.CAS3_ASSESSOR, Role.REPORTER))
    data = client.get(reverse("api:me")).json()
    assert data["roles"] == ["cas3_assessor", "reporter"] and data["region"] == "North West"


def test_anonymous_gets_401_json(client):
    response = client.get(reverse("api:me"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"


def test_person_endpoint_and_errors(client):
    client.force_login(make_user(Role.CAS3_REFERRER))
    data = client.get(reverse("api:person", args=["X100001"])).json()
    assert data["person"]["crn"] == "X100001" and data["risk"]["rosh"]["overall"]
    missing = client.get(reverse("api:person", args=["X000000"]))
    assert missing.status_code == 404 and "No person with CRN" in missing.json()["title"]
    restricted = client.get(reverse("api:person", args=["X100008"]))
    assert restricted.status_code == 403 and restricted.json()["code"] == "restricted"
    down = client.get(reverse("api:person", args=["X999991"]))
    assert down.status_code == 503


def test_person_endpoint_refused_without_role(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    assert client.get(reverse("api:person", args=["X100001"])).status_code == 403


def test_reference_list_filters(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    data = client.get(
        reverse("api:reference-list", args=["move-on-categories"]), {"service": "cas3", "active": "true"}
    ).json()
    assert data["count"] == 20
    assert all(item["services"] == ["cas3"] and item["is_active"] for item in data["results"])
    assert client.get(reverse("api:reference-list", args=["nonsense"])).status_code == 404


def test_areas_tag_each_local_authority_with_its_probation_region(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    data = client.get(reverse("api:areas"), {"active": "true"}).json()
    region_ids = {r["name"]: r["id"] for r in data["regions"]}
    by_name = {la["name"]: la for la in data["local_authorities"]}
    assert by_name["Salford"]["region"] == region_ids["Greater Manchester"]
    assert by_name["Cardiff"]["region"] == region_ids["Wales"]
    assert all(la["region"] in region_ids.values() for la in data["local_authorities"])


def test_openapi_document_describes_endpoints(client):
    client.force_login(make_user(Role.REPORTER, region_code="NA"))
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/me", "/api/v1/people/{crn}", "/api/v1/reference/{slug}"):
        assert path in text
