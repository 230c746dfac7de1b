//! Many issues at once, whole command: `papertool epub|pdf|all FILE... [-o DIR]`. A batch makes
//! the same bytes as single runs whatever its order and parallelism; one bad issue never stops
//! the others; progress and summary go to stderr (plain lines off a terminal, nothing with
//! `--quiet`); outputs are named by one rule, and impossible ones are refused before anything is
//! read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_papertool");

const MASTHEAD: &str = "# 试验报\n\n2025年11月3日 星期一\n\n第12期\n\n今日4版\n\n";

/// Three small issues whose PDFs need different faces: Hebrew (a system face such as DejaVu
/// Sans on most machines), a CJK Extension A ideograph outside the shipped GBK subsets (a
/// system CJK face), and only the shipped faces.
fn issues(dir: &Path) -> Vec<PathBuf> {
    let texts = [
        ("hebrew", "## 外国友人参观老街\n\n本报讯（记者 周青）来自海法的客人在留言簿上写下“שלום”，称赞老街的石板路。\n"),
        ("ext-a", "## 古籍修复展开幕\n\n本报讯（记者 吴彤）展出的旧县志中有一个少见的字“㐀”，修复师用了三个月才补全。\n"),
        ("plain", "## 社区食堂正式开张\n\n本报讯（记者 郑悦）社区食堂昨日开张，老人凭卡就餐可享八折优惠。\n"),
    ];
    texts
        .iter()
        .map(|(name, body)| {
            let path = dir.join(format!("{name}.txt"));
            std::fs::write(&path, format!("{MASTHEAD}{body}")).unwrap();
            path
        })
        .collect()
}

fn papertool(args: &[&std::ffi::OsStr], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_batch_pdf_is_byte_identical_to_the_issue_made_alone() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = issues(dir.path());
    let mut alone = Vec::new();
    for input in &inputs {
        let out = input.with_extension("pdf");
        let o = papertool(&[os("pdf"), input.as_os_str(), os("-o"), out.as_os_str()], &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        alone.push(std::fs::read(&out).unwrap());
    }
    // Every order, in parallel and on one thread: the set of faces is shared by the batch, so a
    // face's number must not depend on which issue needed it first.
    let orders: [[usize; 3]; 3] = [[0, 1, 2], [2, 1, 0], [1, 2, 0]];
    for (n, order) in orders.iter().enumerate() {
        for threads in ["1", "2"] {
            let out = dir.path().join(format!("batch-{n}-{threads}"));
            let mut args = vec![os("pdf"), os("-q")];
            args.extend(order.iter().map(|&i| inputs[i].as_os_str()));
            args.extend([os("-o"), out.as_os_str()]);
            let o = papertool(&args, &[("RAYON_NUM_THREADS", threads)]);
            assert!(o.status.success(), "{}", stderr(&o));
            for (i, input) in inputs.iter().enumerate() {
                let name = input.with_extension("pdf");
                let made = std::fs::read(out.join(name.file_name().unwrap())).unwrap();
                assert!(made == alone[i], "{} differs in batch order {order:?} on {threads} thread(s)", name.display());
            }
        }
    }
}

#[test]
fn one_bad_issue_does_not_stop_the_others_and_the_summary_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = issues(dir.path());
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    inputs.insert(1, empty.clone());
    let out = dir.path().join("out");
    let mut args = vec![os("all")];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.extend([os("-o"), out.as_os_str()]);
    let o = papertool(&args, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "the worst outcome is unusable input: {err}");
    for name in ["hebrew", "ext-a", "plain"] {
        for ext in ["epub", "pdf"] {
            assert!(out.join(format!("{name}.{ext}")).is_file(), "{name}.{ext} missing: {err}");
        }
    }
    assert!(!out.join("empty.epub").exists() && !out.join("empty.pdf").exists());
    assert!(err.contains(&format!("papertool: {}: empty file", empty.display())), "{err}");
    // Not a terminal: a plain line per issue, then the summary and the failed files by name.
    assert_eq!(err.lines().filter(|l| l.starts_with('[') && l.contains("/4] ")).count(), 4, "{err}");
    assert!(err.contains("papertool: 4 issues: 3 converted (0 with warnings), 1 failed, in "), "{err}");
    assert!(err.contains(&format!("papertool: failed: {}", empty.display())), "{err}");

    // --quiet: no progress, no summary; the failure itself is still said.
    let quiet = dir.path().join("quiet");
    let mut args = vec![os("pdf"), os("--quiet")];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.extend([os("-o"), quiet.as_os_str()]);
    let o = papertool(&args, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&format!("papertool: {}: empty file", empty.display())), "{err}");
}

