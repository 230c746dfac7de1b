//! Part of stage 4 (articles), run first on page 1: the 报头 (masthead) and the 报眼 (ear brief).
//!
//! The masthead is the run of short field lines at the top of page 1 — paper name, date (the day
//! may stand on a line of its own), weekday, lunar date, permit, frequency, issue and running
//! numbers, page count, contact lines, publisher line. Lines standing between those fields are the
//! ear brief set beside the masthead; they are handed back for the article stage to read as one
//! article marked `ear`. Everything after the masthead is the page's body.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::pattern;
use super::pages::{iso_date, page_number, weekday_of, SourceLine};
use super::roles::{has_clause_punctuation, is_heading_like, lead_byline};
use crate::model::{Masthead, Warning, DEFAULT_PAGE_COUNT};

/// The date must come within this many non-blank lines of the top for page 1 to have a masthead.
const MASTHEAD_DATE_WITHIN: usize = 12;
/// An ear brief is a headline and a few lines; more text than this before the next masthead field
/// means the masthead has ended and the body begun.
const MAX_EAR_LINES: usize = 12;
/// Paper names are a few characters (`嘉陵报`, `重庆日报`).
const MAX_PAPER_NAME_CHARS: usize = 12;
/// Masthead lines are short (the longest is a contact line of two or three numbers); a longer
/// line is body text and is not tried against the field patterns.
const MAX_FIELD_LINE_BYTES: usize = 100 * 3;
/// A publisher line names one or two bodies; longer is a sentence.
const MAX_PUBLISHER_CHARS: usize = 60;

static DATE_FULL: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"));
static DATE_YM: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月"));
static DAY_ALONE: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^([0-9]{1,2})\s*日?$"));
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^星期[一二三四五六日天]"));
static LUNAR: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(concat!(
        r"^(?:农历\s*(?:[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年\s*)?|[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年\s*)",
        r"闰?[正一二三四五六七八九十冬腊]{1,2}月\s*(?:初[一二三四五六七八九十]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十|十[一二三四五六七八九]?)"
    ))
});
static PERMIT: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(concat!(
        r"^(?:\p{Han}{1,3}内字第\s*[0-9]+\s*号",
        r"|(?:国内统一连续出版物号\s*[:：]?\s*)?CN\s*[0-9]{2}\s*[-－]\s*[0-9]{4}(?:\s*/\s*[A-Z]+)?",
        r"|(?:内部资料\s*)?准印证号?\s*[:：]?\s*[\p{Han}A-Za-z0-9()（）\-－]+)"
    ))
});
static FREQUENCY: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"^(?:(?:每周[一二三四五六日天、和及至]+|每日|每天|逢周[一二三四五六日天、]+)出版|周[一二三四五六日]刊)")
});
static ISSUE: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^第\s*([0-9]+)\s*期"));
static TOTAL: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^[(（]?\s*总第\s*([0-9]+)\s*期\s*[)）]?"));
static PAGES: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"^(?:今日|本期)\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*版")
});
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^[\s·|｜/]+"));
static CONTACT: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"^[\p{Han}A-Za-z]{2,12}\s*[:：]\s*[0-9A-Za-z@._\-－()（）/+]+"));
/// A contact line names at least one of these.
const CONTACT_WORDS: [&str; 12] = ["热线", "电话", "监督", "邮箱", "传真", "投诉", "广告", "发行", "邮编", "网址", "地址", "微信"];

/// What one masthead line says.
#[derive(Debug, Default)]
struct Fields {
    date: Option<String>,
    /// `2025年9月` with the day still to come on a line of its own.
    year_month: Option<(String, String)>,
    weekday: Option<String>,
    lunar: Option<String>,
    permit: Option<String>,
    frequency: Option<String>,
    issue: Option<u32>,
    total: Option<u32>,
    pages: Option<u32>,
    publisher: Option<String>,
    contacts: Vec<String>,
}

