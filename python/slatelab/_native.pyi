"""Type stubs for ``slatelab._native``, the Rust half of the package."""

from typing import Any

import numpy as np

#: The columns of an observation's ``response`` array.
RESPONSE_FIELDS: list[str]
#: The version of the slatelab crate the module was built from.
SLATELAB_VERSION: str

class ScenarioError(ValueError):
    """A scenario that cannot be loaded: the message is ``file:line:col: field: message``."""

def builtin_scenarios() -> list[str]:
    """Names of the built-in scenarios, in ``slatelab scenarios`` order."""

class Env:
    """One environment of a scenario, playing the episodes of ``slatelab run --seed SEED``."""

    def __init__(
        self, scenario: str, seed: int | None = None, overrides_json: str | None = None
    ) -> None: ...
    @property
    def seed(self) -> int:
        """The seed whose episodes are played."""
    def spec(self) -> dict[str, Any]:
        """The observation shape and the scenario's facts."""
    def reset(self, seed: int | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Episode 0 of ``seed`` when given, else the next episode: ``(observation, info)``."""
    def step(
        self, action: Any
    ) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        """Serves a slate: ``(observation, reward, terminated, truncated, info)``."""

class VecEnv:
    """A batch of environments with next-step autoreset, writing into arrays it owns."""

    def __init__(
        self,
        scenario: str,
        num_envs: int,
        seed: int | None = None,
        overrides_json: str | None = None,
        threads: int = 1,
    ) -> None: ...
    def spec(self) -> dict[str, Any]:
        """The observation shape and the scenario's facts."""
    def buffers(self) -> dict[str, np.ndarray]:
        """The arrays every call writes (the same objects each time)."""
    def reset(self, seed: int | None = None, seeds: list[int] | None = None) -> None:
        """Starts an episode in every sub-environment."""
    def step(self, actions: np.ndarray) -> None:
        """Serves one slate per sub-environment (an int64 array, num_envs × K)."""

def run(
    scenario: str,
    agents: list[str] | None = None,
    episodes: int | None = None,
    steps: int | None = None,
    seed: int | None = None,
    eval_episodes: int = 0,
    threads: int | None = None,
    curve_block: int | None = None,
    paired_all: bool = False,
    overrides_json: str | None = None,
) -> str:
    """Runs the engine and returns the report as ``slatelab run``'s JSON text."""

def sweep(path: str, out: str, threads: int = 1, shard: str | None = None) -> str:
    """Runs a sweep file's cells into ``out`` and returns the manifest's JSON text."""

def merge(inputs: list[str], against: str = "random") -> str:
    """Merges the reports in ``inputs`` and returns ``slatelab merge``'s JSON text."""
