"""``foundry tinker --execute`` through the real ``foundry`` script, in a subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tinker_support import foundry_script, make_app, seed, subprocess_env


@pytest.fixture
async def seeded(shop: Path, database_url: str) -> Path:
    app = make_app(shop)
    await seed(app, "Anvil", "Hammer")
    await app.terminate()
    return shop


def foundry(shop: Path, tmp_path: Path, *args: str, stdin: str | None = None):
    return subprocess.run(
        [foundry_script(), *args],
        cwd=shop,
        env=subprocess_env(tmp_path),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_execute_has_the_names_and_awaits(seeded: Path, tmp_path: Path):
    code = "(await db.get(Product, 2)).name, app is container, 'Product' in models"
    done = foundry(seeded, tmp_path, "tinker", "--execute", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "('Hammer', True, True)\n"


def test_execute_prints_what_the_code_prints_then_the_final_value(seeded: Path, tmp_path):
    code = (
        "rows = (await db.execute(select(Product))).scalars().all()\n"
        "print(len(rows))\n"
        "[r.name for r in rows]"
    )
    done = foundry(seeded, tmp_path, "tinker", "-e", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "2\n['Anvil', 'Hammer']\n"


def test_an_error_exits_1_with_one_line_on_stderr(seeded: Path, tmp_path: Path):
    done = foundry(seeded, tmp_path, "tinker", "--execute", "x = 1\nx / 0")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "Error: ZeroDivisionError: division by zero (line 2 of the --execute code)\n"
    )


def test_the_traceback_shows_only_at_vvv(seeded: Path, tmp_path: Path):
    done = foundry(seeded, tmp_path, "tinker", "--execute", "x = 1\nx / 0", "-vvv")
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert 'File "<tinker-execute>", line 2' in done.stderr
    assert done.stderr.rstrip().endswith(
        "Error: ZeroDivisionError: division by zero (line 2 of the --execute code)"
    )


def test_a_syntax_error_exits_1_with_one_line(seeded: Path, tmp_path: Path):
    done = foundry(seeded, tmp_path, "tinker", "--execute", "def (")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: SyntaxError: ")
    assert done.stderr.count("\n") == 1


def test_routes_commands_and_config_magics(seeded: Path, tmp_path: Path):
    done = foundry(seeded, tmp_path, "tinker", "--execute", "%routes products")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "Method  Path                    Name",
        "------  ----------------------  -------------",
        "GET     /products/{product_id}  products.show",
    ]
    done = foundry(seeded, tmp_path, "tinker", "--execute", "%commands tinker")
    assert done.returncode == 0, done.stderr
    assert "tinker" in done.stdout.splitlines()[-1]
    done = foundry(seeded, tmp_path, "tinker", "--execute", "%config database.url")
    assert done.stdout == "'******'\n"
    done = foundry(seeded, tmp_path, "tinker", "--execute", "%config app.name")
    assert done.stdout == "'Foundry'\n"


def test_json_format_prints_one_document(seeded: Path, tmp_path: Path):
    code = "print('chatter')\n%routes products"
    done = foundry(seeded, tmp_path, "tinker", "--format", "json", "--execute", code)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["data"] == {
        "result": [{"method": "GET", "path": "/products/{product_id}", "name": "products.show"}]
    }
    assert "chatter" in done.stderr  # what the code prints is for people


def test_execute_dash_reads_stdin(seeded: Path, tmp_path: Path):
    done = foundry(
        seeded,
        tmp_path,
        "tinker",
        "--execute",
        "-",
        stdin="p = await db.get(Product, 1)\np.price\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1999\n"


def test_without_a_terminal_tinker_runs_stdin(seeded: Path, tmp_path: Path):
    done = foundry(seeded, tmp_path, "tinker", stdin="await db.get(Product, 1)\n")
    assert done.returncode == 0, done.stderr
    assert "name='Anvil'" in done.stdout


def test_changes_are_committed_for_the_next_run(seeded: Path, tmp_path: Path):
    done = foundry(seeded, tmp_path, "tinker", "-e", "db.add(Product(name='Saw', price=5))")
    assert done.returncode == 0, done.stderr
    done = foundry(seeded, tmp_path, "tinker", "-e", "len((await db.exec(select(Product))).all())")
    assert done.stdout == "3\n"
