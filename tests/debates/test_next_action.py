"""Every debate page says what the visitor can do now: a button where an action is open to them,
"Sign in to take part" (coming back to it) for a visitor, the reason and the date otherwise. Home
cards say it too, with the open phase, its dates and counts. Opening a phase asks for confirmation
on a page of its own."""

import html as html_lib
import re
from datetime import date
from urllib.parse import quote

import pytest

from debate.debates import operations
from debate.debates.phases import PhaseKey
from debate.extensions import db


@pytest.fixture
def client(client):
    client.get("/?lang=en")
    return client


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def box(response) -> str:
    """The "what you can do now" box of a page, tags stripped."""
    page = response.get_data(as_text=True)
    start = page.index('class="next-action')
    end = page.index("</section>", start)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:end])))


def box_html(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index('class="next-action')
    return page[start : page.index("</section>", start)]


def dated(debate):
    """The calendar of a real debate: each phase with its dates."""
    days = {
        PhaseKey.SCOPE: (date(2026, 10, 1), date(2026, 10, 31)),
        PhaseKey.EXPERTISE: (date(2026, 11, 1), date(2027, 1, 11)),
        PhaseKey.ARGUMENTS: (date(2027, 1, 12), date(2027, 2, 28)),
        PhaseKey.OUTCOME: (date(2027, 3, 1), date(2027, 4, 30)),
    }
    for phase in debate.phases:
        phase.starts_on, phase.ends_on = days[phase.key]
    db.session.commit()
    return debate


def test_visitor_on_a_debate_open_for_arguments_is_asked_to_sign_in_and_comes_back(client, make):
    debate = dated(make.debate(slug="5g-ouvert", phase="arguments"))
    for path in (
        "/debates/5g-ouvert/",
        "/debates/5g-ouvert/arguments",
        "/debates/5g-ouvert/charter",
    ):
        r = client.get(path)
        assert r.status_code == 200
        assert "Sign in to take part" in box(r), path
        login = quote("/debates/5g-ouvert/arguments/new", safe="/")
        assert f'href="/auth/login?next={login}"' in box_html(r), path
        assert "Current phase: Arguments , until February 28, 2027" in box(r)
    # Following the link and signing in leads to the argument form.
    person = make.user()
    db.session.commit()
    r = client.post_form(
        f"/auth/login?next={login}", {"email": person.email, "password": make.PASSWORD}
    )
    assert r.headers["Location"].endswith("/debates/5g-ouvert/arguments/new")
    assert debate.current_phase == PhaseKey.ARGUMENTS


def test_citizen_gets_the_button_of_the_open_action(client, make):
    dated(make.debate(slug="5g-ouvert", phase="arguments"))
    make.login(client, make.user())
    r = client.get("/debates/5g-ouvert/")
    assert "Propose an argument" in box(r)
    assert 'href="/debates/5g-ouvert/arguments/new"' in box_html(r)
    assert "Sign in" not in box(r)


def test_before_the_arguments_open_the_arguments_page_says_when(client, make):
    dated(make.debate(slug="5g-expertise", phase="expertise"))
    make.login(client, make.user())
    r = client.get("/debates/5g-expertise/arguments")
    assert "Arguments open on January 12, 2027." in box(r)
    # and offers what is open now instead: asking the experts
    assert "Ask the experts a question" in box(r)
    assert "Propose an argument" not in box(r)


def test_after_the_arguments_closed_the_arguments_page_says_since_when(client, make):
    dated(make.debate(slug="5g-fini", phase="outcome"))
    r = client.get("/debates/5g-fini/arguments")
    assert "Arguments closed on February 28, 2027." in box(r)
    assert "Read the recommendations" in box(r)


def test_undated_phase_says_not_open_yet(client, make):
    debate = make.debate(slug="5g-cadrage", phase="scope")
    for phase in debate.phases:
        phase.starts_on = phase.ends_on = None
    db.session.commit()
    r = client.get("/debates/5g-cadrage/arguments")
    assert "Arguments are not open yet." in box(r)


def test_french_box(client, make):
    dated(make.debate(slug="5g-expertise", phase="expertise"))
    r = client.get("/debates/5g-expertise/arguments?lang=fr")
    assert "Les arguments ouvrent le 12 janvier 2027." in box(r)
    assert "Se connecter pour participer" in box(r)


def test_unconfirmed_citizen_is_told_why(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "EMAIL_CONFIRMATION", True)
    dated(make.debate(slug="5g-ouvert", phase="arguments"))
    make.login(client, make.user(confirmed=False))
    r = client.get("/debates/5g-ouvert/")
    assert "Confirm your e-mail address to take part" in box(r)
    assert 'class="button"' not in box_html(r)


def test_elected_official_is_asked_to_answer_in_the_outcome_phase(client, make):
    elected = make.user()
    dated(make.debate(slug="5g-bilan", phase="outcome", members={"elected": elected}))
    make.login(client, elected)
    r = client.get("/debates/5g-bilan/")
    assert "Answer the recommendations" in box(r)


def test_working_group_sees_the_way_to_open_another_phase(client, make):
    wg = make.user()
    make.debate(slug="5g-gt", phase="scope", members={"working_group": wg})
    r = client.get("/debates/5g-gt/")
    assert "Open another phase" not in box(r)
    make.login(client, wg)
    r = client.get("/debates/5g-gt/")
    assert 'href="/debates/5g-gt/phase"' in box_html(r)


# --- the home cards -----------------------------------------------------------------------


def card(page: str, slug: str) -> str:
    """The text of a debate's home card."""
    for part in page.split('class="card debate-card"')[1:]:
        if f'href="/debates/{slug}/"' in part:
            return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)))
    raise AssertionError(f"no card for {slug}")


