"""A city sets its name, logo and colour in instance/config.py; a colour that fails WCAG AA
contrast (4.5:1) stops the start-up with a clear message, not an unreadable site."""

import pytest

from debate import create_app
from debate.config import BrandingError, contrast_ratio, parse_colour


def _start(app, tmp_path, monkeypatch, settings: str):
    """create_app on an instance folder whose config.py holds `settings`."""
    (tmp_path / "config.py").write_text(settings)
    monkeypatch.setenv("DEBATE_INSTANCE_PATH", str(tmp_path))
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    return create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "PAGE_CACHE": False, **config})


def test_contrast_ratio_is_wcag_s():
    assert round(contrast_ratio(parse_colour("#000"), parse_colour("#fff")), 1) == 21.0
    assert round(contrast_ratio(parse_colour("#777777"), parse_colour("#ffffff")), 2) == 4.48


def test_a_city_sets_its_name_logo_and_colour(app, tmp_path, monkeypatch):
    branded = _start(
        app,
        tmp_path,
        monkeypatch,
        'CITY_NAME = "Ville de Lauzière"\nCITY_LOGO = "img/favicon.svg"\nBRAND_COLOUR = "#00563f"\n',
    )
    client = branded.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Ville de Lauzière" in page
    assert '<img class="brand-logo" src="/static/img/favicon.svg' in page
    assert 'href="/brand.css"' in page
    css = client.get("/brand.css")
    assert css.mimetype == "text/css"
    assert "--brand: #00563f;" in css.get_data(as_text=True)


def test_without_branding_the_platform_keeps_its_own(client):
    page = client.get("/").get_data(as_text=True)
    assert "brand.css" not in page and "brand-logo" not in page
    assert client.get("/brand.css").get_data(as_text=True) == ""


@pytest.mark.parametrize(
    ("colour", "where"),
    [("#ffcc00", "white"), ("#0077cc", "light grey banner"), ("#e2001a", "light shade")],
)
def test_a_colour_below_aa_stops_the_start_with_a_clear_error(
    app, tmp_path, monkeypatch, colour, where
):
    with pytest.raises(BrandingError) as error:
        _start(app, tmp_path, monkeypatch, f'BRAND_COLOUR = "{colour}"\n')
    message = str(error.value)
    assert colour in message and where in message and "4.5:1" in message


def test_a_colour_that_is_not_one_is_refused(app, tmp_path, monkeypatch):
    with pytest.raises(BrandingError, match="#RRGGBB"):
        _start(app, tmp_path, monkeypatch, 'BRAND_COLOUR = "dark blue"\n')


def test_a_logo_on_another_host_is_refused(app, tmp_path, monkeypatch):
    with pytest.raises(BrandingError, match="another host"):
        _start(app, tmp_path, monkeypatch, 'CITY_LOGO = "https://cdn.example.org/logo.png"\n')
