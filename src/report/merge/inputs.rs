//! The reports a merge reads: every `*.json` but `manifest*.json` in the folders given, and
//! report files given by name (`slatelab merge DIR|REPORT.json...`, `slatelab.merge`).

use std::path::{Path, PathBuf};

use super::Input;
use crate::report::stored::StoredReport;

/// The report files among `inputs`, sorted: the files in each folder, and files as given.
/// The error names the input that is neither, or says none was found.
pub fn report_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries =
                std::fs::read_dir(input).map_err(|e| format!("{}: {e}", input.display()))?;
            for entry in entries {
                let path = entry
                    .map_err(|e| format!("{}: {e}", input.display()))?
                    .path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if path.is_file()
                    && path.extension().is_some_and(|e| e == "json")
                    && !name.starts_with("manifest")
                {
                    files.push(path);
                }
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            return Err(format!("{}: no such folder or file", input.display()));
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        return Err("no reports found to merge".into());
    }
    Ok(files)
}

/// Reads one report; the error starts with its path.
pub fn read(path: &Path) -> Result<Input, String> {
    let origin = path.display().to_string();
    let report = StoredReport::read(path).map_err(|e| format!("{origin}: {e}"))?;
    Ok(Input { origin, report })
}

/// Every report among `inputs` (folders or files), read, in [`report_files`]' order.
pub fn read_all(inputs: &[PathBuf]) -> Result<Vec<Input>, String> {
    report_files(inputs)?
        .iter()
        .map(|path| read(path))
        .collect()
}
