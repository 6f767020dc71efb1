"""French typography on the rendered pages: a no-break space before « : ; ! ? » and inside « »,
never a normal space (which lets the mark fall alone at the start of a line) nor none at all
("arguments: Pour"). The pages are fetched in French, their tags stripped, then read."""

import html as html_lib
import re

import pytest

from debate.debates import operations
from debate.extensions import db

NB = "\u00a0"
# A normal space before a high mark or a closing guillemet, or after an opening one.
NORMAL_SPACE = re.compile(r"\S( [:;!?»])|(« )")
# No space at all: "arguments: Pour", "vraiment!" (times 10:30 and URLs http://… are not text marks).
NO_SPACE = re.compile(r"[^\s\d:/\u00a0\u202f(](?<!https)(?<!http)([;!?:])(?=\s|$)")


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", page)
    # a block's end separates words; an inline tag (<a>, <strong>) does not
    page = re.sub(
        r"(?i)</?(p|li|h\d|div|td|th|dt|dd|br|tr|ul|ol|section|option|nav|header|footer|label|legend|button|summary)\b[^>]*>",
        " ",
        page,
    )
    page = re.sub(r"<[^>]+>", "", page)
    return re.sub(r"[ \t\r\n]+", " ", html_lib.unescape(page))


def problems(text: str) -> list[str]:
    found = []
    for regex in (NORMAL_SPACE, NO_SPACE):
        for m in regex.finditer(text):
            found.append(text[max(0, m.start() - 30) : m.end() + 10])
    return found


@pytest.fixture
def world(make):
    wg = make.user("Camille Martin")
    debate = make.debate(
        slug="5g-typo",
        phase="arguments",
        members={"working_group": wg},
        title="La 5G à Lauzière",
        question=f"Comment accompagner la 5G{NB}?",
        municipality="Lauzière",
    )
    operations.add_scope_item(
        debate,
        wg,
        {
            "question": f"Mesurer l'exposition{NB}?",
            "in_scope": True,
            "competence": "municipal",
            "rationale": "La commune peut le faire.",
        },
        as_working_group=True,
    )
    db.session.commit()
    return {"wg": wg, "debate": debate}


PUBLIC_PAGES = [
    "/",
    "/debates/5g-typo/",
    "/debates/5g-typo/scope",
    "/debates/5g-typo/charter",
    "/debates/5g-typo/members",
    "/debates/5g-typo/arguments",
    "/debates/5g-typo/sources",
    "/debates/5g-typo/expertise",
    "/debates/5g-typo/workshops",
    "/debates/5g-typo/outcome",
    "/debates/5g-typo/moderation/log",
    "/debates/5g-typo/open-data",
    "/auth/login",
    "/auth/register",
    "/privacy",
    "/accessibility",
]
WORKING_GROUP_PAGES = [
    "/debates/5g-typo/",
    "/debates/5g-typo/phase?phase=outcome",
    "/debates/5g-typo/edit",
    "/debates/5g-typo/arguments/new",
    "/debates/5g-typo/moderation",
]


def _check(client, paths) -> list[str]:
    found = []
    for path in paths:
        response = client.get(path + ("&" if "?" in path else "?") + "lang=fr")
        if response.status_code != 200:
            found.append(f"{path}: HTTP {response.status_code}")
            continue
        found += [
            f"{path}: …{snippet}…"
            for snippet in problems(visible_text(response.get_data(as_text=True)))
        ]
    return found


def test_the_checker_sees_both_mistakes():
    assert problems("Arguments : Pour") and problems("arguments: Pour") and problems("« titre »")
    assert not problems(f"Arguments{NB}: Pour, «{NB}titre{NB}», 10:30, https://example.org?a=1")


def test_public_pages_in_french(client, world):
    found = _check(client, PUBLIC_PAGES)
    assert not found, "\n".join(sorted(set(found)))


def test_working_group_pages_in_french(client, make, world):
    make.login(client, world["wg"])
    found = _check(client, WORKING_GROUP_PAGES)
    assert not found, "\n".join(sorted(set(found)))
