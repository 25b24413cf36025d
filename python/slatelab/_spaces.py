"""The gymnasium spaces of a scenario's observations and slates."""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from slatelab._native import RESPONSE_FIELDS


def observation_space(spec: dict[str, Any]) -> spaces.Dict:
    """``Dict(user, doc, response[, doc_cluster])`` for a scenario's ``spec()``.

    ``user`` is empty where users are hidden; ``doc`` is N × d; ``response`` has one row per
    slate position with the columns of ``RESPONSE_FIELDS`` (after a reset: placeholders, with
    engagement −1); ``doc_cluster`` (each candidate's cluster) only where documents carry one.
    """
    n, k = spec["num_candidates"], spec["slate_size"]
    parts: dict[str, spaces.Space[Any]] = {
        "user": spaces.Box(-np.inf, np.inf, (spec["user_dim"],), np.float64),
        "doc": spaces.Box(-np.inf, np.inf, (n, spec["doc_dim"]), np.float64),
        "response": spaces.Box(-np.inf, np.inf, (k, len(RESPONSE_FIELDS)), np.float64),
    }
    if spec["num_clusters"] > 0:
        parts["doc_cluster"] = spaces.MultiDiscrete(np.full(n, spec["num_clusters"]), np.int64)
    return spaces.Dict(parts)


class SlateSpace(spaces.MultiDiscrete):
    """Slates of K distinct indices among N candidates: a ``MultiDiscrete([N] * K)`` whose
    ``sample()`` draws without repeats and whose ``contains`` refuses repeats.

    Any leading dimensions batch slates (a vector env's ``(num_envs, K)``); the last axis is
    the slate.
    """

    def __init__(self, num_candidates: int, shape: tuple[int, ...], seed: Any = None):
        super().__init__(np.full(shape, num_candidates, dtype=np.int64), np.int64, seed)
        self.num_candidates = num_candidates

    def sample(self, mask: Any = None, probability: Any = None) -> np.ndarray:
        """A random slate (or batch of slates) without repeated indices."""
        if mask is not None or probability is not None:
            return super().sample(mask=mask, probability=probability)
        keys = self.np_random.random((*self.shape[:-1], self.num_candidates))
        return np.argsort(keys, axis=-1)[..., : self.shape[-1]].astype(np.int64)

    def contains(self, x: Any) -> bool:
        """In range and without a repeated index in any slate."""
        if not super().contains(x):
            return False
        ordered = np.sort(np.asarray(x), axis=-1)
        return not np.any(ordered[..., 1:] == ordered[..., :-1])

    def __repr__(self) -> str:
        return f"SlateSpace(num_candidates={self.num_candidates}, shape={self.shape})"


def action_space(spec: dict[str, Any], num_envs: int | None = None) -> SlateSpace:
    """K distinct candidate indices (per sub-environment when ``num_envs`` is given)."""
    k = spec["slate_size"]
    shape = (k,) if num_envs is None else (num_envs, k)
    return SlateSpace(spec["num_candidates"], shape)
