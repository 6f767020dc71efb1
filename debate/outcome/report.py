"""The printable report: the synthesis rendered to HTML for print, then to PDF by WeasyPrint.

The HTML carries its own print stylesheet (A4, page numbers, black-and-white friendly: patterns and
written figures, never colour alone) and no external asset, so WeasyPrint fetches nothing.
"""

from flask import render_template

from debate.arguments.queries import debate_sources
from debate.outcome import charts
from debate.outcome.queries import Synthesis


def report_html(synthesis: Synthesis, generated_on) -> str:
    """The report as a standalone HTML document (cover, summary, a section per area, annexes)."""

    return render_template(
        "outcome/report.html",
        s=synthesis,
        debate=synthesis.debate,
        all_sources=debate_sources(synthesis.debate),
        generated_on=generated_on,
        chart=charts.stance_chart,
    )


def report_pdf(synthesis: Synthesis, generated_on) -> bytes:
    """The report as PDF bytes."""
    # Imported when a report is built: WeasyPrint loads Pango at import, which no other page needs.
    from weasyprint import HTML

    return HTML(string=report_html(synthesis, generated_on), base_url=None).write_pdf()
