"""The printable report: the synthesis rendered to HTML for print, then to PDF by WeasyPrint.

The HTML carries its own print stylesheet (A4, page numbers, black-and-white friendly: patterns and
written figures, never colour alone) and no external asset, so WeasyPrint fetches nothing.

The report is built once and served to everyone (outcome.views.report_pdf): nothing in it comes from
the request that happened to build it. Its absolute links start with the instance's public address
(BASE_URL), as e-mails' do, never with the request's Host header, which a visitor chooses.
"""

from flask import render_template, url_for

from debate.arguments.queries import debate_sources
from debate.core.web import public_url_for
from debate.outcome import charts
from debate.outcome.queries import Synthesis


def _report_url_for(endpoint: str, **values) -> str:
    """`url_for` for the report: a path on the site, or with `_external=True` an address on BASE_URL."""
    if values.get("_external"):
        return public_url_for(endpoint, **values)
    return url_for(endpoint, **values)


def report_html(synthesis: Synthesis, generated_on) -> str:
    """The report as a standalone HTML document (cover, summary, a section per area, annexes)."""

    return render_template(
        "outcome/report.html",
        s=synthesis,
        debate=synthesis.debate,
        all_sources=debate_sources(synthesis.debate),
        generated_on=generated_on,
        chart=charts.stance_chart,
        # In place of Flask's global, for the template and the macros it imports with context: one
        # report is served to every visitor, so a forged Host header must not reach its links (it
        # would show in everyone's copy). templates/outcome/report.html could call it by name.
        url_for=_report_url_for,
    )


def report_pdf(synthesis: Synthesis, generated_on) -> bytes:
    """The report as PDF bytes."""
    # Imported when a report is built: WeasyPrint loads Pango at import, which no other page needs.
    from weasyprint import HTML

    return HTML(string=report_html(synthesis, generated_on), base_url=None).write_pdf()
