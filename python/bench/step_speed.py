"""Steps per second of a Python loop over `env.step`, slatelab against RecSim 0.2.4.

Both environments are Interest Evolution with N = 10 candidates and K = 2, documents
resampled every step, served pre-drawn random slates in the same loop (resetting when an
episode ends), in one process. Then slatelab's vector env at `num_envs` 256 on one thread.

RecSim is measured only when it can be imported: install it in a virtual environment of its
own (outside the repository), beside slatelab's wheel, as docs/performance.md says:

    python3 -m venv /tmp/recsim-venv
    /tmp/recsim-venv/bin/pip install "numpy<2" scipy gym==0.26.2 absl-py gin-config six gymnasium
    /tmp/recsim-venv/bin/pip install --no-deps recsim==0.2.4 target/wheels/slatelab-*.whl
    /tmp/recsim-venv/bin/python python/bench/step_speed.py

RecSim's environments need neither TensorFlow nor Dopamine: `gin.tf` and the simulator's
`runner_lib` (the training loop) are replaced by empty modules before it is imported.
"""

from __future__ import annotations

import argparse
import sys
import time
import types

import numpy as np

import slatelab


def slates(count: int, n: int = 10, k: int = 2, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.choice(n, k, replace=False) for _ in range(count)]


class Clock:
    """Wall-clock and CPU seconds (this process's threads) since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def rates(self, count: int) -> tuple[float, float]:
        """`count` per wall-clock second and per CPU second."""
        return count / (time.perf_counter() - self.wall), count / (time.process_time() - self.cpu)


def best_of(repeats: int, measure) -> tuple[float, float]:
    """The best of `repeats` (wall, CPU) rates: the least disturbed by other work."""
    runs = [measure() for _ in range(repeats)]
    return max(r[0] for r in runs), max(r[1] for r in runs)


def slatelab_rate(steps: int, pre: list[np.ndarray]) -> float:
    env = slatelab.make("interest-evolution", seed=1)
    env.reset(seed=1)
    count = len(pre)
    clock = Clock()
    for i in range(steps):
        _, _, terminated, truncated, _ = env.step(pre[i % count])
        if terminated or truncated:
            env.reset()
    return clock.rates(steps)


def import_recsim():
    """RecSim's Interest Evolution module, or None when RecSim is not installed."""
    for name in ("gin.tf", "recsim.simulator.runner_lib"):
        sys.modules.setdefault(name, types.ModuleType(name))
    try:
        import gin

        gin.tf = sys.modules["gin.tf"]
        from recsim.environments import interest_evolution
    except ImportError:
        return None
    return interest_evolution


def recsim_rate(module, steps: int, pre: list[np.ndarray]) -> float:
    config = {"num_candidates": 10, "slate_size": 2, "resample_documents": True, "seed": 1}
    env = module.create_environment(config)
    env.reset()
    count = len(pre)
    clock = Clock()
    for i in range(steps):
        _, _, done, _ = env.step(pre[i % count])
        if done:
            env.reset()
    return clock.rates(steps)


def vector_rate(num_envs: int, calls: int, threads: int) -> float:
    vec = slatelab.make_vec("interest-evolution", num_envs=num_envs, seed=1, threads=threads, copy=False)
    vec.reset(seed=1)
    rng = np.random.default_rng(0)
    pre = [np.argsort(rng.random((num_envs, 10)), axis=1)[:, :2] for _ in range(64)]
    clock = Clock()
    for i in range(calls):
        vec.step(pre[i % 64])
    return clock.rates(num_envs * calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200_000, help="slatelab env.step calls")
    parser.add_argument("--recsim-steps", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--num-envs", type=int, default=256)
    parser.add_argument("--vector-calls", type=int, default=2_000)
    args = parser.parse_args()
    pre = slates(1000)
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, slatelab {slatelab.__version__}")
    print("rates: best of", args.repeats, "runs, per wall-clock second / per CPU second")
    ours = best_of(args.repeats, lambda: slatelab_rate(args.steps, pre))
    print(f"slatelab env.step: {ours[0]:10,.0f} / {ours[1]:10,.0f} steps/s ({1e6 / ours[1]:.2f} µs CPU per step)")
    module = import_recsim()
    if module is None:
        print("RecSim not installed: skipped")
    else:
        theirs = best_of(args.repeats, lambda: recsim_rate(module, args.recsim_steps, pre))
        print(f"RecSim 0.2.4 step: {theirs[0]:10,.0f} / {theirs[1]:10,.0f} steps/s ({1e6 / theirs[1]:.1f} µs CPU per step)")
        print(f"slatelab / RecSim: {ours[0] / theirs[0]:.0f}x wall-clock, {ours[1] / theirs[1]:.0f}x CPU")
    for threads in (1, 2):
        rate = best_of(args.repeats, lambda: vector_rate(args.num_envs, args.vector_calls, threads))
        print(f"slatelab vector env, num_envs {args.num_envs}, {threads} thread(s): {rate[0]:12,.0f} env steps/s wall-clock, {rate[1]:12,.0f} per CPU second")


if __name__ == "__main__":
    main()
