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

/// `papertool pdf` on `issue` into `dir`, print-ready unless `extra` says otherwise.
fn pdf_of(issue: &Path, dir: &Path, extra: &[&str]) -> (std::process::Output, std::path::PathBuf) {
    let name = issue.file_stem().unwrap().to_string_lossy().into_owned() + extra.join("").as_str() + ".pdf";
    let out_path = dir.join(name);
    let out = papertool().arg("pdf").arg(issue).arg("-o").arg(&out_path).args(extra).output().unwrap();
    (out, out_path)
}

/// Runs an outside tool; `None` (with the reason) when it is missing and CI does not require it.
fn tool(name: &str, args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
    match Command::new(name).args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "{name} is required: {e}");
            eprintln!("skipped: {name} is not installed ({e})");
            None
        }
    }
}

#[test]
fn the_print_pdf_of_every_issue_passes_the_pdfx_check_qpdf_and_pdffonts() {
    let dir = tempfile::tempdir().unwrap();
    for issue in seed().into_iter().chain(samples()) {
        let (out, pdf) = pdf_of(&issue, dir.path(), &[]);
        assert!(out.status.success(), "{}: {}", issue.display(), String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&pdf).unwrap();
        let violations = papertool::pdf::pdfx::check(&bytes);
        assert!(violations.is_empty(), "{}: {violations:#?}", issue.display());
        if let Some(q) = tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) {
            assert!(q.status.success() && !String::from_utf8_lossy(&q.stdout).contains("WARNING"), "{}: qpdf {q:?}", issue.display());
        }
        if let Some(fonts) = tool("pdffonts", &[pdf.as_os_str()]) {
            let text = String::from_utf8_lossy(&fonts.stdout).into_owned();
            let rows: Vec<&str> = text.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{text}");
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                let (emb, sub, uni) = (cols[cols.len() - 5], cols[cols.len() - 4], cols[cols.len() - 3]);
                assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "{}: {row}", issue.display());
                assert!(!row.contains("Type 3"), "{row}");
            }
        }
    }
}

#[test]
fn the_seed_prints_black_type_on_the_black_plate_alone() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (out, pdf) = pdf_of(&seed, dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let Some(ink) = tool("gs", &["-q".as_ref(), "-o".as_ref(), "-".as_ref(), "-sDEVICE=inkcov".as_ref(), pdf.as_os_str()]) else { return };
    let pages: Vec<[f64; 4]> = String::from_utf8_lossy(&ink.stdout)
        .lines()
        .filter(|l| l.contains("CMYK"))
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().take(4).map(|n| n.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect();
    assert_eq!(pages.len(), 4, "{pages:?}");
    // The seed has no photo: no cyan anywhere; magenta and yellow only for the red masthead
    // and kickers on page 1; pages 2-4 are type and rules in K alone.
    for (i, [c, m, y, k]) in pages.iter().enumerate() {
        assert_eq!(*c, 0.0, "page {}: {:?}", i + 1, pages[i]);
        assert!(*k > 0.0, "page {}: {:?}", i + 1, pages[i]);
        if i > 0 {
            assert_eq!((*m, *y), (0.0, 0.0), "page {}: {:?}", i + 1, pages[i]);
        }
    }
    assert!(pages[0][1] > 0.0 && (pages[0][1] - pages[0][2]).abs() < 1e-6, "masthead red is M = Y: {:?}", pages[0]);
}

#[test]
fn the_seed_print_pdf_passes_qa() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (out, pdf) = pdf_of(&seed, dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let qa = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/qa.py"));
    let args = [qa.as_os_str(), "pdf".as_ref(), pdf.as_os_str(), "--source".as_ref(), seed.as_os_str(), "--pages".as_ref(), "4".as_ref()];
    let Some(report) = tool("python3", &args) else { return };
    assert!(report.status.success(), "{}{}", String::from_utf8_lossy(&report.stdout), String::from_utf8_lossy(&report.stderr));
}

#[test]
fn the_screen_edition_keeps_links_and_the_print_edition_drops_them() {
    let jialing = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/jialing-2025-10-15.txt"));
    let dir = tempfile::tempdir().unwrap();
    let (out, print) = pdf_of(jialing, dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (out, screen) = pdf_of(jialing, dir.path(), &["--no-pdfx"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let links = |path: &Path| {
        let doc = Document::load(path).unwrap();
        // printpdf writes annotations inline, which lopdf's get_page_annotations skips.
        let count: usize = doc
            .get_pages()
            .values()
            .filter_map(|p| doc.get_dictionary(*p).ok()?.get(b"Annots").ok()?.as_array().ok().map(Vec::len))
            .sum();
        (count, doc.catalog().unwrap().has(b"Outlines"))
    };
    let (screen_links, screen_outline) = links(&screen);
    assert!(screen_links > 0 && screen_outline, "the screen edition has its jump links and outline");
    assert_eq!(links(&print), (0, true), "print: no annotations inside the trim, the outline stays");
    assert!(!papertool::pdf::pdfx::check(&std::fs::read(&screen).unwrap()).is_empty(), "the screen edition claims no PDF/X");
}

#[test]
fn an_undated_issue_is_refused_in_print_mode_and_made_as_a_screen_edition() {
    let dir = tempfile::tempdir().unwrap();
    let jialing = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/jialing-2025-10-15.txt"));
    let model = papertool().arg("parse").arg(jialing).output().unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&model.stdout).unwrap();
    json["masthead"]["date"] = serde_json::Value::Null;
    let undated = dir.path().join("undated.json");
    std::fs::write(&undated, serde_json::to_vec(&json).unwrap()).unwrap();
    let (out, print) = pdf_of(&undated, dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("no issue date") && stderr.contains("--no-pdfx"), "{stderr}");
    assert!(!print.exists(), "nothing written");
    let (out, screen) = pdf_of(&undated, dir.path(), &["--no-pdfx"]);
    assert!(out.status.success() && screen.exists(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_print_pdf_is_the_same_run_to_run() {
    let binjiang = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/binjiang-2025-11-07.txt"));
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (_, a) = pdf_of(binjiang, one.path(), &[]);
    let (_, b) = pdf_of(binjiang, two.path(), &[]);
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}
