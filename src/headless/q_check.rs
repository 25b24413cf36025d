//! `slatelab qcheck`: a trained SlateQ's item values against the true optimal values on
//! Long-Term Satisfaction, where dynamic programming over the hidden NPE knows them.
//!
//! The checkpoint's agent plays greedy episodes on the evaluation users `slatelab run` would
//! draw with the same seed. At every step it reports Q̄(s, c) for each candidate, and the table
//! of `oracle-optimal` (solved with the agent's own discount γ) gives the true
//! Q*_γ(NPE, steps left, c). Decisions are grouped by (steps left, NPE bin): how often the
//! agent serves a sweet item where the optimum does, how far its values are off, and how much
//! return each decision gives up (with the undiscounted table: the session return lost by
//! this decision if every later one were optimal).

use std::path::Path;

use rand::SeedableRng;
use serde::Serialize;

use super::checkpoint;
use crate::agent::oracle_optimal::{OracleOptimalParams, ValueTable};
use crate::agent::slateq::SlateQ;
use crate::agent::{ActContext, Agent, AgentSpec, Mode};
use crate::scenario::Scenario;
use crate::scenario::file::EnvironmentConfig;
use crate::sim::choice::ChoiceModel;
use crate::sim::rng::{EnvRngs, Phase, SimRng};
use crate::sim::{Hidden, Observation};

/// Clickbait scores from this value up count as sweet (chocolate), below as bitter (kale).
const SWEET_FROM: f64 = 0.5;

/// What `qcheck` measures over.
#[derive(Clone, Copy, Debug)]
pub struct QCheckOptions {
    /// Greedy episodes to play.
    pub episodes: u64,
    /// Seed of the evaluation users (the `run --seed` whose evaluation they repeat).
    pub seed: u64,
    /// Width of the NPE bins.
    pub npe_bin: f64,
}

/// Decisions in one (steps left, NPE bin) cell.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QCell {
    /// Steps left in the session, this one included.
    pub steps_left: u32,
    /// The NPE bin's lower edge (the bin is [npe_from, npe_from + npe_bin)); `None` for all
    /// decisions together.
    pub npe_from: Option<f64>,
    /// Decisions taken in the cell.
    pub decisions: u64,
    /// Share of decisions serving a sweet item (clickbait ≥ 0.5).
    pub sweet_served: f64,
    /// Share of decisions where the optimal item is sweet.
    pub sweet_optimal: f64,
    /// Share of decisions serving the optimal item.
    pub agreement: f64,
    /// Mean learned Q̄ of the served item.
    pub learned_q: f64,
    /// Mean true Q*_γ of the served item.
    pub true_q: f64,
    /// Mean learned − true over every candidate.
    pub bias: f64,
    /// Root mean squared learned − true over every candidate.
    pub rmse: f64,
    /// Mean session return the decision gave up against the optimal one.
    pub regret: f64,
    /// The part of `regret` from decisions that served the wrong kind (sweet where the
    /// optimal item is bitter, or bitter where it is sweet); the rest is the wrong item of
    /// the right kind.
    pub regret_wrong_kind: f64,
}

/// The whole comparison.
#[derive(Clone, Debug, Serialize)]
pub struct QCheck {
    /// The checkpoint's lane label.
    pub label: String,
    /// The agent's discount γ (the true values are discounted likewise).
    pub gamma: f64,
    /// Greedy episodes played.
    pub episodes: u64,
    /// Their mean return.
    pub mean_return: f64,
    /// The optimal policy's expected return from the users' initial NPE (mean over episodes).
    pub optimal_return: f64,
    /// Width of the NPE bins.
    pub npe_bin: f64,
    /// Every decision together (`steps_left` 0).
    pub overall: QCell,
    /// Cells by steps left (descending), then NPE.
    pub cells: Vec<QCell>,
}

