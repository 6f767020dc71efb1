"""The "Open data" page of a debate: what can be downloaded, in which format, under which licence."""

from flask import Blueprint, render_template
from flask_login import current_user

from debate.debates.queries import get_debate_or_404
from debate.opendata.public import LICENCE
from debate.opendata.tables import TABLES

bp = Blueprint("opendata", __name__)


@bp.get("/debates/<slug>/open-data")
def page(slug):
    debate = get_debate_or_404(slug, current_user)
    return render_template("opendata/page.html", debate=debate, licence=LICENCE, tables=TABLES)
