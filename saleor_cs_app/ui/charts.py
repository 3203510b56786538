"""Charts drawn on the server as SVG with pygal (no script, no CDN), inlined in the dashboard page.

Colours that differ between light and dark come from the page's CSS custom properties
(`--chart-text`, `--chart-grid`, set by app.css for each theme), so one SVG serves both.
The series colours are mid-tones readable on both backgrounds.
"""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

SERIES_COLOURS = ("#2563eb", "#d97706", "#7c3aed", "#6b7280")

_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="var(--chart-text, #1f2937)",
    foreground_strong="var(--chart-text, #1f2937)",
    foreground_subtle="var(--chart-grid, #d1d5db)",
    opacity=".9",
    opacity_hover="1",
    colors=SERIES_COLOURS,
    font_family="Inter, system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    value_font_size=11,
    tooltip_font_size=12,
)


# pygal writes its tooltip script's config inline; without the script (js=()) it is dead weight, and
# the page inserts the SVG where no script should run.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def rates_over_time(months: list[str], series: list[tuple[str, list[float | None]]], *, title: str = "") -> str:
    """A line per series, one point per month; None leaves a gap (too few to tell that month)."""
    chart = pygal.Line(
        style=_STYLE,
        js=(),  # pygal's tooltips load a script from a CDN: none here
        disable_xml_declaration=True,
        width=720,
        height=320,
        explicit_size=False,
        range=(0, 100),
        show_minor_y_labels=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        allow_interruptions=True,
        print_values=False,
        dots_size=3,
        stroke_style={"width": 2},
        value_formatter=lambda v: f"{v:.0f} %",
        title=title,
    )
    chart.x_labels = months
    for name, values in series:
        chart.add(name, [None if v is None else round(v * 100, 1) for v in values])
    return _SCRIPT.sub("", chart.render(is_unicode=True))
