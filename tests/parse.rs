//! Whole-command tests of `papertool parse` and `papertool check`: the seed front page (read from
//! `../shared/seed/`), the samples and their golden JSON, stdin, `--help`, the model read back
//! from its JSON, and properties of the parser on random text.

mod common;

use std::fs;

use common::{assert_nothing_lost, papertool, repo, samples, seed};
use papertool::model::{Article, Block, Issue};

fn parse_output(args: &[&str]) -> (Issue, String) {
    let out = papertool(args);
    assert!(out.status.success(), "papertool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let issue: Issue = serde_json::from_slice(&out.stdout).expect("parse prints the model as JSON");
    (issue, String::from_utf8(out.stderr).unwrap())
}

/// Line `n` (1-based) of `text`, trimmed of markdown heading marks: the tests of the seed take
/// what they expect from the seed itself by line number, so that none of its text is copied here.
fn line(text: &str, n: usize) -> String {
    text.split('\n').nth(n - 1).unwrap().trim().trim_start_matches('#').trim().to_string()
}

fn paragraphs(a: &Article) -> Vec<&str> {
    a.blocks.iter().filter_map(|b| if let Block::Paragraph { text, .. } = b { Some(text.as_str()) } else { None }).collect()
}

fn count(a: &Article, f: fn(&Block) -> bool) -> usize {
    a.blocks.iter().filter(|b| f(b)).count()
}

#[test]
fn seed_masthead() {
    let Some(path) = seed() else { return };
    let text = fs::read_to_string(&path).unwrap();
    let (issue, _) = parse_output(&["parse", path.to_str().unwrap()]);
    let m = &issue.masthead;
    assert_eq!(issue.schema, "papertool.issue/1");
    assert_eq!(issue.encoding.as_deref(), Some("utf-8"));
    assert_eq!(m.paper.as_deref(), Some("渝中报"));
    assert_eq!(m.date.as_deref(), Some("2025-09-01"));
    assert_eq!(m.weekday.as_deref(), Some("星期一"));
    assert_eq!(m.lunar_date.as_deref(), Some("乙巳年七月初十"));
    assert_eq!((m.issue_number, m.total_issue_number, m.page_count), (Some(99), Some(2230), 4));
    assert_eq!(m.permit.as_deref(), Some("渝内字第538号"));
    assert_eq!(m.frequency.as_deref(), Some("每周一、三、五出版"));
    assert_eq!(m.publisher.as_deref(), Some(line(&text, 32).as_str()));
    let contacts: Vec<String> = line(&text, 30).split_whitespace().map(|c| c.replace(':', "：")).collect();
    assert_eq!(m.contacts, contacts);
    assert_eq!(contacts.len(), 2);
}

#[test]
fn seed_articles() {
    let Some(path) = seed() else { return };
    let text = fs::read_to_string(&path).unwrap();
    let l = |n| line(&text, n);
    let (issue, _) = parse_output(&["parse", path.to_str().unwrap()]);
    assert_eq!(issue.pages.len(), 1);
    assert_eq!(issue.pages[0].number, 1);
    let arts = &issue.pages[0].articles;
    assert_eq!(arts.len(), 7, "ear brief + 6");

    // The ear brief: its hard-wrapped headline joined, one paragraph.
    let ear = &arts[0];
    assert!(ear.ear && arts[1..].iter().all(|a| !a.ear));
    assert_eq!(ear.headline.as_deref(), Some(format!("{}{}", l(21), l(22)).as_str()));
    assert_eq!(paragraphs(ear).len(), 1);
    assert!(paragraphs(ear)[0].ends_with(&l(26)));
    assert_eq!(ear.lines, [21, 26]);

    // Plain kicker, `##` headline, byline off the first paragraph, jump, promo after the jump.
    let a = &arts[1];
    assert_eq!((a.kicker.as_deref(), a.headline.as_deref(), a.subtitle.as_deref(), a.banner.as_deref()), (Some(l(34).as_str()), Some(l(36).as_str()), None, None));
    assert!(a.byline.as_deref().is_some_and(|b| b.starts_with("本报讯（") && b.ends_with('）')), "{:?}", a.byline);
    assert_eq!(a.author.as_deref(), Some("李一"));
    assert_eq!(paragraphs(a).len(), 5);
    assert!(paragraphs(a)[0].starts_with("8月29日，"));
    assert_eq!(a.jump_to, Some(2));
    assert_eq!(a.blocks.last(), Some(&Block::Promo { text: l(52), line: 52 }));

    // `##` kicker, `#` headline, plain subtitle; two paragraphs cut at column breaks joined.
    let a = &arts[2];
    assert_eq!((a.kicker.as_deref(), a.headline.as_deref(), a.subtitle.as_deref()), (Some(l(54).as_str()), Some(l(56).as_str()), Some(l(58).as_str())));
    assert_eq!(a.author.as_deref(), Some("袁侨德"));
    let ps = paragraphs(a);
    assert_eq!(ps.len(), 4);
    let seam = |a: usize, b: usize| {
        let (x, y) = (l(a), l(b));
        let tail: String = x.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
        format!("{tail}{}", y.chars().take(2).collect::<String>())
    };
    assert!(ps[1].contains(&seam(62, 64)), "column-break join");
    assert!(ps[2].contains(&seam(66, 68)), "column-break join");
    assert_eq!(a.jump_to, Some(2));

    // The `##` line holding headline and subtitle run together: the first phrase is the headline.
    let a = &arts[3];
    let run = l(76);
    let (head, sub) = run.split_once(' ').unwrap();
    assert_eq!((a.headline.as_deref(), a.subtitle.as_deref()), (Some(head), Some(sub)));
    assert_eq!(paragraphs(a).len(), 4);
    assert_eq!(a.jump_to, None);
    assert_eq!(a.blocks.last(), Some(&Block::Promo { text: l(96), line: 96 }));

    let a = &arts[4];
    assert_eq!((a.kicker.as_deref(), a.headline.as_deref()), (None, Some(l(98).as_str())));
    assert_eq!((paragraphs(a).len(), a.jump_to), (3, Some(2)));

    // Banner, headline, subtitle; two crossheads (主 + 副); caption and credit after the jump.
    let a = &arts[5];
    assert_eq!(a.banner.as_deref(), Some(l(110).as_str()));
    assert_eq!((a.headline.as_deref(), a.subtitle.as_deref(), a.byline.as_deref()), (Some(l(112).as_str()), Some(l(114).as_str()), None));
    let crossheads: Vec<&Block> = a.blocks.iter().filter(|b| matches!(b, Block::Crosshead { .. })).collect();
    assert_eq!(crossheads, vec![&Block::Crosshead { text: l(120), line: 120 }, &Block::Crosshead { text: l(122), line: 122 }]);
    assert_eq!(paragraphs(a).len(), 3);
    assert_eq!(a.blocks.last(), Some(&Block::Caption { text: l(130), credit: Some(l(132)), line: 130 }));
    assert_eq!(a.jump_to, Some(2));

    let a = &arts[6];
    assert_eq!((a.headline.as_deref(), a.author.as_deref(), paragraphs(a).len(), a.jump_to), (Some(l(134).as_str()), Some("刘侃"), 3, Some(2)));
    assert_eq!(count(a, |b| matches!(b, Block::Caption { .. } | Block::Promo { .. })), 0);

    // No ASCII punctuation left next to Chinese in the body; numbers kept.
    for (_, art) in issue.articles() {
        for p in paragraphs(art) {
            assert!(!p.contains(",") && !p.contains('(') && !p.contains(')'), "{p}");
        }
    }
}

#[test]
fn seed_warnings() {
    let Some(path) = seed() else { return };
    let (issue, stderr) = parse_output(&["parse", path.to_str().unwrap()]);
    let shown = path.to_str().unwrap();
    let lines: Vec<u32> = issue.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, vec![48, 74, 92, 108, 126, 144], "{:?}", issue.warnings);
    let mid = &issue.warnings[2];
    let head = issue.pages[0].articles[3].headline.clone().unwrap();
    assert_eq!(mid.message, format!("article \"{head}\" ends mid-sentence and has no jump line"));
    for w in &issue.warnings {
        if w.line != 92 {
            assert!(w.message.ends_with("jumps to page 2, which is not in this text"), "{}", w.message);
        }
        assert!(stderr.contains(&format!("{shown}:{}: warning: {}\n", w.line, w.message)), "{stderr}");
    }
}

