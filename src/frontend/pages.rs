//! Stage 2 of the front end: the decoded text cut into 版 (pages).
//!
//! A page starts at any page marker: a form feed; a line holding only a page label (`第2版`,
//! `第 2 版`, `第二版`, optionally with its section: `第2版 综合`, `第2版·综合`, `## 第2版 | 综合`);
//! an inner page's running head (`嘉陵报 2025年10月15日 星期三 第2版 综合 责任编辑:某某`), from
//! which the section and the editor are taken; or an HTML comment `<!-- page 2 -->`. Text before
//! the first marker is page 1. The marker lines themselves are layout, not content: they are not
//! passed on to the line-role stage.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::pattern;
use crate::model::Warning;

/// One source line (or the part of it after a form feed), with its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine<'a> {
    pub number: u32,
    pub text: &'a str,
}

/// What an inner page's running head says besides the page number; checked against the masthead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningHead {
    pub line: u32,
    pub paper: Option<String>,
    /// ISO date.
    pub date: String,
    pub weekday: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourcePage<'a> {
    pub number: u32,
    pub section: Option<String>,
    pub editor: Option<String>,
    pub lines: Vec<SourceLine<'a>>,
    /// True once a marker named this page; pages opened only by a form feed (or page 1 before any
    /// marker) may still be renumbered by a marker that follows before any content.
    explicit: bool,
}

impl SourcePage<'_> {
    fn has_content(&self) -> bool {
        self.lines.iter().any(|l| !l.text.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paged<'a> {
    pub pages: Vec<SourcePage<'a>>,
    pub running_heads: Vec<RunningHead>,
    pub warnings: Vec<Warning>,
}

/// A page label alone on a line: `第2版`, `第 二 版`, `## 第2版 | 综合`, `第2版·综合`.
static PAGE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"^(?:#{1,6}\s*)?第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*版(?:\s*[|｜·・:：—\-]?\s*([\p{Han}A-Za-z0-9·]{1,12}))?\s*$")
});

/// An HTML comment naming a page: `<!-- page 2 -->`, `<!-- page: 2 综合 -->`, `<!-- 第2版 -->`.
static PAGE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)^<!--\s*(?:page\s*[:：]?\s*([0-9]{1,3})|第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*版)\s*(?:[|｜·:：\-]?\s*([\p{Han}A-Za-z0-9·]{1,12}))?\s*-->$")
});

/// Any other HTML comment: markup, not content.
static OTHER_COMMENT: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^<!--.*-->$"));

/// The parts of a running head: a date and `第N版` on one short line.
static HEAD_DATE: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"));
static HEAD_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"第\s*([0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*版")
});
static HEAD_WEEKDAY: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"星期[一二三四五六日天]"));
static HEAD_EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?:责任编辑|责编|本版编辑|编辑)\s*[:：]?\s*([\p{Han}·]{2,6}(?:\s*[、,，/]\s*[\p{Han}·]{2,6})*)")
});
/// Other staff credits a running head may carry after the editor; not part of the section name.
static HEAD_STAFF: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?:责任编辑|责编|本版编辑|编辑|美术编辑|美编|校对|版式|设计|组版)\s*[:：]")
});

/// A running head is a short line; anything longer is a sentence that mentions a page.
const MAX_RUNNING_HEAD_CHARS: usize = 80;
/// Paper names are a few characters (`嘉陵报`, `重庆日报`); more is a sentence, not a head.
const MAX_PAPER_NAME_CHARS: usize = 12;
/// Section names are short (`要闻`, `综合`, `文化副刊`).
const MAX_SECTION_CHARS: usize = 12;

/// What a marker line says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    Page { number: u32, section: Option<String>, editor: Option<String>, head: Option<RunningHead> },
    /// An HTML comment that names no page: dropped like a blank line.
    Comment,
}

/// `1`–`999` in digits or `一`–`九十九` in Chinese numerals.
pub fn page_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return (n > 0).then_some(n);
    }
    chinese_number(s)
}

/// Chinese numerals up to 99: `七`, `十`, `十二`, `二十`, `二十三`.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u32 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

fn marker(line: u32, text: &str) -> Option<Marker> {
    let t = text.trim();
    // Every marker is a short line; most lines are long paragraphs, kept off the patterns.
    if t.is_empty() || t.len() > MAX_RUNNING_HEAD_CHARS * 3 {
        return None;
    }
    // A page label holds `第N版`: most short lines do not, and are kept off the pattern.
    if let Some(c) = (t.contains('第') && t.contains('版')).then(|| PAGE_LABEL.captures(t)).flatten() {
        return Some(Marker::Page {
            number: page_number(&c[1])?,
            section: c.get(2).map(|m| m.as_str().to_string()),
            editor: None,
            head: None,
        });
    }
    // Only an HTML comment can be a page comment or other markup.
    let comment = t.starts_with("<!--");
    if let Some(c) = comment.then(|| PAGE_COMMENT.captures(t)).flatten() {
        let n = c.get(1).or(c.get(2)).map(|m| m.as_str()).and_then(page_number)?;
        return Some(Marker::Page { number: n, section: c.get(3).map(|m| m.as_str().to_string()), editor: None, head: None });
    }
    if comment && OTHER_COMMENT.is_match(t) {
        return Some(Marker::Comment);
    }
    running_head(line, t)
}

