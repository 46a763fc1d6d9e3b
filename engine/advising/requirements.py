"""What a rule that did not fire still needs, with its 'and' and 'or' kept apart.

``explain`` answers "why not a better outcome?" per outcome rule: what stands in
its way (something that holds but must not) and what it needs. A condition is
a tree of ``all``, ``any`` and ``not``; a flat list of its failing tests would
read an ``any`` as an ``and`` ("nodig: A; B" where either will do) or an ``all``
as an ``or``. Here the tree is followed: an ``all`` gives requirements that must
all be met, an ``any`` one requirement with alternatives, a conclusion that was
not drawn the rules that could draw it (an intermediate conclusion by what it
rests on in turn). A conclusion the outcome rule needs to stay absent is never
offered as an alternative, and a requirement that is implied by another one
("A of B" beside "A") is left out.
"""

from __future__ import annotations

from typing import Any, Callable, Union

from engine.rulebase import conditions as C

# An expression: a text (a test or a rule title), ("not", text) for something in the way, or ("and"|"or", items).
Expr = Union[str, tuple]
_IMPOSSIBLE = ("or", ())  # an alternative ruled out by the outcome rule itself


class Requirements:
    """Builds the requirement expression of a rule's condition against one trace."""

    def __init__(self, ruleset: Any, facts: dict[str, Any], conclusions: frozenset[str], fired: set[str],
                 title: Callable[[str], str], test_text: Callable[[C.FactTest, bool], str],
                 conclusion_text: Callable[[str], str], max_depth: int = 3):
        self.ruleset, self.facts, self.conclusions, self.fired = ruleset, facts, conclusions, fired
        self.title, self.test_text, self.conclusion_text = title, test_text, conclusion_text
        self.max_depth = max_depth

    def of_rule(self, rule_id: str) -> tuple[list[Expr], list[str]]:
        """(what the rule needs, each met by one of its alternatives; what stands in its way)."""
        cond = self.ruleset.by_id[rule_id].condition
        forbidden = frozenset(_kept_absent(cond))
        expr = self._need(cond, True, 0, frozenset({rule_id}), forbidden)
        items = list(expr[1]) if isinstance(expr, tuple) and expr[0] == "and" else ([expr] if expr else [])
        wanted = [e for e in items if not (isinstance(e, tuple) and e[0] == "not")]
        blocking = list(dict.fromkeys(e[1] for e in items if isinstance(e, tuple) and e[0] == "not"))
        return wanted, blocking

    def _need(self, cond: C.Condition, want: bool, depth: int, seen: frozenset[str],
              forbidden: frozenset[str]) -> Expr | None:
        """What must change for ``cond`` to evaluate to ``want`` (None: it already does)."""
        if C.evaluate(cond, self.facts, self.conclusions) == want:
            return None
        if isinstance(cond, C.FactTest):
            text = self.test_text(cond, want)
            return text if want else ("not", text)
        if isinstance(cond, C.ConclusionTest):
            return self._conclusion(cond.name, want, depth, seen, forbidden)
        if isinstance(cond, C.Not):
            return self._need(cond.item, not want, depth, seen, forbidden)
        if isinstance(cond, C.Always):
            return _IMPOSSIBLE
        parts = [self._need(c, want, depth, seen, forbidden) for c in cond.items]
        if isinstance(cond, C.All) == want:  # every part must change
            return _and([p for p in parts if p is not None])
        return _or([p for p in parts if p is not None])  # one part will do

    def _conclusion(self, name: str, want: bool, depth: int, seen: frozenset[str],
                    forbidden: frozenset[str]) -> Expr:
        producers = [p for p in self.ruleset.producers.get(name, []) if p not in seen]
        if not want:  # drawn but must not be: every rule that drew it is in the way
            titles = [self.title(p) for p in producers if p in self.fired]
            return _and([("not", t) for t in titles]) if titles else ("not", self.conclusion_text(name))
        if name in forbidden:
            return _IMPOSSIBLE
        alternatives: list[Expr] = []
        for pid in producers:
            rule = self.ruleset.by_id[pid]
            if rule.then.role == "route" and depth < self.max_depth:  # an intermediate conclusion: what it rests on
                sub = self._need(rule.condition, True, depth + 1, seen | {pid}, forbidden)
                if sub is not None:
                    alternatives.append(sub)
            else:
                alternatives.append(self.title(pid))
        return _or(alternatives) if alternatives else self.conclusion_text(name)


def _kept_absent(cond: C.Condition, positive: bool = True) -> list[str]:
    """Conclusions ``cond`` needs not to be drawn, along paths that must all hold (not inside an 'any')."""
    if isinstance(cond, C.ConclusionTest):
        return [] if positive else [cond.name]
    if isinstance(cond, C.Not):
        return _kept_absent(cond.item, not positive)
    if isinstance(cond, C.All) and positive or isinstance(cond, C.Any_) and not positive:
        return [n for c in cond.items for n in _kept_absent(c, positive)]
    return []


def _and(items: list[Expr]) -> Expr:
    flat: list[Expr] = []
    for item in items:
        if item == _IMPOSSIBLE:
            return _IMPOSSIBLE
        for e in (item[1] if isinstance(item, tuple) and item[0] == "and" else (item,)):
            if e not in flat:
                flat.append(e)
    # 'A of B' beside 'A' says nothing new: A is needed anyway
    flat = [e for e in flat if not any(o is not e and _implies(o, e) for o in flat)]
    return flat[0] if len(flat) == 1 else ("and", tuple(flat))


def _or(items: list[Expr]) -> Expr:
    flat: list[Expr] = []
    for item in items:
        if item == _IMPOSSIBLE:
            continue
        for e in (item[1] if isinstance(item, tuple) and item[0] == "or" else (item,)):
            if e not in flat:
                flat.append(e)
    if not flat:
        return _IMPOSSIBLE
    return flat[0] if len(flat) == 1 else ("or", tuple(flat))


def _alternatives(e: Expr) -> frozenset:
    return frozenset(e[1]) if isinstance(e, tuple) and e[0] == "or" else frozenset((e,))


def _implies(a: Expr, b: Expr) -> bool:
    """Meeting ``a`` meets ``b``: every alternative of ``a`` is one of ``b``'s (and they differ)."""
    return a != b and _alternatives(a) < _alternatives(b)


def quoted(text: str) -> str:
    """A title between single quotes, so that an 'of' inside a title is not read as a choice."""
    return f"\u2018{text}\u2019"


def render(expr: Expr, or_word: str, and_word: str, more: Callable[[int], str], top: bool = True) -> str:
    """An expression in words: alternatives joined by 'of' (a long list: the first two and how many more),
    requirements inside an alternative by 'en', in brackets."""
    if isinstance(expr, str):
        return quoted(expr)
    kind, items = expr
    if kind == "not":
        return quoted(items)
    if kind == "and":
        text = f" {and_word} ".join(render(i, or_word, and_word, more, False) for i in items)
        return text if top else f"({text})"
    shown = [render(i, or_word, and_word, more, False) for i in items]
    if len(shown) > 3:
        shown = shown[:2] + [more(len(shown) - 2)]
    text = f" {or_word} ".join(shown)
    return text if top else f"({text})"