#[test]
fn seed_loses_no_character() {
    let Some(path) = seed() else { return };
    let text = fs::read_to_string(&path).unwrap();
    let (issue, _) = parse_output(&["parse", path.to_str().unwrap()]);
    assert_nothing_lost(&text, &issue, "seed");
}

/// Each `samples/NAME.txt` parses to exactly `samples/NAME.json`. `UPDATE_GOLDEN=1 cargo test`
/// rewrites the goldens; review the diff.
#[test]
fn samples_match_their_golden_json() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let list = samples();
    assert!(list.len() >= 2, "samples/*.txt");
    for path in list {
        let rel = path.strip_prefix(repo()).unwrap().to_str().unwrap().to_string();
        let out = papertool(&["parse", &rel]);
        assert!(out.status.success(), "{rel}: {}", String::from_utf8_lossy(&out.stderr));
        let golden = path.with_extension("json");
        if update {
            fs::write(&golden, &out.stdout).unwrap();
            eprintln!("updated {}", golden.display());
            continue;
        }
        let want = fs::read_to_string(&golden).unwrap_or_else(|_| panic!("{}: no golden; run UPDATE_GOLDEN=1 cargo test", golden.display()));
        let got = String::from_utf8(out.stdout).unwrap();
        if got != want {
            let at = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(got.lines().count().min(want.lines().count()));
            panic!(
                "{rel}: output differs from {} at line {}:\n  got:  {}\n  want: {}\n(UPDATE_GOLDEN=1 cargo test rewrites it; review the diff)",
                golden.display(),
                at + 1,
                got.lines().nth(at).unwrap_or("<end>"),
                want.lines().nth(at).unwrap_or("<end>")
            );
        }
    }
}

