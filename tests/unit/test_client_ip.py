"""The client address for throttling and the audit (`cas.core.middleware.client_ip`): REMOTE_ADDR,
or behind a trusted proxy the nearest X-Forwarded-For hop that is not a trusted proxy, never a value
the client chose."""

import pytest
from django.test import RequestFactory

from cas.core.middleware import client_ip


def ip(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("203.0.113.9", "192.0.2.1") == "203.0.113.9"
    assert ip("10.0.0.5", "192.0.2.1") == "10.0.0.5"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),  # the proxy appended the client's address
        ("10.0.0.5", "192.0.2.66, 203.0.113.9", "203.0.113.9"),  # the client's own value is not believed
        ("10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two trusted proxies in a row
        ("10.0.0.5", None, "10.0.0.5"),  # no header: the proxy itself
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),  # garbled: stop at the last trusted proxy
        ("10.0.0.5", "203.0.113.9, unknown", "10.0.0.5"),
        ("10.0.0.5", "10.0.0.8", "10.0.0.8"),  # only proxies: the furthest one
        ("10.0.0.5", " 2001:db8::1 ", "2001:db8::1"),
        ("10.0.0.5", "::ffff:203.0.113.9", "203.0.113.9"),  # IPv4 through an IPv6 socket
        ("203.0.113.50", "192.0.2.1", "203.0.113.50"),  # not from a trusted proxy: header ignored
        ("fd00::1", "203.0.113.9", "203.0.113.9"),
        ("", "203.0.113.9", None),
        ("garbage", "203.0.113.9", None),
    ],
)
def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client(settings, remote, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]
    assert ip(remote, forwarded) == client


def test_trusted_proxies_setting_is_checked_at_start_up():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "CAS_ENV": "test", "TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "TRUSTED_PROXIES: 'proxy.internal' is not an IP address" in result.stderr


def test_deploy_check_warns_when_behind_the_proxy_without_trusted_proxies(settings):
    from cas.accounts.checks import trusted_proxies

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert [w.id for w in trusted_proxies(None)] == ["cas.W001"]
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert trusted_proxies(None) == []
