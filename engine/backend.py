"""The one small interface to durable_rules.

durable_rules is unmaintained upstream and has sharp edges; everything that
touches it lives here so it could be replaced by another engine:

* one ``Host`` per process (each starts threads that never stop), one lock
  (the engine is not thread-safe);
* a ruleset name registers once per process: names carry a content hash and
  a counter, and the definition dict is deep-copied (registration deletes
  its ``run`` keys);
* facts are asserted (``assert_fact``), never posted, so every matching rule
  fires; each session's state is deleted after reading, also when nothing
  matched, because the 1,025th live session fails;
* exceptions inside actions end up in the returned state: they are raised;
* a fact that no rule matches raises ``MessageNotHandledException``: for a
  stratum fact that only means no rule of that stratum fired. Nothing is
  chained through stored facts (each stratum gets a complete new fact), so
  no derived fact can be lost.
"""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any, Callable

_HOST = None
_LOCK = threading.Lock()
_NAMES = itertools.count(1)
_SESSIONS = itertools.count(1)


def _host():
    global _HOST
    if _HOST is None:
        from durable import engine as durable_engine

        _HOST = durable_engine.Host()
    return _HOST


def _not_handled() -> type[Exception]:
    from durable.engine import MessageNotHandledException

    return MessageNotHandledException


class BackendError(RuntimeError):
    """durable_rules reported a failure while evaluating."""


class CompiledRuleset:
    """A ruleset registered with durable_rules; evaluates one fact per stratum.

    ``definitions`` maps rule id to a durable_rules rule definition (without
    action). Evaluation asserts the fact for stratum 1, lets ``between``
    compute the next fact from what fired, and so on; it returns the ids of
    the rules that fired per stratum.
    """

    def __init__(self, label: str, definitions: dict[str, dict[str, Any]]):
        self.name = f"{label}-{next(_NAMES)}"
        self._fired: list[str] = []
        rules = copy.deepcopy(definitions)
        for rid, definition in rules.items():
            definition["run"] = self._recorder(rid)
        with _LOCK:
            _host().set_rulesets({self.name: rules})

    def _recorder(self, rid: str) -> Callable[[Any], None]:
        fired = self._fired

        def record(_c: Any) -> None:
            fired.append(rid)
        return record

    def run(self, first: dict[str, Any], strata: int,
            between: Callable[[int, list[str], dict[str, Any]], dict[str, Any]]) -> list[list[str]]:
        """Evaluate one case: assert one fact per stratum, return fired rule ids per stratum."""
        host = _host()
        sid = str(next(_SESSIONS))
        out: list[list[str]] = []
        with _LOCK:
            fact = first
            try:
                for stage in range(1, strata + 1):
                    self._fired.clear()
                    fact = dict(fact, sid=sid, stage=stage)
                    try:
                        state = host.assert_fact(self.name, fact)
                    except _not_handled():
                        state = None  # no rule of this stratum matched: nothing fired
                    if isinstance(state, dict) and state.get("exception"):
                        raise BackendError(str(state["exception"]))
                    fired = list(dict.fromkeys(self._fired))  # an '$or' can match once per branch
                    out.append(fired)
                    if stage < strata:
                        fact = between(stage, fired, fact)
            finally:
                self._fired.clear()
                try:
                    host.delete_state(self.name, sid)
                except Exception:  # a session that never got state has nothing to delete
                    pass
        return out
