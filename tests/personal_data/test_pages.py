"""The privacy notice and the accessibility statement: public, linked from every page, configurable."""

import pytest

from debate.config import Defaults, environment_overrides


@pytest.mark.parametrize("path", ["/", "/auth/login", "/privacy"])
def test_footer_links_both_pages(client, path):
    html = client.get(path).get_data(as_text=True)
    footer = html[html.index("<footer") :]
    assert 'href="/privacy"' in footer and 'href="/accessibility"' in footer
    assert "partiellement conforme" in footer


def test_privacy_notice_says_what_why_how_long_and_whom_to_ask(app, client):
    app.config.update(
        RETENTION_MONTHS=18,
        RETENTION_WARNING_DAYS=45,
        PRIVACY_CONTACT="dpo@ville.example",
        PRIVACY_CONTROLLER="la Ville de Villeneuve-sur-Lande",
    )
    try:
        html = client.get("/privacy").get_data(as_text=True)
    finally:
        app.config.update(
            RETENTION_MONTHS=24,
            RETENTION_WARNING_DAYS=30,
            PRIVACY_CONTACT="",
            PRIVACY_CONTROLLER="",
        )
    for text in (
        "18 mois",
        "45 jours",
        'href="mailto:dpo@ville.example"',
        "la Ville de Villeneuve-sur-Lande",
        "6.1.e",
        "article 9",
        'href="/account/data"',
        'href="/account/delete"',
        "CNIL",
    ):
        assert text in html, text


def test_privacy_notice_in_english(client):
    html = client.get("/privacy?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "24 months" in html and "30 days" in html
    assert "the platform&#39;s administrator" in html  # no contact configured: a sensible fallback


def test_accessibility_statement(app, client):
    app.config.update(ACCESSIBILITY_CONTACT="accessibilite@ville.example")
    try:
        html = client.get("/accessibility").get_data(as_text=True)
        english = client.get("/accessibility?lang=en").get_data(as_text=True)
    finally:
        app.config.update(ACCESSIBILITY_CONTACT="")
    for text in (
        "partiellement conforme",
        "RGAA",
        "axe-core",
        "360 pixels",
        "clavier",
        "Défenseur des droits",
        'href="mailto:accessibilite@ville.example"',
    ):
        assert text in html, text
    for text in (
        "partially conformant",
        "keyboard only",
        "Défenseur des droits",
        "accessibilite@ville.example",
    ):
        assert text in english, text


def test_settings_come_from_the_environment(monkeypatch):

    assert (Defaults.RETENTION_MONTHS, Defaults.RETENTION_WARNING_DAYS) == (24, 30)
    monkeypatch.setenv("DEBATE_RETENTION_MONTHS", "12")
    monkeypatch.setenv("DEBATE_PRIVACY_CONTACT", "rgpd@ville.example")
    overrides = environment_overrides()
    assert (
        overrides["RETENTION_MONTHS"] == "12"
        and overrides["PRIVACY_CONTACT"] == "rgpd@ville.example"
    )
