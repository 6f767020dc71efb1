"""Field checks shared by every domain's operations: they collect errors, then raise them at once."""

from flask_babel import lazy_gettext as _l

from debate.core.errors import Invalid
from debate.core.sanitize import clean_text


def text_field(
    data: dict, key: str, errors: dict, *, required: bool = False, max_len: int = 20_000
) -> str:
    """The cleaned text of data[key]; records an error when missing, not text or too long."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = [_l("Must be text.")]
        return ""
    value = clean_text(value)
    if required and not value:
        errors[key] = [_l("This field is required.")]
    elif len(value) > max_len:
        errors[key] = [_l("At most %(n)d characters.", n=max_len)]
    return value


def raise_if(errors: dict) -> None:
    """Refuse with every collected error; with a single one, its message is the headline."""
    if errors:
        messages = next(iter(errors.values()))
        single = len(errors) == 1 and len(messages) == 1
        raise Invalid(messages[0] if single else _l("Some fields need attention."), errors)
