"""The citizens' panel pages as people use them, without JavaScript, in French and in English."""

import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from debate.extensions import db
from debate.panel import operations
from debate.panel.models import Panel, PanelDraw, PanelVolunteer, VolunteerStatus
from tests.panel.helpers import fill_pool, panel_for

# What the panel's pages render and accept does not depend on the database: run once, on
# SQLite. PostgreSQL runs the same operations through tests/panel/test_api.py and every page
# through the security matrix (tests/security/matrix.py).
pytestmark = pytest.mark.db_independent


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def wg(make):
    return make.user("Groupe de travail")


@pytest.fixture
def debate(make, wg):
    return make.debate(phase="expertise", members={"working_group": wg}, template="blank")


@pytest.fixture
def panel(debate, wg):
    return panel_for(debate, wg, size=6)


def _answers(panel) -> dict:
    """A valid answer to each category, as the form sends it."""
    return {f"answers_{c['key']}": c["values"][0]["key"] for c in panel.categories}


def _drawn(client, make, debate, wg, panel, seed="12 17 23 31 42"):
    fill_pool(panel, make, 40)
    make.login(client, wg)
    response = client.post_form(
        f"/debates/{debate.slug}/panel/draw", {"seed": seed, "confirm": "y"}
    )
    assert response.status_code == 302, _text(response)[:500]
    assert response.headers["Location"].endswith(f"/debates/{debate.slug}/panel/draw")
    return response


# --- the public page ----------------------------------------------------------------------------
def test_the_panel_page_says_what_it_is_in_french_and_english(client, panel, debate):
    fr = _text(client.get(f"/debates/{debate.slug}/panel"))
    assert "Panel citoyen" in fr and "16" in fr
    assert "Se connecter pour se porter volontaire" in fr
    en = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "Citizens' panel" in en and "Rennes" in en
    assert "Volunteering is open until" in en
    # Quotas by category, with the pool counted by value.
    assert "Tranche d&#39;âge" in en and "Seats (min–max)" in en
    assert "Sign in to volunteer" in en


def test_a_debate_without_panel_has_no_panel_page_but_the_working_group_can_set_one_up(
    client, make, wg
):
    debate = make.debate(members={"working_group": wg}, template="blank")
    assert client.get(f"/debates/{debate.slug}/panel").status_code == 404
    page = _text(client.get(f"/debates/{debate.slug}/?lang=en"))
    assert 'id="panel-box-title"' not in page
    make.login(client, wg)
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "Set up the panel" in page
    page = _text(client.get(f"/debates/{debate.slug}/?lang=en"))
    assert f'href="/debates/{debate.slug}/panel/settings"' in page


def test_the_debate_page_shows_the_panel_box(client, make, panel, debate, wg):
    page = _text(client.get(f"/debates/{debate.slug}/?lang=en"))
    assert "Volunteering is open until" in page
    assert f'href="/debates/{debate.slug}/panel/volunteer"' in page
    # The organisers are not drawn: no "Volunteer" button for them.
    make.login(client, wg)
    page = _text(client.get(f"/debates/{debate.slug}/?lang=en"))
    assert f'href="/debates/{debate.slug}/panel"' in page
    assert f'href="/debates/{debate.slug}/panel/volunteer"' not in page


def test_the_debate_navigation_leads_to_the_panel_once_there_is_one(client, make, debate, wg):
    """Every page of a debate with a panel names it in the debate's sections, marked as the
    current one on the panel's pages; a debate without a panel does not."""
    entry = f'<a href="/debates/{debate.slug}/panel"'
    for path in ("/", "/arguments", "/expertise"):
        assert entry not in _text(client.get(f"/debates/{debate.slug}{path}"))
    panel_for(debate, wg, size=6)
    db.session.commit()
    for path in ("/", "/arguments", "/expertise"):
        page = _text(client.get(f"/debates/{debate.slug}{path}"))
        assert f"{entry}>Panel citoyen</a>" in page
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert f'{entry} aria-current="page">Citizens\' panel</a>' in page
    make.login(client, wg)  # signed in: the same entry (the banner is a shared fragment)
    page = _text(client.get(f"/debates/{debate.slug}/?lang=en"))
    assert f"{entry}>Citizens' panel</a>" in page