/// `嘉陵报 2025年10月15日 星期三 第2版 综合 责任编辑:某某` → page 2, section 综合, editor 某某.
fn running_head(line: u32, t: &str) -> Option<Marker> {
    // Both patterns are searched for anywhere in the line: without their characters it is
    // not searched at all.
    if t.chars().count() > MAX_RUNNING_HEAD_CHARS || t.ends_with('。') || !(t.contains('年') && t.contains('版')) {
        return None;
    }
    let date = HEAD_DATE.captures(t)?;
    let page = HEAD_PAGE.captures(t)?;
    let number = page_number(&page[1])?;
    let iso = iso_date(&date[1], &date[2], &date[3])?;
    let (date_at, page_at) = (date.get(0)?, page.get(0)?);
    // The order is paper, date (weekday), page label: between the date and `第N版` only the
    // weekday may stand, so a sentence citing a page of some dated issue is not taken for a head.
    if date_at.end() > page_at.start() {
        return None;
    }
    let between = HEAD_WEEKDAY.replace(&t[date_at.end()..page_at.start()], "");
    if !between.trim_matches(|c: char| c.is_whitespace() || "|｜·・".contains(c)).is_empty() {
        return None;
    }
    let before_date = t[..date_at.start()].trim().trim_start_matches('#').trim();
    if before_date.chars().count() > MAX_PAPER_NAME_CHARS || before_date.contains(char::is_whitespace) {
        return None;
    }
    let paper = (!before_date.is_empty()).then(|| before_date.to_string());
    // The section is what follows `第N版`, up to the staff credits.
    let after_page = &t[page_at.end()..];
    let section_end = HEAD_STAFF.find(after_page).map(|m| m.start()).unwrap_or(after_page.len());
    let section = after_page[..section_end]
        .trim_matches(|c: char| c.is_whitespace() || "|｜·・:：—-".contains(c))
        .to_string();
    let section = (!section.is_empty() && section.chars().count() <= MAX_SECTION_CHARS).then_some(section);
    // Every editor credit has 编 in it (编辑, 责编): without it the pattern is not compiled.
    let editor = after_page.contains('编').then(|| HEAD_EDITOR.captures(after_page)).flatten().map(|c| c[1].to_string());
    let weekday = HEAD_WEEKDAY.find(t).map(|m| m.as_str().to_string());
    Some(Marker::Page {
        number,
        section,
        editor,
        head: Some(RunningHead { line, paper, date: iso, weekday }),
    })
}

/// `2025`, `9`, `1` → `2025-09-01`, when it is a real calendar date.
pub fn iso_date(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    (1..=12).contains(&m).then_some(())?;
    (1..=days_in_month(y, m)).contains(&d).then_some(())?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The weekday of an ISO date as printed in a masthead, `星期一` … `星期日` (Sakamoto's method).
pub fn weekday_of(iso: &str) -> Option<&'static str> {
    let mut parts = iso.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let dow = (y + y / 4 - y / 100 + y / 400 + OFFSETS[(m - 1) as usize] + d).rem_euclid(7);
    Some(["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"][dow as usize])
}

/// Cuts `text` into pages. Marker lines are consumed; every other line, blank ones included, goes
/// to exactly one page in order.
pub fn split_pages(text: &str) -> Paged<'_> {
    let mut pages = vec![SourcePage { number: 1, section: None, editor: None, lines: vec![], explicit: false }];
    let mut running_heads = vec![];
    let mut warnings = vec![];
    for (i, raw) in text.split('\n').enumerate() {
        let number = i as u32 + 1;
        for (k, piece) in raw.split('\u{000C}').enumerate() {
            if k > 0 {
                // A form feed: the next page, numbered one on unless a marker says otherwise.
                let next = pages.last().map_or(1, |p| p.number + 1);
                pages.push(SourcePage { number: next, section: None, editor: None, lines: vec![], explicit: false });
            }
            match marker(number, piece) {
                Some(Marker::Comment) => {}
                Some(Marker::Page { number: n, section, editor, head }) => {
                    if let Some(h) = head {
                        running_heads.push(h);
                    }
                    open_page(&mut pages, n, section, editor, number, &mut warnings);
                }
                None => pages.last_mut().expect("always one page").lines.push(SourceLine { number, text: piece }),
            }
        }
    }
    // Pages opened only by a form feed and left empty (a trailing form feed) are not pages.
    if pages.len() > 1 {
        pages.retain(|p| p.explicit || p.has_content());
    }
    Paged { pages, running_heads, warnings }
}

