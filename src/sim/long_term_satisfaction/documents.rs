//! Candidate documents of Long-Term Satisfaction: one clickbait score c ∈ [0, 1] each.

use rand::RngExt;

use super::params::LtsDocuments;
use crate::sim::rng::SimRng;

/// Draws clickbait scores, one document-stream draw per document.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentSampler {
    model: LtsDocuments,
    /// Running document id; only the alternating corpus looks at it.
    next_id: u64,
}

impl DocumentSampler {
    /// A sampler for a validated document model, its counter at 0.
    pub fn new(model: LtsDocuments) -> Self {
        Self { model, next_id: 0 }
    }

    /// Restarts the document counter (at each episode reset, so every episode alternates alike).
    pub fn restart(&mut self) {
        self.next_id = 0;
    }

    /// Overwrites `out` with fresh clickbait scores.
    pub fn fill(&mut self, rng: &mut SimRng, out: &mut [f64]) {
        for c in out {
            let u: f64 = rng.random();
            let (lo, hi) = match self.model {
                LtsDocuments::Uniform { low, high } => (low, high),
                LtsDocuments::Alternating { sweet, bitter } => {
                    if self.next_id.is_multiple_of(2) {
                        sweet
                    } else {
                        bitter
                    }
                }
            };
            *c = lo + (hi - lo) * u;
            self.next_id += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};

    fn rng() -> SimRng {
        StreamKey {
            seed: 9,
            purpose: Purpose::Documents,
            lane: StreamKey::SHARED_LANE,
            episode: 0,
            phase: Phase::Train,
        }
        .rng()
    }

    #[test]
    fn alternating_corpus_starts_sweet_and_keeps_parity_across_calls() {
        let mut sampler = DocumentSampler::new(LtsDocuments::Alternating {
            sweet: (0.8, 1.0),
            bitter: (0.0, 0.2),
        });
        let mut r = rng();
        let mut docs = [0.0; 5];
        for _ in 0..3 {
            sampler.fill(&mut r, &mut docs);
        }
        // 15 documents so far: the next id is odd, so this call starts bitter.
        sampler.fill(&mut r, &mut docs);
        assert!(docs[0] < 0.2 && docs[1] >= 0.8 && docs[2] < 0.2);
        sampler.restart();
        sampler.fill(&mut r, &mut docs);
        for (i, &c) in docs.iter().enumerate() {
            let sweet = (0.8..1.0).contains(&c);
            let bitter = (0.0..0.2).contains(&c);
            assert!(if i % 2 == 0 { sweet } else { bitter }, "doc {i}: {c}");
        }
    }

    #[test]
    fn uniform_scores_stay_in_range() {
        let mut sampler = DocumentSampler::new(LtsDocuments::Uniform {
            low: 0.25,
            high: 0.5,
        });
        let mut r = rng();
        let mut docs = [0.0; 1000];
        sampler.fill(&mut r, &mut docs);
        assert!(docs.iter().all(|c| (0.25..0.5).contains(c)));
        let mean = docs.iter().sum::<f64>() / docs.len() as f64;
        assert!((mean - 0.375).abs() < 0.01, "{mean}");
    }
}
