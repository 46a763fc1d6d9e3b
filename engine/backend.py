"""The one small interface to durable_rules.

durable_rules is unmaintained upstream and has sharp edges; everything that
touches it lives here so it could be replaced by another engine:

* the rule sets are registered with durable_rules' C engine
  (``durable_rules_engine``) directly, not through ``durable.engine.Host``:
  the Host's Python layer (a JSON round trip of the whole fact per fired
  action, closures, timestamps) cost three times the matching itself, and
  each Host starts timer threads that never stop. The protocol is the
  Host's: assert the fact, then take, complete and report each action in
  turn (``start_action_for_state`` / ``update_state`` /
  ``complete_and_start_action``); only the name of each action is read;
* one lock (the engine is not thread-safe); every registration gets a new
  name (a counter), and rule ids are registered as short internal names
  (``r0``, ``r1``, …) so an action's name can be read without decoding the
  fact that came with it;
* facts are asserted, never posted, so every matching rule fires; an
  ``$or`` can make a rule fire once per matching branch, so repeats are
  dropped;
* one session serves every evaluation: after reading, each asserted fact
  is retracted again. Creating a session and deleting it costs time in
  proportion to the number of rules (durable_rules sets up state for every
  node: about 4 µs per rule, 22 ms per evaluation at 5,000 rules), and the
  1,025th live session fails;
* a fact that no rule matches is "not handled", and deleting a session whose
  facts were never handled frees memory durable_rules never set: the process
  aborts ("free(): invalid pointer") or not, depending on what the heap held
  before. So every part also holds a rule that matches every stratum fact
  (``$ex stage``); its firing is not reported. Nothing is chained through
  stored facts (each stratum gets a complete new fact), so no derived fact
  is lost;
* one durable_rules ruleset holds at most 4,096 rules (error 106), so a
  larger rule set is registered in parts and every fact goes to each part;
* when durable_rules fails on a fact (error 303: more tests matched at once
  than its fixed alpha stack of 64 holds), that session is left alone —
  deleting a half-built state can abort the process — and the next
  evaluation starts a new one. The error is raised as a
  :class:`BackendError`.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any, Callable, Iterable

from .errors import EngineError

_LOCK = threading.Lock()
_NAMES = itertools.count(1)
_SESSIONS = itertools.count(1)

_HANDLED, _NOT_HANDLED, _OBSERVED, _QUEUED = 0, 1, 2, 3  # result codes of durable_rules_engine.assert_fact
PART_SIZE = 4095  # durable_rules' limit on rules per ruleset (4,096), less the catch-all rule
_ANY = "any"  # internal name of the rule that matches every stratum fact
_ANY_RULE = {"all": [{"m": {"$ex": {"stage": 1}}}]}  # the session state has no 'stage': it never matches itself
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False) builds one per call


def _engine() -> Any:
    import durable_rules_engine

    return durable_rules_engine


class BackendError(EngineError, RuntimeError):
    """durable_rules reported a failure while evaluating."""


class CompiledRuleset:
    """A ruleset registered with durable_rules; evaluates one fact per stratum.

    ``definitions`` maps rule id to a durable_rules rule definition (without
    action). :meth:`run` asserts one fact per stage and returns the ids of
    the rules that fired per stage.
    """

    def __init__(self, label: str, definitions: dict[str, dict[str, Any]]):
        self.name = f"{label}-{next(_NAMES)}"
        self.rule_ids = list(definitions)
        internal = [(f"r{i}", definition) for i, definition in enumerate(definitions.values())]
        self._ids = {f"r{i}": rid for i, rid in enumerate(self.rule_ids)}
        engine = _engine()
        parts = [{**dict(internal[start:start + PART_SIZE]), _ANY: _ANY_RULE}
                 for start in range(0, max(len(internal), 1), PART_SIZE)]
        self._sid = str(next(_SESSIONS))  # the session every evaluation uses (see the module text)
        with _LOCK:
            self._handles = [engine.create_ruleset(self.name if n == 0 else f"{self.name}-{n}",
                                                   json.dumps(part, ensure_ascii=False))
                             for n, part in enumerate(parts)]

    def run(self, stages: Iterable[int], fact_for: Callable[[int, list[str]], dict[str, Any]]) -> list[list[str]]:
        """Evaluate one case: per stage assert ``fact_for(stage, fired in the previous stage)``.

        A session id and the stage number are added to each fact. Returns
        the fired rule ids per stage, in firing order, without repeats.
        """
        engine = _engine()
        handles = self._handles
        ids = self._ids
        out: list[list[str]] = []
        fired: list[str] = []
        asserted: list[tuple[Any, str]] = []
        with _LOCK:
            tail = f'"sid": {json.dumps(self._sid)}, "stage": '
            try:
                for stage in stages:
                    fact = fact_for(stage, fired)
                    encoded = _ENCODE(fact)
                    encoded = f'{encoded[:-1]}{", " if fact else ""}{tail}{int(stage)}}}'
                    fired = []
                    for handle in handles:
                        try:
                            fired.extend(self._assert(engine, handle, encoded, ids))
                        except Exception as exc:
                            self._sid = str(next(_SESSIONS))  # leave the failed session alone
                            asserted.clear()
                            if isinstance(exc, BackendError):
                                raise
                            reason = "; ".join(str(a) for a in exc.args) or type(exc).__name__
                            raise BackendError(f"durable_rules faalde op een feit / failed on a fact ({reason}); bij "
                                               f"fout 303 toetst één feit te veel voorwaarden tegelijk / with error 303 "
                                               f"one fact matches too many tests at once") from exc
                        asserted.append((handle, encoded))
                    out.append(fired)
            finally:
                try:
                    for handle, encoded in asserted:
                        engine.retract_fact(handle, encoded)
                except Exception:  # facts left behind would be 'asserted twice' later: use a new session
                    self._sid = str(next(_SESSIONS))
        return out

    @staticmethod
    def _assert(engine: Any, handle: Any, fact: str, ids: dict[str, str]) -> list[str]:
        code, state_handle = engine.assert_fact(handle, fact)
        if code == _NOT_HANDLED:
            return []  # no rule of this stage matched: nothing fired
        if code == _OBSERVED:
            raise BackendError(f"feit al eerder aangeboden / fact asserted twice: {fact[:200]}")
        if code == _QUEUED:
            state_handle = 0
        started = engine.start_action_for_state(handle, state_handle)
        if not started:
            return []
        state, message = started[0], started[1]
        fired: dict[str, None] = {}
        while message:
            name = message[2:message.index('"', 2)]  # '{"r12":{"m":{...}}}': internal names need no escaping
            if name != _ANY:
                fired[ids[name]] = None
            engine.update_state(handle, state)
            message = engine.complete_and_start_action(handle, state_handle)
        return list(fired)
