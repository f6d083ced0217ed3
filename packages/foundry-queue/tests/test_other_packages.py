"""foundry-mail's SendQueuedMail and foundry-command-executor's RunCommand, unchanged,
through this package's worker."""

from __future__ import annotations

from conftest import work
from queue_test_jobs import AlwaysFails

from foundry.domain.application import CommandCaller
from foundry.domain.mail import Address, Mailer, Message
from foundry.queue import dispatch
from foundry.queue.manager import QueueManager


async def test_queued_mail_is_delivered_by_the_worker(queue_app) -> None:
    from foundry.mail.manager import MailManager
    from foundry.mail.provider import MailServiceProvider

    app = await queue_app(
        providers=(MailServiceProvider,),
        env={"MAIL_MAILER": "array", "MAIL_FROM_ADDRESS": "app@example.com"},
    )
    message = Message(subject="Queued hello", to=(Address("ada@example.com"),), text="Hi Ada")
    job_id = await app.make(Mailer).queue(message)
    array = app.make(MailManager).transport("array")
    assert job_id
    assert array.messages() == []
    report = await work(app)
    assert report.processed == 1
    assert [m.subject for m in array.messages()] == ["Queued hello"]


async def test_a_queued_command_runs_on_the_worker(queue_app, ledger, run) -> None:
    from foundry.command_executor.provider import CommandExecutorServiceProvider

    app = await queue_app(providers=(CommandExecutorServiceProvider,))
    await dispatch(AlwaysFails("old", ledger))
    await work(app)
    assert len((await run(app, "queue:failed", format="json")).data) == 1
    await app.make(CommandCaller).queue_call("queue:flush")
    assert await app.make(QueueManager).connection().size() == 1
    report = await work(app)
    assert report.processed == 1
    assert (await run(app, "queue:failed", format="json")).data == []
