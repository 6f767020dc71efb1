"""Dates formatted once per day give exactly what Flask-Babel gives, in both languages, across
time-zone changes; templates translate in the request's language and in one forced for an e-mail."""

import random
from datetime import UTC, date, datetime, timedelta

import flask_babel
import pytest
from flask import render_template_string

from debate.core import templating


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dates_are_formatted_as_flask_babel_formats_them(app, lang):
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(minutes=rng.randrange(0, 60 * 24 * 800)) for _ in range(300)]
    # around both daylight-saving changes of 2026 in Paris, and a naive value (read as UTC)
    moments += [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 30),
    ]
    with app.test_request_context(f"/?lang={lang}"):
        for moment in moments:
            assert templating.format_datetime(moment) == flask_babel.format_datetime(
                moment, "d MMM y, HH:mm"
            )
            assert templating.format_datetime(
                moment, "EEEE d MMMM y HH:mm:ss"
            ) == flask_babel.format_datetime(moment, "EEEE d MMMM y HH:mm:ss")
            assert templating.format_date(moment) == flask_babel.format_date(moment, "long")
            assert templating.format_date(moment.date(), "short") == flask_babel.format_date(
                moment.date(), "short"
            )
        assert templating.format_date(None) == templating.format_datetime(None) == ""
        assert (
            templating.format_date(date(2026, 11, 28))
            == {"fr": "28 novembre 2026", "en": "November 28, 2026"}[lang]
        )


def test_templates_translate_in_the_request_language_and_in_a_forced_one(app):
    template = (
        "{{ _('Sign in') }}|{{ ngettext('%(num)d source', '%(num)d sources', 2) }}|{{ d|date }}"
    )
    day = date(2026, 11, 28)
    # (a fresh app context each time, as each real request has: Flask-Babel keeps the locale in `g`)
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert render_template_string(template, d=day) == "Sign in|2 sources|November 28, 2026"
        with flask_babel.force_locale("fr"):
            assert (
                render_template_string(template, d=day) == "Se connecter|2 sources|28 novembre 2026"
            )
            assert str(flask_babel.lazy_gettext("Sign in")) == "Se connecter"
        assert render_template_string(template, d=day) == "Sign in|2 sources|November 28, 2026"
        assert flask_babel.gettext("Sign in") == "Sign in"
    with app.app_context(), app.test_request_context("/"):
        assert render_template_string(template, d=day) == "Se connecter|2 sources|28 novembre 2026"
    with app.app_context():  # CLI work: French
        assert render_template_string("{{ _('Sign in') }}") == "Se connecter"
