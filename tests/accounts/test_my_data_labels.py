"""*My data* names each field of a record once: no two fields share a label (a description list
with the same term twice reads as one field given twice), in French and in English."""

import re

import pytest
from flask_babel import force_locale

from debate.accounts.personal_data import FIELD_LABELS


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_field_of_my_data_has_its_own_label(app, lang):
    with app.test_request_context("/"), force_locale(lang):
        labels: dict[str, list[str]] = {}
        for key, label in FIELD_LABELS.items():
            labels.setdefault(str(label), []).append(key)
    shared = {label: keys for label, keys in labels.items() if len(keys) > 1}
    assert not shared, f"fields sharing a label on My data ({lang}): {shared}"


def test_what_people_wrote_is_declared_french_on_my_data_in_english(client, make):
    person = make.user("Léa")
    debate = make.debate(phase="arguments")
    created = client.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        json={
            "theme": "health",
            "stance": "for",
            "title": "Les mesures restent sous les seuils",
            "body": "Les relevés de l'agence le montrent.",
            "sources": [
                {
                    "url": "https://www.anfr.fr/mesures",
                    "title": "Mesures",
                    "publisher": "ANFR",
                    "kind": "public_agency",
                }
            ],
        },
        headers=make.auth(person),
    )
    assert created.status_code == 201, created.get_json()
    make.login(client, person)
    english = client.get("/account/data?lang=en").get_data(as_text=True)
    assert re.search(r'<dd lang="fr">\s*Les mesures restent sous les seuils\s*</dd>', english)
    assert not re.search(r'<dd lang="fr">\s*Léa\s*</dd>', english)  # a name is not French text
    french = client.get("/account/data?lang=fr").get_data(as_text=True)
    assert re.search(r"<dd>\s*Les mesures restent sous les seuils\s*</dd>", french)
