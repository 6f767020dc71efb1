"""Assertions shared by the test packages."""


def assert_api_error(response, code: int, *, fields: tuple[str, ...] = ()) -> dict:
    """The contract's error shape: {"error": {"code", "message", "fields"}}, nothing else, no leak."""
    assert response.status_code == code, (
        response.status_code,
        response.get_data(as_text=True)[:500],
    )
    assert response.mimetype == "application/json", response.mimetype
    body = response.get_json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"].strip()
    assert isinstance(error["fields"], dict)
    for name in fields:
        assert name in error["fields"], (name, error["fields"])
        assert error["fields"][name] and all(isinstance(m, str) for m in error["fields"][name])
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "sqlalchemy" not in text.lower()
    return error


def assert_429_json(response):
    """A JSON 429 in the API's error shape, with a Retry-After of at most a minute."""
    assert_api_error(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 60
