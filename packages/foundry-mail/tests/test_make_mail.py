"""make:mail: a scaffolded mailable passes ruff, imports, and renders at once."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from foundry.domain.application import CommandRunner
from foundry.mail import Mailable, MailViews
from foundry.stub_system.provider import StubSystemServiceProvider

# The workspace's lint selection plus docstrings, annotations, naming and unused arguments.
STRICT_RULES = "E,F,W,I,B,UP,SIM,RUF,PT,ASYNC,S,C4,PIE,RET,D,ANN,N,ARG"


def ruff(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def load(path: Path, name: str) -> type[Mailable]:
    spec = importlib.util.spec_from_file_location(f"generated_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mailable = getattr(module, name)
    assert issubclass(mailable, Mailable)
    return mailable


@pytest.fixture
async def make_mail(boot_app, tmp_path: Path):
    app = boot_app(StubSystemServiceProvider)
    runner = app.make(CommandRunner)

    async def run(*argv: str, **flags):
        return await runner.run("make:mail", list(argv), format="json", **flags)

    return run


async def test_make_mail_writes_a_mailable_and_an_html_template(make_mail, tmp_path: Path):
    outcome = await make_mail("OrderShipped")
    assert outcome.exit_code == 0, outcome.error
    assert [f["path"] for f in outcome.result.data["files"]] == [
        "app/__init__.py",
        "app/mail/__init__.py",
        "app/mail/order_shipped.py",
        "resources/views/mail/order_shipped.html",
    ]
    source = tmp_path / "app" / "mail" / "order_shipped.py"
    assert 'Content(html="order_shipped.html")' in source.read_text()

    mailable = load(source, "OrderShipped")
    message = mailable().to("ada@example.com").build(MailViews(tmp_path))
    assert message.subject == "Order Shipped"
    assert "<h1>Order Shipped</h1>" in (message.html or "")


async def test_make_mail_markdown_renders_in_the_mail_layout(make_mail, tmp_path: Path):
    outcome = await make_mail("invoice-paid", "--markdown")
    assert outcome.exit_code == 0, outcome.error
    assert (tmp_path / "resources/views/mail/invoice_paid.md").is_file()
    mailable = load(tmp_path / "app/mail/invoice_paid.py", "InvoicePaid")
    views = MailViews(tmp_path, app_name="Acme", app_url="https://acme.example.com")
    message = mailable().build(views)
    assert 'class="inner-body"' in (message.html or "")
    assert "<h1>Invoice Paid</h1>" in (message.html or "")
    assert 'href="https://acme.example.com"' in (message.html or "")
    assert "Visit Acme: https://acme.example.com" in (message.text or "")


@pytest.mark.parametrize("argv", [["OrderShipped"], ["OrderShipped", "--markdown"]])
async def test_generated_mailables_pass_ruff(make_mail, tmp_path: Path, argv):
    assert (await make_mail(*argv)).exit_code == 0
    app = str(tmp_path / "app")
    for command in (
        ["check", "--isolated", "--no-cache", app],
        [
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            STRICT_RULES,
            "--ignore",
            "D203,D213",
            app,
        ],
        ["format", "--isolated", "--no-cache", "--check", app],
    ):
        done = ruff(*command)
        assert done.returncode == 0, done.stdout + done.stderr


async def test_make_mail_refuses_to_overwrite_without_force(make_mail, tmp_path: Path):
    assert (await make_mail("Welcome")).exit_code == 0
    target = tmp_path / "app/mail/welcome.py"
    target.write_text("# edited\n")
    again = await make_mail("Welcome")
    assert again.exit_code != 0
    assert "--force" in (again.error or "")
    assert target.read_text() == "# edited\n"
    forced = await make_mail("Welcome", force=True)
    assert forced.exit_code == 0
    assert "class Welcome(Mailable)" in target.read_text()


async def test_make_mail_dry_run_writes_nothing(make_mail, tmp_path: Path):
    outcome = await make_mail("Welcome", dry_run=True)
    assert outcome.exit_code == 0
    assert {f["action"] for f in outcome.result.data["files"]} == {"planned"}
    assert not (tmp_path / "app").exists()
    assert not (tmp_path / "resources").exists()


async def test_make_mail_refuses_a_name_that_is_not_a_class(make_mail):
    outcome = await make_mail("123 bad!")
    assert outcome.exit_code == 2
