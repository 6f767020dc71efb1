"""*My data* names each field of a record once: no two fields share a label (a description list
with the same term twice reads as one field given twice), in French and in English."""

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
