"""Mailables: templates from the app, Markdown in the package layout, app overrides."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from foundry.domain.mail import Address, Attachment, Mailer
from foundry.domain.storage import Storage
from foundry.mail import (
    ArrayTransport,
    Content,
    Envelope,
    Mailable,
    MailManager,
    MailViews,
    StorageFile,
    attachment_from_path,
)
from foundry.mail.exceptions import (
    AttachmentNotFoundError,
    MailConfigurationError,
    MailTemplateError,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))


def write(root: Path, relative: str, text: str) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


@dataclass
class OrderShipped(Mailable):
    order_id: int
    customer: str
    url: str = "https://shop.example.com/orders/42"

    def envelope(self) -> Envelope:
        return Envelope(
            subject=f"Order {self.order_id} shipped",
            to="ada@example.com",
            reply_to=[Address("help@example.com", "Help")],
            tags=["orders"],
            metadata={"order": str(self.order_id)},
            headers={"X-Order": str(self.order_id)},
            priority=2,
        )

    def content(self) -> Content:
        return Content(html="orders/shipped.html", text="orders/shipped.txt", data={"extra": "!"})


@dataclass
class Receipt(Mailable):
    customer: str
    total: str

    def content(self) -> Content:
        return Content(markdown="receipt.md")


MARKDOWN = """# Thanks, {{ customer }}

Your payment of **{{ total }}** was received.

{% call button(url="https://shop.example.com/receipts/7", color="success") %}
View receipt
{% endcall %}

{% call panel() %}
Paid with *card* ending 4242.
{% endcall %}

{% call table() %}
| Item | Qty |
|:-----|----:|
| Mug  |   2 |
{% endcall %}

