//! Which agents the dashboard runs: the default agents, the ones carried over to a new
//! scenario, and the agents a picker offers.

use crate::agent::AgentSpec;
use crate::scenario::Scenario;

use super::app::SessionInfo;

/// The learning agents the default dashboard runs beside `random`, when this build has them.
pub const DEFAULT_LEARNERS: &[&str] = &["linucb", "slateq"];

/// The agents the dashboard opens with when none are named: `random` and the learners of
/// [`DEFAULT_LEARNERS`] that exist and suit the scenario; the scenario's own agents when
/// none does (a dashboard of `random` alone compares nothing).
pub fn default_agents(scenario: &Scenario) -> Vec<AgentSpec> {
    let learners: Vec<AgentSpec> = DEFAULT_LEARNERS
        .iter()
        .filter_map(|name| AgentSpec::from_name(name))
        .map(|spec| with_scenario_params(spec, scenario))
        .filter(|spec| spec.check(scenario.env.spec()).is_ok())
        .collect();
    if learners.is_empty() {
        return scenario.agents.clone();
    }
    let mut agents = vec![with_scenario_params(AgentSpec::Random, scenario)];
    agents.extend(learners);
    agents
}

/// The agents the dashboard opens a scenario with when none are named: the scenario's own
/// when one of them learns (its author chose the comparison); otherwise, as the stock
/// scenarios list only baselines (which the reference lines already show),
/// [`default_agents`].
pub fn dashboard_agents(scenario: &Scenario) -> Vec<AgentSpec> {
    if scenario.agents.iter().any(|spec| spec.info().learns) {
        scenario.agents.clone()
    } else {
        default_agents(scenario)
    }
}

/// The agents a newly loaded scenario starts with: the kinds the dashboard was running that
/// suit it (once each, in lane order), so the comparison carries over; [`dashboard_agents`]
/// when none of them learns there. Each keeps its parameters unless the new scenario lists
/// its own for that kind (tuned for that environment, so they win).
pub fn carried_agents(running: &[AgentSpec], scenario: &Scenario) -> Vec<AgentSpec> {
    let mut carried: Vec<AgentSpec> = Vec::new();
    for spec in running {
        let name = spec.info().name;
        if carried.iter().any(|c| c.info().name == name) {
            continue;
        }
        let own = with_scenario_params(spec.clone(), scenario);
        if own.check(scenario.env.spec()).is_ok() {
            carried.push(own);
        }
    }
    if carried.iter().any(|spec| spec.info().learns) {
        carried
    } else {
        dashboard_agents(scenario)
    }
}

/// The scenario's entry of the same agent kind (its parameters), or `spec` itself.
fn with_scenario_params(spec: AgentSpec, scenario: &Scenario) -> AgentSpec {
    let name = spec.info().name;
    scenario
        .agents
        .iter()
        .chain(&scenario.reference)
        .find(|s| s.info().name == name)
        .cloned()
        .unwrap_or(spec)
}

/// Every agent that works in the scenario's environment, with the scenario's parameters
/// where it lists that kind: what the `a` and `Enter` pickers offer.
pub fn pickable_agents(scenario: &Scenario) -> Vec<AgentSpec> {
    AgentSpec::all_defaults()
        .into_iter()
        .map(|spec| with_scenario_params(spec, scenario))
        .filter(|spec| spec.check(scenario.env.spec()).is_ok())
        .collect()
}

/// The header's view of a scenario run with `seed` and `seeds`.
pub fn session_info(scenario: &Scenario, seed: u64, seeds: Vec<Option<u64>>) -> SessionInfo {
    let spec = scenario.env.spec();
    SessionInfo {
        scenario: scenario.name.clone(),
        kind: spec.kind,
        num_candidates: spec.num_candidates,
        slate_size: spec.slate_size,
        seed,
        seeds,
        agents: pickable_agents(scenario),
        shifts: scenario.env.shifts().to_vec(),
        environment: Some(Box::new(scenario.file.environment.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    #[test]
    fn default_lanes_compare_something() {
        let s = scenario::load("choc-kale").unwrap();
        let agents = default_agents(&s);
        assert!(agents.len() >= 2);
        assert_eq!(agents[0], AgentSpec::Random);
        let learners: Vec<_> = DEFAULT_LEARNERS
            .iter()
            .filter(|n| AgentSpec::from_name(n).is_some())
            .collect();
        if learners.is_empty() {
            assert_eq!(agents, s.agents);
        } else {
            assert_eq!(agents.len(), 1 + learners.len());
        }
    }

    #[test]
    fn a_scenario_opens_with_its_learners_or_the_default_lanes() {
        let iev = scenario::load("interest-evolution").unwrap();
        assert!(
            iev.agents.iter().all(|a| !a.info().learns),
            "stock: baselines only"
        );
        assert_eq!(dashboard_agents(&iev), default_agents(&iev));
        let bandit = scenario::load("linear-bandit").unwrap();
        assert!(bandit.agents.iter().any(|a| a.info().learns));
        assert_eq!(dashboard_agents(&bandit), bandit.agents);
    }

    #[test]
    fn a_new_scenario_keeps_the_agents_that_suit_it() {
        let choc_kale = scenario::load("choc-kale").unwrap();
        let iev = scenario::load("interest-evolution").unwrap();
        let running = [
            AgentSpec::Random,
            AgentSpec::from_name("sweetest").unwrap(),
            AgentSpec::from_name("linucb").unwrap(),
            AgentSpec::from_name("linucb").unwrap(),
        ];
        let names =
            |specs: Vec<AgentSpec>| -> Vec<&str> { specs.iter().map(|s| s.info().name).collect() };
        // sweetest needs LTS documents; the duplicate linucb lane collapses to one kind.
        assert_eq!(names(carried_agents(&running, &iev)), ["random", "linucb"]);
        // Nothing that learns carries over: the new scenario's default lanes instead.
        let baselines = [AgentSpec::Random, AgentSpec::from_name("sweetest").unwrap()];
        assert_eq!(
            carried_agents(&baselines, &iev),
            default_agents(&iev),
            "baselines alone fall back to the defaults"
        );
        let mut bandits = iev.clone();
        bandits.agents = vec![AgentSpec::from_name("lints").unwrap()];
        assert_eq!(
            carried_agents(&baselines, &bandits),
            bandits.agents,
            "or to the new scenario's own learners"
        );
        assert_eq!(
            names(carried_agents(&running, &choc_kale)),
            ["random", "sweetest", "linucb"]
        );
    }

    #[test]
    fn pickers_offer_only_agents_for_the_environment() {
        let lts = scenario::load("choc-kale").unwrap();
        let names: Vec<_> = pickable_agents(&lts)
            .iter()
            .map(|a| a.info().name)
            .collect();
        assert!(names.contains(&"sweetest") && !names.contains(&"oracle-quality"));
        let iev = scenario::load("interest-evolution").unwrap();
        let names: Vec<_> = pickable_agents(&iev)
            .iter()
            .map(|a| a.info().name)
            .collect();
        assert!(!names.contains(&"sweetest") && names.contains(&"oracle-quality"));
    }
}