/// Sums for one cell.
#[derive(Clone, Copy, Debug, Default)]
struct CellSums {
    decisions: u64,
    sweet_served: u64,
    sweet_optimal: u64,
    agree: u64,
    learned_q: f64,
    true_q: f64,
    candidates: u64,
    error: f64,
    squared_error: f64,
    regret: f64,
    regret_wrong_kind: f64,
}

impl CellSums {
    fn add(&mut self, other: &Self) {
        self.decisions += other.decisions;
        self.sweet_served += other.sweet_served;
        self.sweet_optimal += other.sweet_optimal;
        self.agree += other.agree;
        self.learned_q += other.learned_q;
        self.true_q += other.true_q;
        self.candidates += other.candidates;
        self.error += other.error;
        self.squared_error += other.squared_error;
        self.regret += other.regret;
        self.regret_wrong_kind += other.regret_wrong_kind;
    }

    fn summary(&self, steps_left: u32, npe_from: Option<f64>) -> QCell {
        let d = self.decisions.max(1) as f64;
        let c = self.candidates.max(1) as f64;
        QCell {
            steps_left,
            npe_from,
            decisions: self.decisions,
            sweet_served: self.sweet_served as f64 / d,
            sweet_optimal: self.sweet_optimal as f64 / d,
            agreement: self.agree as f64 / d,
            learned_q: self.learned_q / d,
            true_q: self.true_q / d,
            bias: self.error / c,
            rmse: (self.squared_error / c).sqrt(),
            regret: self.regret / d,
            regret_wrong_kind: self.regret_wrong_kind / d,
        }
    }
}

/// One decision: the candidates' clickbait, learned and true values, and the item served.
struct Decision<'a> {
    clickbait: &'a [f64],
    learned: &'a [f64],
    truth: &'a [f64],
    true_undiscounted: &'a [f64],
    served: usize,
}

impl CellSums {
    fn record(&mut self, d: &Decision<'_>) {
        let best = argmax(d.true_undiscounted);
        self.decisions += 1;
        let (sweet_served, sweet_optimal) = (
            d.clickbait[d.served] >= SWEET_FROM,
            d.clickbait[best] >= SWEET_FROM,
        );
        self.sweet_served += u64::from(sweet_served);
        self.sweet_optimal += u64::from(sweet_optimal);
        self.agree += u64::from(d.served == best);
        self.learned_q += d.learned[d.served];
        self.true_q += d.truth[d.served];
        for (l, q) in d.learned.iter().zip(d.truth) {
            self.candidates += 1;
            self.error += l - q;
            self.squared_error += (l - q).powi(2);
        }
        let regret = d.true_undiscounted[best] - d.true_undiscounted[d.served];
        self.regret += regret;
        if sweet_served != sweet_optimal {
            self.regret_wrong_kind += regret;
        }
    }
}

/// Why `qcheck` cannot run (a user error: exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum QCheckError {
    /// The checkpoint is unreadable or does not fit the scenario.
    #[error(transparent)]
    Checkpoint(#[from] checkpoint::LoadError),
    /// The scenario or agent is not one the comparison applies to.
    #[error("{0}")]
    Unsupported(String),
}