/// Reads `line` as masthead fields; `None` unless the whole line is fields.
fn fields_of(line: &str, pending_ym: Option<&(String, String)>) -> Option<Fields> {
    let t = line.trim().trim_start_matches('#').trim();
    let mut f = Fields::default();
    if t.is_empty() || t.len() > MAX_FIELD_LINE_BYTES {
        return None;
    }
    if let (Some((y, m)), Some(c)) = (pending_ym, DAY_ALONE.captures(t)) {
        f.date = Some(iso_date(y, m, &c[1])?);
        return Some(f);
    }
    if let Some(contacts) = contact_entries(t) {
        f.contacts = contacts;
        return Some(f);
    }
    if is_publisher(t) {
        f.publisher = Some(t.to_string());
        return Some(f);
    }
    let mut rest = t;
    while !rest.is_empty() {
        let before = rest.len();
        if let Some(c) = DATE_FULL.captures(rest) {
            f.date = Some(iso_date(&c[1], &c[2], &c[3])?);
            rest = &rest[c[0].len()..];
        } else if let Some(c) = DATE_YM.captures(rest) {
            f.year_month = Some((c[1].to_string(), c[2].to_string()));
            rest = &rest[c[0].len()..];
        } else if let Some(m) = WEEKDAY.find(rest) {
            f.weekday = Some(m.as_str().to_string());
            rest = &rest[m.end()..];
        } else if let Some(m) = LUNAR.find(rest) {
            f.lunar = Some(m.as_str().to_string());
            rest = &rest[m.end()..];
        } else if let Some(m) = PERMIT.find(rest) {
            f.permit = Some(m.as_str().trim().to_string());
            rest = &rest[m.end()..];
        } else if let Some(m) = FREQUENCY.find(rest) {
            f.frequency = Some(m.as_str().to_string());
            rest = &rest[m.end()..];
        } else if let Some(c) = TOTAL.captures(rest) {
            f.total = c[1].parse().ok();
            rest = &rest[c[0].len()..];
        } else if let Some(c) = ISSUE.captures(rest) {
            f.issue = c[1].parse().ok();
            rest = &rest[c[0].len()..];
        } else if let Some(c) = PAGES.captures(rest) {
            f.pages = page_number(&c[1]);
            rest = &rest[c[0].len()..];
        }
        if let Some(m) = SEPARATOR.find(rest) {
            rest = &rest[m.end()..];
        }
        if rest.len() == before {
            return None; // something on the line is not a masthead field
        }
    }
    Some(f)
}

/// `新闻热线:6380… 职业道德监督:6380…` → one entry per contact.
fn contact_entries(t: &str) -> Option<Vec<String>> {
    if !CONTACT_WORDS.iter().any(|w| t.contains(w)) {
        return None;
    }
    let mut out = vec![];
    let mut rest = t;
    while !rest.is_empty() {
        let m = CONTACT.find(rest)?;
        out.push(m.as_str().to_string());
        rest = rest[m.end()..].trim_start();
    }
    Some(out)
}

/// `中共某区委宣传部主办 某区融媒体中心出版`.
fn is_publisher(t: &str) -> bool {
    let names_a_body = t.contains("主办") || (t.ends_with("出版") && !FREQUENCY.is_match(t));
    names_a_body && t.chars().count() <= MAX_PUBLISHER_CHARS && !has_clause_punctuation(t)
}

/// Page 1 cut into masthead, ear brief and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub masthead: Masthead,
    pub ear: Vec<SourceLine<'a>>,
    pub body: Vec<SourceLine<'a>>,
    pub warnings: Vec<Warning>,
}

