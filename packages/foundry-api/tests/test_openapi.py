"""OpenAPI and Swagger UI stay, and document the error envelope as the default error."""

from __future__ import annotations

from api_support import AppProvider, TokensProvider

ENVELOPE = {"$ref": "#/components/schemas/ErrorEnvelope"}


async def test_every_operation_documents_the_envelope_as_its_default_error(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        schema = (await http.get("/openapi.json")).json()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert len(operations) > 5
    for operation in operations:
        default = operation["responses"]["default"]
        assert default["content"]["application/json"]["schema"] == ENVELOPE
    envelope = schema["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["error"]
    body = schema["components"]["schemas"]["ErrorEnvelopeBody"]
    assert set(body["required"]) == {"code", "message", "status"}


async def test_422_responses_are_the_envelope_not_fastapis_detail(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        schema = (await http.get("/openapi.json")).json()
    validation = schema["paths"]["/items"]["post"]["responses"]["422"]
    assert validation["content"]["application/json"]["schema"] == ENVELOPE
    assert "HTTPValidationError" not in schema["components"]["schemas"]


async def test_protected_routes_document_the_bearer_scheme(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        schema = (await http.get("/openapi.json")).json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert schema["paths"]["/invoke"]["post"]["security"] == [{"bearer": []}]
    assert schema["paths"]["/upload"]["post"]["security"] == [{"bearer": []}]
    upload_body = schema["paths"]["/upload"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body


async def test_swagger_ui_is_served(build, client):
    api = build(AppProvider)
    async with client(api) as http:
        response = await http.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text
    assert "/openapi.json" in response.text


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


async def test_every_reference_in_the_document_resolves(build, client):
    api = build(AppProvider, TokensProvider, API_INVOKE_ENABLED="true")
    async with client(api) as http:
        schema = (await http.get("/openapi.json")).json()
    components = schema["components"]["schemas"]
    found = set(refs(schema))
    assert "#/components/schemas/InvokeResult" in found
    for ref in found:
        assert ref.removeprefix("#/components/schemas/") in components, ref
