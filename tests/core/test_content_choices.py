"""The English interface declares the French it quotes where the words are put together in Python
(issue 25): the recommendation form's choices of material and area, the follow-up's commitment,
a notification's title, a theme's title. The French interface declares nothing of its own."""

from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale
from markupsafe import escape

from debate.accounts.notifications import render_title, render_title_in
from debate.arguments.models import Stance
from debate.outcome.forms import FollowUpForm, RecommendationForm

DEBATE = SimpleNamespace(
    language="fr",
    themes=[SimpleNamespace(id=1, key="sante", title="Santé")],
)
MATERIAL = SimpleNamespace(
    arguments=[
        SimpleNamespace(id=7, title="Les antennes & la santé", stance=Stance.FOR, theme_id=1)
    ],
    sources=[{"url": "https://anfr.fr/x", "title": "Mesures d'exposition", "publisher": "ANFR"}],
    contributions=[SimpleNamespace(id=3, name="Dr Martin", title="Ce que dit l'étude")],
    notes=[SimpleNamespace(id=9, title="Atelier du 12 mai", text="Un guichet en mairie")],
)
FR = ' lang="fr"'


def _material_form(app, locale: str) -> str:
    with app.test_request_context("/"), force_locale(locale):
        form = RecommendationForm(formdata=None, meta={"csrf": False})
        form.set_material(DEBATE, MATERIAL)
        return render_template_string(
            "{{ form.area() }}{% for name in names %}{% for o in form[name] %}{{ o.label }}"
            "{% endfor %}{% endfor %}",
            form=form,
            names=("argument_ids", "source_urls", "expert_contribution_ids", "workshop_note_ids"),
        )


def test_material_choices_declare_the_french_they_quote_around_the_interface_words(app):
    page = _material_form(app, "en")
    # The stance is the interface's word; the theme and the argument are the debate's.
    assert (
        '<span lang="fr">Santé</span> · For · <span lang="fr">Les antennes &amp; la santé</span>'
    ) in page
    assert '<span lang="fr">Mesures d&#39;exposition (ANFR)</span>' in page
    assert 'Dr Martin: <span lang="fr">Ce que dit l&#39;étude</span>' in page
    assert (
        '<span lang="fr">Atelier du 12 mai</span> · <span lang="fr">Un guichet en mairie</span>'
        in page
    )
    assert '<option lang="fr" value="sante">Santé</option>' in page


def test_material_choices_in_french_declare_nothing(app):
    page = _material_form(app, "fr")
    assert "lang=" not in page
    assert "Santé · Pour · Les antennes &amp; la santé" in page


def test_choices_set_as_plain_text_are_the_users_words(app):
    """A view that sets the labels itself (plain strings) gets each one declared whole."""
    with app.test_request_context("/"), force_locale("en"):
        form = RecommendationForm(formdata=None, meta={"csrf": False})
        form.workshop_note_ids.choices = [("9", "Atelier du 12 mai · Un guichet en mairie")]
        labels = [str(o.label) for o in form.workshop_note_ids]
    assert labels == [
        '<label for="workshop_note_ids-0"><span lang="fr">Atelier du 12 mai · Un guichet en mairie'
        "</span></label>"
    ]


@pytest.mark.parametrize("locale, declared", [("en", True), ("fr", False)])
def test_the_commitment_list_declares_commitments_not_its_none_choice(app, locale, declared):
    with app.test_request_context("/"), force_locale(locale):
        form = FollowUpForm(formdata=None, meta={"csrf": False})
        form.commitment_id.choices = [("", "— none —"), ("4", "Publier les mesures")]
        page = str(form.commitment_id())
    assert '<option value="">— none —</option>' in page
    assert ("<option" + FR + ' value="4">Publier les mesures</option>' in page) is declared
    assert page.count("lang=") == (1 if declared else 0)


TITLE = "The officials answered recommendation no. %(number)s “%(title)s”."
PARAMS = {"number": 2, "title": "Créer un point d'information <en mairie>"}


def test_a_notification_title_declares_the_title_it_quotes_on_a_page(app):
    with app.test_request_context("/"), force_locale("en"):
        title = render_title(TITLE, PARAMS)
        page = render_template_string("<strong>{{ title }}</strong>", title=title)
    assert page == (
        '<strong>The officials answered recommendation no. 2 “<span lang="fr">Créer un point '
        "d&#39;information &lt;en mairie&gt;</span>”.</strong>"
    )
    # As text (an e-mail's subject, JSON, exports) it stays the plain title.
    assert (
        title
        == "The officials answered recommendation no. 2 “Créer un point d'information <en mairie>”."
    )
    assert str.__str__(title) == title


def test_a_notification_title_in_french_declares_nothing(app):
    with app.test_request_context("/"):
        title = render_title_in("fr", TITLE, PARAMS)
        # The page shows the French text, escaped, and nothing more.
        assert title.startswith("Les élus ont répondu à la recommandation n")
        assert escape(title) == escape(str.__str__(title))
        assert "&lt;en mairie&gt;" in escape(title)


def test_a_stored_title_that_cannot_be_rendered_is_the_users_french(app):
    with app.test_request_context("/"), force_locale("en"):
        title = render_title(
            "%(missing)s", {"other": 1}, fallback="Votre question a reçu une réponse"
        )
        assert str(escape(title)) == '<span lang="fr">Votre question a reçu une réponse</span>'


@pytest.mark.parametrize(
    "locale, expected",
    [
        ("en", '<h2><span lang="fr">Économie et territoires</span></h2>'),
        ("fr", "<h2>Économie et territoires</h2>"),
    ],
)
def test_a_theme_title_is_declared_in_its_debates_language(app, locale, expected):
    theme = SimpleNamespace(title="Économie et territoires", debate=SimpleNamespace(language="fr"))
    with app.test_request_context("/"), force_locale(locale):
        assert render_template_string("<h2>{{ theme|theme_title }}</h2>", theme=theme) == expected


def test_a_theme_of_a_debate_in_another_language_declares_that_language(app):
    theme = SimpleNamespace(title="Wirtschaft", debate=SimpleNamespace(language="de"))
    with app.test_request_context("/"), force_locale("fr"):
        page = render_template_string("{{ theme|theme_title }}", theme=theme)
    assert page == '<span lang="de">Wirtschaft</span>'
