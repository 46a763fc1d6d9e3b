"""The board report as one self-contained HTML file.

Jinja2 with autoescaping: every text from a proposal or a rule set is
escaped, so a title with ``<script>`` shows as text. The CSS is inline, the
decision route is inline SVG, and there are no scripts, fonts or links to
anything outside the file.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import jinja2

from engine.report.flow import layout
from engine.report.model import Report, answers_text, lead

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Outcome colours of the SVG (the CSS carries the same values as custom properties).
OUTCOME_COLOURS = {
    "participate": "#2e6b34",
    "participate_provided": "#4c6b12",
    "insufficient_information": "#9a5b00",
    "handle_at_lower_scale": "#1d5f78",
    "decline": "#a3261d",
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """One template environment per process; autoescape is on for every template."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined, finalize=_without_controls)


def _without_controls(value: object) -> object:
    """Every value put into the page without NUL, ESC and other control characters (JSON can carry ``\\u0000``)."""
    from markupsafe import Markup

    from engine.common.escape import strip_controls

    if isinstance(value, Markup):
        return Markup(strip_controls(str(value)))
    if isinstance(value, str):
        return strip_controls(value)
    return value


def logo_uri(report: Report) -> str | None:
    """The house-style logo as a data URI, so the HTML file stays self-contained."""
    if report.logo is None:
        return None
    media, data = report.logo
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(report: Report) -> str:
    template = environment().get_template("report.html.j2")
    return template.render(r=report, t=report.t, flow=layout(report), colours=OUTCOME_COLOURS, lead=lead,
                           answers_text=lambda m: answers_text(m, report.lang),
                           outcome_caption=report.t("advice_outcome").upper(), dict=dict, logo_uri=logo_uri(report))
