"""The printable report: the synthesis rendered to HTML for print, then to PDF by WeasyPrint.

The HTML carries its own print stylesheet (A4, running header naming the debate and the section,
page numbers, black-and-white friendly: patterns and written figures, never colour alone) and no
external asset, so WeasyPrint fetches nothing. The PDF is tagged and declares PDF/UA-1 (structure
tree, document language and title, bookmarks from the headings), as French public bodies must
publish accessible documents.

The report is built once and served to everyone (outcome.views.report_pdf): nothing in it comes from
the request that happened to build it. Its absolute links start with the instance's public address
(BASE_URL), as e-mails' do, never with the request's Host header, which a visitor chooses.
"""

import re
from urllib.parse import unquote

from flask import render_template, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from debate.arguments.queries import debate_sources
from debate.core.web import public_url_for
from debate.outcome import charts
from debate.outcome.queries import Synthesis, argument_numbers

NBSP = "\u00a0"
# In French, a no-break space before : ; ! ? and inside « » (typed as a plain space, or not at
# all, in translations and texts). Only a punctuation mark that ends a word and is followed by a
# space or the end of the text: "https://", "10:30" and a URL's "?q=" are left alone.
_BEFORE = re.compile(r"(?<=[\w)»\]*])[ \u202f]?([:;!?])(?=\s|$)")
_OPENING = re.compile(r"«[ \u202f]?")
_CLOSING = re.compile(r"[ \u202f]?»")
_TEXT = re.compile(r">([^<]+)<")


def french_typography(html: str) -> str:
    """No-break spaces before : ; ! ? and inside « », in the text of an HTML document (tags,
    attributes, styles and scripts untouched)."""
    head, _, body = html.partition("<body")

    def fix(match):
        text = _BEFORE.sub(NBSP + r"\1", match.group(1))
        text = _OPENING.sub("«" + NBSP, text)
        return ">" + _CLOSING.sub(NBSP + "»", text) + "<"

    return head + "<body" + _TEXT.sub(fix, body) if body else html


def readable_url(url: str) -> Markup:
    """A URL as a reader copies it: percent-escapes decoded, a line break allowed after "/" only."""
    try:
        text = unquote(url, errors="strict")
    except UnicodeDecodeError:
        text = url
    scheme, separator, rest = text.partition("://")
    if not separator:
        scheme, rest = "", text
    parts = [escape(part) for part in rest.split("/")]
    return Markup(escape(scheme) + separator if separator else "") + Markup("/<wbr>").join(parts)


def _report_url_for(endpoint: str, **values) -> str:
    """`url_for` for the report: a path on the site, or with `_external=True` an address on BASE_URL."""
    if values.get("_external"):
        return public_url_for(endpoint, **values)
    return url_for(endpoint, **values)


def report_html(synthesis: Synthesis, generated_on) -> str:
    """The report as a standalone HTML document (cover, summary, the recommendations by area, the
    debate theme by theme, annexes)."""
    linked = {a.id for r in synthesis.recommendations for a in synthesis.trace(r)["arguments"]}
    html = render_template(
        "outcome/report.html",
        s=synthesis,
        debate=synthesis.debate,
        all_sources=debate_sources(synthesis.debate),
        argument_number=argument_numbers(synthesis.debate, linked).get,
        generated_on=generated_on,
        balance_chart=charts.balance_chart,
        balance_rows=[(entry.theme.title, entry.counts) for entry in synthesis.themes],
        readable_url=readable_url,
        # In place of Flask's global, for the template and the macros it imports with context: one
        # report is served to every visitor, so a forged Host header must not reach its links (it
        # would show in everyone's copy). templates/outcome/report.html could call it by name.
        url_for=_report_url_for,
    )
    return french_typography(html) if str(get_locale()).startswith("fr") else html


def report_pdf(synthesis: Synthesis, generated_on) -> bytes:
    """The report as PDF bytes: tagged, declaring PDF/UA-1."""
    # Imported when a report is built: WeasyPrint loads Pango at import, which no other page needs.
    from weasyprint import HTML

    return HTML(string=report_html(synthesis, generated_on), base_url=None).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
