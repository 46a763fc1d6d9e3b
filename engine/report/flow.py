"""Geometry of the decision-route drawing (an inline SVG in the HTML report).

The layout is computed here and the template only draws it, so the picture
is the same bytes every time and needs no script or font measurement. Steps
stand in a column in the rule set's order; the step that holds the outcome
rule points to the outcome; steps that decide the outcome are filled, steps
that were taken into account are outlined, the rest are grey.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from engine.report.model import Report

WIDTH = 640
NODE_X, NODE_W = 12, 330
LINE_H, NOTE_H, PAD_Y, GAP = 16, 15, 9, 12
SIDE_X = NODE_X + NODE_W + 40  # left edge of the outcome
SIDE_W = WIDTH - SIDE_X - 8
TITLE_CHARS, SIDE_CHARS = 40, 28
SHOWN_RULES = 3


@dataclass(frozen=True)
class Node:
    x: int
    y: int
    w: int
    h: int
    number: int
    lines: tuple[str, ...]
    status: str
    note: str


@dataclass(frozen=True)
class Edge:
    x: int
    y1: int
    y2: int
    taken: bool


@dataclass(frozen=True)
class Outcome:
    x: int
    y: int
    w: int
    h: int
    lines: tuple[str, ...]
    outcome: str
    link_y: int  # vertical centre of the step it comes from


@dataclass(frozen=True)
class Flow:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    outcome: Outcome | None
    title: str


def _wrap(text: str, width: int, max_lines: int = 2) -> tuple[str, ...]:
    lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "\u2026"
    return tuple(lines)


def _note(report: Report, step) -> str:
    ids = [r.rule for r in step.rules]
    shown = ", ".join(ids[:SHOWN_RULES])
    if len(ids) > SHOWN_RULES:
        shown += " " + report.t("more_rules", n=len(ids) - SHOWN_RULES)
    label = report.t(f"status_short_{step.status}")
    return f"{label} \u00b7 {shown}" if ids else label


def layout(report: Report) -> Flow:
    """Place every step, the arrows between them and the outcome."""
    nodes: list[Node] = []
    y = 8
    for step in report.steps:
        lines = _wrap(step.title, TITLE_CHARS)
        h = PAD_Y * 2 + LINE_H * len(lines) + NOTE_H
        nodes.append(Node(NODE_X, y, NODE_W, h, step.number, lines, step.status, _note(report, step)))
        y += h + GAP
    edges = []
    for above, below in zip(nodes, nodes[1:]):
        taken = above.status != "none" and below.status != "none"
        edges.append(Edge(NODE_X + NODE_W // 2, above.y + above.h, below.y, taken))
    outcome = None
    holder = next((n for n, s in zip(nodes, report.steps) if s.holds_outcome), None)
    if holder is not None:
        lines = _wrap(report.advice.outcome_label, SIDE_CHARS, 3)
        h = 29 + LINE_H * len(lines)
        centre = holder.y + holder.h // 2
        outcome = Outcome(SIDE_X, max(4, centre - h // 2), SIDE_W, h, lines, report.advice.outcome, centre)
    height = max(y, (outcome.y + outcome.h + 8) if outcome else 0)
    return Flow(WIDTH, height, tuple(nodes), tuple(edges), outcome, report.t("weighing_flow_title"))
