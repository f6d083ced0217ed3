"""write(): render everything, refuse conflicts as a whole, write all or nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from foundry.domain.errors import ConflictError, ValidationError
from foundry.domain.stubs import GeneratedFile, PlannedFile
from foundry.stub_system import RenderedFile, StubRenderError, StubWriteError

STUBS = {
    "model.py.jinja": "class {{ name | studly }}:\n    pass\n",
    "test.py.jinja": "def test_{{ name | snake }}() -> None:\n    assert True\n",
}


@pytest.fixture
def renderer(renderer_for, app_stubs):
    app_stubs(STUBS)
    return renderer_for()


def plan(*paths: str, stub: str = "model", name: str = "blog-post") -> list[PlannedFile]:
    return [PlannedFile(Path(p), stub, {"name": name}, f"the {p} file") for p in paths]


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under root except the app's stubs (folders map to None)."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative == "stubs" or relative.startswith("stubs/"):
            continue
        found[relative] = None if path.is_dir() else path.read_bytes()
    return found


def test_files_and_their_folders_are_created(renderer, app_root: Path) -> None:
    results = renderer.write(
        plan("app/models/blog_post.py") + plan("tests/test_blog_post.py", stub="test"),
        base_path=app_root,
    )
    assert [(str(r.path), r.action, r.description) for r in results] == [
        ("app/models/blog_post.py", "created", "the app/models/blog_post.py file"),
        ("tests/test_blog_post.py", "created", "the tests/test_blog_post.py file"),
    ]
    assert all(isinstance(r, GeneratedFile) for r in results)
    written = (app_root / "app" / "models" / "blog_post.py").read_text()
    assert written == "class BlogPost:\n    pass\n"
    assert results[0].content == written


def test_conflicts_refuse_the_whole_plan_and_name_every_target(renderer, app_root: Path) -> None:
    (app_root / "a.py").write_text("mine")
    (app_root / "c.py").write_text("mine too")
    before = snapshot(app_root)
    with pytest.raises(ConflictError) as caught:
        renderer.write(plan("a.py", "b.py", "c.py"), base_path=app_root)
    assert caught.value.message == (
        "a.py, c.py already exist. Nothing was written; run again with --force to overwrite."
    )
    assert caught.value.context == {"paths": ["a.py", "c.py"]}
    assert snapshot(app_root) == before  # b.py was not written either


def test_force_overwrites(renderer, app_root: Path) -> None:
    (app_root / "a.py").write_text("mine")
    results = renderer.write(plan("a.py", "b.py"), base_path=app_root, force=True)
    assert [(r.action, getattr(r, "replaces", None)) for r in results] == [
        ("overwritten", True),
        ("created", False),
    ]
    assert (app_root / "a.py").read_text() == "class BlogPost:\n    pass\n"


def test_a_dry_run_writes_nothing_and_returns_the_plan(renderer, app_root: Path) -> None:
    (app_root / "a.py").write_text("mine")
    before = snapshot(app_root)
    results = renderer.write(plan("a.py", "new/b.py"), base_path=app_root, dry_run=True, force=True)
    assert snapshot(app_root) == before
    assert [(str(r.path), r.action) for r in results] == [
        ("a.py", "planned"),
        ("new/b.py", "planned"),
    ]
    assert all(isinstance(r, RenderedFile) for r in results)
    assert [r.replaces for r in results] == [True, False]
    assert results[1].content == "class BlogPost:\n    pass\n"


def test_a_dry_run_fails_where_the_real_run_would(renderer, app_root: Path) -> None:
    (app_root / "a.py").write_text("mine")
    with pytest.raises(ConflictError, match=re.escape("a.py already exists")):
        renderer.write(plan("a.py"), base_path=app_root, dry_run=True)


def test_everything_is_rendered_before_anything_is_written(renderer, app_root: Path) -> None:
    files = [*plan("a.py"), PlannedFile(Path("b.py"), "model", {})]
    with pytest.raises(StubRenderError, match='uses the variable "name"'):
        renderer.write(files, base_path=app_root)
    assert snapshot(app_root) == {}


def test_a_failure_half_way_removes_what_this_call_created(renderer, app_root: Path) -> None:
    """The third target's folder is a file, so its write fails after two succeeded."""
    (app_root / "blocker").write_text("a file where a folder should be")
    before = snapshot(app_root)
    files = plan("app/models/a.py", "app/b.py", "blocker/c.py", "d.py")
    with pytest.raises(StubWriteError) as caught:
        renderer.write(files, base_path=app_root)
    assert snapshot(app_root) == before  # a.py, b.py and the app/ folders are gone again
    message = caught.value.message
    assert message.startswith("Could not write blocker/c.py:")
    assert "removed app/b.py, removed app/models/a.py" in message
    assert caught.value.context["undone"] == ["removed app/b.py", "removed app/models/a.py"]
    assert caught.value.context["not_undone"] == []


def test_a_failure_half_way_restores_what_force_overwrote(renderer, app_root: Path) -> None:
    (app_root / "a.py").write_text("the user's own code\n")
    (app_root / "blocker").write_text("")
    before = snapshot(app_root)
    with pytest.raises(StubWriteError, match=re.escape("restored a.py")):
        renderer.write(plan("a.py", "blocker/b.py"), base_path=app_root, force=True)
    assert snapshot(app_root) == before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="permissions do not stop root from writing",
)
def test_an_unwritable_target_folder_undoes_the_earlier_writes(renderer, app_root: Path) -> None:
    locked = app_root / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(
            StubWriteError, match=re.escape("Could not write locked/b.py: Permission denied")
        ):
            renderer.write(plan("a.py", "locked/b.py"), base_path=app_root)
        assert not (app_root / "a.py").exists()
    finally:
        locked.chmod(0o700)


def test_a_folder_in_the_way_is_refused_even_with_force(renderer, app_root: Path) -> None:
    (app_root / "a.py").mkdir()
    with pytest.raises(ConflictError, match="a folder is in the way"):
        renderer.write(plan("a.py", "b.py"), base_path=app_root, force=True)
    assert not (app_root / "b.py").exists()


@pytest.mark.parametrize("path", ["../outside.py", "/etc/passwd", ".", "app/../../x.py"])
def test_paths_outside_the_app_are_refused(renderer, app_root: Path, path: str) -> None:
    with pytest.raises(ValidationError, match="not a file inside the application folder"):
        renderer.write(plan(path), base_path=app_root)


def test_a_symbolic_link_out_of_the_app_is_refused(renderer, app_root: Path, tmp_path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (app_root / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValidationError, match="leads outside the application folder"):
        renderer.write(plan("link/x.py"), base_path=app_root)
    assert list(outside.iterdir()) == []


def test_absolute_paths_inside_the_app_are_reported_relative(renderer, app_root: Path) -> None:
    results = renderer.write(plan(str(app_root / "x.py")), base_path=app_root)
    assert str(results[0].path) == "x.py"


def test_a_file_planned_twice_is_refused(renderer, app_root: Path) -> None:
    with pytest.raises(ValidationError, match=re.escape("x.py is planned twice")):
        renderer.write(plan("x.py", "./x.py"), base_path=app_root)
    assert snapshot(app_root) == {}
