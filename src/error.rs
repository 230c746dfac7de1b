//! The errors papertool reports, and the exit code each one maps to.
//!
//! Messages follow ripgrep's habit: one line, the file first, then what is wrong, so that
//! `papertool: issue.txt: not a text file (NUL byte at offset 112)` is all a user needs to read.

use std::fmt;

/// Exit codes, documented in `papertool --help`.
pub mod exit {
    /// Done; there may have been warnings.
    pub const OK: i32 = 0;
    /// The job failed (cannot write the output, content does not fit), or `--strict` saw warnings.
    pub const FAILED: i32 = 1;
    /// The input cannot be used: missing, a directory, empty, binary, undecodable, too large.
    pub const BAD_INPUT: i32 = 2;
    /// Stopped by Ctrl-C or a termination signal (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug)]
pub enum Error {
    /// The input named by `path` cannot be used (exit 2).
    Input { path: String, reason: String },
    /// The job failed for a reason the message gives (exit 1).
    Failed(String),
}

impl Error {
    pub fn input(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Input { path: path.into(), reason: reason.into() }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Error::Failed(message.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } => exit::BAD_INPUT,
            Error::Failed(_) => exit::FAILED,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input { path, reason } => write!(f, "{path}: {reason}"),
            Error::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
