//! Writing an edition to disk without ever leaving half a file.
//!
//! The bytes go to a temporary file in the target's own folder (so the rename stays on one file
//! system) and replace the target only once complete: a crash or Ctrl-C leaves either the old file
//! or the new one, never a torn one. On Ctrl-C or a termination signal, the temporary files of
//! writes still in progress are removed too (see [`clean_up_on_interrupt`]).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::{exit, Error, Result};

/// Temporary files that exist right now: created, not yet renamed over their target. A file is
/// created while this is locked, so the interrupt handler, which takes the lock and never gives
/// it back, sees every temporary file there is.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP remove the temporary files of the writes in
/// progress and end the process with [`exit::INTERRUPTED`], so an interrupted batch leaves neither
/// a torn output nor hidden `.NAME.PID.tmp` files. Called once, by the command line, before any
/// other thread starts.
///
/// The signals are blocked in this thread, and so in every thread started after it, and one
/// thread of its own waits for them (`sigwait`): the clean-up runs as ordinary code, not in a
/// signal handler, so it may lock and allocate. That thread has no name and allocates nothing
/// until a signal comes. A thread that allocates gets a heap of its own, whose first touch zeroes
/// a 2 MB page: the `ctrlc` crate's thread, named, did so for its name, 0.25 ms of the 10 ms of
/// CPU the seed's `papertool epub` takes.
pub fn clean_up_on_interrupt() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    // A second call (tests run the CLI in one process) finds the thread started: nothing to do.
    STARTED.call_once(|| {
        // SAFETY: the set is initialised by sigemptyset before use; these calls touch only it.
        let signals = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            set
        };
        std::thread::spawn(move || loop {
            let mut signal = 0;
            // SAFETY: waits on a valid, initialised set and writes only `signal`.
            if unsafe { libc::sigwait(&signals, &mut signal) } == 0 {
                let files = in_flight();
                for tmp in files.iter() {
                    let _ = fs::remove_file(tmp);
                }
                std::process::exit(exit::INTERRUPTED);
            }
        });
    });
}

/// Writes `bytes` to `path` atomically; `-` writes to stdout.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|e| Error::failed(format!("-: cannot write to stdout: {e}")));
    }
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| Error::failed(format!("{shown}: cannot write: {e}"));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| Error::failed(format!("{shown}: not a file name")))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut f = {
            let mut files = in_flight();
            let f = fs::File::create(&tmp)?;
            files.push(tmp.clone());
            f
        };
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    let mut files = in_flight();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    files.retain(|t| *t != tmp);
    result.map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.epub");
        fs::write(&target, b"old").unwrap();
        write_atomic(&target, b"new contents").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new contents");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_folder_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/dir/out.pdf");
        let err = write_atomic(&target, b"x").unwrap_err();
        assert!(err.to_string().contains("cannot write"), "{err}");
        assert!(!target.exists());
    }
}
