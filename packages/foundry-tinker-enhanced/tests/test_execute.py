"""``tinker --execute`` through the kernel's CommandRunner, in process."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from tinker_support import make_app, seed

from foundry.application import Application
from foundry.domain.application import CommandOutcome, CommandRunner
from foundry.domain.outputs import BufferedOutput
from foundry.tinker_enhanced.errors import CodeError

APP_KEY = "base64:" + "A" * 43 + "="


async def run(
    app: Application, code: str, *, format: str = "human"
) -> tuple[CommandOutcome, BufferedOutput]:
    output = BufferedOutput()
    outcome = await app.make(CommandRunner).run(
        "tinker",
        ["--execute", code],
        output=output,
        format=format,  # type: ignore[arg-type]
    )
    return outcome, output


async def test_preloads_app_config_container_and_models_by_class_name(app: Application):
    outcome, _ = await run(
        app,
        "(app is container, config is app.config, Product.__name__, sorted(models), "
        "type(db).__name__)",
    )
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {"result": [True, True, "Product", ["Product"], "AsyncSession"]}


async def test_top_level_await_reads_a_row_through_db(app: Application):
    outcome, output = await run(app, "await db.get(Product, 1)")
    assert outcome.exit_code == 0, outcome.error
    shown = output.text()
    assert shown.startswith("Product(")
    assert "name='Anvil'" in shown
    assert "price=1999" in shown


async def test_execute_with_select_and_scalars_returns_every_row(app: Application):
    outcome, output = await run(
        app, "[p.name for p in (await db.execute(select(Product))).scalars().all()]"
    )
    assert outcome.exit_code == 0, outcome.error
    assert output.text() == "['Anvil']"
    assert outcome.result.data == {"result": ["Anvil"]}


async def test_only_the_final_expression_is_printed(app: Application):
    outcome, output = await run(app, "x = 6\nx * 7")
    assert outcome.exit_code == 0
    assert output.text() == "42"


async def test_code_without_a_final_expression_prints_nothing(app: Application):
    outcome, output = await run(app, "x = 6\ny = x * 7")
    assert outcome.exit_code == 0
    assert output.text() == ""
    assert outcome.result.data == {"result": None}


async def test_print_goes_through_the_command_output(app: Application):
    outcome, output = await run(app, "print('hello')\nprint('a', end='')\nprint('b')")
    assert outcome.exit_code == 0
    assert [line.text for line in output.lines] == ["hello", "ab"]


async def test_json_format_returns_the_value_as_data_and_prints_nothing(app: Application):
    outcome, output = await run(app, "{'answer': 6 * 7}", format="json")
    assert outcome.result.data == {"result": {"answer": 42}}
    assert output.text() == ""
    outcome, _ = await run(app, "await db.get(Product, 1)", format="json")
    assert "name='Anvil'" in outcome.result.data["result"]


async def test_an_error_fails_with_one_line_naming_the_line(app: Application):
    outcome, output = await run(app, "x = 1\n1 / 0")
    assert outcome.exit_code == 1
    assert outcome.error == "ZeroDivisionError: division by zero (line 2 of the --execute code)"
    assert isinstance(outcome.exception, CodeError)
    assert isinstance(outcome.exception.__cause__, ZeroDivisionError)
    assert output.text() == ""


async def test_a_syntax_error_fails_with_one_line_and_runs_nothing(app: Application):
    outcome, _ = await run(app, "print('ran')\ndef broken(:\n")
    assert outcome.exit_code == 1
    assert outcome.error is not None
    assert outcome.error.startswith("SyntaxError: ")
    assert "line 2" in outcome.error
    assert "\n" not in outcome.error


async def test_a_multi_line_error_message_becomes_one_line(app: Application):
    outcome, _ = await run(app, "raise ValueError('first\\nsecond')")
    assert outcome.error == "ValueError: first second (line 1 of the --execute code)"


async def test_a_failing_snippet_changes_nothing_in_the_database(app: Application):
    outcome, _ = await run(app, "db.add(Product(name='Ghost', price=1))\nawait db.flush()\n1/0")
    assert outcome.exit_code == 1
    outcome, _ = await run(app, "[p.name for p in (await db.exec(select(Product))).all()]")
    assert outcome.result.data == {"result": ["Anvil"]}


async def test_a_successful_snippet_commits_the_session(app: Application):
    outcome, _ = await run(app, "db.add(Product(name='Hammer', price=500))")
    assert outcome.exit_code == 0
    outcome, _ = await run(app, "[p.name for p in (await db.exec(select(Product))).all()]")
    assert outcome.result.data == {"result": ["Anvil", "Hammer"]}


async def test_a_commit_that_fails_on_exit_is_one_line_and_saves_nothing(app: Application):
    outcome, _ = await run(app, "db.add(Product(name='Saw', price=1))\ndb.add(Product(price=2))")
    assert outcome.exit_code == 1
    assert outcome.error is not None
    assert outcome.error.startswith(
        "Committing the tinker db session on exit failed, so nothing it held was saved: "
        "IntegrityError: "
    )
    assert "\n" not in outcome.error
    outcome, _ = await run(app, "[p.name for p in (await db.exec(select(Product))).all()]")
    assert outcome.result.data == {"result": ["Anvil"]}


async def test_dry_run_runs_the_code_and_rolls_the_session_back(app: Application):
    code = (
        "db.add(Product(name='Ghost', price=1))\n"
        "await db.flush()\n"
        "len((await db.exec(select(Product))).all())"
    )
    outcome = await app.make(CommandRunner).run(
        "tinker", ["--execute", code], output=BufferedOutput(), dry_run=True
    )
    assert outcome.exit_code == 0
    assert outcome.result.data == {"result": 2}  # the code saw its own change ...
    outcome, _ = await run(app, "len((await db.exec(select(Product))).all())")
    assert outcome.result.data == {"result": 1}  # ... which was not kept


async def test_sys_exit_sets_the_exit_code_and_rolls_back(app: Application):
    code = "import sys\ndb.add(Product(name='Ghost', price=1))\nsys.exit(3)"
    outcome, _ = await run(app, code)
    assert outcome.exit_code == 3
    assert outcome.error == "The --execute code exited with status 3"
    outcome, _ = await run(app, "len((await db.exec(select(Product))).all())")
    assert outcome.result.data == {"result": 1}


async def test_sys_exit_zero_is_success(app: Application):
    outcome, _ = await run(app, "import sys\nsys.exit(0)")
    assert outcome.exit_code == 0


async def test_routes_magic_prints_method_path_and_name(app: Application):
    outcome, output = await run(app, "%routes")
    assert outcome.exit_code == 0, outcome.error
    lines = output.text().splitlines()
    assert lines[0] == "Routes"
    assert lines[1].split() == ["Method", "Path", "Name"]
    row = next(line for line in lines if "/products/{product_id}" in line)
    assert row.split() == ["GET", "/products/{product_id}", "products.show"]
    assert "/openapi.json" in output.text()


async def test_routes_magic_filters_and_returns_rows_as_json(app: Application):
    outcome, _ = await run(app, "%routes products", format="json")
    assert outcome.result.data == {
        "result": [{"method": "GET", "path": "/products/{product_id}", "name": "products.show"}]
    }


async def test_commands_magic_lists_the_registry(app: Application):
    outcome, _ = await run(app, "%commands tinker", format="json")
    assert outcome.exit_code == 0
    rows = outcome.result.data["result"]
    assert [row["name"] for row in rows] == ["tinker"]
    assert rows[0]["summary"].startswith("Interact with your application")
    outcome, output = await run(app, "%commands")
    assert "migrate" in output.text()
    assert "tinker" in output.text()


async def test_config_magic_shows_a_value(app: Application):
    outcome, output = await run(app, "%config app.env")
    assert outcome.exit_code == 0
    assert output.text() == "'local'"


async def test_config_magic_masks_secrets(shop: Path, database_url: str, monkeypatch):
    monkeypatch.setenv("APP_KEY", APP_KEY)
    monkeypatch.setenv("REDIS_URL", "redis://:hunter2@cache:6379/0")
    application = make_app(shop)
    try:
        outcome, output = await run(application, "%config app.key")
        assert output.text() == "'******'"
        outcome, _ = await run(application, "%config database.url", format="json")
        assert outcome.result.data == {"result": "******"}
        outcome, output = await run(application, "%config app")
        assert APP_KEY not in output.text()
        assert any(line.split() == ["app.key", "******"] for line in output.text().splitlines())
        application.config.set("redis.url", "redis://:hunter2@cache:6379/0")
        application.config.set("mail.password", "s3cret")
        outcome, _ = await run(application, "%config", format="json")
        shown = {row["key"]: row["value"] for row in outcome.result.data["result"]}
        assert shown["redis.url"] == "redis://:******@cache:6379/0"
        assert shown["mail.password"] == "******"
        assert "hunter2" not in str(shown)
        assert "s3cret" not in str(shown)
    finally:
        await application.terminate()


async def test_config_magic_names_a_missing_key_and_suggests(app: Application):
    outcome, _ = await run(app, "%config app.nme")
    assert outcome.exit_code == 1
    assert outcome.error is not None
    assert outcome.error.startswith(
        'Configuration key "app.nme" is not set. Did you mean: app.name'
    )


async def test_an_unknown_magic_fails_with_the_list_of_magics(app: Application):
    outcome, _ = await run(app, "%nope")
    assert outcome.exit_code == 1
    assert outcome.error == (
        "%nope is not a tinker magic; the magics are %routes, %commands, %config."
    )


async def test_a_magic_line_may_stand_inside_a_block(app: Application):
    outcome, output = await run(app, "for key in ('app.env',):\n    %config app.env\n1")
    assert outcome.exit_code == 0, outcome.error
    assert output.text() == "1"


async def test_a_magic_is_a_whole_line_not_part_of_one(app: Application):
    outcome, _ = await run(app, "name = %config app.env")
    assert outcome.exit_code == 1
    assert outcome.error is not None
    assert outcome.error.startswith("SyntaxError: ")


async def test_routes_function_gives_rows_as_data(app: Application):
    outcome, _ = await run(app, "[r['name'] for r in routes('products')]", format="json")
    assert outcome.result.data == {"result": ["products.show"]}


async def test_dash_reads_the_code_from_stdin(app: Application, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x = await db.get(Product, 1)\nx.name\n"))
    outcome, output = await run(app, "-")
    assert outcome.exit_code == 0, outcome.error
    assert output.text() == "'Anvil'"


async def test_make_and_call_helpers(app: Application):
    code = "from foundry.domain.database import Database\nmake(Database) is app.make(Database)"
    outcome, _ = await run(app, code, format="json")
    assert outcome.result.data == {"result": True}
    outcome, output = await run(app, "await call('tinker', '--execute', '40 + 2')")
    assert outcome.exit_code == 0, outcome.error
    assert output.text().splitlines() == ["42", "0"]


async def test_without_a_database_there_is_no_db(shop: Path, tmp_path: Path):
    application = make_app(shop, database=False)
    try:
        outcome, _ = await run(application, "('db' in globals(), models, app.environment)")
        assert outcome.result.data == {"result": [False, {}, "local"]}
    finally:
        await application.terminate()


async def test_the_session_is_committed_before_the_command_ends(shop: Path, database_url):
    """A second application (another process, in effect) sees what a snippet saved."""
    first = make_app(shop)
    await seed(first)
    outcome, _ = await run(first, "db.add(Product(name='Saw', price=700))")
    assert outcome.exit_code == 0
    await first.terminate()
    second = make_app(shop)
    try:
        outcome, _ = await run(second, "[p.name for p in (await db.exec(select(Product))).all()]")
        assert outcome.result.data == {"result": ["Saw"]}
    finally:
        await second.terminate()


@pytest.mark.parametrize("shell", ["python", "ipython", "ptpython", "auto"])
async def test_shell_option_accepts_every_shell(app: Application, shell: str):
    output = BufferedOutput()
    outcome = await app.make(CommandRunner).run(
        "tinker", ["--shell", shell, "--execute", "1"], output=output
    )
    assert outcome.exit_code == 0


async def test_shell_option_refuses_an_unknown_shell(app: Application):
    outcome = await app.make(CommandRunner).run("tinker", ["--shell", "bpython"])
    assert outcome.exit_code == 2
    assert outcome.error is not None
    assert "bpython" in outcome.error
