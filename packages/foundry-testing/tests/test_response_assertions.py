"""Response assertions pass on what they describe and fail showing what came back."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from foundry.testing import (
    assert_error,
    assert_json_path,
    assert_json_structure,
    assert_redirect,
    assert_status,
    json_path,
    show_response,
)


def response(
    status: int,
    body: Any = None,
    *,
    method: str = "GET",
    url: str = "http://testserver/posts",
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    request = httpx.Request(method, url)
    if text is not None:
        return httpx.Response(status, text=text, headers=headers, request=request)
    if body is None:
        return httpx.Response(status, headers=headers, request=request)
    return httpx.Response(status, json=body, headers=headers, request=request)


VALIDATION = {
    "error": {
        "code": "VALIDATION_ERROR",
        "message": "The given data was invalid.",
        "status": 422,
        "fields": {"body.email": ["Field required"], "body.name": ["Too short", "Taken"]},
    }
}
LISTING = {"data": {"items": [{"id": 1, "name": "x"}, {"id": 2, "name": "y"}]}, "meta": {}}


class TestStatus:
    def test_a_matching_status_passes_and_returns_the_response(self) -> None:
        ok = response(201, {"data": {}})
        assert assert_status(ok, 201) is ok

    def test_a_failure_names_both_statuses_the_request_and_the_body(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_status(response(422, VALIDATION, method="POST"), 201)
        message = str(failure.value)
        assert message.startswith("Expected status 201, got 422.")
        assert "POST http://testserver/posts answered 422 Unprocessable Entity" in message
        assert "(application/json)" in message
        assert '"code": "VALIDATION_ERROR"' in message
        assert '"body.email": [\n' in message  # pretty-printed

    def test_a_long_body_is_trimmed_and_says_how_much_was_left_out(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_status(response(500, text="x" * 5000), 200)
        assert "x" * 2000 + "\n... (3000 more characters)" in str(failure.value)

    def test_text_and_empty_bodies_are_shown_as_such(self) -> None:
        assert "Body:\n<h1>Oops</h1>" in show_response(response(500, text="<h1>Oops</h1>"))
        assert "(empty body)" in show_response(response(204))

    def test_a_response_built_without_a_request_still_reads(self) -> None:
        assert show_response(httpx.Response(418)).startswith("The response answered 418")


class TestJsonPath:
    def test_dotted_paths_walk_objects_and_list_indexes(self) -> None:
        ok = response(200, LISTING)
        assert assert_json_path(ok, "data.items.1.name", "y") == "y"
        assert assert_json_path(ok, "data.items.-1.id") == 2
        assert assert_json_path(ok, "meta") == {}

    def test_a_missing_key_lists_the_keys_there_are(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_json_path(response(200, LISTING), "data.total")
        assert "Expected the JSON path 'data.total': data has no key 'total' (keys: items)." in (
            str(failure.value)
        )

    def test_an_index_past_the_end_says_how_many_items_there_are(self) -> None:
        with pytest.raises(AssertionError, match=r"data.items has 2 item\(s\); there is no item 5"):
            assert_json_path(response(200, LISTING), "data.items.5.name")

    def test_a_word_where_an_index_belongs_is_refused(self) -> None:
        with pytest.raises(AssertionError, match=r"data.items is a list; 'first' is not an index"):
            assert_json_path(response(200, LISTING), "data.items.first")

    def test_a_different_value_shows_both(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_json_path(response(200, LISTING), "data.items.0.name", "z")
        assert str(failure.value).startswith("Expected 'data.items.0.name' to be 'z', got 'x'.")
        assert '"name": "x"' in str(failure.value)

    def test_a_body_that_is_not_json_fails_showing_it(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_json_path(response(200, text="plain words"), "data")
        assert "the response is not JSON" in str(failure.value)
        assert "plain words" in str(failure.value)

    def test_json_path_walks_plain_data_too(self) -> None:
        assert json_path({"a": [{"b": 1}]}, "a.0.b") == 1
        with pytest.raises(KeyError, match=r"a.0.b is int 1, not an object or list"):
            json_path({"a": [{"b": 1}]}, "a.0.b.c")


class TestJsonStructure:
    def test_keys_nested_objects_and_every_item_of_a_list(self) -> None:
        assert_json_structure(response(200, LISTING), {"data": {"items": {"*": ["id", "name"]}}})
        assert_json_structure(response(200, LISTING), ["data", "meta"])

    def test_every_missing_key_is_listed_with_its_path(self) -> None:
        body = {"data": {"items": [{"id": 1, "name": "x"}, {"id": 2}]}}
        with pytest.raises(AssertionError) as failure:
            assert_json_structure(
                response(200, body), {"data": {"items": {"*": ["id", "name"]}}, "meta": ["total"]}
            )
        assert str(failure.value).startswith(
            "The JSON body lacks 2 expected key(s): data.items.1.name, meta."
        )


class TestRedirect:
    def test_a_path_matches_an_absolute_location(self) -> None:
        moved = response(302, headers={"location": "http://testserver/login?next=%2F"})
        assert assert_redirect(moved, "/login?next=%2F") == "http://testserver/login?next=%2F"
        assert_redirect(response(301, headers={"location": "/home"}), "/home")
        assert_redirect(response(307, headers={"location": "/home"}))

    def test_a_response_that_does_not_redirect_fails(self) -> None:
        with pytest.raises(AssertionError, match=r"Expected a redirect, got status 200."):
            assert_redirect(response(200, {"ok": True}), "/login")

    def test_a_redirect_elsewhere_names_both_places(self) -> None:
        with pytest.raises(AssertionError, match=r"to '/login', got one to '/home'"):
            assert_redirect(response(302, headers={"location": "/home"}), "/login")

    def test_a_redirect_status_without_location_fails(self) -> None:
        with pytest.raises(AssertionError, match=r"no Location header"):
            assert_redirect(response(303), "/login")


class TestErrorEnvelope:
    def test_code_status_message_and_fields_in_request_form(self) -> None:
        error = assert_error(
            response(422, VALIDATION),
            "VALIDATION_ERROR",
            status=422,
            message="invalid",
            fields=["email", "name"],
        )
        assert error["fields"]["body.email"] == ["Field required"]

    def test_field_messages_are_checked_when_given(self) -> None:
        assert_error(response(422, VALIDATION), fields={"name": "Taken"})
        with pytest.raises(AssertionError) as failure:
            assert_error(response(422, VALIDATION), fields={"name": "Reserved"})
        assert "Expected an error for 'name' containing 'Reserved'" in str(failure.value)
        assert "['Too short', 'Taken']" in str(failure.value)

    def test_a_missing_field_error_lists_the_fields_that_have_errors(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_error(response(422, VALIDATION), fields=["password", "email"])
        assert str(failure.value).startswith(
            "Expected errors for the field(s) password; the envelope has errors for: "
            "body.email, body.name."
        )

    def test_another_code_fails_with_both_codes_and_the_body(self) -> None:
        with pytest.raises(AssertionError) as failure:
            assert_error(response(422, VALIDATION), "NOT_FOUND")
        message = str(failure.value)
        assert "Expected the error code 'NOT_FOUND', got 'VALIDATION_ERROR'." in message
        assert '"message": "The given data was invalid."' in message

    def test_a_body_that_is_not_the_envelope_fails(self) -> None:
        with pytest.raises(AssertionError, match=r"Expected the error envelope"):
            assert_error(response(400, {"detail": "Bad"}), "BAD_REQUEST")

    def test_the_envelope_status_must_agree_with_the_response(self) -> None:
        body = json.loads(json.dumps(VALIDATION))
        body["error"]["status"] = 400
        with pytest.raises(
            AssertionError, match=r"envelope says status 400 but the response is 422"
        ):
            assert_error(response(422, body))

    def test_an_unexpected_status_fails(self) -> None:
        with pytest.raises(AssertionError, match=r"Expected status 404, got 422."):
            assert_error(response(422, VALIDATION), status=404)
