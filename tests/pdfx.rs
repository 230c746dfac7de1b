//! Whole-command tests of the PDF/X side: `papertool pdfx-check` on files made by the pass and
//! on files that break the rules.

use std::path::Path;
use std::process::Command;

use lopdf::{dictionary, Document, Object, Stream};
use papertool::pdf::pdfx::{make_pdfx, IssueDate, PdfxMeta};

fn papertool() -> Command {
    Command::new(env!("CARGO_BIN_EXE_papertool"))
}

/// A one-page PDF without text: an RGB box and a grey rule, an A4-ish broadsheet stand-in.
fn plain_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let content = b"1 0 0 rg 100 100 200 50 re f 0.5 G 2 w 100 90 m 300 90 l S".to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 1105.into(), 1545.into()],
        "Contents" => content_id,
        "Resources" => dictionary! {},
    });
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

fn meta() -> PdfxMeta {
    PdfxMeta {
        title: "滨江报 2025-11-07".into(),
        author: Some("滨江报社".into()),
        subject: None,
        date: IssueDate::parse("2025-11-07").unwrap(),
        bleed_pt: 0.0,
    }
}

fn run_check(path: &Path) -> (i32, String) {
    let out = papertool().arg("pdfx-check").arg(path).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn pdfx_check_fails_a_plain_pdf_and_passes_it_once_made_pdfx() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pdf");
    std::fs::write(&plain, plain_pdf()).unwrap();
    let (code, out) = run_check(&plain);
    assert_eq!(code, 1, "{out}");
    for words in ["version: the header is `%PDF-1.7`", "colour: DeviceRGB colour (`rg`)", "no TrimBox", "0 GTS_PDFX output intents"] {
        assert!(out.contains(words), "{words} missing from\n{out}");
    }

    let made = dir.path().join("made.pdf");
    std::fs::write(&made, make_pdfx(plain_pdf(), &meta()).unwrap()).unwrap();
    let (code, out) = run_check(&made);
    assert_eq!((code, out.trim()), (0, format!("{}: passes PDF/X-1a:2001 (output intent IFRA26)", made.display()).as_str()));
}

#[test]
fn pdfx_check_reports_an_unreadable_file_as_bad_input() {
    let out = papertool().args(["pdfx-check", "no/such/file.pdf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("papertool: no/such/file.pdf: "));
}

#[test]
fn made_plain_pdf_has_grey_as_k_and_red_without_black() {
    let doc = Document::load_mem(&make_pdfx(plain_pdf(), &meta()).unwrap()).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    assert!(content.contains("0 1 1 0 k"), "{content}");
    assert!(content.contains("0 0 0 0.5 K"), "{content}");
    assert!(!content.contains(" rg") && !content.contains(" G\n"), "{content}");
}

/// The seed, read from beside the repository; `None` (with the reason) when it is not there.
fn seed() -> Option<std::path::PathBuf> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt")).to_path_buf();
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "the seed is required: {}", path.display());
    eprintln!("skipped: the seed is not at {}", path.display());
    None
}

fn samples() -> Vec<std::path::PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"));
    let mut found: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    found.sort();
    found
}

#[test]
fn every_issue_gives_dated_pdfx_metadata() {
    let issues: Vec<_> = seed().into_iter().chain(samples()).collect();
    assert!(issues.len() >= 2, "{issues:?}");
    for path in issues {
        let issue = papertool::frontend::load(&path).unwrap();
        let meta = PdfxMeta::for_issue(&issue, 0.0).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let date = issue.masthead.date.clone().unwrap();
        assert!(meta.title.ends_with(&date), "{}: {}", path.display(), meta.title);
        assert!(meta.author.is_some(), "{}: no publisher", path.display());
    }
}
