"""LinUCB in numpy against slatelab's built-in `linucb`, on the same users.

Both rank candidates by xᵀθ̂ + α·√(xᵀA⁻¹x) with x = (1, document features), A = λI + Σ xxᵀ,
b = Σ x·reward, learning from slot 0's item (the linear-bandit scenario's users consume slot 0).
The built-in runs through `slatelab.run` (the engine, as `slatelab run`), the numpy one
through `slatelab.make` with the same seed: episode e meets the same user and candidates in
both, so their per-episode returns can be compared pair by pair.

    python examples/python/linucb_numpy.py [--episodes 30]
"""

from __future__ import annotations

import argparse

import numpy as np

import slatelab


class LinUcb:
    """One ridge model shared by all candidates; A⁻¹ kept by Sherman–Morrison updates."""

    def __init__(self, dim: int, alpha: float = 1.0, lam: float = 1.0):
        self.alpha = alpha
        self.a_inv = np.eye(dim) / lam
        self.b = np.zeros(dim)

    @staticmethod
    def features(doc: np.ndarray) -> np.ndarray:
        return np.hstack([np.ones((doc.shape[0], 1)), doc])

    def act(self, obs: dict[str, np.ndarray], k: int) -> np.ndarray:
        x = self.features(obs["doc"])
        theta = self.a_inv @ self.b
        width = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", x, self.a_inv, x), 0.0))
        scores = x @ theta + self.alpha * width
        return np.argsort(-scores, kind="stable")[:k]  # ties to the lower index, as slatelab

    def learn(self, x: np.ndarray, reward: float) -> None:
        ax = self.a_inv @ x
        self.a_inv -= np.outer(ax, ax) / (1.0 + x @ ax)
        self.b += reward * x


def numpy_returns(scenario: str, episodes: int, seed: int) -> list[float]:
    env = slatelab.make(scenario)
    k = env.spec_info["slate_size"]
    agent = LinUcb(1 + env.spec_info["doc_dim"])
    returns = []
    for e in range(episodes):
        obs, _ = env.reset(seed=seed) if e == 0 else env.reset()
        done = False
        while not done:
            slate = agent.act(obs, k)
            x = LinUcb.features(obs["doc"])[slate[0]]
            obs, reward, terminated, truncated, info = env.step(slate)
            agent.learn(x, reward)
            done = terminated or truncated
        returns.append(info["episode_return"])
    return returns


def builtin_returns(scenario: str, episodes: int, seed: int) -> list[float]:
    report = slatelab.run(scenario, ["LinUcb(alpha: 1.0, lambda: 1.0)"], episodes=episodes, seed=seed, curve_block=1)
    return [point["mean_return"] for point in report["agents"][0]["curve"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="linear-bandit")
    parser.add_argument("--episodes", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ours = np.array(numpy_returns(args.scenario, args.episodes, args.seed))
    theirs = np.array(builtin_returns(args.scenario, args.episodes, args.seed))
    random = slatelab.run(args.scenario, ["random"], episodes=args.episodes, seed=args.seed)
    gap = np.abs(ours - theirs)
    print(f"{args.scenario}, seed {args.seed}, {args.episodes} episodes on the same users")
    print(f"  numpy LinUCB    mean return {ours.mean():9.4f}")
    print(f"  built-in linucb mean return {theirs.mean():9.4f}")
    print(f"  random          mean return {random['agents'][0]['mean_return']:9.4f}")
    print(f"  per-episode |difference|: max {gap.max():.3g}, mean {gap.mean():.3g}; "
          f"identical episodes: {int((gap == 0).sum())} of {len(gap)}")


if __name__ == "__main__":
    main()
