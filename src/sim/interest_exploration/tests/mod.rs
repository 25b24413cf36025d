//! Tests of the Interest Exploration environment.

mod fidelity;
mod oracle;
mod properties;
mod validation;

use crate::sim::interest_exploration::{IexConfig, IexDocuments, IexUser};
use crate::sim::population::SegmentConfig;

/// A configuration with the stock model but no noise, one user type and one topic mix, so that
/// users and documents are exactly the reference's medians.
fn noiseless(user_type: usize, topic_probs: Vec<f64>) -> IexConfig {
    let mut type_probs = vec![0.0, 0.0];
    type_probs[user_type] = 1.0;
    IexConfig {
        documents: IexDocuments {
            topic_probs,
            quality_log_stddev: 0.0,
            ..IexDocuments::default()
        },
        population: vec![SegmentConfig {
            name: "all".into(),
            share: 1.0,
            user: IexUser {
                type_probs,
                affinity_log_stddev: 0.0,
                ..IexUser::default()
            },
        }],
        ..IexConfig::default()
    }
}
