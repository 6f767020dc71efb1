"""A downloaded file is named after its debate, whose slug is data: whatever it holds (a slug
written by an import or by hand, with a line break or a quote), the Content-Disposition header stays
one clean line and the download works."""

from urllib.parse import quote

import pytest

from debate.extensions import db
from tests.outcome import helpers as outcome


@pytest.mark.parametrize("slug", ["5g\r\nX-Injected: 1", '5g"; filename="evil.exe', "5g-été"])
def test_a_slug_cannot_break_the_download_headers(client, make, slug):
    w = outcome.world(make)
    outcome.recommendation(w, publish=True)
    w.debate.slug = slug
    db.session.commit()
    quoted = quote(slug, safe="")
    base = f"/api/v1/debates/{quoted}"
    for path in (f"{base}/export.json", f"{base}/export/arguments.csv", f"{base}/aif.json"):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        disposition = answer.headers["Content-Disposition"]
        assert "\n" not in disposition and "\r" not in disposition
        assert disposition.count('"') == 2 and "evil.exe" not in disposition.split('filename="')[0]
        assert "X-Injected" not in answer.headers
    pdf = client.get(f"/debates/{quoted}/outcome/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Disposition"].startswith('inline; filename="')
    assert "\n" not in pdf.headers["Content-Disposition"]