# --- volunteering -------------------------------------------------------------------------------
def test_a_citizen_volunteers_sees_their_key_and_withdraws(client, make, panel, debate):
    citizen = make.user("Léa Martin")
    make.login(client, citizen)
    form = _text(client.get(f"/debates/{debate.slug}/panel/volunteer?lang=en"))
    assert "What is kept, for how long, who sees it" in form
    assert "12 months after the debate ends" in form
    assert "<legend>" in form and "(required)" in form
    data = {**_answers(panel), "consent": "y", "show_name": "y"}
    response = client.post_form(f"/debates/{debate.slug}/panel/volunteer", data)
    assert response.status_code == 302
    person = db.session.scalar(
        sa.select(PanelVolunteer).where(PanelVolunteer.user_id == citizen.id)
    )
    assert person is not None and person.show_name is True
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en", follow_redirects=True))
    assert f"Your opaque key is {person.key}" in page
    # The volunteer form is not offered twice.
    again = client.get(f"/debates/{debate.slug}/panel/volunteer")
    assert again.status_code == 302
    confirm = _text(client.get(f"/debates/{debate.slug}/panel/withdraw?lang=en"))
    assert "Withdraw from the pool?" in confirm and person.key in confirm
    response = client.post_form(f"/debates/{debate.slug}/panel/withdraw", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(PanelVolunteer).where(PanelVolunteer.user_id == citizen.id))
        is None
    )
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "Your opaque key" not in page and ">Volunteer<" in page


def test_the_volunteer_form_keeps_the_answers_and_names_what_is_missing(
    client, make, panel, debate
):
    make.login(client, make.user())
    first = panel.categories[0]
    chosen = first["values"][1]["key"]
    response = client.post_form(
        f"/debates/{debate.slug}/panel/volunteer?lang=en",
        {f"answers_{first['key']}": chosen, "show_name": "y"},
    )
    assert response.status_code == 422
    page = _text(response)
    assert "The form has errors" in page
    assert "Your consent is needed" in page
    assert "Choose an answer: it is needed to enter the pool." in page
    # The summary follows the page: the questions first, then the consent.
    assert page.index('href="#answers_gender"') < page.index('href="#consent"')
    # What was ticked is still ticked.
    assert re.search(rf'value="{chosen}"[^>]*checked|checked[^>]*value="{chosen}"', page)
    assert re.search(r'id="show_name"[^>]*checked|checked[^>]*id="show_name"', page)
    assert db.session.scalar(sa.select(sa.func.count(PanelVolunteer.id))) == 0


def test_the_volunteer_form_needs_its_csrf_token(client, make, panel, debate):
    make.login(client, make.user())
    data = {**_answers(panel), "consent": "y", "csrf_token": "forged"}
    response = client.post(f"/debates/{debate.slug}/panel/volunteer", data=data)
    assert response.status_code in (400, 422)
    assert db.session.scalar(sa.select(sa.func.count(PanelVolunteer.id))) == 0
    response = client.post(f"/debates/{debate.slug}/panel/withdraw", data={})
    assert response.status_code == 400


def test_volunteering_after_the_closing_date_is_refused(client, make, debate, wg):
    panel = panel_for(debate, wg, size=6, volunteers_until=date.today() - timedelta(days=1))
    make.login(client, make.user())
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "Volunteering closed on" in page
    response = client.post_form(
        f"/debates/{debate.slug}/panel/volunteer", {**_answers(panel), "consent": "y"}
    )
    assert response.status_code == 403