fn open_page(pages: &mut Vec<SourcePage<'_>>, n: u32, section: Option<String>, editor: Option<String>, line: u32, warnings: &mut Vec<Warning>) {
    let cur = pages.last_mut().expect("always one page");
    let same = cur.number == n;
    if same || (!cur.explicit && !cur.has_content()) {
        // The marker names the page we are on (a running head after a form feed, a label and a
        // running head both), or renumbers one that has no content yet.
        cur.number = n;
        cur.explicit = true;
        if section.is_some() {
            cur.section = section;
        }
        if editor.is_some() {
            cur.editor = editor;
        }
        return;
    }
    let prev = cur.number;
    if pages.iter().any(|p| p.number == n) {
        warnings.push(Warning { line, message: format!("page {n} appears a second time; kept as a separate page") });
    } else if n < prev {
        warnings.push(Warning { line, message: format!("page {n} comes after page {prev}: pages are out of order") });
    }
    pages.push(SourcePage { number: n, section, editor, lines: vec![], explicit: true });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<(u32, Vec<u32>)> {
        split_pages(text)
            .pages
            .iter()
            .map(|p| (p.number, p.lines.iter().filter(|l| !l.text.is_empty()).map(|l| l.number).collect()))
            .collect()
    }

    #[test]
    fn text_before_the_first_marker_is_page_one() {
        assert_eq!(numbers("甲\n第2版\n乙"), vec![(1, vec![1]), (2, vec![3])]);
    }

    #[test]
    fn every_label_form_is_a_marker() {
        for label in ["第2版", "第 2 版", "第二版", "第2版 综合", "第2版·综合", "## 第2版 | 综合", "<!-- page 2 -->", "<!-- PAGE: 2 -->"] {
            let text = format!("甲\n{label}\n乙");
            let paged = split_pages(&text);
            assert_eq!(paged.pages.len(), 2, "{label}");
            assert_eq!(paged.pages[1].number, 2, "{label}");
        }
        let paged = split_pages("甲\n## 第2版 | 综合\n乙");
        assert_eq!(paged.pages[1].section.as_deref(), Some("综合"));
    }

    #[test]
    fn a_sentence_mentioning_a_page_is_not_a_marker() {
        for line in ["第2版刊登的报道引起关注。", "详见第2版", "(下转2版)", "今日4版", "第2版刊登了本报记者的调查报告和读者来信"] {
            assert_eq!(split_pages(&format!("甲\n{line}\n乙")).pages.len(), 1, "{line}");
        }
    }

    #[test]
    fn form_feed_starts_the_next_page_and_a_running_head_names_it() {
        let text = "甲\n\u{000C}嘉陵报 2025年10月15日 星期三 第2版 综合 责任编辑:何某\n乙\n\u{000C}丙";
        let paged = split_pages(text);
        let got: Vec<_> = paged.pages.iter().map(|p| (p.number, p.section.clone(), p.editor.clone())).collect();
        assert_eq!(
            got,
            vec![(1, None, None), (2, Some("综合".into()), Some("何某".into())), (3, None, None)]
        );
        assert_eq!(paged.running_heads[0].date, "2025-10-15");
        assert_eq!(paged.running_heads[0].paper.as_deref(), Some("嘉陵报"));
        // A trailing form feed makes no empty page.
        assert_eq!(split_pages("甲\n\u{000C}").pages.len(), 1);
    }

    #[test]
    fn a_sentence_with_a_date_and_a_page_is_not_a_running_head() {
        let text = "甲\n据2025年10月15日本报第2版报道\n乙";
        assert_eq!(split_pages(text).pages.len(), 1);
    }

    #[test]
    fn out_of_order_and_repeated_pages_warn() {
        let paged = split_pages("甲\n第3版\n乙\n第2版\n丙\n第3版\n丁");
        let msgs: Vec<_> = paged.warnings.iter().map(|w| (w.line, w.message.clone())).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].1.contains("out of order") && msgs[0].0 == 4);
        assert!(msgs[1].1.contains("second time"));
        // In order: no warning.
        assert!(split_pages("甲\n第2版\n乙\n第3版\n丙").warnings.is_empty());
    }

    #[test]
    fn dates_and_weekdays() {
        assert_eq!(iso_date("2025", "9", "1").as_deref(), Some("2025-09-01"));
        assert_eq!(iso_date("2025", "2", "29"), None);
        assert_eq!(weekday_of("2025-09-01"), Some("星期一"));
        assert_eq!(weekday_of("2025-10-15"), Some("星期三"));
        assert_eq!(weekday_of("2024-02-29"), Some("星期四"));
        assert_eq!(chinese_number("二十三"), Some(23));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("零"), None);
    }
}
