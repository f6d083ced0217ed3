"""Who is counted: the signed-in user, else the ASGI client address — never a header the
client wrote."""

from __future__ import annotations

from foundry.ratelimit.identity import address_key, scope_identity

ONE_PER_MINUTE = {"RATE_LIMIT_DEFAULT": "1/minute"}


async def test_signed_in_users_are_counted_apart_even_from_one_address(site, bind, frozen):
    async with site(bind(frozen), auth=True, env=ONE_PER_MINUTE) as http:
        alice = [(await http.get("/", headers={"x-test-user": "alice"})).status_code for _ in "ab"]
        bob = (await http.get("/", headers={"x-test-user": "bob"})).status_code
        anonymous = (await http.get("/")).status_code
    assert alice == [200, 429]
    assert bob == 200
    assert anonymous == 200


async def test_one_user_is_one_budget_from_any_address(make_app, serve, bind, frozen, pages):
    app = make_app(pages(auth=True), bind(frozen), env=ONE_PER_MINUTE)
    async with (
        serve(app, client=("198.51.100.1", 1)) as home,
        serve(app, client=("203.0.113.7", 1)) as office,
    ):
        first = await home.get("/", headers={"x-test-user": "42"})
        second = await office.get("/", headers={"x-test-user": "42"})
    assert (first.status_code, second.status_code) == (200, 429)


async def test_anonymous_clients_are_counted_by_address(make_app, serve, bind, frozen, pages):
    app = make_app(pages(), bind(frozen), env=ONE_PER_MINUTE)
    async with (
        serve(app, client=("198.51.100.1", 1)) as one,
        serve(app, client=("198.51.100.2", 1)) as two,
    ):
        assert [(await one.get("/")).status_code for _ in "ab"] == [200, 429]
        assert (await two.get("/")).status_code == 200


async def test_a_spoofed_x_forwarded_for_does_not_change_the_key(site, bind, frozen):
    async with site(bind(frozen), env=ONE_PER_MINUTE) as http:
        statuses = [
            (await http.get("/", headers={"x-forwarded-for": f"10.0.0.{n}"})).status_code
            for n in range(5)
        ]
    assert statuses == [200, 429, 429, 429, 429]


async def test_the_address_rewritten_by_the_trusted_proxy_middleware_is_the_key(site, bind, frozen):
    # the trusted-proxies middleware (earlier in the stack) rewrote scope["client"]
    async with site(bind(frozen), proxy=True, env=ONE_PER_MINUTE) as http:
        first = await http.get("/", headers={"x-forwarded-for": "192.0.2.1"})
        again = await http.get("/", headers={"x-forwarded-for": "192.0.2.1"})
        other = await http.get("/", headers={"x-forwarded-for": "192.0.2.2"})
    assert [first.status_code, again.status_code, other.status_code] == [200, 429, 200]


async def test_ipv6_clients_share_a_budget_per_64_network(make_app, serve, bind, frozen, pages):
    app = make_app(pages(), bind(frozen), env=ONE_PER_MINUTE)
    async with (
        serve(app, client=("2001:db8:1:2::1", 1)) as one,
        serve(app, client=("2001:db8:1:2:ffff::9", 1)) as same_network,
        serve(app, client=("2001:db8:1:3::1", 1)) as other_network,
    ):
        assert (await one.get("/")).status_code == 200
        assert (await same_network.get("/")).status_code == 429
        assert (await other_network.get("/")).status_code == 200


def test_identity_keys():
    assert scope_identity({"client": ("203.0.113.9", 5000)}) == "ip:203.0.113.9"
    assert scope_identity({"client": None}) == "ip:unknown"
    assert scope_identity({}) == "ip:unknown"
    assert address_key("2001:db8::1") == "ip:2001:db8::/64"
    assert address_key("testclient") == "ip:testclient"


def test_the_user_id_takes_precedence_over_the_address():
    from foundry.domain.context import bind_context

    with bind_context(user_id="7"):
        assert scope_identity({"client": ("203.0.113.9", 5000)}) == "user:7"