# --- settings -----------------------------------------------------------------------------------
def _settings_data(**rows) -> dict:
    data = {
        "size": "4",
        "volunteers_until": (date.today() + timedelta(days=20)).isoformat(),
        "algorithm": "maximin",
        "tolerance": "1",
        "category_count": "1",
        "categories-0-key": "age",
        "categories-0-title": "Âge",
        "categories-0-value_count": "3",
        "categories-0-values-0-key": "jeunes",
        "categories-0-values-0-title": "Moins de 40 ans",
        "categories-0-values-0-min": "1",
        "categories-0-values-0-max": "3",
        "categories-0-values-1-key": "aines",
        "categories-0-values-1-title": "40 ans et plus",
        "categories-0-values-1-min": "1",
        "categories-0-values-1-max": "3",
        "action": "save",
    }
    data.update(rows)
    return data


def test_the_working_group_sets_up_a_panel_with_the_editor_without_javascript(client, make, wg):
    debate = make.debate(members={"working_group": wg}, template="blank")
    make.login(client, wg)
    page = _text(client.get(f"/debates/{debate.slug}/panel/settings?lang=en"))
    assert "Categories and quotas" in page and "Add a category" in page
    # "Add a category" re-renders the form with one more category, keeping what was typed.
    response = client.post_form(
        f"/debates/{debate.slug}/panel/settings?lang=en", _settings_data(action="add_category")
    )
    assert response.status_code == 200
    page = _text(response)
    assert 'name="category_count" value="2"' in page
    assert 'value="Moins de 40 ans"' in page and "Category 2" in page
    assert db.session.scalar(sa.select(Panel).where(Panel.debate_id == debate.id)) is None
    # "Add an answer" adds a row to that category.
    response = client.post_form(
        f"/debates/{debate.slug}/panel/settings?lang=en", _settings_data(action="add_value-0")
    )
    assert 'name="categories-0-value_count" value="4"' in _text(response)
    # Save: blank rows are ignored.
    response = client.post_form(
        f"/debates/{debate.slug}/panel/settings",
        _settings_data(
            **{
                "category_count": "2",
                "categories-1-value_count": "2",
                "categories-1-key": "",
                "categories-1-title": "",
            }
        ),
    )
    assert response.status_code == 302, _text(response)[:800]
    panel = db.session.scalar(sa.select(Panel).where(Panel.debate_id == debate.id))
    assert panel.size == 4
    assert [v["key"] for v in panel.categories[0]["values"]] == ["jeunes", "aines"]
    page = _text(client.get(f"/debates/{debate.slug}/panel/settings?lang=en"))
    assert 'value="40 ans et plus"' in page
    assert "Every category's quotas can be met" in page


def test_settings_errors_land_on_their_row_and_keep_the_input(client, make, wg):
    debate = make.debate(members={"working_group": wg}, template="blank")
    make.login(client, wg)
    response = client.post_form(
        f"/debates/{debate.slug}/panel/settings?lang=en",
        _settings_data(
            **{"categories-0-values-1-min": "beaucoup", "categories-0-values-0-key": "Jeunes!"}
        ),
    )
    assert response.status_code == 422
    page = _text(response)
    assert 'href="#categories-0-values-1-min"' in page
    assert 'href="#categories-0-values-0-key"' in page
    assert (
        'id="categories-0-values-1-min" name="categories-0-values-1-min" value="beaucoup" aria-invalid="true"'
        in page
    )
    assert 'value="Jeunes!"' in page
    assert db.session.scalar(sa.select(Panel).where(Panel.debate_id == debate.id)) is None


def test_quotas_no_panel_can_meet_are_refused_and_previewed(client, make, wg):
    debate = make.debate(members={"working_group": wg}, template="blank")
    make.login(client, wg)
    data = _settings_data(**{"categories-0-values-0-min": "3", "categories-0-values-1-min": "3"})
    response = client.post_form(f"/debates/{debate.slug}/panel/settings?lang=en", data)
    assert response.status_code == 422
    page = _text(response)
    # The refusal names the category, and the preview lists the same problem.
    assert "Âge: the minimums add up to 6, more than the 4 seats of the panel." in page
    preview = page[page.index('id="preview"') :]
    assert "the minimums add up to 6" in preview and "Problem" in preview


