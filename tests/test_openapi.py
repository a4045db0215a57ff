"""The OpenAPI document is generated from the schemas that validate requests."""

from __future__ import annotations


def test_openapi_lists_account_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path, method in [
        ("/api/v1/users", "post"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/current", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/users/{username}", "get"),
    ]:
        assert method in paths[path], (path, method)
    schemas = spec["components"]["schemas"]
    user_create = schemas["UserCreate"]
    assert set(user_create["required"]) >= {"username", "email", "password", "display_name", "country"}
    assert user_create["properties"]["username"]["maxLength"] == 30
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_operation_documents_its_errors(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "post" and "requestBody" in operation:
                assert "422" in operation["responses"], (path, method)
