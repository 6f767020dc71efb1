"""The API documentation page says, operation by operation, whether it needs the bearer token, as
the OpenAPI description declares it (each operation's `security`), so a reader knows before calling
which calls answer 401 without a token (issue 25)."""

import re
from html import unescape

import pytest

BADGES = {"required": "Token required", "optional": "Token optional", "none": "No token"}


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def _expected(operation: dict, spec: dict) -> str:
    security = operation.get("security", spec.get("security")) or []
    if not any(requirement for requirement in security):
        return "none"
    return "optional" if {} in security else "required"


def _operations(page: str) -> dict[str, str]:
    """Each operation's block on the page by its `<summary>` (method and path)."""
    blocks = re.findall(r'<details class="operation" id="[^"]+">(.*?)</details>', page, re.S)
    found = {}
    for block in blocks:
        summary = re.search(r"<summary><code>([A-Z]+ [^<]+)</code>", block).group(1)
        found[unescape(summary)] = unescape(re.sub(r"<[^>]+>", "", block))
    return found


def test_each_operation_says_whether_it_needs_the_token(client, spec):
    page = client.get("/api/v1/docs?lang=en").get_data(as_text=True)
    shown = _operations(page)
    kinds = set()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            block = shown[f"{method.upper()} {path}"]
            kind = _expected(operation, spec)
            kinds.add(kind)
            assert BADGES[kind] in block, (method, path, kind)
            assert [badge for badge in BADGES.values() if badge in block] == [BADGES[kind]]
            if kind == "required":
                assert "Needs a token: Authorization: Bearer <token>. Without one" in block
            elif kind == "optional":
                assert "with one (Authorization: Bearer <token>)" in block
    # The demo API has all three: exchanging a password for a token takes none, reading a debate
    # works with or without one, writing an argument needs one.
    assert kinds == {"required", "optional", "none"}


def test_known_operations_read_as_a_client_expects(client):
    shown = _operations(client.get("/api/v1/docs?lang=en").get_data(as_text=True))
    assert "No token" in shown["POST /api/v1/tokens"]
    assert "Token optional" in shown["GET /api/v1/debates"]
    assert "Token required" in shown["POST /api/v1/debates/{slug}/arguments"]


def test_the_header_to_send_is_code(client):
    page = client.get("/api/v1/docs?lang=en").get_data(as_text=True)
    assert (
        "Needs a token: <code>Authorization: Bearer &lt;token&gt;</code>. Without one, the answer "
        "is 401."
    ) in page


def test_the_french_page_says_it_in_french(client):
    shown = _operations(client.get("/api/v1/docs?lang=fr").get_data(as_text=True))
    assert "Jeton obligatoire" in shown["POST /api/v1/debates/{slug}/arguments"]
    assert "Sans jeton" in shown["POST /api/v1/tokens"]