#[test]
fn samples_lose_no_character() {
    for path in samples() {
        let bytes = fs::read(&path).unwrap();
        let issue = papertool::frontend::from_bytes(&bytes, "sample").unwrap();
        let text = papertool::frontend::decode::decode(&bytes).unwrap().text;
        assert_nothing_lost(&text, &issue, &path.display().to_string());
    }
}

#[test]
fn jialing_sample_structure() {
    let (issue, stderr) = parse_output(&["parse", "samples/jialing-2025-10-15.txt"]);
    let pages: Vec<(u32, Option<&str>)> = issue.pages.iter().map(|p| (p.number, p.section.as_deref())).collect();
    assert_eq!(pages, vec![(1, None), (2, Some("综合")), (3, Some("文化")), (4, Some("副刊"))]);
    assert_eq!(issue.pages[1].editor.as_deref(), Some("何晓帆"));
    assert_eq!(issue.masthead.paper.as_deref(), Some("嘉陵报"));
    assert_eq!(issue.masthead.date.as_deref(), Some("2025-10-15"));
    // Every jump on page 1 but the one to page 4 finds its continuation; read whole, each is two parts.
    let mut linked = 0;
    for (at, a) in issue.articles() {
        if a.jump_to.is_some() && a.jump_to != Some(4) {
            let whole = issue.whole_article(at);
            assert_eq!(whole.len(), 2, "{:?}", a.headline);
            assert_eq!(issue.article(whole[1]).continued_from, Some(issue.pages[at.page].number));
            linked += 1;
        }
    }
    assert!(linked >= 4, "{linked}");
    let page4 = &issue.pages[3];
    assert!(page4.articles.iter().filter(|a| a.blocks.iter().any(|b| matches!(b, Block::Verse { .. }))).count() >= 3);
    let images: Vec<&Block> = issue.articles().flat_map(|(_, a)| a.blocks.iter()).filter(|b| matches!(b, Block::Image { .. })).collect();
    assert_eq!(images.len(), 1);
    // Briefs: one paragraph each.
    let briefs = issue.articles().map(|(_, a)| a).find(|a| paragraphs(a).iter().filter(|p| p.starts_with('■')).count() >= 10);
    assert!(briefs.is_some());
    let warned: Vec<u32> = issue.warnings.iter().map(|w| w.line).collect();
    assert_eq!(warned, vec![98, 116], "{:?}", issue.warnings);
    assert!(!stderr.contains("note:"), "UTF-8 input needs no encoding note");
}

