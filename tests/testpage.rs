//! The text engine's test page, checked with the outside validators: the seed's text in
//! 8 columns of 13 characters at 9 pt must pass qa.py (no forbidden line starts or ends, no
//! overlaps, every Han character present, fonts embedded, subset, with ToUnicode), and
//! `pdftotext -raw` must give back exactly the source text of each set line.

mod support;

use std::path::Path;
use std::process::Command;

use papertool::fonts::FontDir;
use papertool::pdf::fonts::FontSet;
use papertool::pdf::frame::Item;
use papertool::pdf::render::{render, DocMeta};
use support::testpage;

/// Skips (returns false) with a reason when something outside the repository is missing,
/// unless CI asked for every validator to be there.
fn available(what: &str, present: bool) -> bool {
    if !present {
        if std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_some() {
            panic!("{what} is missing and PAPERTOOL_REQUIRE_VALIDATORS is set");
        }
        eprintln!("skipped: {what} is missing");
    }
    present
}

fn has_tool(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn qa_script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/qa.py")
}

#[test]
fn the_test_page_passes_qa_and_extracts_to_its_source_lines() {
    let seed = testpage::seed_path();
    if !available(&format!("the seed {}", seed.display()), seed.is_file())
        || !available("pdftotext (poppler-utils)", has_tool("pdftotext"))
        || !available("qa.py", qa_script().is_file())
    {
        return;
    }
    let text = std::fs::read_to_string(&seed).unwrap();
    let fonts = FontSet::load(&FontDir::locate(None).unwrap()).unwrap();
    let (frames, warnings) = testpage::build(&fonts, &testpage::paragraphs(&text));
    assert!(warnings.is_empty(), "{warnings:?}");
    let meta = DocMeta { title: "test page".into(), ..DocMeta::default() };
    let write = || papertool::pdf::serialize::save(render(&fonts, &frames, &meta).unwrap()).unwrap();
    let pdf = write();
    assert_eq!(pdf, write(), "the same frames give the same bytes");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("testpage.pdf");
    std::fs::write(&path, &pdf).unwrap();

    let qa = Command::new("python3").arg(qa_script()).args(["pdf"]).arg(&path).arg("--source").arg(&seed).output().unwrap();
    let report = String::from_utf8_lossy(&qa.stdout);
    assert!(qa.status.success(), "qa.py failed:\n{report}{}", String::from_utf8_lossy(&qa.stderr));
    assert!(report.contains("kinsoku_violations: 0") && report.contains("overlapping_words: 0"), "{report}");

    let raw = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    let extracted: Vec<String> = String::from_utf8_lossy(&raw.stdout)
        .lines()
        .map(|l| l.trim_matches(['\u{c}', ' ']).to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let set: Vec<String> = frames
        .iter()
        .flat_map(|f| f.items.iter())
        .filter_map(|item| match item {
            Item::Text { line, .. } => Some(line.text().trim().to_string()),
            _ => None,
        })
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(extracted.len(), set.len());
    for (got, want) in extracted.iter().zip(&set) {
        assert_eq!(got, want);
    }
}
