"""A random and a hand-written policy on choc-kale, printing the user's satisfaction from `info`.

The hand-written policy mixes in kale: it serves the least sweet item (kale) for the first
70 % of the session, which raises the user's satisfaction, then the sweetest (chocolate),
which cashes it in. It reads the session's clock from the time feature, `user[0]` = t/10 − 0.5.

    python examples/python/choc_kale_policies.py [--episodes 200]
"""

from __future__ import annotations

import argparse

import numpy as np

import slatelab


def random_policy(env, obs):
    """A uniformly random slate (the action space never repeats an index)."""
    return env.action_space.sample()


def kale_then_chocolate(switch_at: float):
    """Kale until `switch_at` of the session has passed, chocolate after."""

    def act(env, obs):
        elapsed = obs["user"][0] + 0.5
        sweetness = obs["doc"][:, 0]
        return np.array([np.argmin(sweetness) if elapsed < switch_at else np.argmax(sweetness)])

    return act


def play(policy, episodes: int, seed: int) -> tuple[float, np.ndarray]:
    """Mean return, and mean satisfaction at each step of the episode."""
    env = slatelab.make("choc-kale", seed=seed)
    env.action_space.seed(seed)
    returns, satisfaction = [], np.zeros(10)
    for e in range(episodes):
        obs, _ = env.reset(seed=seed) if e == 0 else env.reset()
        done = False
        while not done:
            obs, _, terminated, truncated, info = env.step(policy(env, obs))
            satisfaction[info["episode_length"] - 1] += info["satisfaction"]
            done = terminated or truncated
        returns.append(info["episode_return"])
    return float(np.mean(returns)), satisfaction / episodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for name, policy in [("random", random_policy), ("kale-then-chocolate", kale_then_chocolate(0.7))]:
        mean_return, satisfaction = play(policy, args.episodes, args.seed)
        steps = " ".join(f"{s:.2f}" for s in satisfaction)
        print(f"{name:20} mean return {mean_return:7.2f}   satisfaction by step: {steps}")


if __name__ == "__main__":
    main()
