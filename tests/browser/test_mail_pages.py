"""The mail pages in a real browser, in French and in English: forgotten password (form, answer,
a bad link), address confirmation, one-click unsubscribe without signing in, and the notification
settings under /account, operated with the keyboard only.

The e-mailed links are signed with the served instance's secret key (read from its instance
folder), exactly as the instance signs them. Every page and state passes `check` (axe-core WCAG
2.0/2.1 A and AA, <html lang>, no horizontal scroll at 360 px, no console or network error).
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None


from tests.browser.conftest import PASSWORD, sign_in, start, tab_until
from tests.browser.journey_helpers import account, signed_link

pytestmark = pytest.mark.browser


def test_forgotten_password_pages(page, check, lang, world):
    person = world.user("Oublieuse")
    start(page, lang, "/auth/login")
    page.locator("main a[href='/auth/reset']").click()
    page.wait_for_load_state("load")
    check(page, "reset-request")
    page.locator("main form").get_by_label(re.compile(r"e-?mail", re.I)).fill(person["email"])
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state("load")
    expect(page.locator("main h1")).to_have_text(
        re.compile(r"Check your e-mail|Consultez vos e-mails")
    )
    assert person["email"] not in page.content()
    check(page, "reset-sent")
    page.goto("/auth/reset/not-a-real-link")
    expect(page.locator("main h1")).to_have_text(
        re.compile(r"cannot be used|ne peut pas être utilisé")
    )
    check(page, "reset-bad-link")


def test_confirmation_and_unsubscribe_pages_work_without_signing_in(
    page, check, lang, world, instance
):
    person = world.user("Abonnée")
    person_account = account(instance, person["email"])
    confirm = signed_link(instance, lambda t: t.confirmation_token(person_account))
    unsubscribe = signed_link(
        instance, lambda t: t.unsubscribe_token(person_account, "question_answered")
    )
    start(page, lang)
    page.goto(f"/auth/confirm/{confirm}")
    expect(page.locator("main h1")).to_have_text(re.compile(r"is confirmed|est confirmée"))
    check(page, "confirmed")
    page.goto(f"/auth/confirm/{confirm}")
    check(page, "confirm-used")
    page.goto(f"/mail/unsubscribe/{unsubscribe}")
    check(page, "unsubscribe")
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state("load")
    expect(page.locator("main [role=status]")).to_be_visible()
    check(page, "unsubscribed")


def test_notification_settings_with_the_keyboard(page, check, lang, world):
    person = world.user("Réglages")
    sign_in(page, lang, person["email"], PASSWORD)
    page.goto("/account/notifications/settings")
    check(page, "settings")
    # Keyboard only: reach the "never" choice of the second kind, select it, then save.
    target = page.locator("input[name=question_answered][value=never]")
    tab_until(page, lambda el: el["tag"] == "input" and el["type"] == "radio")
    for _ in range(30):
        if page.evaluate(
            "el => el === document.activeElement",
            page.locator("input[name=question_answered]:checked").element_handle(),
        ):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()
    tab_until(
        page,
        lambda el: (
            el["tag"] == "button"
            and el["type"] == "submit"
            and "sign" not in el["cls"]
            and el["text"] in ("Save my settings", "Enregistrer mes réglages")
        ),
    )
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("input[name=question_answered][value=never]")).to_be_checked()
    check(page, "settings-saved")
    page.goto("/account/notifications")
    check(page, "notifications")
