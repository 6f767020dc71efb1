"""`flask --app debate demo --scale N`: a large data set in the documented proportions, with exact
counters, working search and the long thread the benchmarks read."""

import pytest
import sqlalchemy as sa

from debate.arguments import queries
from debate.arguments.models import Argument, ArgumentStatus, Endorsement
from debate.debates.models import Debate
from debate.demo import scale
from debate.demo.cli import demo as demo_command
from debate.extensions import db
from debate.outcome.models import Recommendation, RecommendationLink
from tests.scale import servers

N = 1000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A fresh migrated database where the command generated N arguments."""
    folder = tmp_path_factory.mktemp("scale-generator")
    with servers.migrated_database(folder, servers.base_postgres_url()) as url:
        with servers.local_app(folder, url) as application:
            result = application.test_cli_runner().invoke(demo_command, args=["--scale", str(N)])
            yield application, result


def test_the_command_reports_what_it_wrote_in_the_documented_proportions(generated):

    _app, result = generated
    assert result.exit_code == 0, result.output
    assert f"Génération ({N} arguments)" in result.output
    written = scale.counts()
    # At 100 000 arguments: 20 debates, 150 000 sources, 500 000 endorsements, 20 000 users,
    # 200 workshops with 20 000 notes; scaled down to N.
    assert written["arguments"] == N
    assert written["debates"] == 1
    assert written["sources"] == N * 3 // 2
    assert written["endorsements"] == N * 5
    assert written["users"] >= N // 5
    assert written["workshops"] == 2 and written["notes"] == N // 5
    assert f"arguments {N}" in result.output
    # 2 000 recommendations at 100 000 arguments: published in the first debate (its outcome phase).
    assert f"recommendations {N // 50}" in result.output


def test_the_first_debate_has_a_published_outcome_resting_on_arguments(generated):

    application, _result = generated
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == "echelle-01"))
    assert debate.current_phase.value == "outcome"
    published = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.debate_id == debate.id)
    ).all()
    assert len(published) == N // 50 and all(
        r.status.value == "published" and r.number for r in published
    )
    links = db.session.scalar(
        sa.select(sa.func.count(RecommendationLink.id))
        .join(Recommendation)
        .where(Recommendation.debate_id == debate.id)
    )
    assert links >= len(published)
    page = application.test_client().get(f"/debates/{debate.slug}/outcome")
    assert page.status_code == 200
    assert published[0].title.replace("'", "&#39;") in page.get_data(as_text=True)


def test_counters_equal_the_rows_they_count(generated):

    endorsements = (
        sa.select(sa.func.count(Endorsement.id))
        .where(Endorsement.argument_id == Argument.id)
        .scalar_subquery()
    )
    child = sa.orm.aliased(Argument)
    replies = (
        sa.select(sa.func.count(child.id))
        .where(child.parent_id == Argument.id, child.status == ArgumentStatus.PUBLISHED)
        .scalar_subquery()
    )
    wrong = db.session.execute(
        sa.select(Argument.id).where(
            sa.or_(Argument.endorsements_count != endorsements, Argument.replies_count != replies)
        )
    ).all()
    assert wrong == []
    assert db.session.scalar(sa.select(sa.func.max(Argument.endorsements_count))) > 20
    # Nobody endorses their own argument.
    own = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Endorsement)
        .join(Argument)
        .where(Argument.author_id == Endorsement.user_id)
    )
    assert own == 0


def test_each_debate_has_a_thread_of_200_answers_and_search_finds_generated_text(generated):

    application, _result = generated
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == "echelle-01"))
    top = db.session.scalar(
        sa.select(Argument)
        .where(Argument.debate_id == debate.id)
        .order_by(Argument.replies_count.desc())
        .limit(1)
    )
    assert top.replies_count == 200
    found = queries.list_arguments(debate, None, queries.Filters(q="électrosensibles"), 1, 20)
    assert found.total > 0
    assert all("electrosensible" in a.search_text for a in found.items)
    # The pages read the generated data like any other.
    client = application.test_client()
    page = client.get(f"/debates/{debate.slug}/arguments/{top.id}")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('id="argument-') >= 200


def test_running_it_again_adds_nothing(generated):

    application, _result = generated
    before = scale.counts()
    again = application.test_cli_runner().invoke(demo_command, args=["--scale", str(N)])
    assert again.exit_code == 0
    assert "déjà présentes" in again.output
    assert scale.counts() == before
