"""Many slatelab environments as one ``gymnasium.vector.VectorEnv``, stepped in one call."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from slatelab import _native, _spaces
from slatelab._env import Observation, overrides_json

#: The per-step ``infos`` keys (each an array over sub-environments, with its ``_key`` mask).
INFO_KEYS = (
    "clicked",
    "engagement",
    "satisfaction",
    "episode_return",
    "episode_clicks",
    "episode_engagement",
    "episode_length",
    "episode",
)


class SlateVectorEnv(gym.vector.VectorEnv[Observation, np.ndarray, np.ndarray]):
    """``num_envs`` environments of one scenario, stepped together in Rust.

    One ``step`` call validates every slate, then advances all sub-environments (on
    ``threads`` threads, without the GIL) and writes into arrays allocated once. With
    ``copy=True`` (the default) the arrays returned are copies; with ``copy=False`` they are
    the buffers themselves, overwritten by the next call.

    Autoreset is gymnasium's next-step mode: the call after a sub-environment's episode ends
    starts its next episode (reward 0, action ignored).

    Seeds: under seed ``s`` (``make_vec``'s, ``reset(seed=s)``'s, or the scenario's), sub-env
    ``i`` plays episodes ``i, i + n, i + 2n, …`` of ``slatelab run --seed s``, so the batch
    meets the CLI's users and its results do not depend on ``threads``. ``reset(seed=[s0,
    s1, …])`` gives sub-env ``i`` episodes ``0, 1, 2, …`` of its own seed ``s_i``.
    """

    metadata: dict[str, Any] = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(
        self,
        scenario: str = "choc-kale",
        num_envs: int = 8,
        seed: int | None = None,
        threads: int = 1,
        copy: bool = True,
        **overrides: Any,
    ):
        self._native = _native.VecEnv(scenario, num_envs, seed, overrides_json(overrides), threads)
        self.spec_info: dict[str, Any] = self._native.spec()
        self.num_envs = num_envs
        self.copy = copy
        self.single_observation_space = _spaces.observation_space(self.spec_info)
        self.single_action_space = _spaces.action_space(self.spec_info)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = _spaces.action_space(self.spec_info, num_envs)
        buffers = self._native.buffers()
        keys = ["user", "doc", "response"]
        if "doc_cluster" in self.single_observation_space.spaces:
            keys.append("doc_cluster")
        self._obs = {key: buffers[key] for key in keys}
        self._reward = buffers["reward"]
        self._terminated = buffers["terminated"]
        self._truncated = buffers["truncated"]
        self._info = {key: buffers[key] for key in INFO_KEYS}
        self._mask = np.ones(num_envs, dtype=bool)

    def reset(
        self,
        *,
        seed: int | list[int] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[Observation, dict[str, Any]]:
        """Starts an episode in every sub-environment (see the class for what seeds mean)."""
        if isinstance(seed, int):
            super().reset(seed=seed)
            self._native.reset(seed=seed)
        elif seed is not None:
            self._native.reset(seeds=list(seed))
        else:
            self._native.reset()
        return self._observation(), self._infos()

    def step(
        self, actions: np.ndarray
    ) -> tuple[Observation, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Serves one slate per sub-environment (``actions`` is num_envs × K)."""
        self._native.step(np.asarray(actions, dtype=np.int64))
        return (
            self._observation(),
            self._out(self._reward),
            self._out(self._terminated),
            self._out(self._truncated),
            self._infos(),
        )

    def _out(self, array: np.ndarray) -> np.ndarray:
        return array.copy() if self.copy else array

    def _observation(self) -> Observation:
        return {key: self._out(value) for key, value in self._obs.items()}

    def _infos(self) -> dict[str, Any]:
        infos: dict[str, Any] = {}
        for key, value in self._info.items():
            infos[key] = self._out(value)
            infos["_" + key] = self._mask
        return infos


def make_vec(
    scenario: str,
    num_envs: int = 8,
    seed: int | None = None,
    threads: int = 1,
    copy: bool = True,
    **overrides: Any,
) -> SlateVectorEnv:
    """A ``gymnasium.vector.VectorEnv`` of ``num_envs`` environments stepped in one call into
    Rust, on ``threads`` threads (results do not depend on it); see ``SlateVectorEnv``."""
    return SlateVectorEnv(scenario, num_envs, seed, threads, copy, **overrides)
