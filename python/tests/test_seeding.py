"""Seeding: gymnasium's rules, and the CLI's users episode for episode (common random numbers
across languages): a Python `sweetest` reproduces `slatelab run -a sweetest` exactly."""

import numpy as np
import pytest

import slatelab
from conftest import run_cli, sweetest

EPISODES = 40


def python_returns(env, seed, episodes, policy=sweetest):
    k = env.spec_info["slate_size"]
    returns = []
    obs, _ = env.reset(seed=seed)
    for e in range(episodes):
        if e > 0:
            obs, _ = env.reset()
        terminated = truncated = False
        while not (terminated or truncated):
            obs, _, terminated, truncated, info = env.step(policy(obs, k))
        returns.append(info["episode_return"])
    return returns


def cli_returns(cli, scenario, seed, episodes, agent="sweetest"):
    report = run_cli(
        cli, "-s", scenario, "-a", agent, "-e", str(episodes), "--seed", str(seed),
        "--curve-block", "1",
    )
    return [point["mean_return"] for point in report["agents"][0]["curve"]]


@pytest.mark.parametrize("scenario, seed", [("choc-kale", 1), ("choc-kale", 7), ("long-term-satisfaction", 3)])
def test_sweetest_reproduces_the_cli_episode_by_episode(cli, scenario, seed):
    env = slatelab.make(scenario)
    assert python_returns(env, seed, EPISODES) == cli_returns(cli, scenario, seed, EPISODES)


def test_least_sweet_too(cli):
    env = slatelab.make("choc-kale")
    least_sweet = lambda obs, k: np.argsort(obs["doc"][:, 0], kind="stable")[:k]  # noqa: E731
    assert python_returns(env, 2, 20, least_sweet) == cli_returns(cli, "choc-kale", 2, 20, "least-sweet")


def test_make_seed_and_the_scenario_seed_are_the_defaults(cli):
    # choc-kale's file says seed: 1; make(seed=...) replaces it, as --seed does.
    assert slatelab.make("choc-kale").seed_in_use == 1
    assert slatelab.make("choc-kale", seed=9).seed_in_use == 9
    env = slatelab.make("choc-kale", seed=9)
    obs, _ = env.reset()
    again, _ = slatelab.make("choc-kale").reset(seed=9)
    assert np.array_equal(obs["doc"], again["doc"])


def test_same_seed_same_episode_and_episodes_go_on_without_one():
    env = slatelab.make("interest-evolution")
    first, info = env.reset(seed=11)
    assert info["episode"] == 0
    second, info = env.reset()
    assert info["episode"] == 1
    assert not np.array_equal(first["doc"], second["doc"])
    again, info = env.reset(seed=11)
    assert info["episode"] == 0
    assert np.array_equal(first["doc"], again["doc"]) and np.array_equal(first["user"], again["user"])


def test_different_seeds_meet_different_users():
    a, _ = slatelab.make("interest-evolution").reset(seed=1)
    b, _ = slatelab.make("interest-evolution").reset(seed=2)
    assert not np.array_equal(a["doc"], b["doc"])


def test_a_scheduled_shift_changes_the_population_at_the_same_episode_as_the_cli(cli):
    # audience-shift: mixed-population going from 30 % to 70 % clickbait-sensitive users at
    # episode 2,000. Episodes around the shift meet the CLI's users, drawn from the new shares.
    env = slatelab.make("audience-shift")
    episodes = 2040
    python = python_returns(env, 3, episodes)
    cli_side = cli_returns(cli, "audience-shift", 3, episodes)
    assert python == cli_side
    # Without the schedule (the scenario's base population) the late episodes would differ.
    base = python_returns(slatelab.make("mixed-population"), 3, episodes)
    assert base[:2000] == python[:2000]
    assert base[2000:] != python[2000:]
