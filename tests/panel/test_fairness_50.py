"""The draw on a pool of 500 volunteers over 4 categories, for a panel of 50 (tests/panel/
test_fairness.py draws the panel of 16, and checks on both databases that the same seed gives the
same panel). A module of its own so that the two long draws run side by side."""

import pytest

from tests.panel.test_fairness import draw_500_and_compare


# The database's part (the pool read back in key order) is checked on both databases with the
# panel of 16; this second size exercises the engine: run once, on SQLite.
@pytest.mark.db_independent
def test_a_pool_of_500_gives_the_recorded_panel_of_50_meeting_every_quota(client, make):
    draw_500_and_compare(client, make, 50)