def test_home_cards_show_municipality_phase_dates_counts_and_action(client, make):
    dated(make.debate(slug="5g-ouvert", phase="arguments", municipality="Lauzière"))
    make.debate(slug="5g-cadrage", phase="scope", municipality="Valbrune")
    page = client.get("/").get_data(as_text=True)
    open_card = card(page, "5g-ouvert")
    assert "Lauzière" in open_card
    assert "Arguments" in open_card
    assert "From January 12, 2027 to February 28, 2027" in open_card
    assert "0 arguments" in open_card and "0 participants" in open_card
    assert "Propose an argument" in open_card
    assert "Propose a question for the debate" in card(page, "5g-cadrage")


def test_home_lists_first_the_debates_where_citizens_argue_now(client, make):
    make.debate(slug="5g-fini", phase="outcome")
    make.debate(slug="5g-ouvert", phase="arguments")
    make.debate(slug="5g-cadrage", phase="scope")  # the newest
    page = client.get("/").get_data(as_text=True)
    order = [page.index(f'/debates/{slug}/"') for slug in ("5g-ouvert", "5g-cadrage", "5g-fini")]
    assert order == sorted(order)


def test_home_counts_follow_published_contributions_with_plurals(client, make):
    debate = make.debate(slug="5g-cadrage", phase="scope")
    first, second = make.user(), make.user()
    for n, author in enumerate((first, first, second)):
        operations.add_scope_item(
            debate,
            author,
            {
                "question": f"Question {n} ?",
                "in_scope": True,
                "competence": "municipal",
                "rationale": "",
            },
            as_working_group=False,
        )
    db.session.commit()
    one = card(client.get("/").get_data(as_text=True), "5g-cadrage")
    assert "2 participants" in one
    fr = card(client.get("/?lang=fr").get_data(as_text=True), "5g-cadrage")
    assert "0 argument " in fr and "0 arguments" not in fr  # French: the singular for 0


# --- confirming a phase change ------------------------------------------------------------


def test_opening_a_phase_asks_for_confirmation_first(client, make):
    wg = make.user()
    debate = make.debate(slug="5g-gt", phase="expertise", members={"working_group": wg})
    make.login(client, wg)
    overview = client.get("/debates/5g-gt/").get_data(as_text=True)
    assert 'method="get" action="/debates/5g-gt/phase"' in overview
    r = client.get("/debates/5g-gt/phase?phase=arguments")
    assert r.status_code == 200
    page = text(r)
    assert "Open the phase “Arguments”?" in page
    assert "citizens propose and answer arguments" in page  # what opens, from the phase table
    assert debate.current_phase == PhaseKey.EXPERTISE  # the GET changed nothing
    db.session.expire_all()
    r = client.post_form("/debates/5g-gt/phase", {"phase": "arguments", "reason": ""})
    assert r.status_code == 302
    db.session.expire_all()
    assert debate.current_phase == PhaseKey.ARGUMENTS


def test_going_back_says_a_reason_is_needed_and_keeps_the_page_on_error(client, make):
    wg = make.user()
    debate = make.debate(slug="5g-gt", phase="arguments", members={"working_group": wg})
    make.login(client, wg)
    page = text(client.get("/debates/5g-gt/phase?phase=expertise"))
    assert "needs a reason" in page
    assert "citizens propose and answer arguments" in page.split("What closes")[1]
    r = client.post_form("/debates/5g-gt/phase", {"phase": "expertise", "reason": ""})
    assert r.status_code == 422
    assert 'id="error-summary"' in text(r) and "autofocus" in text(r)
    assert 'name="phase" value="expertise"' in text(r)
    db.session.expire_all()
    assert debate.current_phase == PhaseKey.ARGUMENTS
