//! The sub-environments of a `VecEnv` and how one call moves them all.

use rayon::prelude::*;

use crate::episode::{Episodes, StepReport};
use crate::observation::{self, ObsRows};

/// One sub-environment and where it is in its sequence of episodes.
pub struct Sub {
    /// The environment.
    pub episodes: Episodes,
    /// The episode its next reset starts.
    pub next_episode: u64,
    /// How far apart its episodes are in the seed's stream.
    pub stride: u64,
    /// Its episode ended: the next step starts the next one and ignores the action.
    pub needs_reset: bool,
}

impl Sub {
    /// Moves one step: into its next episode if the last one ended (gymnasium's next-step
    /// autoreset), else by serving `slate`. Writes the observation into `rows`.
    fn advance(&mut self, slate: &[usize], rows: ObsRows<'_>) -> StepReport {
        let report = if self.needs_reset {
            self.episodes.start(self.next_episode);
            self.next_episode += self.stride;
            self.needs_reset = false;
            self.episodes.started()
        } else {
            let report = self.episodes.step(slate);
            self.needs_reset = report.terminated || report.truncated;
            report
        };
        observation::write(self.episodes.observation(), rows);
        report
    }
}

/// The observation buffers of a whole batch, each `num_envs` rows.
pub struct ObsBuffers<'a> {
    /// User features.
    pub user: &'a mut [f64],
    /// Document features.
    pub doc: &'a mut [f64],
    /// Responses.
    pub response: &'a mut [f64],
    /// Cluster ids (zero-width where documents carry none).
    pub cluster: &'a mut [i64],
}

/// Moves every sub-environment one step (`slates` holds K indices per sub-environment),
/// on `pool` when given; `reports[i]` receives sub-environment `i`'s step.
pub fn advance_all(
    subs: &mut [Sub],
    slates: &[usize],
    out: ObsBuffers<'_>,
    reports: &mut [StepReport],
    pool: Option<&rayon::ThreadPool>,
) {
    let n = subs.len();
    let k = slates.len() / n;
    let rows: Vec<ObsRows<'_>> = rows(out.user, n)
        .zip(rows(out.doc, n))
        .zip(rows(out.response, n))
        .zip(rows(out.cluster, n))
        .map(|(((user, doc), response), cluster)| ObsRows {
            user,
            doc,
            response,
            cluster,
        })
        .collect();
    match pool {
        None => {
            for (((sub, slate), rows), report) in
                subs.iter_mut().zip(slates.chunks(k)).zip(rows).zip(reports)
            {
                *report = sub.advance(slate, rows);
            }
        }
        Some(pool) => pool.install(|| {
            subs.par_iter_mut()
                .zip(slates.par_chunks(k))
                .zip(rows)
                .zip(reports)
                .for_each(|(((sub, slate), rows), report)| *report = sub.advance(slate, rows));
        }),
    }
}

/// `data` cut into `n` equal rows (empty rows when `data` is empty).
fn rows<T>(data: &mut [T], n: usize) -> Box<dyn Iterator<Item = &mut [T]> + '_> {
    if data.is_empty() {
        Box::new((0..n).map(|_| <&mut [T]>::default()))
    } else {
        let width = data.len() / n;
        Box::new(data.chunks_mut(width))
    }
}
