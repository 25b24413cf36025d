"""A tabular Q-learner on choc-kale that beats `random`.

Actions: serve the sweetest candidate (chocolate) or the least sweet (kale). State: the step
of the session (from the time feature) and the last engagement, binned (after a click it
reveals how satisfied the user is). Q-learning with ε-greedy exploration trains on seed 1's
users; the greedy policy is then compared with random on seed 2's users, which it has not met.

    python examples/python/q_learning_choc_kale.py [--episodes 3000]
"""

from __future__ import annotations

import argparse

import numpy as np

import slatelab

STEPS = 10  # choc-kale's sessions
BINS = np.array([0.0, 2.0, 4.0, 6.0, 8.0])  # last engagement; -1 (no step yet) is bin 0


def state(obs: dict[str, np.ndarray]) -> tuple[int, int]:
    step = min(int(round((obs["user"][0] + 0.5) * STEPS)), STEPS - 1)
    return step, int(np.searchsorted(BINS, obs["response"][0, 1], side="right"))


def slate(obs: dict[str, np.ndarray], action: int) -> np.ndarray:
    sweetness = obs["doc"][:, 0]
    return np.array([np.argmax(sweetness) if action == 0 else np.argmin(sweetness)])


def train(episodes: int, seed: int, rng: np.random.Generator) -> np.ndarray:
    q = np.zeros((STEPS, len(BINS) + 1, 2))
    env = slatelab.make("choc-kale", seed=seed)
    lr, gamma = 0.1, 1.0
    for e in range(episodes):
        epsilon = max(0.05, 1.0 - e / (0.6 * episodes))
        obs, _ = env.reset()
        done = False
        while not done:
            s = state(obs)
            a = int(rng.integers(2)) if rng.random() < epsilon else int(np.argmax(q[s]))
            obs, reward, terminated, truncated, _ = env.step(slate(obs, a))
            done = terminated or truncated
            target = reward + (0.0 if terminated else gamma * q[state(obs)].max())
            q[s][a] += lr * (target - q[s][a])
    return q


def evaluate(policy, episodes: int, seed: int) -> float:
    env = slatelab.make("choc-kale", seed=seed)
    env.action_space.seed(seed)
    returns = []
    for _ in range(episodes):
        obs, _ = env.reset()
        done = False
        while not done:
            obs, _, terminated, truncated, info = env.step(policy(env, obs))
            done = terminated or truncated
        returns.append(info["episode_return"])
    return float(np.mean(returns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=3000)
    parser.add_argument("--eval-episodes", type=int, default=300)
    args = parser.parse_args()
    q = train(args.episodes, seed=1, rng=np.random.default_rng(0))
    greedy = evaluate(lambda env, obs: slate(obs, int(np.argmax(q[state(obs)]))), args.eval_episodes, seed=2)
    random = evaluate(lambda env, obs: env.action_space.sample(), args.eval_episodes, seed=2)
    print(f"choc-kale, {args.eval_episodes} evaluation episodes (seed 2) after {args.episodes} training episodes (seed 1)")
    print(f"  Q-learning (greedy) mean return {greedy:7.2f}")
    print(f"  random              mean return {random:7.2f}")
    if greedy <= random:
        raise SystemExit("the Q-learner did not beat random")


if __name__ == "__main__":
    main()
