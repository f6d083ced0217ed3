"""Accounts: registering, the welcome notification on the dashboard, mails through the
queue, the API tokens that protect writes."""

from __future__ import annotations

from foundry.testing import assert_status

JSON = {"accept": "application/json"}


async def register(client, email: str = "ada@example.test") -> None:
    response = await client.post(
        "/auth/register",
        json={
            "name": "Ada Lovelace",
            "email": email,
            "password": "correct horse battery staple",
            "password_confirmation": "correct horse battery staple",
        },
        headers=JSON,
    )
    assert response.status_code in (200, 201), response.text


async def test_a_new_account_finds_its_welcome_on_the_dashboard(client):
    await register(client)
    page = await client.get("/dashboard")
    assert_status(page, 200)
    assert "Hello, Ada Lovelace" in page.text
    assert "Welcome, Ada Lovelace!" in page.text
    assert "1 unread" in page.text
    listed = await client.get("/notifications", headers=JSON)
    assert listed.json()["meta"]["unread_count"] == 1


async def test_the_verification_mail_goes_through_the_queue(client, mail, queue):
    await register(client, "grace@example.test")
    mail.assert_queued(lambda m: m.has_to("grace@example.test"))
    mail.assert_nothing_sent()


async def test_the_dashboard_needs_a_signed_in_user(client):
    response = await client.get("/dashboard", headers=JSON)
    assert response.status_code == 401


async def test_the_live_page_subscribes_to_the_products_channel(client):
    page = await client.get("/live")
    assert_status(page, 200)
    assert 'const CHANNEL = "products"' in page.text
    assert "/app/${KEY}" in page.text


async def test_the_schedule_holds_the_apps_housekeeping(run_command):
    listed = await run_command("schedule:list", format="json")
    assert listed.exit_code == 0, listed.output
    commands = " ".join(str(event) for event in listed.data)
    for command in ("auth:clear-sessions", "passport:purge", "cache:prune", "queue:flush"):
        assert command in commands
