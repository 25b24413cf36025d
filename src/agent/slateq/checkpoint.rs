//! SlateQ checkpoints: both networks (Adam's moments optional), the learned choice model,
//! the step counters, and the dimensions they fit. The replay buffer is not saved: a loaded
//! agent refills it before training resumes.

use serde::{Deserialize, Serialize};

use super::agent::SlateQ;
use super::choice::AgentChoice;
use super::network::{NetworkState, QNetwork};
use crate::agent::CheckpointError;

const FORMAT: &str = "slatelab-slateq";
const VERSION: u32 = 1;

/// The shape a checkpoint was made for; loading requires an exact match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dims {
    state_dim: usize,
    cand_dim: usize,
    num_candidates: usize,
    slate_size: usize,
    choice: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LearnedChoice {
    w: Vec<f64>,
    null_logit: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Checkpoint {
    format: String,
    version: u32,
    dims: Dims,
    online: NetworkState,
    target: NetworkState,
    learned_choice: Option<LearnedChoice>,
    steps: u64,
    updates: u64,
}

impl Dims {
    /// The fields where `self` (the checkpoint's) and `own` (the agent's) differ, in words.
    fn differences(&self, own: &Self) -> String {
        let mut out = Vec::new();
        for (what, theirs, ours) in [
            ("user state length", self.state_dim, own.state_dim),
            ("candidate feature length", self.cand_dim, own.cand_dim),
            (
                "candidates per step",
                self.num_candidates,
                own.num_candidates,
            ),
            ("slate size", self.slate_size, own.slate_size),
        ] {
            if theirs != ours {
                out.push(format!("{what} {theirs} in the checkpoint, {ours} here"));
            }
        }
        if self.choice != own.choice {
            out.push(format!(
                "choice model `{}` in the checkpoint, `{}` here",
                self.choice, own.choice
            ));
        }
        out.join("; ")
    }
}

impl<N: QNetwork> SlateQ<N> {
    fn dims(&self) -> Dims {
        Dims {
            state_dim: self.layout.state_dim,
            cand_dim: self.layout.cand_dim,
            num_candidates: self.num_candidates,
            slate_size: self.slate_size,
            choice: self.choice.name().into(),
        }
    }

    /// The checkpoint as JSON.
    pub(super) fn checkpoint(&self) -> serde_json::Value {
        let with_adam = self.params.save_optimizer_state;
        let learned_choice = match &self.choice {
            AgentChoice::Learned(l) => Some(LearnedChoice {
                w: l.w.clone(),
                null_logit: l.null_logit,
            }),
            _ => None,
        };
        let c = Checkpoint {
            format: FORMAT.into(),
            version: VERSION,
            dims: self.dims(),
            online: self.online.save(with_adam),
            target: self.target.save(false),
            learned_choice,
            steps: self.steps,
            updates: self.updates,
        };
        serde_json::to_value(c).expect("a checkpoint of plain numbers always serialises")
    }

    /// Restores a checkpoint, all or nothing.
    pub(super) fn restore(&mut self, value: serde_json::Value) -> Result<(), CheckpointError> {
        let format = value
            .get("format")
            .and_then(|f| f.as_str())
            .map(str::to_owned);
        if let Some(f) = format.filter(|f| f != FORMAT) {
            return Err(CheckpointError::Mismatch(format!(
                "a `{f}` checkpoint, not a SlateQ one"
            )));
        }
        let c: Checkpoint =
            serde_json::from_value(value).map_err(|e| CheckpointError::Corrupt(e.to_string()))?;
        if c.version != VERSION {
            return Err(CheckpointError::Mismatch(format!(
                "checkpoint format version {}, this build reads {VERSION}",
                c.version
            )));
        }
        let own = self.dims();
        if c.dims != own {
            return Err(CheckpointError::Mismatch(format!(
                "made for another shape: {}",
                c.dims.differences(&own)
            )));
        }
        self.online.check(&c.online)?;
        self.target.check(&c.target)?;
        if let AgentChoice::Learned(l) = &self.choice {
            let lc = c.learned_choice.as_ref().ok_or_else(|| {
                CheckpointError::Corrupt("the learned choice model is missing".into())
            })?;
            if lc.w.len() != l.w.len()
                || !lc.null_logit.is_finite()
                || lc.w.iter().any(|w| !w.is_finite())
            {
                return Err(CheckpointError::Corrupt("bad learned choice model".into()));
            }
        }
        self.online.load(&c.online)?;
        self.target.load(&c.target)?;
        if let (AgentChoice::Learned(l), Some(lc)) = (&mut self.choice, c.learned_choice) {
            l.w = lc.w;
            l.null_logit = lc.null_logit;
        }
        self.steps = c.steps;
        self.updates = c.updates;
        self.diverged = None;
        Ok(())
    }
}
