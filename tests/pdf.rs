//! Whole-command tests of `papertool pdf`: the seed and every sample through the binary, checked
//! with `qa.py` (poppler, qpdf); an over-full issue; the default output name; determinism.

use std::path::{Path, PathBuf};
use std::process::Command;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt");
const QA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/qa.py");

fn papertool() -> Command {
    Command::new(env!("CARGO_BIN_EXE_papertool"))
}

/// True when the outside tool is there; otherwise says why the test is skipped, or fails when
/// CI requires validators.
fn have(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "{what} is required but missing");
        eprintln!("skipped: {what} is not available");
    }
    ok
}

fn validators() -> bool {
    let tool = |t: &str| Command::new(t).arg("-v").output().is_ok();
    have("qa.py", Path::new(QA).exists())
        && have("python3", Command::new("python3").arg("--version").output().is_ok())
        && have("poppler-utils (pdfinfo)", tool("pdfinfo"))
        && have("qpdf", Command::new("qpdf").arg("--version").output().is_ok())
}

fn write_pdf(issue: &Path, out: &Path, extra: &[&str]) {
    let o = papertool().arg("pdf").arg(issue).arg("-o").arg(out).args(extra).output().unwrap();
    assert!(o.status.success(), "papertool pdf {}: {}", issue.display(), String::from_utf8_lossy(&o.stderr));
}

/// Runs qa.py on `pdf` and returns its JSON report; panics with its failures.
fn qa(pdf: &Path, source: &Path, pages: u32) -> serde_json::Value {
    let o = Command::new("python3")
        .arg(QA)
        .args(["pdf"])
        .arg(pdf)
        .arg("--source")
        .arg(source)
        .args(["--pages", &pages.to_string(), "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("qa.py: {e}: {}", String::from_utf8_lossy(&o.stderr)));
    assert!(o.status.success(), "qa.py on {} failed: {}", pdf.display(), report["fail"]);
    report
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn seed_is_four_full_pages_that_pass_qa() {
    if !have("the seed", Path::new(SEED).exists()) || !validators() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.pdf");
    write_pdf(Path::new(SEED), &out, &[]);
    let report = qa(&out, Path::new(SEED), 4);
    assert_eq!(report["pages"], 4);
    assert_eq!(report["han_lost"], 0);
    let cover = report["text_cover_per_page"][0].as_f64().unwrap();
    assert!(cover >= 0.6, "page 1 text cover {cover} < 0.6");
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size < 600 * 1024, "seed PDF is {size} bytes");
}

#[test]
fn every_sample_gives_its_page_count_and_passes_qa() {
    let all = samples();
    if !have("samples/*.txt", !all.is_empty()) || !validators() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for sample in all {
        let out = dir.path().join(sample.file_name().unwrap()).with_extension("pdf");
        write_pdf(&sample, &out, &[]);
        let report = qa(&out, &sample, 4);
        assert_eq!(report["pages"], 4, "{}", sample.display());
    }
}

#[test]
fn tabloid_template_lays_out_a_sample_on_more_pages() {
    let Some(sample) = samples().into_iter().find(|p| p.to_string_lossy().contains("jialing")) else {
        have("samples/jialing-2025-10-15.txt", false);
        return;
    };
    if !validators() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tabloid.pdf");
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/tabloid.toml");
    write_pdf(&sample, &out, &["--template", template.to_str().unwrap(), "--pages", "8"]);
    let report = qa(&out, &sample, 8);
    assert_eq!(report["page_mm"], serde_json::json!([270, 390]));
}

/// An invented issue of `n` long articles on page 1, as the model's JSON.
fn overfull_issue(n: usize) -> String {
    let para = "区里召开专题会议研究部署老旧小区改造工作，要求各街道倒排工期、挂图作战，确保年底前全面完工。".repeat(6);
    let articles: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "ear": false, "banner": null, "kicker": null, "headline": format!("长篇报道之{i}"), "subtitle": null,
                "byline": "本报讯（记者 某某）", "author": "某某",
                "blocks": (0..30).map(|k| serde_json::json!({"kind": "paragraph", "text": para, "line": 10 + i * 40 + k})).collect::<Vec<_>>(),
                "jump_to": null, "continued_from": null, "lines": [10 + i * 40, 40 + i * 40]
            })
        })
        .collect();
    serde_json::json!({
        "schema": "papertool.issue/1", "encoding": null,
        "masthead": {"paper": "某某报", "date": "2025-10-15", "weekday": "星期三", "lunar_date": null, "issue_number": 1,
                     "total_issue_number": 1, "page_count": 1, "permit": null, "frequency": null, "publisher": null, "contacts": []},
        "pages": [{"number": 1, "section": null, "editor": null, "articles": articles}],
        "warnings": []
    })
    .to_string()
}

#[test]
fn an_overfull_issue_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let issue = dir.path().join("big.json");
    std::fs::write(&issue, overfull_issue(8)).unwrap();
    let out = dir.path().join("big.pdf");
    let o = papertool().arg("pdf").arg(&issue).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    let prefix = format!("papertool: {}: the edition's 1 pages cannot hold all the content; left over: 《长篇报道之", issue.display());
    assert!(err.starts_with(&prefix), "{err}");
    assert!(err.contains("--pages"), "{err}");
    assert!(!out.exists(), "a PDF was written for an issue that does not fit");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "something was left in the folder");
    // More pages hold it.
    let o = papertool().arg("pdf").arg(&issue).arg("-o").arg(&out).args(["--pages", "8"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());
}

#[test]
fn default_output_is_next_to_the_input_and_bytes_are_the_same_run_to_run() {
    let Some(sample) = samples().into_iter().next() else {
        have("samples/*.txt", false);
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("issue.txt");
    std::fs::copy(&sample, &input).unwrap();
    let o = papertool().arg("pdf").arg(&input).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let first = std::fs::read(dir.path().join("issue.pdf")).expect("issue.pdf next to issue.txt");
    assert!(first.starts_with(b"%PDF-"));
    let again = dir.path().join("again.pdf");
    write_pdf(&input, &again, &[]);
    assert!(first == std::fs::read(&again).unwrap(), "two runs gave different bytes");
}

#[test]
fn a_bad_template_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("bad.toml");
    std::fs::write(&t, "name = \"x\"\n[trim]\nwidth = \"大五\"\n").unwrap();
    let issue = dir.path().join("i.json");
    std::fs::write(&issue, overfull_issue(1)).unwrap();
    let o = papertool().arg("pdf").arg(&issue).args(["--template", t.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml: bad template"), "{err}");
    assert!(!dir.path().join("i.pdf").exists());
}
