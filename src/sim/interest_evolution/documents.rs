//! Videos: RecSim's `UtilityModelVideoSampler` (reference §2.1) and the candidate set.

use rand::RngExt;
use rand_distr::StandardNormal;

use crate::sim::Observation;
use crate::sim::rng::SimRng;

/// The validated document model: a topic per video, quality N(μ_topic, std), fixed length.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct DocumentModel {
    /// μ_c, mean quality of each topic.
    pub quality_means: Vec<f64>,
    /// Standard deviation of quality around its topic mean.
    pub quality_stddev: f64,
    /// ℓ, the length of every video.
    pub video_length: f64,
    /// Cumulative topic probabilities ending at 1; `None` draws topics uniformly.
    topic_cdf: Option<Vec<f64>>,
    /// The last topic with positive weight, taken when rounding leaves a draw past the cdf.
    last_topic: usize,
}

impl DocumentModel {
    /// A model over `quality_means.len()` topics; `topic_weights` must be ≥ 0 with a positive sum.
    pub fn new(
        quality_means: Vec<f64>,
        quality_stddev: f64,
        video_length: f64,
        topic_weights: Option<&[f64]>,
    ) -> Self {
        let num_topics = quality_means.len();
        let (topic_cdf, last_topic) = match topic_weights {
            Some(w) => {
                let total: f64 = w.iter().sum();
                let mut acc = 0.0;
                let cdf = w
                    .iter()
                    .map(|x| {
                        acc += x / total;
                        acc
                    })
                    .collect();
                (Some(cdf), w.iter().rposition(|&x| x > 0.0).unwrap_or(0))
            }
            None => (None, num_topics - 1),
        };
        Self {
            quality_means,
            quality_stddev,
            video_length,
            topic_cdf,
            last_topic,
        }
    }

    /// T, the number of topics.
    pub fn num_topics(&self) -> usize {
        self.quality_means.len()
    }

    /// Draws a topic: one RNG call, as RecSim's uniform cluster draw.
    fn sample_topic(&self, rng: &mut SimRng) -> usize {
        match &self.topic_cdf {
            None => rng.random_range(0..self.num_topics()),
            Some(cdf) => {
                let u: f64 = rng.random();
                cdf.iter().position(|&c| u < c).unwrap_or(self.last_topic)
            }
        }
    }

    /// Replaces every candidate with a fresh draw: topic first, then quality (RecSim's order).
    pub fn resample(&self, rng: &mut SimRng, candidates: &mut Candidates) {
        for (topic, quality) in candidates.topics.iter_mut().zip(&mut candidates.quality) {
            let c = self.sample_topic(rng);
            let z: f64 = rng.sample(StandardNormal);
            *topic = c as u32;
            *quality = self.quality_means[c] + self.quality_stddev * z;
        }
    }
}

/// The current candidate videos: their topics (observed) and qualities (hidden).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Candidates {
    /// Topic (cluster) of each candidate.
    pub topics: Vec<u32>,
    /// Hidden quality of each candidate.
    pub quality: Vec<f64>,
}

impl Candidates {
    /// `n` placeholder candidates (topic 0, quality 0) until the first draw.
    pub fn new(n: usize) -> Self {
        Self {
            topics: vec![0; n],
            quality: vec![0.0; n],
        }
    }

    /// Writes each candidate's raw choice score u · e_c = u_c into `out`.
    pub fn score(&self, interests: &[f64], out: &mut [f64]) {
        for (s, &c) in out.iter_mut().zip(&self.topics) {
            *s = interests[c as usize];
        }
    }

    /// Writes the one-hot topic features and the cluster ids into `obs`.
    pub fn write(&self, obs: &mut Observation) {
        // The engine alternates observation buffers, so the old one-hot entries of this
        // buffer are unknown here: clear the whole matrix (N × T writes, cheap).
        match obs.docs.as_slice_mut() {
            // A plain slice fill compiles to a memset; ndarray's generic fill does not.
            Some(flat) => flat.fill(0.0),
            None => obs.docs.fill(0.0),
        }
        for (i, &c) in self.topics.iter().enumerate() {
            obs.docs[[i, c as usize]] = 1.0;
        }
        obs.doc_clusters.copy_from_slice(&self.topics);
    }
}
