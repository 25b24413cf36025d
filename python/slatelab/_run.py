"""Runs of the built-in agents through slatelab's engine, as ``slatelab run``."""

from __future__ import annotations

import json
from typing import Any, Sequence

from slatelab import _native
from slatelab._env import overrides_json


def run(
    scenario: str,
    agents: Sequence[str] | None = None,
    *,
    episodes: int | None = None,
    steps: int | None = None,
    seed: int | None = None,
    eval_episodes: int = 0,
    threads: int | None = None,
    curve_block: int | None = None,
    paired: str = "baseline",
    **overrides: Any,
) -> dict[str, Any]:
    """Runs ``agents`` on ``scenario`` and returns the report ``slatelab run`` writes, as a dict.

    ``agents`` are names or RON entries as ``--agents`` takes them (``"linucb"``,
    ``"LinUcb(alpha: 0.5)"``); the scenario's own agents when omitted. ``episodes`` or
    ``steps`` is the training budget per agent (the scenario's episodes when neither is
    given), ``eval_episodes`` greedy evaluation episodes after it, ``paired`` ``"baseline"``
    or ``"all"``. The GIL is released while the engine works; Ctrl-C stops the run and raises
    ``KeyboardInterrupt``. Equal to ``slatelab run --format json`` with the same arguments,
    but for the timings and ``command_line`` (empty here).
    """
    if paired not in ("baseline", "all"):
        raise ValueError(f"paired is 'baseline' or 'all', got {paired!r}")
    text = _native.run(
        scenario,
        agents=list(agents) if agents is not None else None,
        episodes=episodes,
        steps=steps,
        seed=seed,
        eval_episodes=eval_episodes,
        threads=threads,
        curve_block=curve_block,
        paired_all=paired == "all",
        overrides_json=overrides_json(overrides),
    )
    return json.loads(text)
