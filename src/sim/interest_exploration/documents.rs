//! Candidate documents of Interest Exploration: a topic and an observable quality each.

use rand::RngExt;
use rand_distr::StandardNormal;

use super::params::IexDocuments;
use crate::sim::rng::SimRng;

/// Draws an index with probability `probs[i]` (validated: non-negative, summing to 1).
pub fn categorical(probs: &[f64], rng: &mut SimRng) -> usize {
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (i, &p) in probs.iter().enumerate() {
        acc += p;
        if u < acc {
            return i;
        }
    }
    // Rounding can leave u just above the last cumulative sum: take the last possible index.
    probs.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

/// RecSim's `IETopicDocumentSampler`: topic t ~ Categorical, quality ~ LogNormal(μ_t, σ).
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentModel {
    params: IexDocuments,
}

impl DocumentModel {
    /// Wraps a validated document model.
    pub fn new(params: IexDocuments) -> Self {
        Self { params }
    }

    /// T, the number of topics.
    pub fn num_topics(&self) -> usize {
        self.params.topic_probs.len()
    }

    /// Overwrites `topics` and `quality` with fresh documents: per document the topic draw,
    /// then the quality draw, as RecSim orders them.
    pub fn fill(&self, rng: &mut SimRng, topics: &mut [u32], quality: &mut [f64]) {
        let p = &self.params;
        for (t, q) in topics.iter_mut().zip(quality.iter_mut()) {
            let topic = categorical(&p.topic_probs, rng);
            let z: f64 = rng.sample(StandardNormal);
            *t = topic as u32;
            *q = (p.quality_log_means[topic] + p.quality_log_stddev * z).exp();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};

    fn rng() -> SimRng {
        StreamKey {
            seed: 4,
            purpose: Purpose::Documents,
            lane: StreamKey::SHARED_LANE,
            episode: 0,
            phase: Phase::Train,
        }
        .rng()
    }

    #[test]
    fn categorical_follows_the_probabilities_and_skips_empty_entries() {
        let mut r = rng();
        let probs = [0.2, 0.0, 0.8];
        let n = 50_000;
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[categorical(&probs, &mut r)] += 1;
        }
        assert_eq!(counts[1], 0);
        let share = counts[0] as f64 / f64::from(n);
        assert!(
            (share - 0.2).abs() < 5.0 * (0.16f64 / f64::from(n)).sqrt(),
            "{share}"
        );
    }

    #[test]
    fn stock_documents_have_the_reference_medians() {
        // Reference §4.1: topic 0 has probability 0.2 and median quality e^0.8 ≈ 2.23;
        // topic 1 median e^0.2 ≈ 1.22.
        let model = DocumentModel::new(IexDocuments::default());
        let mut r = rng();
        let (mut topics, mut quality) = (vec![0u32; 20_000], vec![0.0; 20_000]);
        model.fill(&mut r, &mut topics, &mut quality);
        let share0 = topics.iter().filter(|&&t| t == 0).count() as f64 / 20_000.0;
        assert!((share0 - 0.2).abs() < 0.015, "{share0}");
        for (topic, median) in [(0u32, 0.8f64.exp()), (1, 0.2f64.exp())] {
            let mut q: Vec<f64> = topics
                .iter()
                .zip(&quality)
                .filter(|(t, _)| **t == topic)
                .map(|(_, q)| *q)
                .collect();
            q.sort_by(f64::total_cmp);
            let got = q[q.len() / 2];
            assert!(
                (got / median - 1.0).abs() < 0.01,
                "topic {topic}: {got} vs {median}"
            );
        }
    }
}
