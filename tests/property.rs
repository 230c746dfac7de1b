//! Nothing lost, as a property: random issues built from the samples' constructs (masthead,
//! page markers, kicker/headline/subtitle groups, bylines, crossheads, paragraphs cut at column
//! breaks, jumps and continuations, briefs, captions with credits) → every Han character of the
//! generated content is in the EPUB's text and in the PDF's text (`pdftotext`).

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_papertool");
const REQUIRE: &str = "PAPERTOOL_REQUIRE_VALIDATORS";

/// Common characters, all in the shipped faces' GBK coverage.
const POOL: &str = "城区新建口袋公园座方便市民就近休闲今年以来利用边角空地街道社区居委会组织志愿者开展清洁活动\
农业部门技术人员深入田间指导群众科学管护产业发展项目投资企业签约入驻学校医院交通道路改造提升文化旅游节";

fn han(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    let pool: Vec<char> = POOL.chars().collect();
    proptest::collection::vec(proptest::sample::select(pool), len).prop_map(|v| v.into_iter().collect())
}

/// One article in one of the samples' shapes.
fn article() -> impl Strategy<Value = String> {
    (han(4..12), proptest::option::of(han(4..10)), proptest::option::of(han(6..12)), han(2..4), proptest::collection::vec(han(20..80), 1..4), proptest::option::of(han(4..8)), 0..4u8)
        .prop_map(|(headline, kicker, subtitle, reporter, paragraphs, crosshead, shape)| {
            let mut s = String::new();
            match shape {
                0 => s.push_str(&format!("## {headline}\n\n")),
                1 => s.push_str(&format!("{}\n\n## {headline}\n\n", kicker.clone().unwrap_or_default())),
                2 => s.push_str(&format!("## {}\n\n# {headline}\n\n{}\n\n", kicker.clone().unwrap_or_else(|| "要闻".into()), subtitle.clone().unwrap_or_default())),
                _ => s.push_str(&format!("■ {headline}\n\n")),
            }
            s.push_str(&format!("本报讯（记者 {reporter}）"));
            for (i, p) in paragraphs.iter().enumerate() {
                if i == 1 {
                    if let Some(c) = &crosshead {
                        s.push_str(&format!("\n\n## {c}\n\n"));
                    }
                }
                s.push_str(p);
                s.push_str("。\n\n");
            }
            s
        })
}

fn issue() -> impl Strategy<Value = (String, String)> {
    (proptest::collection::vec(article(), 1..4), proptest::collection::vec(article(), 0..3), han(10..30)).prop_map(|(page1, page2, photo_caption)| {
        let mut content = String::new();
        for a in &page1 {
            content.push_str(a);
        }
        content.push_str(&format!("{photo_caption}。 记者 王明 摄\n\n"));
        if !page2.is_empty() {
            content.push_str("\n第 2 版\n\n");
            for a in &page2 {
                content.push_str(a);
            }
        }
        let text = format!("# 测试报\n\n2025年10月15日 星期三\n\n第1期\n\n今日4版\n\n{content}");
        (text, content)
    })
}

fn has_pdftotext() -> bool {
    Command::new("pdftotext").arg("-v").output().is_ok()
}

fn epub_text(path: &Path) -> String {
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

fn lost(content: &str, out: &str) -> String {
    let is_han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    let mut missing: Vec<char> = content.chars().filter(is_han).filter(|c| !out.contains(*c)).collect();
    missing.sort();
    missing.dedup();
    missing.into_iter().collect()
}

proptest! {
    // Each case builds both editions: a handful keeps the test well under a minute.
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn every_han_character_reaches_both_editions((text, content) in issue()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("issue.txt");
        std::fs::write(&input, &text).unwrap();
        let out = Command::new(BIN).args(["all", "-q"]).arg(&input).output().unwrap();
        prop_assert!(out.status.success(), "papertool all failed: {}", String::from_utf8_lossy(&out.stderr));
        let epub = epub_text(&dir.path().join("issue.epub"));
        let missing = lost(&content, &epub);
        prop_assert!(missing.is_empty(), "lost from the EPUB: {missing}");
        if !has_pdftotext() {
            assert!(std::env::var_os(REQUIRE).is_none(), "pdftotext is required ({REQUIRE} is set)");
            eprintln!("skipped the PDF half: pdftotext is not installed");
            return Ok(());
        }
        let pdf = Command::new("pdftotext").arg(dir.path().join("issue.pdf")).arg("-").output().unwrap();
        let pdf_text = String::from_utf8_lossy(&pdf.stdout);
        let missing = lost(&content, &pdf_text);
        prop_assert!(missing.is_empty(), "lost from the PDF: {missing}");
    }
}