/// Finds the masthead at the top of page 1 (none when no date stands near the top).
pub fn split<'a>(lines: &[SourceLine<'a>]) -> Split<'a> {
    let mut masthead = Masthead { page_count: DEFAULT_PAGE_COUNT, ..Default::default() };
    let nonblank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].text.trim().is_empty()).collect();
    let has_date = nonblank
        .iter()
        .take(MASTHEAD_DATE_WITHIN)
        .any(|&i| fields_of(lines[i].text, None).is_some_and(|f| f.date.is_some() || f.year_month.is_some()));
    if !has_date {
        return Split { masthead, ear: vec![], body: lines.to_vec(), warnings: vec![] };
    }
    let mut warnings = vec![];
    let mut pending_ym: Option<(String, String)> = None;
    let mut weekday_line = 0;
    let mut last_field: Option<usize> = None;
    let mut publisher_seen = false;
    let mut candidates: Vec<usize> = vec![];
    let mut since_field = 0;
    let mut date_seen = false;
    for (k, &i) in nonblank.iter().enumerate() {
        let line = lines[i];
        if let Some(f) = fields_of(line.text, pending_ym.as_ref()) {
            if f.date.is_some() || f.year_month.is_some() {
                date_seen = true;
            }
            pending_ym = f.year_month.clone();
            if f.weekday.is_some() {
                weekday_line = line.number;
            }
            publisher_seen |= f.publisher.is_some();
            merge(&mut masthead, f);
            last_field = Some(i);
            since_field = 0;
            continue;
        }
        pending_ym = None;
        if !date_seen && masthead.paper.is_none() && last_field.is_none() {
            // The paper's name: the first short line at the top, before the date.
            let name = line.text.trim().trim_start_matches('#').trim();
            if name.chars().count() <= MAX_PAPER_NAME_CHARS && is_heading_like(name) {
                masthead.paper = Some(name.to_string());
                last_field = Some(i);
                continue;
            }
        }
        // A heading or byline ends the masthead, unless the publisher line is still to come close
        // below: then it is the ear brief's (`## 耳报标题`).
        let publisher_below = || {
            nonblank[k + 1..].iter().take(MAX_EAR_LINES).any(|&j| fields_of(lines[j].text, None).is_some_and(|f| f.publisher.is_some()))
        };
        if publisher_seen || (starts_body(line.text) && !publisher_below()) {
            break;
        }
        since_field += 1;
        if since_field > MAX_EAR_LINES {
            break;
        }
        candidates.push(i);
    }
    let end = last_field.unwrap_or(0);
    let ear: Vec<SourceLine> = candidates.iter().filter(|&&i| i < end).map(|&i| lines[i]).collect();
    let ear_numbers: Vec<u32> = ear.iter().map(|l| l.number).collect();
    // Blank lines inside the ear stay with it, so that its paragraphs stay apart.
    let ear: Vec<SourceLine> = match (ear_numbers.first(), ear_numbers.last()) {
        (Some(&a), Some(&b)) => lines[..=end]
            .iter()
            .filter(|l| l.number >= a && l.number <= b && (l.text.trim().is_empty() || ear_numbers.contains(&l.number)))
            .copied()
            .collect(),
        _ => vec![],
    };
    let body = lines[end + 1..].to_vec();
    if let (Some(date), Some(printed)) = (&masthead.date, &masthead.weekday) {
        if let Some(actual) = weekday_of(date) {
            if actual != printed.replace('天', "日") {
                warnings.push(Warning {
                    line: weekday_line,
                    message: format!("the masthead says {printed}, but {date} is a {actual}"),
                });
            }
        }
    }
    Split { masthead, ear, body, warnings }
}

/// Lines that open the body: once one is met, the masthead is over.
fn starts_body(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('#') || t.contains('|') || t.contains('｜') || lead_byline(t).is_some()
}