#[test]
fn gb18030_sample_is_decoded_and_noted() {
    let out = papertool(&["check", "samples/binjiang-2025-11-07.txt"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("encoding: gb18030"), "{stdout}");
    assert!(stdout.contains("note: decoded as GB18030"), "{stdout}");
    let (issue, stderr) = parse_output(&["parse", "samples/binjiang-2025-11-07.txt"]);
    assert!(stderr.contains("samples/binjiang-2025-11-07.txt: note: decoded as GB18030"), "{stderr}");
    assert_eq!(issue.encoding.as_deref(), Some("gb18030"));
    assert_eq!(issue.pages.iter().map(|p| p.number).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn model_json_reads_back_as_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    for path in samples() {
        let json = dir.path().join("model.json");
        let out = papertool(&["parse", path.to_str().unwrap(), "-o", json.to_str().unwrap()]);
        assert!(out.status.success());
        let first = fs::read(&json).unwrap();
        let again = papertool(&["parse", json.to_str().unwrap()]);
        assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
        assert_eq!(again.stdout, first, "{}", path.display());
    }
}

#[test]
fn stdin_is_read_for_dash() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_papertool"))
        .args(["parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("## 标题\n\n正文，说完了。\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let issue: Issue = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(issue.pages[0].articles[0].headline.as_deref(), Some("标题"));
}

#[test]
fn check_summarizes_and_strict_fails_on_warnings() {
    let out = papertool(&["check", "samples/jialing-2025-10-15.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    for want in [
        "samples/jialing-2025-10-15.txt: 嘉陵报 2025-10-15 星期三",
        "pages in this text: 1, 2, 3, 4",
        "page 2 综合 (editor 何晓帆):",
        "kicker: ",
        "subtitle: ",
        "byline: 本报讯（",
        "jumps to page 2",
        "continued from page 1",
        "samples/jialing-2025-10-15.txt:98: warning: article",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    assert_eq!(papertool(&["check", "--strict", "samples/jialing-2025-10-15.txt"]).status.code(), Some(1));
    // An issue with nothing to warn about passes --strict.
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.txt");
    fs::write(&clean, "## 标题\n\n本报讯(记者 甲某)正文，说完了。\n").unwrap();
    let out = papertool(&["check", "--strict", clean.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8(out.stdout).unwrap().contains("0 warnings"));
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let top = String::from_utf8(papertool(&["--help"]).stdout).unwrap();
    assert!(top.contains("papertool parse") && top.contains("papertool check") && top.contains("Exit status"), "{top}");
    for sub in ["parse", "check"] {
        let help = String::from_utf8(papertool(&[sub, "--help"]).stdout).unwrap();
        assert!(help.contains(&format!("papertool {sub} ")) && help.contains("Exit status"), "{help}");
    }
}

mod properties {
    use super::common::{assert_nothing_lost, input_han, model_han};
    use proptest::prelude::*;

    /// Pieces of an issue's text: words, punctuation both ASCII and full-width, markdown marks,
    /// bylines, credits, promos, hard breaks. No 第/版/年/月/日/期 outside the whole-line markers
    /// below, so that what the test counts as markup is exactly what the parser drops.
    const PIECES: &[&str] = &[
        "江水", "会议", "研究部署", "群众", "发展", "山城", "灯火", "嘉陵", "AI", "2025", "1,200", "19:30",
        "，", "。", ",", ";", ":", "!", "?", "(", ")", "（", "）", "...", "、", "“", "”", " ", "  ",
        "# ", "## ", "### ", "■ ", "□ ", "记者 ", "本报讯(记者 甲某)", "扫码关注", "团委供图", "张某 摄",
        "![图](a.jpg)", " | ", "——", "http://a.cn/x?y=1,2", "《书名 之二》",
    ];
    const MARKERS: &[&str] = &["(下转2版)", "(上接1版)", "（下转第3版）", "第2版", "第3版 综合", "<!-- page 4 -->", "\u{000C}", ""];

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => proptest::collection::vec(proptest::sample::select(PIECES), 0..10).prop_map(|v| v.concat()),
            1 => proptest::sample::select(MARKERS).prop_map(str::to_string),
            1 => (proptest::collection::vec(proptest::sample::select(PIECES), 1..6), proptest::sample::select(&["(下转2版)", "（下转4版）"][..]))
                .prop_map(|(v, j)| format!("{}{j}", v.concat())),
        ]
    }

    fn issue_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(line(), 1..40).prop_map(|v| v.join("\n"))
    }

    proptest! {
        // 256 cases by default; `PROPTEST_CASES=20000 cargo test --release properties` digs deeper.
        #[test]
        fn random_issue_text_loses_no_character(text in issue_text()) {
            let issue = papertool::frontend::parse(&text);
            prop_assert_eq!(input_han(&text), model_han(&issue), "text: {:?}", text);
            assert_nothing_lost(&text, &issue, "random");
        }

        #[test]
        fn any_text_never_panics_and_reads_back(text in "\\PC{0,400}") {
            let issue = papertool::frontend::parse(&text);
            let json = serde_json::to_string(&issue).unwrap();
            let back: papertool::model::Issue = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, issue);
        }
    }
}