/// Plays the checkpoint's SlateQ greedily on `scenario` and compares its values with the
/// optimal ones.
pub fn q_check(
    scenario: &Scenario,
    checkpoint_path: &Path,
    options: QCheckOptions,
) -> Result<QCheck, QCheckError> {
    let model = planning_model(scenario)?;
    let spec = scenario.env.spec();
    let (mut agent, label) = load_agent(scenario, checkpoint_path)?;
    let gamma = agent.params().gamma;

    let horizon = model.time_budget;
    let discounted = ValueTable::discounted(&model, spec.num_candidates, horizon, gamma);
    let undiscounted = ValueTable::new(&model, spec.num_candidates, horizon);
    let bins = Bins::new(&undiscounted, options.npe_bin);
    let mut sums = vec![CellSums::default(); bins.count * horizon as usize];

    let mut env = scenario.env.build(options.seed);
    let (mut obs, mut next) = (Observation::new(spec), Observation::new(spec));
    let (mut slate, mut clickbait, mut learned, mut truth, mut true_undiscounted) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut total_return, mut optimal_return) = (0.0, 0.0);
    for episode in 0..options.episodes {
        // The evaluation users `slatelab run --seed` draws; SlateQ's greedy acts use no draws.
        let mut rngs = EnvRngs::for_episode(options.seed, Phase::Eval, episode);
        let mut act_rng = SimRng::seed_from_u64(episode);
        env.reset(&mut rngs, &mut obs);
        if let Hidden::LongTermSatisfaction {
            npe, steps_left, ..
        } = env.hidden()
        {
            optimal_return += undiscounted.value(steps_left, npe);
        }
        loop {
            let Hidden::LongTermSatisfaction {
                npe, steps_left, ..
            } = env.hidden()
            else {
                unreachable!("checked: a long-term-satisfaction scenario")
            };
            slate.clear();
            let ctx = ActContext {
                obs: &obs,
                spec,
                oracle: None,
            };
            agent.act(&ctx, &mut act_rng, &mut slate);
            agent.acted_item_values(&obs, &mut learned);
            clickbait.clear();
            clickbait.extend(obs.docs.column(0).iter().copied());
            let t = steps_left.max(1);
            truth.clear();
            truth.extend(
                clickbait
                    .iter()
                    .map(|&c| discounted.action_value(npe, c, t)),
            );
            true_undiscounted.clear();
            true_undiscounted.extend(
                clickbait
                    .iter()
                    .map(|&c| undiscounted.action_value(npe, c, t)),
            );
            sums[bins.cell(t, npe)].record(&Decision {
                clickbait: &clickbait,
                learned: &learned,
                truth: &truth,
                true_undiscounted: &true_undiscounted,
                served: slate[0],
            });
            let outcome = env.step(&slate, &mut rngs, &mut next);
            total_return += outcome.reward;
            std::mem::swap(&mut obs, &mut next);
            if outcome.done || outcome.truncated {
                break;
            }
        }
    }

    let (overall, cells) = summarise(&sums, &bins, horizon);
    let n = options.episodes.max(1) as f64;
    Ok(QCheck {
        label,
        gamma,
        episodes: options.episodes,
        mean_return: total_return / n,
        optimal_return: optimal_return / n,
        npe_bin: options.npe_bin,
        overall,
        cells,
    })
}

/// The user model the dynamic programme plans with: `scenario`'s, if it is one it can solve.
fn planning_model(scenario: &Scenario) -> Result<OracleOptimalParams, QCheckError> {
    let unsupported = |m: String| QCheckError::Unsupported(m);
    let EnvironmentConfig::LongTermSatisfaction(config) = &scenario.file.environment else {
        return Err(unsupported(format!(
            "qcheck needs a long-term-satisfaction scenario (the true values come from \
             dynamic programming over its hidden NPE); `{}` is {}",
            scenario.name,
            scenario.kind().name()
        )));
    };
    let spec = scenario.env.spec();
    if spec.choice.model != ChoiceModel::Slot0 || spec.slate_size != 1 {
        return Err(unsupported(
            "qcheck compares item values where one item is served and consumed (slate_size 1, \
             choice Slot0), as in choc-kale"
                .into(),
        ));
    }
    OracleOptimalParams::for_scenario(config).map_err(unsupported)
}

/// The SlateQ agent a checkpoint holds, ready to act greedily, and its lane label.
fn load_agent(scenario: &Scenario, path: &Path) -> Result<(SlateQ, String), QCheckError> {
    let file = checkpoint::read(path, scenario)?;
    let AgentSpec::SlateQ(params) = &file.agent else {
        return Err(QCheckError::Unsupported(format!(
            "{}: holds a `{}` agent; qcheck reads SlateQ's item values",
            path.display(),
            file.agent.info().name
        )));
    };
    let mut agent = SlateQ::new(
        params.clone(),
        scenario.env.spec(),
        &mut SimRng::seed_from_u64(0),
    );
    agent.load_state(file.state).map_err(|e| {
        QCheckError::Unsupported(format!("{}: the agent's saved state: {e}", path.display()))
    })?;
    agent.set_mode(Mode::Eval);
    Ok((agent, file.label))
}