def test_shares_become_quotas(client, make, wg):
    debate = make.debate(members={"working_group": wg}, template="blank")
    make.login(client, wg)
    data = _settings_data(
        size="10",
        action="shares",
        **{"categories-0-values-0-share": "35", "categories-0-values-1-share": "65 %"},
    )
    page = _text(client.post_form(f"/debates/{debate.slug}/panel/settings?lang=en", data))
    # 35 % of 10 seats = 3.5: 2–5 with a tolerance of 1; 65 %: 5–8.
    assert 'id="categories-0-values-0-min" name="categories-0-values-0-min" value="2"' in page
    assert 'id="categories-0-values-0-max" name="categories-0-values-0-max" value="5"' in page
    assert 'id="categories-0-values-1-min" name="categories-0-values-1-min" value="5"' in page
    assert 'id="categories-0-values-1-max" name="categories-0-values-1-max" value="8"' in page


def test_the_preview_shows_what_the_pool_lacks(client, make, panel, debate, wg):
    fill_pool(panel, make, 3)
    make.login(client, wg)
    page = _text(client.get(f"/debates/{debate.slug}/panel/settings?lang=en"))
    assert "The pool has 3 volunteers for 6 seats: 3 more are needed." in page


# --- the draw -----------------------------------------------------------------------------------
def test_a_draw_with_a_given_seed_publishes_composition_probabilities_and_record(
    client, make, panel, debate, wg
):
    _drawn(client, make, debate, wg, panel)
    page = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en"))
    assert "12 17 23 31 42" in page and "given by the working group before the draw" in page
    assert "sortition-algorithms" in page or "sortition_algorithms" in page
    assert "Quota met" in page and "k0000" in page
    record = json.loads(client.get(f"/debates/{debate.slug}/panel/draw.json").data)
    drawn = client.get(f"/debates/{debate.slug}/panel/draw.json")
    assert drawn.headers["Content-Disposition"].startswith("attachment;")
    assert record["seed"] == "12 17 23 31 42" and len(record["selected"]) == 6
    for key in record["selected"]:
        assert f"<code>{key}</code>" in page
    fr = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=fr"))
    assert "Tirage" in fr or "tirage" in fr
    verify = _text(client.get(f"/debates/{debate.slug}/panel/verify?lang=en"))
    assert f"pip install sortition-algorithms=={record['library']['version']}" in verify
    # The members' page: names only if they agreed.
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert page.count("Member k0") == 6
    named = db.session.scalar(
        sa.select(PanelVolunteer).where(PanelVolunteer.key == sorted(record["selected"])[0])
    )
    named.show_name = True
    db.session.commit()
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert page.count("Member k0") == 5 and named.user.display_name in page


def test_a_second_draw_is_refused(client, make, panel, debate, wg):
    _drawn(client, make, debate, wg, panel)
    response = client.post_form(f"/debates/{debate.slug}/panel/draw?lang=en", {"confirm": "y"})
    assert response.status_code == 409
    assert "already been drawn" in _text(response)


def test_a_draw_the_pool_cannot_make_says_what_is_missing(client, make, panel, debate, wg):
    fill_pool(panel, make, 3)
    make.login(client, wg)
    response = client.post_form(
        f"/debates/{debate.slug}/panel/draw?lang=en", {"seed": "abc", "confirm": "y"}
    )
    assert response.status_code == 422
    page = _text(response)
    assert "3 more are needed" in page and 'value="abc"' in page
    assert db.session.scalar(sa.select(sa.func.count(PanelDraw.id))) == 0


def test_the_draw_needs_confirmation(client, make, panel, debate, wg):
    fill_pool(panel, make, 20)
    make.login(client, wg)
    response = client.post_form(f"/debates/{debate.slug}/panel/draw?lang=en", {"seed": "x"})
    assert response.status_code == 422
    assert "Tick the box to confirm the draw." in _text(response)


