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
  than its fixed alpha stack of 64 holds), the failed fact is retracted like
  every other and the session is used again; the error is raised as a
  :class:`BackendError`. A session is never deleted (deleting a half-built
  state can abort the process): one that cannot be cleaned up is left alone
  and a new one is used, and after ``ABANDONED_LIMIT`` of those the rules are
  registered anew, so the 1,024-live-session limit is never reached.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import threading
from typing import Any, Callable, Iterable

from engine.common.errors import EngineError, InputError, Problem

DURABLE, PYTHON = "durable_rules", "python"
ENGINES = (DURABLE, PYTHON)
ENGINE_ENV = "REGIOTOETS_ENGINE"  # set by --engine, so worker processes of a batch use the same engine

_LOCK = threading.Lock()
_NAMES = itertools.count(1)
_SESSIONS = itertools.count(1)

_HANDLED, _NOT_HANDLED, _OBSERVED, _QUEUED = 0, 1, 2, 3  # result codes of durable_rules_engine.assert_fact
PART_SIZE = 4095  # durable_rules' limit on rules per ruleset (4,096), less the catch-all rule
ABANDONED_LIMIT = 256  # sessions left alone before the rules are registered anew (durable_rules allows 1,024)
_ANY = "any"  # internal name of the rule that matches every stratum fact
_ANY_RULE = {"all": [{"m": {"$ex": {"stage": 1}}}]}  # the session state has no 'stage': it never matches itself
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False) builds one per call


def _engine() -> Any:
    import durable_rules_engine

    return durable_rules_engine


@functools.lru_cache(maxsize=1)
def durable_available() -> bool:
    """Whether durable_rules imports here (it does not on Python 3.13 and later)."""
    try:
        _engine()
    except ImportError:
        return False
    return True


def engine_name(default: str | None = None) -> str:
    """The rule engine to use: the explicit choice (``--engine``, ``$REGIOTOETS_ENGINE``), else ``default``,
    else durable_rules where it imports and plain Python where it does not."""
    name = os.environ.get(ENGINE_ENV, "").strip() or default
    if not name:
        return DURABLE if durable_available() else PYTHON
    if name not in ENGINES:
        from engine.common.errors import did_you_mean
        raise InputError([Problem("--engine", f"onbekende regelmachine '{name}' / unknown rule engine",
                                  expected=" of ".join(ENGINES), suggestion=did_you_mean(name, ENGINES))])
    if name == DURABLE and not durable_available():
        raise InputError([Problem("--engine", "durable_rules is hier niet beschikbaar (werkt op Python 3.10-3.12) / "
                                  "durable_rules is not available here (works on Python 3.10-3.12)",
                                  suggestion=f"--engine {PYTHON}")])
    return name


def compile_rules(engine: str, label: str, definitions: dict[str, dict[str, Any]],
                  source: Callable[[str], Any] | None = None) -> Any:
    """The compiled definitions in the named engine: both give ``run(stages, fact_for)``. With ``source``
    (attribute -> where it comes from) the Python engine can also read the decision facts directly."""
    if engine == PYTHON:
        from engine.deciding.pybackend import PythonRuleset
        return PythonRuleset(label, definitions, source)
    return CompiledRuleset(label, definitions)


class BackendError(EngineError, RuntimeError):
    """durable_rules reported a failure while evaluating."""


class CompiledRuleset:
    """A ruleset registered with durable_rules; evaluates one fact per stratum.

    ``definitions`` maps rule id to a durable_rules rule definition (without
    action). :meth:`run` asserts one fact per stage and returns the ids of
    the rules that fired per stage.
    """

    engine = DURABLE

    def __init__(self, label: str, definitions: dict[str, dict[str, Any]]):
        self._label = label
        self.rule_ids = list(definitions)
        internal = [(f"r{i}", definition) for i, definition in enumerate(definitions.values())]
        self._ids = {f"r{i}": rid for i, rid in enumerate(self.rule_ids)}
        self._parts = [json.dumps({**dict(internal[start:start + PART_SIZE]), _ANY: _ANY_RULE}, ensure_ascii=False)
                       for start in range(0, max(len(internal), 1), PART_SIZE)]
        with _LOCK:
            self._register()

    def _register(self) -> None:
        """Register the rules under a new name, with a new session every evaluation uses (see the module text)."""
        engine = _engine()
        self.name = f"{self._label}-{next(_NAMES)}"
        self._sid = str(next(_SESSIONS))
        self._abandoned = 0
        self._handles = [engine.create_ruleset(self.name if n == 0 else f"{self.name}-{n}", part)
                         for n, part in enumerate(self._parts)]

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
                            # The failed fact is retracted like the others (in ``finally``), so the session
                            # is used again: a new session per failure would keep ~1 MB each alive for good.
                            asserted.append((handle, encoded))
                            if isinstance(exc, BackendError):
                                raise
                            reason = "; ".join(str(a) for a in exc.args) or type(exc).__name__
                            raise BackendError(f"durable_rules faalde op een feit / failed on a fact ({reason}); bij "
                                               f"fout 303 toetst één feit te veel voorwaarden tegelijk / with error 303 "
                                               f"one fact matches too many tests at once") from exc
                        asserted.append((handle, encoded))
                    out.append(fired)
            finally:
                for handle, encoded in asserted:
                    try:
                        engine.retract_fact(handle, encoded)
                    except Exception:  # a fact left behind would be 'asserted twice' later: use a new session
                        self._new_session()
        return out

    def _new_session(self) -> None:
        """Leave the current session alone and use a new one; after too many, register the rules again.

        A session that could not be cleaned up is never deleted (deleting a half-built state can abort
        the process); durable_rules allows 1,024 live sessions per ruleset, so before that limit the
        rules are registered anew under new names and the old registration is no longer used.
        """
        self._abandoned += 1
        self._sid = str(next(_SESSIONS))
        if self._abandoned >= ABANDONED_LIMIT:
            self._register()

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
