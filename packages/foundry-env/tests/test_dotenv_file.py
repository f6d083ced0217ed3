"""Reading .env files: python-dotenv's syntax, with the line of every statement kept."""

from __future__ import annotations

import pytest

from foundry.domain.errors import ConfigurationError
from foundry.env import parse_env, read_env_file


def test_quotes_export_and_comments_are_understood(tmp_path, write):
    path = write(
        tmp_path / ".env",
        "# a comment\n"
        "APP_NAME='My App'\n"
        'GREETING="Hello\\nWorld" # inline comment\n'
        "export MAIL_HOST=smtp.example.com\n"
        "URL=http://x/#anchor\n"
        "NAME=bare value # trailing comment\n"
        "EMPTY=\n",
    )
    env = read_env_file(path)
    assert env.values() == {
        "APP_NAME": "My App",
        "GREETING": "Hello\nWorld",
        "MAIL_HOST": "smtp.example.com",
        "URL": "http://x/#anchor",
        "NAME": "bare value",
        "EMPTY": "",
    }
    assert env.lines() == {
        "APP_NAME": 2,
        "GREETING": 3,
        "MAIL_HOST": 4,
        "URL": 5,
        "NAME": 6,
        "EMPTY": 7,
    }


def test_multiline_double_quoted_values_keep_later_lines_numbered_right(tmp_path, write):
    path = write(tmp_path / ".env", 'CERT="line one\nline two"\nAFTER=1\n')
    env = read_env_file(path)
    assert env.values()["CERT"] == "line one\nline two"
    assert env.origin("AFTER") == ".env line 3"


def test_interpolation_uses_earlier_lines_and_the_process_environment(tmp_path, write):
    path = write(
        tmp_path / ".env",
        'HOST=localhost\nPORT=${PORT:-8000}\nURL="http://${HOST}:${PORT}/${MISSING}"\n',
    )
    assert read_env_file(path).values()["URL"] == "http://localhost:8000/"
    with_process = read_env_file(path, environ={"PORT": "9000", "HOST": "example.org"})
    assert with_process.values()["URL"] == "http://example.org:9000/"


def test_a_repeated_name_takes_the_last_value_and_its_line(tmp_path, write):
    path = write(tmp_path / ".env", "NAME=first\nNAME=second\n")
    env = read_env_file(path)
    assert env.values() == {"NAME": "second"}
    assert env.origin("NAME") == ".env line 2"
    assert [entry.line for entry in env.entries] == [1, 2]


def test_malformed_line_fails_with_file_line_and_text(tmp_path, write):
    path = write(tmp_path / ".env", "A=1\n\n\n# note\n\nB=2\n\n\n\n\n\nFOO BAR\nC=3\n")
    with pytest.raises(ConfigurationError) as error:
        read_env_file(path)
    assert error.value.message == '.env line 12: cannot parse "FOO BAR" (expected KEY=value)'
    assert error.value.context["line"] == 12


def test_a_name_without_value_is_malformed(tmp_path, write):
    path = write(tmp_path / ".env", "A=1\nJUSTANAME\n")
    with pytest.raises(ConfigurationError, match=r'^\.env line 2: cannot parse "JUSTANAME"'):
        read_env_file(path)


def test_unterminated_quote_is_named(tmp_path, write):
    path = write(tmp_path / ".env.testing", 'A=1\nB="never closed\nC=3\n')
    with pytest.raises(ConfigurationError) as error:
        read_env_file(path)
    assert error.value.message == (
        '.env.testing line 2: cannot parse "B="never closed" (unterminated quote)'
    )


def test_lenient_parse_collects_every_error_and_keeps_good_lines():
    env = parse_env("A=1\nBAD LINE\nB=2\nALSO BAD\n")
    assert env.values() == {"A": "1", "B": "2"}
    assert [(e.line, e.text) for e in env.errors] == [(2, "BAD LINE"), (4, "ALSO BAD")]


def test_crlf_files_number_lines_like_lf_files(tmp_path, write):
    path = write(tmp_path / ".env", "A=1\r\n\r\nB=2\r\nOOPS\r\n")
    env = read_env_file(path, strict=False)
    assert env.lines() == {"A": 1, "B": 3}
    assert env.errors[0].line == 4


def test_unreadable_file_is_a_configuration_error(tmp_path):
    (tmp_path / ".env").mkdir()
    with pytest.raises(ConfigurationError, match=r"^\.env cannot be read"):
        read_env_file(tmp_path / ".env")
