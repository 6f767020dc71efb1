"""The open data page and the API documentation in a real browser: accessible (axe), usable at 360 px
and with the keyboard, in French and in English; the downloads really download."""

import json

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import start
from tests.browser.conftest import tab_until as _tab_until

pytestmark = pytest.mark.browser


def test_open_data_page_lists_downloads_that_work(page, world, check, lang):
    slug = world.debate()["slug"]
    start(page, lang, f"/debates/{slug}/")
    page.locator(
        ".debate-nav a", has_text="Données ouvertes" if lang == "fr" else "Open data"
    ).click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/debates/{slug}/open-data")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Licence Ouverte / Open Licence 2.0")
    check(page, "open-data")
    # Keyboard: the JSON export's link is reachable with Tab; what it points to is the document.
    _tab_until(
        page, lambda el: el["tag"] == "a" and "JSON" in el["text"] and "AIF" not in el["text"]
    )
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert href == f"/api/v1/debates/{slug}/export.json"
    answer = page.request.get(href)
    assert answer.ok and answer.headers["content-disposition"].startswith("attachment")
    assert json.loads(answer.body())["debate"]["slug"] == slug
    csv = page.request.get(f"/api/v1/debates/{slug}/export/arguments.csv")
    assert csv.body().startswith(b'\xef\xbb\xbf"id","theme","stance","title"')  # every cell quoted


def test_api_documentation_opens_an_operation_with_the_keyboard(page, check, lang):
    start(page, lang, "/api/v1/docs")
    summary = page.locator(
        "details.operation summary", has_text="/api/v1/debates/{slug}/export.json"
    )
    summary.focus()
    page.keyboard.press("Enter")
    expect(summary.locator("xpath=..")).to_have_attribute("open", "")
    expect(summary.locator("xpath=..").locator("table").last).to_contain_text("404")
    check(page, "api-docs-open")