/// Every decision together, and the visited cells by steps left (descending), then NPE.
fn summarise(sums: &[CellSums], bins: &Bins, horizon: u32) -> (QCell, Vec<QCell>) {
    let mut overall = CellSums::default();
    let mut cells = Vec::new();
    for t in (1..=horizon).rev() {
        for b in 0..bins.count {
            let s = &sums[bins.index(t, b)];
            overall.add(s);
            if s.decisions > 0 {
                cells.push(s.summary(t, Some(bins.from(b))));
            }
        }
    }
    (overall.summary(0, None), cells)
}

/// NPE bins over the range the value table covers.
struct Bins {
    lo: f64,
    width: f64,
    count: usize,
}

impl Bins {
    fn new(table: &ValueTable, width: f64) -> Self {
        let (lo, hi) = table.npe_range();
        let lo = (lo / width).floor() * width;
        let count = (((hi - lo) / width).ceil() as usize).max(1);
        Self { lo, width, count }
    }

    fn bin(&self, npe: f64) -> usize {
        (((npe - self.lo) / self.width).floor().max(0.0) as usize).min(self.count - 1)
    }

    fn index(&self, steps_left: u32, bin: usize) -> usize {
        (steps_left as usize - 1) * self.count + bin
    }

    fn cell(&self, steps_left: u32, npe: f64) -> usize {
        self.index(steps_left, self.bin(npe))
    }

    fn from(&self, bin: usize) -> f64 {
        self.lo + bin as f64 * self.width
    }
}

fn argmax(values: &[f64]) -> usize {
    values
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

/// The comparison as a text table, one row per visited cell.
pub fn render_table(check: &QCheck) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let o = &check.overall;
    let _ = writeln!(
        out,
        "{}: γ = {}, {} greedy episodes, mean return {:.2} (optimal {:.2})",
        check.label, check.gamma, check.episodes, check.mean_return, check.optimal_return
    );
    let _ = writeln!(
        out,
        "all decisions: {} · agreement with the optimum {:.1} % · sweet served {:.1} % (optimal {:.1} %) · \
         bias {:+.2} · rmse {:.2} · regret {:.3} per decision ({:.3} from serving the wrong kind)",
        o.decisions,
        100.0 * o.agreement,
        100.0 * o.sweet_served,
        100.0 * o.sweet_optimal,
        o.bias,
        o.rmse,
        o.regret,
        o.regret_wrong_kind
    );
    let _ = writeln!(
        out,
        "{:>5} {:>13} {:>9} {:>7} {:>7} {:>6} {:>9} {:>9} {:>8} {:>7} {:>7}",
        "left",
        "NPE",
        "decisions",
        "sweet%",
        "opt%",
        "agree%",
        "Q learned",
        "Q true",
        "bias",
        "rmse",
        "regret"
    );
    for c in &check.cells {
        let from = c.npe_from.unwrap_or(f64::NAN);
        let _ = writeln!(
            out,
            "{:>5} {:>13} {:>9} {:>7.1} {:>7.1} {:>6.1} {:>9.2} {:>9.2} {:>+8.2} {:>7.2} {:>7.3}",
            c.steps_left,
            format!("[{from:.2}, {:.2})", from + check.npe_bin),
            c.decisions,
            100.0 * c.sweet_served,
            100.0 * c.sweet_optimal,
            100.0 * c.agreement,
            c.learned_q,
            c.true_q,
            c.bias,
            c.rmse,
            c.regret
        );
    }
    out
}