#[test]
fn outputs_follow_one_rule_for_both_editions() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = issues(dir.path());
    let plain = &inputs[2];

    // No -o: beside the issue, with the edition's extension.
    let o = papertool(&[os("all"), plain.as_os_str()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(plain.with_extension("epub").is_file() && plain.with_extension("pdf").is_file());

    // Stdin has no name: both editions need -o, and say so before reading anything.
    for edition in ["epub", "pdf"] {
        let o = papertool(&[os(edition), os("-")], &[]);
        assert_eq!(o.status.code(), Some(2), "{edition}");
        assert!(stderr(&o).contains("-o - for stdout"), "{edition}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }

    // -o - for one input: the edition on stdout, nothing else there.
    for (edition, magic) in [("epub", &b"PK\x03\x04"[..]), ("pdf", &b"%PDF-"[..])] {
        let mut child = Command::new(BIN)
            .args([edition, "-", "-o", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&std::fs::read(plain).unwrap()).unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{edition}: {}", stderr(&o));
        assert!(o.stdout.starts_with(magic), "{edition} on stdout");
        let o = papertool(&[os(edition), plain.as_os_str(), os("-o"), os("-")], &[]);
        assert!(o.status.success() && o.stdout.starts_with(magic), "{edition}: {}", stderr(&o));
    }
    // Several outputs cannot share stdout (nor is `-` made a folder).
    let o = papertool(&[os("pdf"), inputs[0].as_os_str(), inputs[1].as_os_str(), os("-o"), os("-")], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = papertool(&[os("all"), plain.as_os_str(), os("-o"), os("-")], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("both editions"), "{}", stderr(&o));
    assert!(o.stdout.is_empty() && !Path::new("-").exists());

    // An output that is its own input, however it is spelled, is refused and the input kept.
    let before = std::fs::read(plain).unwrap();
    let dotted = plain.parent().unwrap().join(".").join(plain.file_name().unwrap());
    for output in [plain.clone(), dotted] {
        for edition in ["epub", "pdf"] {
            let o = papertool(&[os(edition), plain.as_os_str(), os("-o"), output.as_os_str()], &[]);
            assert_eq!(o.status.code(), Some(2), "{edition} -o {}", output.display());
            assert!(stderr(&o).contains("is the input itself"), "{}", stderr(&o));
        }
    }
    assert_eq!(std::fs::read(plain).unwrap(), before);

    // An input that already has the edition's extension would be overwritten beside itself.
    let json = dir.path().join("issue.pdf");
    std::fs::copy(plain, &json).unwrap();
    let o = papertool(&[os("pdf"), json.as_os_str()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already a .pdf file"), "{}", stderr(&o));

    // -o FILE.pdf for several issues is a slip, not a folder to make.
    let o = papertool(&[os("pdf"), inputs[0].as_os_str(), inputs[1].as_os_str(), os("-o"), dir.path().join("x.pdf").as_os_str()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give a folder"), "{}", stderr(&o));
    assert!(!dir.path().join("x.pdf").exists());

    // Two issues named alike would write one file in the folder.
    let other = dir.path().join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    let twin = other.join("plain.txt");
    std::fs::copy(plain, &twin).unwrap();
    let out = dir.path().join("twins");
    let o = papertool(&[os("epub"), plain.as_os_str(), twin.as_os_str(), os("-o"), out.as_os_str()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("would also be written from"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing is made before the plan is sound");
}

#[test]
fn batch_pdf_takes_the_single_issue_flags() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = issues(dir.path());
    let out = dir.path().join("screen");
    let o = papertool(&[os("pdf"), os("--no-pdfx"), os("--pages"), os("2"), inputs[1].as_os_str(), inputs[2].as_os_str(), os("-o"), out.as_os_str()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let single = dir.path().join("single.pdf");
    let o = papertool(&[os("pdf"), os("--no-pdfx"), os("--pages"), os("2"), inputs[2].as_os_str(), os("-o"), single.as_os_str()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let batch = std::fs::read(out.join("plain.pdf")).unwrap();
    assert!(batch == std::fs::read(&single).unwrap(), "--no-pdfx --pages 2 differ between batch and single");
    let check = papertool(&[os("pdfx-check"), out.join("plain.pdf").as_os_str()], &[]);
    assert_eq!(check.status.code(), Some(1), "--no-pdfx made a PDF/X file");
    // The default is the print-ready edition, in a batch as alone.
    let out = dir.path().join("print");
    let o = papertool(&[os("pdf"), inputs[1].as_os_str(), inputs[2].as_os_str(), os("-o"), out.as_os_str()], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let check = papertool(&[os("pdfx-check"), out.join("plain.pdf").as_os_str(), out.join("ext-a.pdf").as_os_str()], &[]);
    assert!(check.status.success(), "the batch PDFs are not PDF/X: {}", String::from_utf8_lossy(&check.stdout));
}

/// Ctrl-C in the middle of a batch: the process ends with 130 and leaves only whole outputs,
/// none of the hidden temporary files of the writes it cut short. Interrupted five times, at
/// different points: a write takes a few milliseconds, so a single interrupt often misses one.
#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/jialing-2025-10-15.txt");
    let text = std::fs::read_to_string(sample).unwrap();
    let inputs: Vec<PathBuf> = (0..40)
        .map(|i| {
            let path = dir.path().join(format!("issue-{i:02}.txt"));
            std::fs::write(&path, &text).unwrap();
            path
        })
        .collect();
    for round in 0..5 {
        let out = dir.path().join(format!("out-{round}"));
        std::fs::create_dir(&out).unwrap();
        let mut child = Command::new(BIN)
            .arg("all")
            .args(&inputs)
            .args([os("-o"), out.as_os_str(), os("--quiet")])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Interrupt once some editions are written, while others are being made and written.
        let written = 1 + round;
        let started = std::time::Instant::now();
        while std::fs::read_dir(&out).unwrap().count() < written && started.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{status:?}");
        let names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.len() < 2 * inputs.len(), "the batch ran to its end before the interrupt: {names:?}");
        assert!(names.iter().all(|n| !n.starts_with('.') && !n.ends_with(".tmp")), "round {round}: {names:?}");
        for name in &names {
            let bytes = std::fs::read(out.join(name)).unwrap();
            let whole = if name.ends_with(".pdf") { bytes.trim_ascii_end().ends_with(b"%%EOF") } else { bytes.starts_with(b"PK") };
            assert!(whole, "{name} is not a whole edition");
        }
    }
}
