//! The sweep's manifest: which cells there are, their shards and what became of each, written
//! next to the reports (`manifest.json`, or `manifest-shard-I-of-N.json` for one shard, so
//! shards sharing a folder do not overwrite each other's). It holds no timings.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::scenario::sweep::{Cell, Sweep};

/// What became of a cell in this invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellStatus {
    /// Ran now; its report was written.
    Done,
    /// Its complete report was already there.
    Resumed,
    /// A lane failed, or the report could not be written: no report.
    Failed(String),
    /// Ctrl-C stopped it, or came before it started: no report.
    Interrupted,
    /// Another shard's cell.
    OtherShard,
    /// Not asked for (`--cell`).
    Skipped,
}

impl CellStatus {
    /// The status as the manifest writes it.
    pub fn label(&self) -> String {
        match self {
            Self::Done => "done".into(),
            Self::Resumed => "resumed".into(),
            Self::Failed(why) => format!("failed: {why}"),
            Self::Interrupted => "interrupted".into(),
            Self::OtherShard => "other-shard".into(),
            Self::Skipped => "skipped".into(),
        }
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    sweep: &'a str,
    sweep_file: &'a str,
    sweep_sha256: &'a str,
    slatelab_version: &'static str,
    shard: Option<String>,
    layout: String,
    cells: Vec<ManifestCell<'a>>,
}

#[derive(Serialize)]
struct ManifestCell<'a> {
    name: &'a str,
    id: &'a str,
    file: String,
    scenario: &'a str,
    seed: u64,
    agents: &'a [String],
    shard: u32,
    status: String,
}

/// The manifest's path in `out` for `shard` (`(I, N)`), if sharded.
pub fn path(out: &Path, shard: Option<(u32, u32)>) -> PathBuf {
    match shard {
        None => out.join("manifest.json"),
        Some((i, n)) => out.join(format!("manifest-shard-{i}-of-{n}.json")),
    }
}

/// The manifest as JSON bytes.
pub fn render(
    sweep: &Sweep,
    cells: &[(Cell, CellStatus)],
    shard: Option<(u32, u32)>,
) -> anyhow::Result<Vec<u8>> {
    let shards = shard.map_or(1, |(_, n)| n);
    let manifest = Manifest {
        sweep: &sweep.name,
        sweep_file: &sweep.origin,
        sweep_sha256: &sweep.sha256,
        slatelab_version: env!("CARGO_PKG_VERSION"),
        shard: shard.map(|(i, n)| format!("{i}/{n}")),
        layout: format!("{:?}", sweep.layout),
        cells: cells
            .iter()
            .map(|(cell, status)| ManifestCell {
                name: &cell.name,
                id: &cell.id,
                file: format!("{}.json", cell.name),
                scenario: &cell.scenario_name,
                seed: cell.seed,
                agents: &cell.specs,
                shard: cell.shard(shards),
                status: status.label(),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest)?;
    bytes.push(b'\n');
    Ok(bytes)
}
