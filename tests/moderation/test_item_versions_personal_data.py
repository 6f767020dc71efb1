"""The earlier texts of a user's revised items (kept for the moderators' comparison) are part of their
data: listed in their export, and erased with their account in both modes (a refused text may hold
what it was refused for)."""

import pytest
import sqlalchemy as sa

from debate.accounts import personal_data
from debate.debates import operations as debates
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.models import ItemVersion
from tests.expertise.helpers import THEME


@pytest.fixture
def revised(make):
    wg, author = make.user("Camille"), make.user("Léa")
    debate = make.debate(phase="expertise", members={"working_group": wg}, template="blank")
    debate.settings = {**debate.settings, "pre_moderation": True}
    expertise.add_theme(debate, dict(THEME))
    debates.replace_charter(debate, [{"number": 1, "text": "Pas de données personnelles."}])
    db.session.expire(debate, ["themes"])
    question = expertise.ask_question(
        debate, author, {"theme": "sante", "body": "Au 06 12 34 56 78 ?"}
    )
    moderation.decide(question, "reject", wg, clause=1)
    moderation.revise(question, author, {"body": "Quelle exposition ?"})
    other = expertise.ask_question(debate, wg, {"theme": "sante", "body": "Autre ?"})
    moderation.decide(other, "reject", wg, clause=1)
    moderation.revise(other, wg, {"body": "Une autre ?"})
    db.session.flush()
    return author, question


def test_the_export_lists_the_earlier_versions(revised):
    author, question = revised
    found = personal_data.collect(author)["revised_versions"]
    assert [(v["target_id"], v["body"]) for v in found] == [(question.id, "Au 06 12 34 56 78 ?")]


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_erasing_the_account_erases_them(revised, mode):
    author, _question = revised
    personal_data.erase(author, mode)
    bodies = db.session.scalars(sa.select(ItemVersion.fields)).all()
    assert bodies == [{"body": "Autre ?"}]  # another person's stays
