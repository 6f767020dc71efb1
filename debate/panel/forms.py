"""Panel forms (validation of the shape only; debate/panel/operations.py decides)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from debate.panel.models import ALGORITHM_TITLES, SEED_MAX, SIZE_MAX, Algorithm


class SettingsForm(FlaskForm):
    """Size, closing date and algorithm; the categories are rows of plain inputs read by the view
    (views._read_categories), so that rows can be added without JavaScript."""

    size = IntegerField(
        _l("Number of seats"),
        validators=[InputRequired(), NumberRange(min=2, max=SIZE_MAX)],
        description=_l("Rennes' 5G mission drew 16 citizens."),
    )
    volunteers_until = DateField(
        _l("Volunteering closes on"),
        validators=[InputRequired()],
        description=_l(
            "The last day citizens can volunteer (or withdraw). Draw the panel after it."
        ),
    )
    algorithm = RadioField(
        _l("How the panel is drawn"),
        choices=[(str(a), ALGORITHM_TITLES[a]) for a in Algorithm],
        default=str(Algorithm.MAXIMIN),
        validators=[InputRequired()],
    )
    tolerance = IntegerField(
        _l("Tolerance around each share (seats)"),
        validators=[Optional(), NumberRange(min=0, max=SIZE_MAX)],
        default=1,
        description=_l(
            "Used by “Turn the shares into quotas”: each value gets its share of the seats, "
            "rounded down minus this tolerance for the minimum, rounded up plus it for the maximum."
        ),
    )


def volunteer_form(panel, formdata=None):
    """The volunteer form of a panel: one radio group per category (named answers_<key>, the
    operation's `answers.<key>` errors land on it), consent and the optional name."""

    class VolunteerForm(FlaskForm):
        pass

    # In the page's order (the error summary follows it): the categories, then consent and name.
    for category in panel.categories:
        setattr(
            VolunteerForm,
            f"answers_{category['key']}",
            RadioField(
                category["title"],
                choices=[(v["key"], v["title"]) for v in category["values"]],
                validate_choice=False,
            ),
        )
    VolunteerForm.consent = BooleanField(
        _l(
            "I agree that my answers are kept for the draw and its verification, as explained above."
        )
    )
    VolunteerForm.show_name = BooleanField(
        _l("If I am drawn, show my name on the panel page"),
        description=_l("Otherwise the panel page shows “Member” and your opaque key."),
    )
    form = VolunteerForm() if formdata is None else VolunteerForm(formdata=formdata)
    form.category_fields = [form[f"answers_{c['key']}"] for c in panel.categories]
    return form


class ConfirmForm(FlaskForm):
    """A confirmation (withdraw, decline): the CSRF token is all it carries."""


class DrawForm(FlaskForm):
    seed = StringField(
        _l("Seed (optional)"),
        validators=[Optional(), Length(max=SEED_MAX)],
        description=_l(
            "Give a seed written down before the draw, e.g. the numbers of a public lottery "
            "announced in advance; leave it empty and the server draws one. Either way it is published."
        ),
    )
    confirm = BooleanField(
        _l("I confirm: the draw is final and its record is published."),
        validators=[InputRequired(message=_l("Tick the box to confirm the draw."))],
    )


class ReplacementForm(FlaskForm):
    seed = StringField(
        _l("Seed of the replacement draw (optional)"),
        validators=[Optional(), Length(max=SEED_MAX)],
        description=_l("Given (written down before the draw) or, if empty, drawn by the server."),
    )
