"""The OpenAPI description covers every JSON endpoint, with schemas and error responses, and the
documentation page is readable without any remote asset or inline script."""

import re

import pytest

NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def _operations(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule in NOT_OPERATIONS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method.lower(), _openapi_path(rule.rule), rule


def test_every_api_route_is_documented_with_an_error_response(app, spec):
    missing, without_errors, without_schema = [], [], []
    for method, path, _rule in _operations(app):
        operation = spec["paths"].get(path, {}).get(method)
        if operation is None:
            missing.append(f"{method.upper()} {path}")
            continue
        codes = [c for c in operation.get("responses", {}) if c.isdigit()]
        if not any(c.startswith("4") for c in codes):
            without_errors.append(f"{method.upper()} {path}")
        # 202 (accepted) and 204 (no content) answers carry no document.
        success = [operation["responses"][c] for c in codes if c in {"200", "201"}]
        if success and not any("content" in r for r in success):
            without_schema.append(f"{method.upper()} {path}")
    assert missing == [], f"API routes missing from openapi.json: {missing}"
    assert without_errors == [], f"API routes without a documented 4xx response: {without_errors}"
    assert without_schema == [], (
        f"API routes whose success response has no schema: {without_schema}"
    )


def test_write_operations_document_their_request_body_and_validation_errors(app, spec):
    problems = []
    for method, path, _rule in _operations(app):
        if method not in {"post", "put", "patch"}:
            continue
        operation = spec["paths"].get(path, {}).get(method, {})
        responses = operation.get("responses", {})
        if "requestBody" in operation and "422" not in responses:
            problems.append(f"{method.upper()} {path}: a body but no 422")
        if (
            "401" not in responses
            and "security" not in operation
            and path
            not in {
                "/api/v1/users",
                "/api/v1/tokens",
                "/api/v1/password-reset",
            }
        ):
            problems.append(f"{method.upper()} {path}: a write without a documented 401")
    assert problems == [], problems


def test_error_responses_use_the_contract_shape(spec):
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error"}


def test_the_documentation_page_is_served_locally(client, spec):
    response = client.get("/api/v1/docs?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Every operation is on the page, with its error responses.
    assert "/api/v1/debates/{slug}/export.json" in page
    assert page.count('class="operation"') == sum(
        1
        for methods in spec["paths"].values()
        for m in methods
        if m in {"get", "post", "put", "patch", "delete"}
    )
    assert "422" in page and "Request body" in page
    # Nothing from another host; no inline script (the CSP forbids them).
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page and "<script " not in page.replace('<script src="/static/', "")
    assert "style=" not in page
