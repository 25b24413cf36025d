"""Registration of the built-in scenarios with gymnasium (``slatelab/<name>-v0``)."""

from __future__ import annotations

import gymnasium as gym

from slatelab._native import builtin_scenarios


def env_id(scenario: str) -> str:
    """The gymnasium id of a built-in scenario, e.g. ``slatelab/choc-kale-v0``."""
    return f"slatelab/{scenario}-v0"


def register_envs() -> None:
    """Registers every built-in scenario (the package's ``gymnasium.envs`` entry point)."""
    for name in builtin_scenarios():
        if env_id(name) not in gym.registry:
            gym.register(
                id=env_id(name),
                entry_point="slatelab._env:SlateEnv",
                kwargs={"scenario": name},
            )
