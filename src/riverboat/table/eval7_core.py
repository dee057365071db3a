"""eval7's compiled evaluator, without the ~50 ms its package import spends on pyparsing.

``import eval7`` runs the package's ``__init__``, which also builds a hand-range parser with
pyparsing; the table runtime needs only the C ``cards`` and ``evaluate`` modules. They are
loaded under a temporary bare package, which is then dropped from ``sys.modules`` so that a
later ``import eval7`` (the bots' equity player) runs the real package on the same modules.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any


def _load() -> Any:
    if "eval7" in sys.modules:
        return sys.modules["eval7"]
    spec = importlib.util.find_spec("eval7")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("eval7 is not installed")
    bare = types.ModuleType("eval7")
    bare.__path__ = list(spec.submodule_search_locations)
    sys.modules["eval7"] = bare
    try:
        cards = importlib.import_module("eval7.cards")
        evaluate = importlib.import_module("eval7.evaluate")
    finally:
        del sys.modules["eval7"]
    return types.SimpleNamespace(Card=cards.Card, evaluate=evaluate.evaluate)


eval7: Any = _load()