Thanks,<br>
{{ app_name }}
"""


@pytest.fixture
def app_root(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "resources/views/mail/orders/shipped.html",
        "<p>Hello {{ customer }}, order {{ order_id }} shipped{{ extra }}</p>"
        '<a href="{{ url }}">Track</a>',
    )
    write(tmp_path, "resources/views/mail/orders/shipped.txt", "Hello {{ customer }} & co\n")
    write(tmp_path, "resources/views/mail/receipt.md", MARKDOWN)
    return tmp_path


@pytest.fixture
def views(app_root: Path) -> MailViews:
    return MailViews(app_root, app_name="Acme Shop", app_url="https://shop.example.com")


def test_html_and_text_templates_render_with_the_mailables_attributes(views: MailViews):
    message = OrderShipped(42, "<Ada>").build(views)
    assert message.subject == "Order 42 shipped"
    assert message.html == (
        "<p>Hello &lt;Ada&gt;, order 42 shipped!</p>"
        '<a href="https://shop.example.com/orders/42">Track</a>'
    )
    assert message.text == "Hello <Ada> & co\n"  # text templates are not escaped
    assert message.to == (Address("ada@example.com"),)
    assert message.reply_to == (Address("help@example.com", "Help"),)
    assert (message.tags, message.metadata, message.priority) == (("orders",), {"order": "42"}, 2)
    assert message.headers == {"X-Order": "42"}


def test_recipients_can_be_added_per_send(views: MailViews):
    message = (
        OrderShipped(1, "Ada")
        .to("bob@example.com")
        .cc("c@example.com")
        .bcc(Address("audit@example.com", "Audit"))
        .build(views)
    )
    assert [a.email for a in message.to] == ["ada@example.com", "bob@example.com"]
    assert [a.email for a in message.cc] == ["c@example.com"]
    assert message.bcc == (Address("audit@example.com", "Audit"),)


def test_markdown_renders_in_the_responsive_layout_with_components(views: MailViews):
    message = Receipt("Ada", "€12.50").build(views)
    html = message.html
    assert html is not None
    assert message.subject == "Receipt"  # the class name in words
    assert '<meta name="viewport"' in html
    assert "@media only screen" in html
    assert 'class="inner-body"' in html
    assert "<h1>Thanks, Ada</h1>" in html
    assert "<strong>€12.50</strong>" in html
    assert 'href="https://shop.example.com/receipts/7"' in html
    assert "button-success" in html
    assert "View receipt</a>" in html
    assert 'class="panel"' in html
    assert "<em>card</em>" in html
    assert "<th" in html
    assert "<td" in html
    assert ">Mug</td>" in html
    assert 'href="https://shop.example.com"' in html
    assert "Acme Shop" in html


def test_markdown_gives_a_text_body_with_the_text_components(views: MailViews):
    text = Receipt("Ada", "€12.50").build(views).text
    assert text is not None
    assert "# Thanks, Ada" in text
    assert "View receipt: https://shop.example.com/receipts/7" in text
    assert "Paid with *card* ending 4242." in text
    assert "| Mug  |   2 |" in text
    assert "<table" not in text
    assert "<a " not in text
    assert "Acme Shop" in text


def test_markdown_values_are_escaped_in_html_and_plain_in_text(views: MailViews):
    message = Receipt("<script>alert(1)</script>", "1 & 2").build(views)
    assert "<script>" not in (message.html or "")
    assert "&lt;script&gt;" in (message.html or "")
    assert "Thanks, <script>alert(1)</script>" in (message.text or "")
    assert "1 & 2" in (message.text or "")


def test_the_app_overrides_a_component_by_file_name(app_root: Path):
    write(
        app_root,
        "resources/views/vendor/mail/button.html",
        '<p class="my-button"><a href="{{ url }}">{{ slot }} →</a></p>',
    )
    write(app_root, "resources/views/vendor/mail/button.txt", "[{{ slot }}] {{ url }}")
    message = Receipt("Ada", "1").build(MailViews(app_root))
    assert (
        '<p class="my-button"><a href="https://shop.example.com/receipts/7">View receipt →</a>'
        in (message.html or "")
    )
    assert "button-success" not in (message.html or "")
    assert "[View receipt] https://shop.example.com/receipts/7" in (message.text or "")
    assert 'class="panel"' in (message.html or "")  # the others are still the package's


def test_the_app_overrides_the_layout(app_root: Path):
    write(
        app_root,
        "resources/views/vendor/mail/layout.html",
        "<html><body><div id='brand'>{{ body }}</div></body></html>",
    )
    html = Receipt("Ada", "1").build(MailViews(app_root)).html or ""
    assert html.startswith("<html><body><div id='brand'><h1>Thanks, Ada</h1>")
    assert 'class="inner-body"' not in html


def test_an_app_component_can_be_added(app_root: Path):
    write(app_root, "resources/views/vendor/mail/promo.html", "<div class='promo'>{{ code }}</div>")
    write(app_root, "resources/views/vendor/mail/promo.txt", "Code: {{ code }}")
    write(app_root, "resources/views/mail/receipt.md", '{{ component("promo", code="SPRING") }}')
    message = Receipt("Ada", "1").build(MailViews(app_root))
    assert "<div class='promo'>SPRING</div>" in (message.html or "")
    assert "Code: SPRING" in (message.text or "")


def test_embed_attaches_an_inline_image_referenced_by_content_id(app_root: Path):
    write(app_root, "resources/images/logo.png", "")
    (app_root / "resources/images/logo.png").write_bytes(PNG)
    write(
        app_root,
        "resources/views/mail/orders/shipped.html",
        "<img src=\"{{ embed('resources/images/logo.png') }}\">"
        "<img src=\"{{ embed('resources/images/logo.png') }}\">",
    )
    message = OrderShipped(1, "Ada").build(MailViews(app_root))
    [image] = [a for a in message.attachments if a.inline]
    assert image.content == PNG
    assert image.content_type == "image/png"
    assert message.html == f'<img src="cid:{image.content_id}"><img src="cid:{image.content_id}">'


def test_render_gives_the_html_for_previews(views: MailViews):
    assert OrderShipped(3, "Ada").render(views).startswith("<p>Hello Ada, order 3 shipped")


def test_a_missing_template_names_the_file_and_folder(tmp_path: Path):
    with pytest.raises(MailTemplateError, match=r'"orders/shipped.html" was not found') as caught:
        OrderShipped(1, "Ada").build(MailViews(tmp_path))
    assert "resources/views/mail" in caught.value.message


def test_a_variable_the_mailable_lacks_is_a_template_error(app_root: Path):
    write(app_root, "resources/views/mail/orders/shipped.html", "{{ missing_value }}")
    with pytest.raises(MailTemplateError, match="missing_value"):
        OrderShipped(1, "Ada").build(MailViews(app_root))


def test_a_mailable_without_templates_is_a_configuration_error(views: MailViews):
    class Empty(Mailable):
        def content(self) -> Content:
            return Content()

    with pytest.raises(MailConfigurationError, match="names no template"):
        Empty().build(views)


def test_attachment_from_path_guesses_the_type(tmp_path: Path):
    (tmp_path / "invoice.pdf").write_bytes(b"%PDF")
    attachment = attachment_from_path(tmp_path / "invoice.pdf")
    assert (attachment.filename, attachment.content_type) == ("invoice.pdf", "application/pdf")
    renamed = attachment_from_path(tmp_path / "invoice.pdf", name="Rechnung.pdf")
    assert renamed.filename == "Rechnung.pdf"
    with pytest.raises(AttachmentNotFoundError, match="does not exist"):
        attachment_from_path(tmp_path / "missing.pdf")


@dataclass
class InvoiceMail(Mailable):
    path: str

    def envelope(self) -> Envelope:
        return Envelope(subject="Invoice", to="ada@example.com")

    def content(self) -> Content:
        return Content(text="invoice.txt")

    def attachments(self) -> list[Attachment | StorageFile]:
        return [StorageFile(self.path, disk="local", name="invoice.pdf")]


async def test_storage_attachments_are_read_from_the_disk_when_sent(boot_app, mail_env, tmp_path):
    from foundry.storage.provider import StorageServiceProvider

    write(tmp_path, "resources/views/mail/invoice.txt", "Your invoice.\n")
    mail_env(MAIL_MAILER="array", MAIL_FROM_ADDRESS="shop@example.com")
    app = boot_app(StorageServiceProvider)
    await app.make(Storage).disk("local").put("invoices/7.pdf", b"%PDF-7")

    sent = await app.make(Mailer).send(InvoiceMail("invoices/7.pdf"))

    array = app.make(MailManager).transport("array")
    assert isinstance(array, ArrayTransport)
    [message] = array.messages()
    assert sent.accepted == ("ada@example.com",)
    assert [(a.filename, a.content, a.content_type) for a in message.attachments] == [
        ("invoice.pdf", b"%PDF-7", "application/pdf")
    ]
    assert message.from_ is not None
    assert message.from_.email == "shop@example.com"  # named after APP_NAME by default

    with pytest.raises(AttachmentNotFoundError, match=r'invoices/8.pdf is not on disk "local"'):
        await app.make(Mailer).send(InvoiceMail("invoices/8.pdf"))
    assert len(array) == 1


def test_storage_attachments_need_the_async_build(views: MailViews):
    with pytest.raises(MailConfigurationError, match="build_async"):
        InvoiceMail("invoices/7.pdf").build(views)


async def test_storage_attachments_without_storage_name_the_package(views: MailViews, app_root):
    write(app_root, "resources/views/mail/invoice.txt", "x")
    with pytest.raises(MailConfigurationError, match="foundry-storage"):
        await InvoiceMail("invoices/7.pdf").build_async(views=views)
