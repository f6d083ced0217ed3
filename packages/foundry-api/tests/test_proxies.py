"""Trusted proxies: X-Forwarded-* honoured only from TRUSTED_PROXIES, right-most untrusted."""

from __future__ import annotations

import pytest
from api_support import AppProvider

from foundry.api.proxies import TrustedProxies
from foundry.domain.errors import ConfigurationError

FORWARDED = {
    "X-Forwarded-For": "198.51.100.9, 10.0.0.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "shop.example.com",
}


def test_the_client_is_the_right_most_untrusted_address():
    proxies = TrustedProxies(["10.0.0.0/8", "192.0.2.1"])
    # the client forged the first entry; 10.0.0.7 and 192.0.2.1 are our own proxies
    assert proxies.client_from("6.6.6.6, 198.51.100.9, 10.0.0.7, 192.0.2.1") == "198.51.100.9"


def test_when_every_hop_is_a_proxy_the_left_most_is_the_client():
    proxies = TrustedProxies(["10.0.0.0/8"])
    assert proxies.client_from("10.0.0.3, 10.0.0.7") == "10.0.0.3"


def test_ports_and_ipv6_brackets_are_understood():
    proxies = TrustedProxies(["2001:db8::/32"])
    assert proxies.client_from("[2001:db8::5]:443, 198.51.100.9:5000") == "198.51.100.9"
    assert proxies.contains("[2001:db8::1]:80")


def test_garbage_stops_the_walk_at_the_last_real_hop():
    proxies = TrustedProxies(["10.0.0.0/8"])
    assert proxies.client_from("not-an-ip, 10.0.0.7") == "10.0.0.7"
    assert proxies.client_from("unknown") is None


def test_a_bad_entry_is_a_configuration_error_naming_it():
    with pytest.raises(ConfigurationError, match=r"TRUSTED_PROXIES entry 'proxy\.local'"):
        TrustedProxies(["10.0.0.1", "proxy.local"])


async def test_a_trusted_proxy_rewrites_client_scheme_and_host(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.0/8")
    async with client(api, peer="10.0.0.2") as http:
        response = await http.get("/client", headers=FORWARDED)
    assert response.json() == {
        "host": "198.51.100.9",
        "scheme": "https",
        "netloc": "shop.example.com",
        "server": ["shop.example.com", 443],
    }


async def test_a_forwarded_host_with_a_port_sets_the_server_port(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.2")
    async with client(api, peer="10.0.0.2") as http:
        response = await http.get("/client", headers={"X-Forwarded-Host": "shop.test:8443"})
    assert response.json()["server"] == ["shop.test", 8443]
    assert response.json()["netloc"] == "shop.test:8443"


async def test_forwarded_headers_from_an_untrusted_peer_change_nothing(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="10.0.0.0/8")
    async with client(api, peer="203.0.113.50") as http:
        response = await http.get("/client", headers=FORWARDED)
    seen = response.json()
    assert (seen["host"], seen["scheme"], seen["netloc"]) == ("203.0.113.50", "http", "testserver")
    assert seen["server"][0] == "testserver"


async def test_without_trusted_proxies_nothing_is_rewritten(build, client):
    api = build(AppProvider)
    async with client(api, peer="127.0.0.1") as http:
        response = await http.get("/client", headers=FORWARDED)
    assert response.json()["host"] == "127.0.0.1"
    assert response.json()["scheme"] == "http"


async def test_an_invalid_forwarded_host_is_ignored(build, client):
    api = build(AppProvider, TRUSTED_PROXIES="*")
    async with client(api, peer="203.0.113.50") as http:
        response = await http.get("/client", headers={"X-Forwarded-Host": "evil.com/path@x"})
    assert response.json()["netloc"] == "testserver"


def test_an_invalid_trusted_proxies_value_fails_the_boot(build):
    with pytest.raises(ConfigurationError, match=r"10\.0\.0\.300"):
        build(AppProvider, TRUSTED_PROXIES="10.0.0.300")