fn merge(m: &mut Masthead, f: Fields) {
    fn set<T>(slot: &mut Option<T>, v: Option<T>) {
        if slot.is_none() {
            *slot = v;
        }
    }
    set(&mut m.date, f.date);
    set(&mut m.weekday, f.weekday);
    set(&mut m.lunar_date, f.lunar);
    set(&mut m.permit, f.permit);
    set(&mut m.frequency, f.frequency);
    set(&mut m.issue_number, f.issue);
    set(&mut m.total_issue_number, f.total);
    set(&mut m.publisher, f.publisher);
    if let Some(p) = f.pages {
        m.page_count = p;
    }
    m.contacts.extend(f.contacts);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<SourceLine<'_>> {
        text.split('\n').enumerate().map(|(i, t)| SourceLine { number: i as u32 + 1, text: t }).collect()
    }

    const TOP: &str = "# 嘉陵报\n\n2025年10月\n\n15\n\n星期三\n\n乙巳年八月廿四\n\n嘉内字第77号  \n每周三出版\n\n第12期  \n(总第345期)\n\n今日4版\n\n秋收节庆活动  \n本周末开幕\n\n记者从市里获悉,活动将于  \n本周末开幕。\n\n新闻热线:12345678 广告热线:87654321\n\n中共嘉陵区委宣传部主办 嘉陵区融媒体中心出版\n\n## 正文标题\n\n正文。";

    #[test]
    fn reads_every_field_and_leaves_the_ear_and_the_body() {
        let ls = lines(TOP);
        let s = split(&ls);
        let m = &s.masthead;
        assert_eq!(m.paper.as_deref(), Some("嘉陵报"));
        assert_eq!(m.date.as_deref(), Some("2025-10-15"));
        assert_eq!(m.weekday.as_deref(), Some("星期三"));
        assert_eq!(m.lunar_date.as_deref(), Some("乙巳年八月廿四"));
        assert_eq!(m.permit.as_deref(), Some("嘉内字第77号"));
        assert_eq!(m.frequency.as_deref(), Some("每周三出版"));
        assert_eq!((m.issue_number, m.total_issue_number, m.page_count), (Some(12), Some(345), 4));
        assert_eq!(m.contacts, vec!["新闻热线:12345678", "广告热线:87654321"]);
        assert_eq!(m.publisher.as_deref(), Some("中共嘉陵区委宣传部主办 嘉陵区融媒体中心出版"));
        let ear: Vec<u32> = s.ear.iter().filter(|l| !l.text.is_empty()).map(|l| l.number).collect();
        assert_eq!(ear, vec![19, 20, 22, 23]);
        assert_eq!(s.body.iter().find(|l| !l.text.is_empty()).map(|l| l.text), Some("## 正文标题"));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn an_ear_headline_marked_as_heading_stays_in_the_ear() {
        let text = TOP.replace("秋收节庆活动  \n本周末开幕", "## 秋收节庆活动本周末开幕");
        let ls = lines(&text);
        let s = split(&ls);
        assert!(s.masthead.publisher.is_some() && s.masthead.contacts.len() == 2);
        assert_eq!(s.ear.iter().find(|l| !l.text.is_empty()).map(|l| l.text), Some("## 秋收节庆活动本周末开幕"));
        // Without a publisher line below, the heading opens the body.
        let text = text.replace("中共嘉陵区委宣传部主办 嘉陵区融媒体中心出版", "");
        let s = split(&lines(&text));
        assert!(s.ear.is_empty());
        assert!(s.masthead.contacts.is_empty(), "the masthead ended at the first body line");
    }

    #[test]
    fn weekday_mismatch_warns() {
        let s = split(&lines("# 嘉陵报\n2025年10月15日 星期四\n\n## 标题\n正文。"));
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(s.warnings[0].line, 2);
        assert!(s.warnings[0].message.contains("星期三"), "{}", s.warnings[0].message);
    }

    #[test]
    fn no_date_near_the_top_means_no_masthead() {
        let ls = lines("## 标题\n\n正文第一段。\n\n第12期的内容。");
        let s = split(&ls);
        assert_eq!(s.masthead, Masthead { page_count: DEFAULT_PAGE_COUNT, ..Default::default() });
        assert_eq!(s.body.len(), ls.len());
    }

    #[test]
    fn page_count_defaults_and_lines_that_are_not_fields() {
        assert!(fields_of("第12期的报道", None).is_none());
        assert!(fields_of("每周三出版的刊物很多。", None).is_none());
        assert!(fields_of("12", None).is_none(), "a bare day only after a year and month");
        assert!(fields_of("12", Some(&("2025".into(), "10".into()))).is_some());
        let s = split(&lines("# 嘉陵报\n2025年10月15日\n\n## 标题\n正文。"));
        assert_eq!(s.masthead.page_count, DEFAULT_PAGE_COUNT);
    }
}
