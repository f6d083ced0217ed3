from foundry.domain.errors import (
    CircularDependencyError,
    CommandNotFoundError,
    FoundryError,
    InputError,
    MissingDependencyError,
    NotFoundError,
    ProviderError,
    ValidationError,
)


def test_every_error_is_a_foundry_error_with_code_and_status():
    err = NotFoundError("Product 7 does not exist.")
    assert isinstance(err, FoundryError)
    assert (err.code, err.status, str(err)) == ("NOT_FOUND", 404, "Product 7 does not exist.")


def test_instance_can_override_code_and_status():
    err = FoundryError("teapot", code="TEAPOT", status=418, context={"pot": 1})
    assert err.to_dict() == {
        "code": "TEAPOT",
        "message": "teapot",
        "status": 418,
        "context": {"pot": 1},
    }


def test_validation_error_lists_fields_in_envelope():
    err = ValidationError(fields={"email": ["must be an e-mail address"]})
    body = err.to_dict()
    assert body["status"] == 422
    assert body["fields"] == {"email": ["must be an e-mail address"]}


def test_input_error_names_the_field():
    err = InputError("name", "missing --name")
    assert err.field == "name"
    assert err.fields == {"name": ["missing --name"]}


def test_missing_dependency_names_the_install_line():
    err = MissingDependencyError("The redis cache store", "'foundry-cache[redis]'")
    assert "pip install 'foundry-cache[redis]'" in err.message


def test_circular_dependency_shows_the_chain():
    err = CircularDependencyError(["A", "B", "A"])
    assert "A -> B -> A" in err.message


def test_provider_error_names_the_provider():
    assert ProviderError("cache", "boom").message == "Provider cache: boom"


def test_command_not_found_suggests():
    err = CommandNotFoundError("migrat", ["migrate", "migrate:fresh"])
    assert err.message == 'Command "migrat" is not defined. Did you mean: migrate, migrate:fresh?'
    assert CommandNotFoundError("zzz").message == 'Command "zzz" is not defined.'
