//! How an [`Observation`] is laid out in the flat float arrays Python sees.

use slatelab::sim::{Observation, ResponseObs};

/// The columns of the `response` array, one row per slate position.
pub const RESPONSE_FIELDS: [&str; 4] = ["clicked", "engagement", "quality", "cluster"];

/// Floats per slate position in the `response` array.
pub const RESPONSE_WIDTH: usize = RESPONSE_FIELDS.len();

/// Destination rows for one observation, each exactly as wide as [`Widths`] says.
pub struct ObsRows<'a> {
    /// User features.
    pub user: &'a mut [f64],
    /// Document features, row-major N × d.
    pub doc: &'a mut [f64],
    /// Responses, row-major K × [`RESPONSE_WIDTH`].
    pub response: &'a mut [f64],
    /// Cluster ids (empty when documents carry none).
    pub cluster: &'a mut [i64],
}

/// Copies `obs` into `rows`.
pub fn write(obs: &Observation, rows: ObsRows<'_>) {
    rows.user.copy_from_slice(
        obs.user
            .as_slice()
            .expect("an observation's user vector is contiguous"),
    );
    rows.doc.copy_from_slice(
        obs.docs
            .as_slice()
            .expect("an observation's document matrix is contiguous"),
    );
    write_responses(&obs.responses, rows.response);
    for (out, &c) in rows.cluster.iter_mut().zip(&obs.doc_clusters) {
        *out = i64::from(c);
    }
}

/// Writes one row of [`RESPONSE_FIELDS`] per response into `out` (K × [`RESPONSE_WIDTH`]).
pub fn write_responses(responses: &[ResponseObs], out: &mut [f64]) {
    for (row, r) in out.chunks_exact_mut(RESPONSE_WIDTH).zip(responses) {
        row[0] = f64::from(u8::from(r.clicked));
        row[1] = r.engagement;
        row[2] = r.quality;
        row[3] = f64::from(r.cluster);
    }
}
