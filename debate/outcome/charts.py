"""Server-rendered SVG charts: the arguments of a theme by stance, readable without colour.

Each bar carries its own fill pattern (solid, hatched, dotted) and its count written beside it, so the
chart reads the same in black and white; the SVG has a title and a description (role="img") and the
pages give the same figures as a table (the text alternative).
"""

from markupsafe import Markup, escape

from debate.arguments.models import STANCE_TITLES, Stance

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH, VALUE_WIDTH = 320, 22, 10, 90, 40
STYLE = {
    Stance.FOR: ("#146c2e", "solid"),
    Stance.AGAINST: ("#b3261e", "hatch"),
    Stance.NUANCE: ("#8a4b00", "dots"),
}


def _pattern(pattern_id: str, colour: str, kind: str) -> str:
    if kind == "hatch":
        return (
            f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            f'<rect width="3" height="6" fill="{colour}"/></pattern>'
        )
    if kind == "dots":
        return (
            f'<pattern id="{pattern_id}" width="5" height="5" patternUnits="userSpaceOnUse">'
            f'<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.6" fill="{colour}"/></pattern>'
        )
    return ""


def stance_chart(chart_id: str, counts: dict, title: str, description: str) -> Markup:
    """A horizontal bar chart of {for, against, nuance} counts as inline SVG markup."""
    chart_id = "".join(c if c.isalnum() or c in "-_" else "-" for c in chart_id)
    peak = max([counts.get(s.value, 0) for s in Stance] + [1])
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(Stance) * (BAR_HEIGHT + GAP) + GAP
    defs, rows = [], []
    for index, stance in enumerate(Stance):
        colour, kind = STYLE[stance]
        value = int(counts.get(stance.value, 0))
        y = GAP + index * (BAR_HEIGHT + GAP)
        fill = colour
        if kind != "solid":
            pattern_id = f"{chart_id}-{stance.value}"
            defs.append(_pattern(pattern_id, colour, kind))
            fill = f"url(#{pattern_id})"
        length = 0 if value == 0 else max(2, round(plot * value / peak))
        label = escape(str(STANCE_TITLES[stance]))
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" class="chart-label">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{fill}" '
            f'stroke="{colour}" stroke-width="1.5"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + BAR_HEIGHT * 0.7:.1f}" class="chart-value">{value}</text>'
        )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="stance-chart" '
        f'font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"<defs>{''.join(defs)}</defs>"
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" stroke="#1b1b1f" stroke-width="1"/>'
        f"{''.join(rows)}</svg>"
    )


BALANCE_WIDTH, BALANCE_LABEL, BALANCE_BAR, BALANCE_ROW = 340, 16, 18, 44


def balance_chart(
    chart_id: str, rows: list, title: str, description: str, label_lang: str = ""
) -> Markup:
    """One compact chart of the balance of arguments, a stacked bar per theme.

    `rows` is [(theme title, {for, against, nuance})]. Each segment has its pattern (solid, hatched,
    dotted) and its count written on a white label, so the chart reads in black and white; the
    pages give the same figures as a table. `label_lang`: the language the theme titles declare
    (`lang` on their `<text>`) when it is not the interface's (core.html.declared_lang)."""
    declared = f' lang="{escape(label_lang)}"' if label_lang else ""
    chart_id = "".join(c if c.isalnum() or c in "-_" else "-" for c in chart_id)
    peak = max([sum(int(c.get(s.value, 0)) for s in Stance) for _, c in rows] + [1])
    plot = BALANCE_WIDTH - 40
    defs = [
        _pattern(f"{chart_id}-{stance.value}", colour, kind)
        for stance, (colour, kind) in STYLE.items()
        if kind != "solid"
    ]
    parts = []
    for index, (label, counts) in enumerate(rows):
        top = index * BALANCE_ROW
        y = top + BALANCE_LABEL + 4
        total = sum(int(counts.get(s.value, 0)) for s in Stance)
        parts.append(
            f'<text x="0" y="{top + BALANCE_LABEL - 3}" class="chart-label"{declared}>'
            f"{escape(label)}</text>"
        )
        x = 0.0
        for stance in Stance:
            colour, kind = STYLE[stance]
            value = int(counts.get(stance.value, 0))
            if not value:
                continue
            width = plot * value / peak
            fill = colour if kind == "solid" else f"url(#{chart_id}-{stance.value})"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BALANCE_BAR}" fill="{fill}" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
            if width >= 22:
                cx = x + width / 2
                parts.append(
                    f'<rect x="{cx - 10:.1f}" y="{y + 3}" width="20" height="{BALANCE_BAR - 6}" rx="2" '
                    f'fill="#fff"/><text x="{cx:.1f}" y="{y + BALANCE_BAR - 5}" text-anchor="middle" '
                    f'class="chart-value" font-size="11">{value}</text>'
                )
            x += width
        parts.append(
            f'<text x="{x + 5:.1f}" y="{y + BALANCE_BAR - 5}" class="chart-value" font-size="11">'
            f"= {total}</text>"
        )
    legend_y = len(rows) * BALANCE_ROW + 6
    x = 0
    for stance in Stance:
        colour, kind = STYLE[stance]
        fill = colour if kind == "solid" else f"url(#{chart_id}-{stance.value})"
        name = escape(str(STANCE_TITLES[stance]))
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{fill}" stroke="{colour}" '
            f'stroke-width="1.5"/><text x="{x + 19}" y="{legend_y + 11}" class="chart-label" '
            f'font-size="12">{name}</text>'
        )
        x += 110
    height = legend_y + 18
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BALANCE_WIDTH} {height}" '
        f'width="{BALANCE_WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="balance-chart" '
        f'font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"<defs>{''.join(defs)}</defs>{''.join(parts)}</svg>"
    )
