"""The expert form: its themes are a group of checkboxes (a fieldset and its legend, each box with
its own label), their titles declared French in the English interface."""

import re

from debate.expertise import operations
from debate.extensions import db
from tests.expertise.helpers import THEME


def test_the_themes_are_a_fieldset_of_labelled_checkboxes(client, make):
    wg = make.user("Camille")
    debate = make.debate(phase="expertise", members={"working_group": wg}, template="blank")
    operations.add_theme(debate, dict(THEME))
    make.login(client, wg)
    db.session.commit()
    page = client.get(f"/debates/{debate.slug}/expertise/experts/new?lang=en").get_data(
        as_text=True
    )
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Themes</legend>(.*?)</fieldset>", page, re.S)
    assert fieldset, "the themes are not a fieldset with its legend"
    assert 'id="themes-0"' in fieldset.group(1) and '<label for="themes-0">' in fieldset.group(1)
    assert f'<span lang="fr">{THEME["title"]}</span>' in fieldset.group(1)
    # No label points at the group itself (the W3C checker refuses a label for a non-control).
    assert 'for="themes"' not in page
