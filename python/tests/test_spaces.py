"""Spaces follow gymnasium's conventions, and every observation lies in its space."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import slatelab

BUILTINS = slatelab.builtin_scenarios()


def test_every_builtin_is_listed_and_registered():
    assert "choc-kale" in BUILTINS and "interest-evolution" in BUILTINS
    for name in BUILTINS:
        assert slatelab.env_id(name) in gym.registry


@pytest.mark.parametrize("name", BUILTINS)
def test_check_env_passes(name):
    check_env(slatelab.make(name), skip_render_check=True)


@pytest.mark.parametrize("name", BUILTINS)
def test_gymnasium_make_by_id(name):
    env = gym.make(slatelab.env_id(name))
    obs, _ = env.reset(seed=5)
    assert obs in env.observation_space


def test_gymnasium_make_with_module_prefix():
    env = gym.make("slatelab:slatelab/choc-kale-v0")
    assert env.unwrapped.spec_info["scenario"] == "choc-kale"


def test_choc_kale_shapes():
    env = slatelab.make("choc-kale")
    spec = env.spec_info
    assert (spec["num_candidates"], spec["slate_size"]) == (20, 1)
    assert env.action_space == gym.spaces.MultiDiscrete([20])
    assert isinstance(env.action_space, slatelab.SlateSpace)
    obs, info = env.reset(seed=1)
    assert obs["doc"].shape == (20, spec["doc_dim"])
    assert obs["user"].shape == (spec["user_dim"],)
    assert obs["response"].shape == (1, len(slatelab.RESPONSE_FIELDS))
    assert obs["response"][0, 1] == -1.0  # the reset placeholder's engagement
    assert "doc_cluster" not in obs
    assert info == {"episode": 0, "segment": 0}


def test_interest_evolution_shapes_and_clusters():
    env = slatelab.make("interest-evolution")
    assert env.action_space == gym.spaces.MultiDiscrete([10, 10])
    obs, _ = env.reset(seed=1)
    assert obs["doc"].shape == (10, env.spec_info["doc_dim"])
    assert obs["response"].shape == (2, 4)
    if env.spec_info["num_clusters"] > 0:
        assert obs["doc_cluster"].shape == (10,)
        assert obs in env.observation_space


@pytest.mark.parametrize("name", BUILTINS)
def test_steps_stay_in_space_and_info_has_the_dashboard_figures(name):
    env = slatelab.make(name)
    obs, _ = env.reset(seed=3)
    rng = np.random.default_rng(0)
    n, k = env.spec_info["num_candidates"], env.spec_info["slate_size"]
    total = 0.0
    for _ in range(30):
        obs, reward, terminated, truncated, info = env.step(rng.choice(n, k, replace=False))
        total += reward
        assert obs in env.observation_space
        for key in ("clicked", "engagement", "satisfaction", "episode_return", "episode_clicks"):
            assert key in info
        assert info["episode_return"] == pytest.approx(total)
        assert -1 <= info["clicked"] < k
        if terminated or truncated:
            obs, _ = env.reset()
            total = 0.0


def test_returned_arrays_are_fresh():
    env = slatelab.make("choc-kale")
    first, _ = env.reset(seed=1)
    kept = first["doc"].copy()
    env.step([0])
    assert np.array_equal(first["doc"], kept)


def test_overrides_change_the_environment():
    env = slatelab.make("choc-kale", num_candidates=6, slate_size=2)
    assert env.action_space == gym.spaces.MultiDiscrete([6, 6])
    obs, _ = env.reset(seed=1)
    assert obs["doc"].shape[0] == 6


def test_slate_space_samples_and_contains_only_distinct_slates():
    space = slatelab.make("interest-evolution").action_space
    space.seed(0)
    assert isinstance(space, gym.spaces.MultiDiscrete)
    for _ in range(200):
        slate = space.sample()
        assert slate.shape == (2,) and slate[0] != slate[1] and slate in space
    assert np.array([3, 3]) not in space
    assert np.array([3, 10]) not in space
    batched = slatelab.make_vec("interest-evolution", num_envs=5).action_space
    slates = batched.sample()
    assert slates.shape == (5, 2) and (slates[:, 0] != slates[:, 1]).all() and slates in batched
