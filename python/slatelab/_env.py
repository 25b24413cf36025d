"""One slatelab environment as a ``gymnasium.Env``."""

from __future__ import annotations

import json
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np

from slatelab import _native, _spaces

Observation = dict[str, np.ndarray]


def overrides_json(overrides: dict[str, Any]) -> str | None:
    """Environment-field overrides as the JSON object the native module reads."""
    return json.dumps(overrides) if overrides else None


class SlateEnv(gym.Env[Observation, np.ndarray]):
    """A RecSim environment of a slatelab scenario, simulated in Rust.

    Episode ``e`` after ``reset(seed=s)`` meets the same user, documents and responses as
    episode ``e`` of ``slatelab run --seed s``: a deterministic policy gets the CLI's returns.
    Without any seed the scenario's own seed is used, as ``slatelab run`` does.

    ``step`` takes a slate of K distinct indices in ``0..N`` (anything else raises
    ``ValueError``) and returns fresh arrays each call. ``info`` holds ``clicked`` (the slate
    position consumed, or −1), ``engagement``, ``satisfaction``, the running totals
    ``episode_return``, ``episode_clicks``, ``episode_engagement``, ``episode_length``, and the
    ``episode`` index.
    """

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(self, scenario: str = "choc-kale", seed: int | None = None, **overrides: Any):
        self._native = _native.Env(scenario, seed, overrides_json(overrides))
        self.spec_info: dict[str, Any] = self._native.spec()
        self.observation_space = _spaces.observation_space(self.spec_info)
        self.action_space = _spaces.action_space(self.spec_info)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        """Starts episode 0 of ``seed`` when given, else the next episode."""
        super().reset(seed=seed)
        return self._native.reset(seed)

    def step(
        self, action: np.ndarray
    ) -> tuple[Observation, SupportsFloat, bool, bool, dict[str, Any]]:
        """Serves the slate ``action``."""
        return self._native.step(action)

    @property
    def seed_in_use(self) -> int:
        """The seed whose episodes are being played."""
        return self._native.seed


def make(scenario: str, seed: int | None = None, **overrides: Any) -> SlateEnv:
    """A ``gymnasium.Env`` for a built-in scenario name or a ``.ron`` path.

    ``seed`` replaces the scenario's seed; ``overrides`` replace fields of the scenario's
    environment entry (e.g. ``num_candidates=10``). A scenario that cannot be loaded raises
    ``ScenarioError`` (a ``ValueError``) whose message is ``file:line:col: field: message``.
    """
    return SlateEnv(scenario, seed, **overrides)
