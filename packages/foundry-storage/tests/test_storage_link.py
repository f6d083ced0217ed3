"""storage:link through the kernel's command runner."""

from __future__ import annotations

import os

import pytest

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.storage.provider import StorageServiceProvider


@pytest.fixture
def app(base):
    return Application(base, providers=[StorageServiceProvider], discover=False).boot()


async def run(app, *argv, **flags):
    return await app.make(CommandRunner).run("storage:link", list(argv), format="json", **flags)


async def test_creates_the_public_storage_link(app, base):
    outcome = await run(app)
    assert outcome.exit_code == 0, outcome.error
    link = base / "public" / "storage"
    assert link.is_symlink()
    assert link.resolve() == (base / "storage" / "app" / "public").resolve()
    assert os.path.isabs(os.readlink(link))
    assert outcome.result.data["action"] == "create"
    assert outcome.result.data["link"] == "public/storage"
    assert outcome.result.data["target"] == "storage/app/public"
    assert "has been created" in outcome.result.message


async def test_files_on_the_public_disk_appear_through_the_link(app, base):
    from foundry.domain.storage import Storage

    await run(app)
    await app.make(Storage).disk("public").put("avatars/1.png", b"png")
    assert (base / "public" / "storage" / "avatars" / "1.png").read_bytes() == b"png"


async def test_relative_links_on_request(app, base):
    outcome = await run(app, "--relative")
    assert outcome.exit_code == 0
    assert os.readlink(base / "public" / "storage") == "../storage/app/public"


async def test_an_existing_correct_link_is_kept(app):
    await run(app)
    outcome = await run(app)
    assert outcome.exit_code == 0
    assert outcome.result.status == "skipped"
    assert "already points to" in outcome.result.message


async def test_an_existing_path_is_refused_without_force(app, base):
    (base / "public").mkdir()
    (base / "public" / "storage").write_text("not a link")
    outcome = await run(app)
    assert outcome.exit_code == 1
    assert "already exists (a file)" in outcome.error
    assert "--force" in outcome.error
    assert (base / "public" / "storage").read_text() == "not a link"


async def test_a_link_elsewhere_is_replaced_only_with_force(app, base, tmp_path):
    (base / "public").mkdir()
    os.symlink(tmp_path, base / "public" / "storage")
    refused = await run(app)
    assert refused.exit_code == 1
    assert f"a link to {tmp_path}" in refused.error
    forced = await run(app, force=True)
    assert forced.exit_code == 0, forced.error
    assert forced.result.data["action"] == "replace"
    assert (base / "public" / "storage").resolve() == (base / "storage/app/public").resolve()


async def test_an_empty_directory_is_replaced_with_force(app, base):
    (base / "public" / "storage").mkdir(parents=True)
    assert (await run(app)).exit_code == 1
    assert (await run(app, force=True)).exit_code == 0
    assert (base / "public" / "storage").is_symlink()


async def test_a_directory_with_files_is_never_replaced(app, base):
    folder = base / "public" / "storage"
    folder.mkdir(parents=True)
    (folder / "keep.txt").write_text("precious")
    outcome = await run(app, force=True)
    assert outcome.exit_code == 1
    assert "will not replace it even with --force" in outcome.error
    assert (folder / "keep.txt").read_text() == "precious"


async def test_dry_run_prints_the_plan_and_changes_nothing(app, base):
    outcome = await run(app, dry_run=True)
    assert outcome.exit_code == 0
    assert outcome.result.message.startswith("Plan: create the link [public/storage] -> [")
    assert "nothing was changed" in outcome.result.message
    assert outcome.result.data["dry_run"] is True
    assert not (base / "public").exists()


async def test_the_target_follows_storage_public_root(base, monkeypatch, tmp_path):
    monkeypatch.setenv("STORAGE_PUBLIC_ROOT", str(tmp_path / "shared-public"))
    app = Application(base, providers=[StorageServiceProvider], discover=False).boot()
    outcome = await run(app)
    assert outcome.exit_code == 0
    assert (base / "public" / "storage").resolve() == (tmp_path / "shared-public").resolve()
    assert (tmp_path / "shared-public").is_dir()


async def test_a_public_disk_that_is_not_local_cannot_be_linked(app):
    app.config.set("storage.disks", {"public": {"driver": "memory"}})
    outcome = await run(app)
    assert outcome.exit_code == 1
    assert "not a local folder" in outcome.error
