//! Helpers shared by the whole-command tests: running the binary, finding the seed, and the
//! "nothing lost" accounting of Han characters between an input and its model.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

use papertool::model::{Block, Issue};
use regex::Regex;

pub const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt");

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `papertool ARGS` in the repository root.
pub fn papertool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_papertool"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run papertool")
}

/// The seed issue's path, or `None` (with the reason printed) when `../shared` is not beside the
/// repository; with `PAPERTOOL_REQUIRE_VALIDATORS` set its absence fails the test instead.
pub fn seed() -> Option<PathBuf> {
    let p = PathBuf::from(SEED);
    if p.is_file() {
        return Some(p);
    }
    if std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_some() {
        panic!("the seed issue {SEED} is missing and PAPERTOOL_REQUIRE_VALIDATORS is set");
    }
    eprintln!("skipped: the seed issue {SEED} is not there (../shared beside the repository)");
    None
}

/// The issue's text samples: every `samples/*.txt`.
pub fn samples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("samples"))
        .expect("samples/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

pub type Chars = BTreeMap<char, usize>;

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

pub fn han(s: &str, into: &mut Chars) {
    for c in s.chars().filter(|c| is_han(*c)) {
        *into.entry(c).or_default() += 1;
    }
}

/// Lines that are layout, not content: page labels, running heads, page comments, and the
/// masthead's date and numbers (which the model holds as an ISO date and numbers).
static MARKUP_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(?:#{1,6}\s*)?(?:",
        r"第\s*[0-9一二三四五六七八九十]{1,3}\s*版(?:\s*[|｜·・:：]?\s*\S{1,12})?",
        r"|.{0,12}\d{4}年\d{1,2}月\d{1,2}日.*第\s*[0-9一二三四五六七八九十]{1,3}\s*版.*",
        r"|<!--.*-->",
        r"|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?",
        r"|第\s*\d+\s*期|[(（]\s*总第\s*\d+\s*期\s*[)）]|今日\s*[0-9一二三四五六七八九十]{1,2}\s*版",
        r")\s*$"
    ))
    .unwrap()
});
/// Jump marks at the end of a line and continuation marks at its start.
static JUMP_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(?:下转|转)\s*第?\s*[0-9一二三四五六七八九十]{1,3}\s*版\s*[)）]\s*$|^\s*[(（]\s*(?:上接|接)\s*第?\s*[0-9一二三四五六七八九十]{1,3}\s*版\s*[)）]").unwrap()
});

/// The Han characters of an issue's content: its text less markup lines and jump marks.
pub fn input_han(text: &str) -> Chars {
    let mut out = Chars::new();
    for line in text.split(['\n', '\r', '\u{000C}']) {
        if MARKUP_LINE.is_match(line) {
            continue;
        }
        han(&JUMP_MARK.replace_all(line, ""), &mut out);
    }
    out
}

/// The Han characters of every text field of the model, each once (the author repeats the
/// byline and is not counted; page sections and editors come from markup lines).
pub fn model_han(issue: &Issue) -> Chars {
    let mut out = Chars::new();
    let m = &issue.masthead;
    for s in [&m.paper, &m.weekday, &m.lunar_date, &m.permit, &m.frequency, &m.publisher].into_iter().flatten() {
        han(s, &mut out);
    }
    m.contacts.iter().for_each(|c| han(c, &mut out));
    for (_, a) in issue.articles() {
        for s in [&a.banner, &a.kicker, &a.headline, &a.subtitle, &a.byline].into_iter().flatten() {
            han(s, &mut out);
        }
        for b in &a.blocks {
            match b {
                Block::Paragraph { text, .. } | Block::Crosshead { text, .. } | Block::Promo { text, .. } => han(text, &mut out),
                Block::Caption { text, credit, .. } => {
                    han(text, &mut out);
                    credit.iter().for_each(|c| han(c, &mut out));
                }
                Block::Verse { lines, .. } => lines.iter().for_each(|l| han(l, &mut out)),
                Block::Image { alt, .. } => alt.iter().for_each(|a| han(a, &mut out)),
            }
        }
    }
    out
}

/// `a - b` as readable text, for assertion messages.
pub fn difference(a: &Chars, b: &Chars) -> String {
    let mut s = String::new();
    for (c, n) in a {
        let m = b.get(c).copied().unwrap_or(0);
        if *n > m {
            s.push_str(&format!("{c}×{} ", n - m));
        }
    }
    s
}

/// Asserts that `issue` holds exactly the Han characters of `text`'s content.
pub fn assert_nothing_lost(text: &str, issue: &Issue, what: &str) {
    let (input, model) = (input_han(text), model_han(issue));
    assert!(
        input == model,
        "{what}: lost from the model: [{}]; not in the input: [{}]",
        difference(&input, &model),
        difference(&model, &input)
    );
}

/// The text of an EPUB's XHTML documents, concatenated (markup included): what a reader shows.
pub fn epub_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut entry, &mut all).unwrap();
        }
    }
    all
}
