//! Writing output files (`--out`, checkpoints, dashboard exports) the way `>` would land them,
//! but atomically where that is safe.
//!
//! A regular file or a new path is written to a temporary file beside it and renamed over it,
//! so a reader never sees half a file; a symlink is followed (the rename happens beside its
//! target); a device, FIFO or `/dev/…` path is written directly, as a rename would replace
//! it rather than write to it; a directory is an error. New files get the mode `File::create`
//! gives (0666 less the umask) and a replaced file keeps its mode. Temporary files are named
//! `.slatelab-<target>.<pid>.<random>.tmp`, and those a killed process left behind are
//! removed at the next write of the same target.

use std::fs::{self, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Symlink hops followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;
/// Where no `/proc` tells whether a temporary file's writer lives, files this old are stale.
const STALE_AGE: Duration = Duration::from_secs(3600);

/// What is at an output path, after following symlinks.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A regular file, to replace by a rename at this (resolved) path, keeping its mode.
    Replace(PathBuf, Permissions),
    /// Nothing yet: a new file at this (resolved) path.
    Create(PathBuf),
    /// A device, FIFO, socket or `/dev`/`/proc` path: opened and written in place.
    Stream,
}

/// Resolves `path` to what writing it should do; a directory is an error.
fn resolve(path: &Path) -> io::Result<Target> {
    // `/dev/stdout` and friends name file descriptors: a rename would not reach them.
    if path.starts_with("/dev") || path.starts_with("/proc") {
        return Ok(Target::Stream);
    }
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        )),
        Ok(meta) if meta.is_file() => {
            Ok(Target::Replace(fs::canonicalize(path)?, meta.permissions()))
        }
        Ok(_) => Ok(Target::Stream),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Target::Create(dangling_end(path)?)),
        Err(e) => Err(e),
    }
}

/// The path a write to `path` creates: `path` itself, or the end of the dangling symlink
/// chain it starts.
fn dangling_end(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&at)?;
                at = folder_of(&at).join(link);
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The folder holding `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path`: atomically over a regular file or at a new path, directly into
/// a device or FIFO. The error names no path: callers add it.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match resolve(path)? {
        Target::Replace(target, mode) => replace(&target, Some(mode), bytes),
        Target::Create(target) => replace(&target, None, bytes),
        Target::Stream => {
            let mut file = OpenOptions::new().write(true).truncate(true).open(path)?;
            file.write_all(bytes)?;
            file.flush()
        }
    }
}

/// Writes through a temporary file renamed to `target`, with `mode` or the umask's default.
fn replace(target: &Path, mode: Option<Permissions>, bytes: &[u8]) -> io::Result<()> {
    let name = target.file_name().unwrap_or(target.as_os_str());
    let mut tmp = temp_beside(target, name)?;
    if let Some(mode) = mode {
        tmp.as_file().set_permissions(mode)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary file for `name` in `target`'s folder, created 0666 less the umask (the
/// mode is passed to open(2), which applies the umask), after removing stale ones.
fn temp_beside(target: &Path, name: &std::ffi::OsStr) -> io::Result<tempfile::NamedTempFile> {
    let dir = folder_of(target);
    let name = name.to_string_lossy();
    remove_stale(dir, &name);
    tempfile::Builder::new()
        .prefix(&format!("{}{}.", temp_prefix(&name), std::process::id()))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)
}

/// The start of every temporary file name for target file `name`.
fn temp_prefix(name: &str) -> String {
    format!(".slatelab-{name}.")
}

/// Removes temporary files for `name` in `dir` whose writer is gone: its process no longer
/// exists (per `/proc`), or, without `/proc`, the file is over an hour old. Best effort:
/// a file that cannot be removed is left.
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = temp_prefix(name);
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some(pid) = rest
            .split_once('.')
            .and_then(|(p, _)| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if meta.is_file() && writer_is_gone(pid, &meta) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn writer_is_gone(pid: u32, meta: &fs::Metadata) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if Path::new("/proc/self").exists() {
        return !Path::new("/proc").join(pid.to_string()).exists();
    }
    meta.modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age > STALE_AGE)
}

/// Writes `bytes` atomically under the first of `names` (paths in `dir`) where nothing exists
/// yet, and returns that path. A file that appears at a name while this runs is never
/// replaced: the rename itself refuses to overwrite, so no check can go stale before it.
pub fn write_new(
    dir: &Path,
    names: impl IntoIterator<Item = PathBuf>,
    bytes: &[u8],
) -> anyhow::Result<PathBuf> {
    let mut names = names.into_iter().peekable();
    let first = names
        .peek()
        .and_then(|p| p.file_name())
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    let mut tmp = temp_beside(&dir.join(&first), &first)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    for path in names {
        match tmp.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error.into()),
        }
    }
    anyhow::bail!("every file name offered is taken")
}

/// Checks before a run that `path` can take its output: not a directory, and (unless it is
/// a device or FIFO) in an existing folder where files can be created. Names the path.
pub fn check_output(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let target = match resolve(path) {
        Ok(Target::Stream) => return Ok(()),
        Ok(Target::Replace(target, _) | Target::Create(target)) => target,
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    let dir = folder_of(&target);
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(format!("{shown}: {} is not a folder", dir.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(format!("{shown}: folder {} does not exist", dir.display()));
        }
        Err(e) => return Err(format!("{shown}: {}: {e}", dir.display())),
    }
    check_can_create_in(dir).map_err(|e| format!("{shown}: {e}"))
}

/// Checks before a run that `dir` is a folder that exists or can be created, and where
/// files can be written. Names the path.
pub fn check_folder(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    let mut at = dir;
    loop {
        match fs::metadata(at) {
            Ok(meta) if meta.is_dir() => {
                return check_can_create_in(at).map_err(|e| format!("{shown}: {e}"));
            }
            Ok(_) if at == dir => return Err(format!("{shown}: exists and is not a folder")),
            Ok(_) => return Err(format!("{shown}: {} is not a folder", at.display())),
            // A missing folder or a file on the way: look at what is further up.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) && folder_of(at) != at =>
            {
                at = folder_of(at);
            }
            Err(e) => return Err(format!("{shown}: {}: {e}", at.display())),
        }
    }
}

/// Whether a file can be created in `dir`, tried for real (permissions alone do not say,
/// e.g. for root or on a read-only mount); the probe is removed at once.
fn check_can_create_in(dir: &Path) -> Result<(), String> {
    tempfile::Builder::new()
        .prefix(".slatelab-probe.")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| format!("cannot create files in {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dangling_symlink_chain_is_created_at_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let end = dir.path().join("real.json");
        std::os::unix::fs::symlink("middle", dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(&end, dir.path().join("middle")).unwrap();
        let link = dir.path().join("link");
        assert_eq!(resolve(&link).unwrap(), Target::Create(end.clone()));
        write_file(&link, b"x").unwrap();
        assert_eq!(fs::read(&end).unwrap(), b"x");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn dev_paths_are_streamed() {
        assert_eq!(resolve(Path::new("/dev/stdout")).unwrap(), Target::Stream);
        assert_eq!(resolve(Path::new("/dev/null")).unwrap(), Target::Stream);
    }

    #[test]
    fn a_missing_folder_up_the_tree_is_fine_for_checkpoints_but_not_for_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        assert!(check_folder(&deep).is_ok());
        let err = check_output(&deep.join("x.json")).unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        let err = check_folder(&file).unwrap_err();
        assert!(err.contains("not a folder"), "{err}");
        let err = check_folder(&file.join("sub")).unwrap_err();
        assert!(err.contains("not a folder"), "{err}");
    }
}
