"""Models, notifications and test doubles the tests share.

They live in an importable module (not a test module) because queued notifications are
found again by ``module:Class``, exactly as a worker in another process would.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from foundry.domain.mail import Message, SentMessage
from foundry.domain.queue import PermanentJobFailure
from foundry.notifications import MailMessage, Notifiable, Notification, ShouldQueue
from foundry.notifications.serialization import resolve

# --- models --------------------------------------------------------------------------------


class User(Notifiable, SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=255)
    slack_webhook_url: str | None = Field(default=None, max_length=255)
    webhook_url: str | None = Field(default=None, max_length=255)
    webhook_secret: str | None = Field(default=None, max_length=100)


class Invoice(SQLModel, table=True):
    __tablename__ = "invoices"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20)
    amount: str = Field(max_length=20)


APP_TABLES = '''"""create users and invoices"""

import sqlalchemy as sa
from alembic import op

revision = "7e57a0000001"
down_revision = None
branch_labels = ("app",)
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("slack_webhook_url", sa.String(255), nullable=True),
        sa.Column("webhook_url", sa.String(255), nullable=True),
        sa.Column("webhook_secret", sa.String(100), nullable=True),
    )
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("amount", sa.String(20), nullable=False),
    )


def downgrade():
    op.drop_table("invoices")
    op.drop_table("users")
'''


# --- notifications ---------------------------------------------------------------------------


@dataclass
class InvoicePaid(Notification):
    """Mail and database, the common pair."""

    invoice_id: int
    amount: str

    def via(self, notifiable: Any) -> list[str]:
        return ["mail", "database"]

    def to_mail(self, notifiable: Any) -> MailMessage:
        return (
            MailMessage()
            .greeting(f"Hello {getattr(notifiable, 'name', 'there')},")
            .line(f"We received your payment of {self.amount}.")
            .action("View invoice", f"https://shop.example.com/invoices/{self.invoice_id}")
            .line("Thank you for your business.")
        )

    def to_array(self, notifiable: Any) -> dict[str, Any]:
        return {"invoice_id": self.invoice_id, "amount": self.amount}


@dataclass
class Alert(Notification):
    """Goes by whatever channels it is given; one payload per channel."""

    message: str
    channels: list[str] = field(default_factory=lambda: ["database"])
    level: str = "info"
    at: datetime | None = None
    ref: uuid.UUID | None = None

    def via(self, notifiable: Any) -> list[str]:
        return list(self.channels)

    def to_mail(self, notifiable: Any) -> Message:
        return Message(subject=f"[{self.level}] alert", to=(), text=self.message)

    def to_array(self, notifiable: Any) -> dict[str, Any]:
        return {
            "message": self.message,
            "level": self.level,
            "at": self.at.isoformat() if self.at else None,
            "ref": str(self.ref) if self.ref else None,
        }

    def to_slack(self, notifiable: Any) -> dict[str, Any]:
        return {
            "text": self.message,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": self.message}}],
        }


@dataclass
class QueuedAlert(ShouldQueue, Alert):
    """Alert, delivered by a worker: 3 tries per channel, 2 then 4 seconds apart."""

    tries = 3
    backoff = (2, 4)
    queue = "notifications"


@dataclass
class RoutedAlert(ShouldQueue, Alert):
    """Mail waits a minute on its own queue; every channel uses the redis connection."""

    delay = {"mail": 60}
    connection = "redis"

    def via_queues(self) -> dict[str, str]:
        return {"mail": "mail-queue"}


@dataclass
class InvoiceReady(ShouldQueue, Notification):
    """Carries a table model: it travels as a reference and is loaded again."""

    invoice: Invoice
    note: str = ""

    def via(self, notifiable: Any) -> list[str]:
        return ["database"]

    def to_array(self, notifiable: Any) -> dict[str, Any]:
        return {"number": self.invoice.number, "amount": self.invoice.amount, "note": self.note}


@dataclass
class Skippy(Notification):
    """Goes by mail and database, but never by mail to users without a name starting A."""

    def via(self, notifiable: Any) -> list[str]:
        return ["mail", "database"]

    def should_send(self, notifiable: Any, channel: str) -> bool:
        return channel != "mail" or str(getattr(notifiable, "name", "")).startswith("A")

    def to_mail(self, notifiable: Any) -> MailMessage:
        return MailMessage().line("hi")

    def to_array(self, notifiable: Any) -> dict[str, Any]:
        return {"kind": "skippy"}


# --- doubles ---------------------------------------------------------------------------------


class RecordingMailer:
    """A ``Mailer`` that keeps what it was asked to send; ``fail`` makes ``send`` raise."""

    def __init__(self, fail: BaseException | None = None) -> None:
        self.sent: list[Message] = []
        self.fail = fail

    async def send(self, message: Any) -> SentMessage:
        if self.fail is not None:
            raise self.fail
        built = message if isinstance(message, Message) else message.build()
        self.sent.append(built)
        return SentMessage(f"<{len(self.sent)}@test>", tuple(a.email for a in built.to))

    async def queue(self, message: Any, *, queue: str | None = None, delay: float = 0) -> str:
        raise AssertionError("notifications deliver mail through send()")

    def mailer(self, name: str) -> RecordingMailer:
        return self


class JsonQueue:
    """A ``QueueDispatcher`` that stores each job as JSON text and runs them later like a
    worker: rebuilt from the text by ``module:Class``, retried up to the class's ``tries``
    (no retry after a ``PermanentJobFailure``)."""

    def __init__(self) -> None:
        self.bodies: list[str] = []
        self.attempts: list[tuple[str, str]] = []  # (job name, "ok" | error type)
        self.failed: list[tuple[str, BaseException]] = []

    async def dispatch(
        self,
        job: Any,
        *,
        queue: str | None = None,
        delay: float = 0,
        connection: str | None = None,
    ) -> str:
        cls = type(job)
        job_id = str(uuid.uuid4())
        self.bodies.append(
            json.dumps(
                {
                    "id": job_id,
                    "job": f"{cls.__module__}:{cls.__qualname__}",
                    "payload": job.payload(),
                    "queue": queue,
                    "delay": delay,
                    "connection": connection,
                }
            )
        )
        return job_id

    def connection(self, name: str | None = None) -> Any:
        raise AssertionError("not used")

    def jobs(self) -> list[dict[str, Any]]:
        return [json.loads(body) for body in self.bodies]

    async def work(self, app: Any) -> None:
        """Run every stored job, like ``queue:work --stop-when-empty``."""
        pending, self.bodies = self.bodies, []
        for body in pending:
            data = json.loads(body)
            cls = resolve(data["job"])
            job = cls(**data["payload"])
            tries = getattr(cls, "tries", 1) or 1
            for _ in range(tries):
                try:
                    await job.handle(app)
                except PermanentJobFailure as exc:
                    self.attempts.append((data["job"], type(exc).__name__))
                    self.failed.append((data["job"], exc))
                    break
                except Exception as exc:
                    self.attempts.append((data["job"], type(exc).__name__))
                    last: BaseException = exc
                else:
                    self.attempts.append((data["job"], "ok"))
                    break
            else:
                self.failed.append((data["job"], last))
