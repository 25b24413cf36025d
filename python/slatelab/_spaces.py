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


def action_space(spec: dict[str, Any]) -> spaces.MultiDiscrete:
    """A slate: K candidate indices, ``MultiDiscrete([N] * K)`` (they must also be distinct)."""
    return spaces.MultiDiscrete(np.full(spec["slate_size"], spec["num_candidates"]), np.int64)
