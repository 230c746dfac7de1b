//! Whole-command tests of input that cannot be an issue: each is refused with one line
//! `papertool: FILE: reason` on stderr, exit status 2, nothing on stdout, no output file.

mod common;

use std::fs;
use std::path::Path;

use common::papertool;

/// Runs `parse FILE -o OUT` and `check FILE`; both must refuse with `reason` in one line.
fn refused(file: &Path, reason: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.json");
    let shown = file.to_str().unwrap();
    for args in [vec!["parse", shown, "-o", out_file.to_str().unwrap()], vec!["check", shown]] {
        let out = papertool(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with(&format!("papertool: {shown}: ")), "{err}");
        assert!(err.contains(reason), "{reason:?} not in {err}");
        assert!(!out_file.exists(), "no output is written");
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    refused(&write(dir.path(), "empty.txt", b""), "empty file");
}

#[test]
fn whitespace_only_file() {
    let dir = tempfile::tempdir().unwrap();
    refused(&write(dir.path(), "blank.txt", " \r\n\t\n\u{3000}\n".as_bytes()), "only whitespace");
}

#[test]
fn binary_file_with_nul_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "## 标题\n正文".as_bytes().to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(&[0, 1, 2, 3]);
    refused(&write(dir.path(), "photo.txt", &bytes), &format!("not a text file (NUL byte at offset {at})"));
}

#[test]
fn undecodable_file() {
    let dir = tempfile::tempdir().unwrap();
    refused(&write(dir.path(), "junk.txt", &[0xFF, 0xFE, 0xFD, 0x80, 0x81, 0xFF, 0x30]), "cannot decode");
    refused(&write(dir.path(), "junk2.txt", &[b'a', 0x80, 0xFF, b'b']), "cannot decode");
}

#[test]
fn file_over_64_mib() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.txt");
    // Sparse: no 64 MiB written to disk; the size alone refuses it, before any reading.
    fs::File::create(&p).unwrap().set_len(64 * 1024 * 1024 + 1).unwrap();
    refused(&p, "larger than 64 MiB");
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    refused(&dir.path().join("no-such-issue.txt"), "no such file");
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().unwrap();
    refused(dir.path(), "is a directory");
}

#[test]
fn json_that_is_not_the_model() {
    let dir = tempfile::tempdir().unwrap();
    refused(&write(dir.path(), "other.json", br#"{"schema": "someone.else/2", "pages": []}"#), "not a papertool.issue/1 model");
    refused(&write(dir.path(), "plain.json", br#"{"title": "x"}"#), "not a papertool.issue/1 model");
    refused(&write(dir.path(), "broken.json", b"{\"schema\": \"papertool.issue/1\", "), "does not parse");
}

#[test]
fn unwritable_output_fails_with_status_1_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let issue = write(dir.path(), "ok.txt", "## 标题\n\n正文。\n".as_bytes());
    let target = dir.path().join("no/such/dir/out.json");
    let out = papertool(&["parse", issue.to_str().unwrap(), "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().starts_with("papertool: "));
    assert!(!target.exists());
}
