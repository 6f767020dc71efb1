"""A citizen reads the privacy notice, opens My data, downloads it, deletes the account
(anonymize), then cannot sign in; their argument stays, signed "Deleted participant". In French and
English, every page and state through `check` (axe-core, 360 px, console)."""

import json
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture
    expect = None

from tests.browser.conftest import NAMES, PASSWORD, Api, sign_in, tab_until

pytestmark = pytest.mark.browser

DELETED = {"fr": "Participant supprimé", "en": "Deleted participant"}


def test_citizen_downloads_then_deletes_their_data(page, world, check, lang):
    member = world.user(f"Animatrice ({lang})")
    debate = world.debate(working_group=member)
    slug = debate["slug"]
    host = Api(world.api.base).signed_in(member["email"])
    host.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"})
    citizen = world.user(f"Lucie Ferrand {lang}")
    argument = (
        Api(world.api.base)
        .signed_in(citizen["email"])
        .call(
            "POST",
            f"/debates/{slug}/arguments",
            {
                "theme": "health",
                "stance": "against",
                "title": f"Mesurer avant d'installer ({lang})",
                "body": "Des mesures publiques avant chaque antenne.",
                "sources": [
                    {
                        "url": "https://www.anfr.fr/mesures-5g-2021",
                        "title": "Mesures d'exposition",
                        "publisher": "ANFR",
                        "kind": "public_agency",
                    }
                ],
            },
            expect=201,
        )
    )
    host.call(
        "POST", f"/arguments/{argument['id']}/moderation", {"action": "approve"}
    )  # pre-moderated debate

    # Signed in, the footer leads to the privacy notice and the accessibility statement.
    sign_in(page, lang, citizen["email"])
    page.goto("/")  # where the login form leads
    page.locator("footer a[href='/privacy']").click()
    expect(page).to_have_url(re.compile(r"/privacy$"))
    check(page, "privacy")
    page.locator("footer a[href='/accessibility']").click()
    expect(page).to_have_url(re.compile(r"/accessibility$"))
    expect(page.locator("main")).to_contain_text("RGAA")
    check(page, "accessibility")

    # My account → My data: everything, readable.
    page.locator("header a[href='/account']").click()
    page.locator("main a[href='/account/data']").click()
    expect(page).to_have_url(re.compile(r"/account/data$"))
    main = page.locator("main")
    expect(main).to_contain_text(citizen["email"])
    expect(main).to_contain_text(f"Mesurer avant d'installer ({lang})")
    check(page, "my-data")

    # The download: a JSON file with the same content.
    with page.expect_download() as download_info:
        main.locator("form[action='/account/data/download'] button").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["account"]["email"] == citizen["email"]
    assert [a["id"] for a in data["arguments"]] == [argument["id"]]

    # Delete my account: a wrong password is refused, clearly, and changes nothing.
    main.locator("a[href='/account/delete']").last.click()
    expect(page).to_have_url(re.compile(r"/account/delete$"))
    check(page, "delete-account")
    form = page.locator("main form")
    # With the keyboard only: Tab to the first choice (anonymize), Space, Tab to the password, Enter.
    tab_until(page, lambda a: a["type"] == "radio")
    page.keyboard.press("Space")
    expect(form.locator("input[value='anonymize']")).to_be_checked()
    tab_until(page, lambda a: a["type"] == "password")
    page.keyboard.type("pas le bon mot de passe")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(form.get_by_label(re.compile(r"password|mot de passe", re.I))).to_have_attribute(
        "aria-invalid", "true"
    )
    check(page, "delete-account-errors")

    # The right password: the account is gone, the visitor signed out.
    form.locator("input[value='anonymize']").check()
    form.get_by_label(re.compile(r"password|mot de passe", re.I)).fill(PASSWORD)
    form.get_by_role("button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("header a[href='/auth/login']")).to_be_visible()
    check(page, "account-deleted", screenshot=False)

    # The argument stays, signed "Deleted participant"; the name is nowhere.
    page.goto(f"/debates/{slug}/arguments/{argument['id']}")
    expect(page.locator("main")).to_contain_text(DELETED[lang])
    expect(page.locator("main")).not_to_contain_text(citizen["display_name"])
    check(page, "argument-of-deleted-participant", screenshot=False)

    # Signing in again fails.
    page.goto("/auth/login")
    login = page.locator("main form")
    login.get_by_label(NAMES["email"]).fill(citizen["email"])
    login.get_by_label(NAMES["password"]).fill(PASSWORD)
    login.get_by_role("button").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("header a[href='/auth/login']")).to_be_visible()
    check(page, "sign-in-after-deletion", screenshot=False)


def test_citizen_changes_their_password(page, world, check, lang):
    citizen = world.user(f"Noé Garnier {lang}")
    sign_in(page, lang, citizen["email"])
    page.goto("/")  # where the login form leads
    page.locator("header a[href='/account']").click()
    page.locator("main a[href='/account/password']").click()
    expect(page).to_have_url(re.compile(r"/account/password$"))
    check(page, "change-password")
    form = page.locator("main form")
    fields = form.locator("input[type='password']")
    new = "une toute nouvelle phrase secrète"

    # A wrong current password: refused, explained, nothing changed.
    fields.nth(0).fill("pas le bon mot de passe")
    fields.nth(1).fill(new)
    fields.nth(2).fill(new)
    form.get_by_role("button").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(fields.nth(0)).to_have_attribute("aria-invalid", "true")
    check(page, "change-password-errors")

    # The right one: changed, still signed in here.
    fields.nth(0).fill(PASSWORD)
    fields.nth(1).fill(new)
    fields.nth(2).fill(new)
    form.get_by_role("button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator("header a[href='/account']")).to_be_visible()
    Api(world.api.base).signed_in(citizen["email"], password=new)
