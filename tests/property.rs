//! Nothing lost, as a property: random issues built from the samples' constructs (masthead,
//! page markers and running heads, kicker/headline/subtitle groups, bylines, crossheads,
//! paragraphs cut at column breaks, jumps and continuations, briefs, 副刊 author lines, photos
//! with captions and credits, promos) → every Han character of the generated content is in the
//! EPUB's text and in the PDF's text (`pdftotext`; that half is skipped, saying so, when it is
//! not installed, unless `PAPERTOOL_REQUIRE_VALIDATORS` is set).

mod common;

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

/// One article in one of the samples' shapes: a plain headline, a kicker line above it, a
/// kicker–headline–subtitle group, a brief (■) or a 副刊 piece with its author line (□); a
/// byline opening the body; a crosshead; paragraphs; optionally a promo line (扫码…).
fn article() -> impl Strategy<Value = String> {
    (
        han(4..12),
        han(4..10),
        han(6..12),
        han(2..4),
        proptest::collection::vec(han(20..80), 1..4),
        proptest::option::of(han(4..8)),
        proptest::option::of(han(6..14)),
        0..5u8,
    )
        .prop_map(|(headline, kicker, subtitle, reporter, paragraphs, crosshead, promo, shape)| {
            let mut s = String::new();
            match shape {
                0 => s.push_str(&format!("## {headline}\n\n本报讯（记者 {reporter}）")),
                1 => s.push_str(&format!("{kicker}\n\n## {headline}\n\n本报讯（记者 {reporter}）")),
                2 => s.push_str(&format!("## {kicker}\n\n# {headline}\n\n{subtitle}\n\n本报讯（通讯员 {reporter}）")),
                3 => s.push_str(&format!("■ {headline}\n\n")),
                _ => s.push_str(&format!("## {headline}\n\n□ {reporter}\n\n")),
            }
            for (i, p) in paragraphs.iter().enumerate() {
                if i == 1 {
                    if let Some(c) = &crosshead {
                        s.push_str(&format!("\n\n## {c}\n\n"));
                    }
                }
                s.push_str(p);
                s.push_str("。\n\n");
            }
            if let Some(p) = promo {
                s.push_str(&format!("扫码关注{p}\n\n"));
            }
            s
        })
}

/// A whole issue: the masthead, page 1 with an article jumping to page 2 (（下转2版）, cut at a
/// column break in mid-word as the extraction leaves it) and a photo with its caption and credit,
/// then page 2 with its running head, the jump's continuation (（上接1版）) and more articles.
/// Returns the text and the part of it whose Han characters must reach both editions.
fn issue() -> impl Strategy<Value = (String, String)> {
    (proptest::collection::vec(article(), 0..3), (han(6..10), han(30..90), han(30..90)), proptest::collection::vec(article(), 0..3), han(10..30), han(2..4))
        .prop_map(|(page1, (jump_head, before, after), page2, caption, photographer)| {
            let mut content = String::new();
            let cut = before.chars().count() / 2;
            let (left, right): (String, String) = (before.chars().take(cut).collect(), before.chars().skip(cut).collect());
            content.push_str(&format!("## {jump_head}\n\n本报讯（记者 {photographer}）{left}\n{right}\n\n（下转2版）\n\n"));
            for a in &page1 {
                content.push_str(a);
            }
            content.push_str(&format!("![{caption}](photo.jpg)\n\n{caption}。\n\n记者 {photographer} 摄\n\n"));
            content.push_str("第 2 版\n\n测试报 2025年10月15日 星期三 第2版 综合 责任编辑:王某\n\n");
            content.push_str(&format!("## {jump_head}\n\n（上接1版）{after}。\n\n"));
            for a in &page2 {
                content.push_str(a);
            }
            let text = format!("# 测试报\n\n2025年10月15日 星期三\n\n第1期\n\n今日4版\n\n{content}");
            // Not content to account for: the page marker and running head (the editions set
            // their own heads), the jump lines (navigation: the EPUB reads the article whole) and
            // the photo's line (its alt text is the caption's, and the PDF shows the photo).
            let content = content
                .replace("第 2 版\n\n测试报 2025年10月15日 星期三 第2版 综合 责任编辑:王某", "")
                .replace("（下转2版）", "")
                .replace("（上接1版）", "")
                .replace(&format!("![{caption}](photo.jpg)"), "");
            (text, content)
        })
}

fn has_pdftotext() -> bool {
    Command::new("pdftotext").arg("-v").output().is_ok()
}


/// The Han characters of `content` that `out` has fewer of than `content` (the editions may
/// repeat a headline, never drop a character), each with the two counts.
fn lost(content: &str, out: &str) -> String {
    let is_han = |c: &char| matches!(*c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3134F);
    let count = |s: &str| {
        let mut m = std::collections::BTreeMap::new();
        for c in s.chars().filter(is_han) {
            *m.entry(c).or_insert(0usize) += 1;
        }
        m
    };
    let have = count(out);
    count(content)
        .into_iter()
        .filter(|(c, n)| have.get(c).copied().unwrap_or(0) < *n)
        .map(|(c, n)| format!("{c} ({} of {n}) ", have.get(&c).copied().unwrap_or(0)))
        .collect()
}

proptest! {
    // Each case builds both editions (about 0.2 s): two dozen keep the test well under a minute.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_han_character_reaches_both_editions((text, content) in issue()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("issue.txt");
        std::fs::write(&input, &text).unwrap();
        std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/images/jialing-riverside.jpg"), dir.path().join("photo.jpg")).unwrap();
        let out = Command::new(BIN).args(["all", "-q"]).arg(&input).output().unwrap();
        prop_assert!(out.status.success(), "papertool all failed: {}", String::from_utf8_lossy(&out.stderr));
        let epub = common::epub_text(&dir.path().join("issue.epub"));
        let missing = lost(&content, &epub);
        prop_assert!(missing.is_empty(), "lost from the EPUB: {missing}");
        if !has_pdftotext() {
            assert!(std::env::var_os(REQUIRE).is_none(), "pdftotext is required ({REQUIRE} is set)");
            eprintln!("skipped the PDF half: pdftotext is not installed");
            return Ok(());
        }
        let pdf = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(dir.path().join("issue.pdf")).arg("-").output().unwrap();
        prop_assert!(pdf.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&pdf.stderr));
        let pdf_text = String::from_utf8_lossy(&pdf.stdout);
        let missing = lost(&content, &pdf_text);
        prop_assert!(missing.is_empty(), "lost from the PDF: {missing}");
    }
}