def test_a_member_declines_and_the_working_group_replaces_them(client, make, panel, debate, wg):
    _drawn(client, make, debate, wg, panel)
    member = db.session.scalar(
        sa.select(PanelVolunteer)
        .where(PanelVolunteer.status == VolunteerStatus.SELECTED)
        .order_by(PanelVolunteer.key)
    )
    key = member.key
    make.switch_session(client, member.user)
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "You were drawn" in page
    assert "Decline your seat on the panel?" in _text(
        client.get(f"/debates/{debate.slug}/panel/decline?lang=en")
    )
    assert client.post_form(f"/debates/{debate.slug}/panel/decline", {}).status_code == 302
    make.switch_session(client, wg)
    page = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en"))
    assert f'value="{key}" id="declined-{key}" checked' in page
    response = client.post_form(
        f"/debates/{debate.slug}/panel/replacements", {"declined": key, "seed": "7"}
    )
    assert response.status_code == 302, _text(response)[:600]
    page = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en"))
    assert f"{key} declined, replaced by" in page
    record = json.loads(client.get(f"/debates/{debate.slug}/panel/draw.json").data)
    assert record["replacements"][0]["declined"] == [key]


def test_the_verify_page_explains_the_command(client, panel, debate):
    page = _text(client.get(f"/debates/{debate.slug}/panel/verify?lang=en"))
    assert "flask --app debate panel verify DRAW.json" in page
    assert "PYTHONHASHSEED" in page and "Nature, 2021" in page
    fr = _text(client.get(f"/debates/{debate.slug}/panel/verify"))
    assert "flask --app debate panel verify DRAW.json" in fr
    assert client.get(f"/debates/{debate.slug}/panel/draw.json").status_code == 404


def test_a_running_draw_shows_its_progress_and_a_refresh_link(client, make, panel, debate, wg):
    fill_pool(panel, make, 20)
    draw = operations.start_draw(panel, wg, "1")
    draw.progress = {"phase": "maximin", "current": 4, "total": None, "message": ""}
    db.session.commit()
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "The draw is running." in page and "iteration 4" in page
    assert "Refresh" in page and 'http-equiv="refresh"' not in page


def test_the_chances_of_a_large_pool_come_by_pages(client, make, panel, debate, wg, monkeypatch):
    from debate.panel import views

    monkeypatch.setattr(views, "PROBABILITIES_PER_PAGE", 15)
    _drawn(client, make, debate, wg, panel)

    def chances(text):
        return text[
            text.index("panel-chances") : text.index("</table>", text.index("panel-chances"))
        ]

    first = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en"))
    assert "page 1 of 3" in first and "Next page" in first and "Previous page" not in first
    assert "<code>k0000</code>" in chances(first) and "<code>k0015</code>" not in chances(first)
    last = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en&page=3"))
    assert "page 3 of 3" in last and "Previous page" in last and "Next page" not in last
    assert "<code>k0039</code>" in chances(last) and "<code>k0000</code>" not in chances(last)
    # A page past the end shows the last one, never an error.
    assert "page 3 of 3" in _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en&page=99"))


def test_a_replacement_without_anyone_declining_is_refused_on_the_page(
    client, make, panel, debate, wg
):
    _drawn(client, make, debate, wg, panel)
    response = client.post_form(f"/debates/{debate.slug}/panel/replacements?lang=en", {"seed": "9"})
    assert response.status_code == 422
    page = _text(response)
    assert "Say who declined." in page and 'value="9"' in page
    assert db.session.scalar(sa.select(sa.func.count(PanelDraw.id))) == 1


def test_a_failed_draw_is_explained_to_the_working_group_who_may_draw_again(
    client, make, panel, debate, wg
):
    fill_pool(panel, make, 20)
    draw = operations.start_draw(panel, wg, "1")
    operations.fail_draw(
        draw, [{"category": None, "code": "selection_failed", "detail": "solveur perdu"}]
    )
    db.session.commit()
    assert "failed" not in _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    make.login(client, wg)
    page = _text(client.get(f"/debates/{debate.slug}/panel?lang=en"))
    assert "The last draw failed:" in page and "solveur perdu" in page
    page = _text(client.get(f"/debates/{debate.slug}/panel/draw?lang=en"))
    assert "solveur perdu" in page and 'id="draw-form"' in page
