"""The steps every ``make:*`` command shares: names, renderer, markers, writing, listing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from foundry.domain.commands import CommandContext, CommandStatus
from foundry.domain.contracts import unbound_message
from foundry.domain.errors import CommandError, ConflictError, InputError
from foundry.domain.generators import (
    DRY_RUN_MESSAGE,
    StubGenerator,
    class_names,
    describe,
    stub_renderer,
)
from foundry.domain.outputs import BufferedOutput
from foundry.domain.stubs import GeneratedFile, PlannedFile, StubRenderer

PACKAGES = (
    (("app",), "The application's own code."),
    (("app", "jobs"), "Queued jobs."),
)
STUBS = {"package": '"""{docstring}"""\n', "job": "class {class_name}:\n    pass\n"}


class FormatRenderer:
    """A small, complete StubRenderer: ``str.format`` stubs, written all or nothing."""

    def stub_names(self) -> list[str]:
        return sorted(STUBS)

    def render(self, stub: str, context: Mapping[str, Any]) -> str:
        return STUBS[stub].format(**context)

    def write(
        self,
        files: Sequence[PlannedFile],
        *,
        base_path: Path,
        dry_run: bool = False,
        force: bool = False,
    ) -> list[GeneratedFile]:
        existing = [f.path for f in files if (base_path / f.path).exists()]
        if existing and not force:
            raise ConflictError(f"{existing[0]} already exists; use --force to overwrite it.")
        done: list[GeneratedFile] = []
        for file in files:
            text = self.render(file.stub, file.context)
            if dry_run:
                done.append(GeneratedFile(file.path, "planned", file.description, text))
                continue
            target = base_path / file.path
            action = "overwritten" if target.exists() else "created"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            done.append(GeneratedFile(file.path, action, file.description))
        return done


class Site:
    """The part of an Application a generator uses: its root and its bindings."""

    def __init__(self, base_path: Path, renderer: StubRenderer | None) -> None:
        self.base_path = base_path
        self._renderer = renderer

    def bound(self, abstract: object) -> bool:
        return abstract is StubRenderer and self._renderer is not None

    def make(self, abstract: object) -> Any:
        assert self.bound(abstract)
        return self._renderer


def context(
    base: Path, *, renderer: bool = True, json: bool = False, **flags: bool
) -> CommandContext:
    return CommandContext(
        app=Site(base, FormatRenderer() if renderer else None),  # type: ignore[arg-type]
        name="make:job",
        arguments={},
        options={},
        output=BufferedOutput(),
        prompt=None,  # type: ignore[arg-type]
        format="json" if json else "human",
        **flags,
    )


def make_job(ctx: CommandContext, name: str, *, show_preview: bool = False) -> Any:
    names = class_names(name)
    generator = StubGenerator(ctx)
    plan = generator.package_markers(PACKAGES, "package")
    target = Path("app", "jobs", f"{names.module}.py")
    plan.append(PlannedFile(target, "job", {"class_name": names.class_name}, "job"))
    written = generator.write(plan, show_preview=show_preview)
    result = generator.done(f"Job {names.class_name} created.", {"files": written.files_data()})
    return written, result


def printed(ctx: CommandContext) -> list[str]:
    assert isinstance(ctx.output, BufferedOutput)
    return [line.text for line in ctx.output.lines]


@pytest.mark.parametrize("spelling", ["ShipOrder", "ship-order", "ship_order", "shipOrder"])
def test_every_spelling_of_a_name_gives_the_same_class_and_module(spelling: str) -> None:
    names = class_names(f"  {spelling} ")
    assert (names.class_name, names.module, names.title) == (
        "ShipOrder",
        "ship_order",
        "Ship Order",
    )


@pytest.mark.parametrize("bad", ["9 lives!", "", "class", "---"])
def test_a_name_that_cannot_be_a_class_is_a_usage_error(bad: str) -> None:
    with pytest.raises(InputError, match="cannot name a Python class") as raised:
        class_names(bad, field="NAME")
    assert raised.value.field == "NAME"


def test_a_generator_writes_its_files_with_the_missing_package_markers(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    written, result = make_job(ctx, "ship-order")

    assert printed(ctx) == [
        "Created app/__init__.py",
        "Created app/jobs/__init__.py",
        "Created app/jobs/ship_order.py",
    ]
    assert result.status is CommandStatus.SUCCESS
    assert result.message == "Job ShipOrder created."
    assert result.data["files"][0] == {
        "path": "app/__init__.py",
        "action": "created",
        "description": "package marker",
    }
    assert (tmp_path / "app/__init__.py").read_text() == '"""The application\'s own code."""\n'
    assert (tmp_path / "app/jobs/ship_order.py").read_text().startswith("class ShipOrder:")
    assert written.preview is None


def test_existing_package_markers_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("# mine\n")
    ctx = context(tmp_path)
    plan = StubGenerator(ctx).package_markers(PACKAGES, "package")
    assert [str(p.path) for p in plan] == ["app/jobs/__init__.py"]
    assert plan[0].context == {"docstring": "Queued jobs."}


def test_a_dry_run_lists_the_plan_shows_the_file_and_writes_nothing(tmp_path: Path) -> None:
    ctx = context(tmp_path, dry_run=True)
    written, result = make_job(ctx, "ShipOrder", show_preview=True)

    assert printed(ctx) == [
        "Would create app/__init__.py",
        "Would create app/jobs/__init__.py",
        "Would create app/jobs/ship_order.py",
        "",
        "class ShipOrder:",
        "    pass",
    ]
    assert result.message == DRY_RUN_MESSAGE
    assert {f["action"] for f in result.data["files"]} == {"planned"}
    assert written.preview == "class ShipOrder:\n    pass\n"
    assert not (tmp_path / "app").exists()


def test_json_output_prints_no_listing(tmp_path: Path) -> None:
    ctx = context(tmp_path, json=True, dry_run=True)
    _, result = make_job(ctx, "ShipOrder", show_preview=True)
    assert printed(ctx) == []
    assert len(result.data["files"]) == 3


def test_an_existing_file_is_kept_without_force_and_overwritten_with_it(tmp_path: Path) -> None:
    make_job(context(tmp_path), "ShipOrder")
    target = tmp_path / "app/jobs/ship_order.py"
    target.write_text("# edited\n")

    with pytest.raises(ConflictError, match="--force"):
        make_job(context(tmp_path), "ShipOrder")
    assert target.read_text() == "# edited\n"

    forced = context(tmp_path, force=True)
    make_job(forced, "ShipOrder")
    assert printed(forced) == ["Overwrote app/jobs/ship_order.py"]
    assert target.read_text().startswith("class ShipOrder:")


def test_without_a_stub_renderer_the_command_stops_and_says_what_to_install(
    tmp_path: Path,
) -> None:
    ctx = context(tmp_path, renderer=False)
    with pytest.raises(CommandError) as raised:
        StubGenerator(ctx)
    assert raised.value.message == unbound_message(StubRenderer)
    assert "Install foundry-stub-system" in raised.value.message
    with pytest.raises(CommandError):
        stub_renderer(ctx.app)
    assert not (tmp_path / "app").exists()


def test_an_unknown_action_is_listed_as_it_is() -> None:
    assert describe(GeneratedFile(Path("a.py"), "created")) == "Created a.py"
    assert describe(GeneratedFile(Path("a.py"), "skipped")) == "skipped a.py"
