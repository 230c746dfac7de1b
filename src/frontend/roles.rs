//! Stage 3 of the front end: every line of a page gets a role, and lines that belong together
//! (hard-wrapped with trailing double spaces, or soft-wrapped mid-sentence) become one unit.
//!
//! A role here is what a line *is* by its own shape: a markdown heading, a banner (`… | …`), a jump
//! (`(下转2版)`) or continuation mark (`(上接1版)`), a photo credit, a QR promo, a byline standing
//! on its own line, a bullet (`■ …`), a markdown image, or plain text. What plain text *does* —
//! kicker, headline, subtitle, crosshead, paragraph, caption, verse — depends on its neighbours and
//! is settled by the article stage.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::pattern;
use super::pages::{page_number, SourceLine};

/// A plain line this long or longer is body text, never a headline or crosshead: Chinese
/// headlines rarely pass 30 characters, and a column of body text is longer than that per
/// paragraph.
pub const MAX_HEADING_CHARS: usize = 40;

/// Characters that close a sentence or clause so that a paragraph may end on them (GB/T 15834
/// 点号 that end a sentence, closing quotes and brackets after them, and the ellipsis).
pub const CLOSING_MARKS: &str = "。！？…”』」）：；!?.)\"’》】";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `#` … `######`: `level` is the number of `#`.
    Heading { level: u8, text: String },
    /// 栏目: `走在前 争一流 | 奋力谱写…`.
    Banner { text: String },
    /// `![alt](src)`.
    Image { src: String, alt: Option<String> },
    /// `(下转2版)`, on its own or cut off the end of a line.
    Jump { page: u32 },
    /// `(上接1版)`; text after it on the same line follows as a unit of its own.
    Continued { page: u32 },
    /// `扫码关注…`.
    Promo { text: String },
    /// `团区委供图`, `张某 摄`: the credit of a photo.
    Credit { text: String },
    /// A byline on its own line: `□ 陈某`, `记者 周某 通讯员 王某`, `新华社北京9月1日电`.
    Byline { text: String, author: Option<String> },
    /// `■ …`: one brief, one paragraph.
    Bullet { text: String },
    /// Plain text: one or more source lines that read as one piece.
    Text { lines: Vec<String>, hard_breaks: bool },
}

/// One or more source lines with one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub kind: Kind,
    pub first_line: u32,
    pub last_line: u32,
}

impl Unit {
    /// The unit's text with its lines joined (no space between Chinese, a space between Latin
    /// words); `None` for kinds that carry no running text.
    pub fn joined(&self) -> Option<String> {
        match &self.kind {
            Kind::Text { lines, .. } => Some(join_lines(lines)),
            Kind::Heading { text, .. }
            | Kind::Banner { text }
            | Kind::Promo { text }
            | Kind::Credit { text }
            | Kind::Byline { text, .. }
            | Kind::Bullet { text } => Some(text.clone()),
            _ => None,
        }
    }
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$"));
static BANNER: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"^(?:#{1,6}\s+)?([^|｜]*[^\s|｜][^|｜]*)\s*[|｜]\s*([^|｜]*[^\s|｜][^|｜]*)$"));
static IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r#"^!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)$"#)
});
const PAGE_NUM: &str = r"([0-9]{1,3}|[一二三四五六七八九十]{1,3})";
static JUMP_TAIL: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(&format!(r"^[(（]\s*(?:下转|转)\s*第?\s*{PAGE_NUM}\s*版\s*[)）]$")));
static CONTINUED: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(&format!(r"^[(（]\s*(?:上接|接)\s*第?\s*{PAGE_NUM}\s*版\s*[)）]\s*")));
static PROMO: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"^(?:扫码|扫描|扫一扫|长按|微信扫|打开.{0,12}扫)|二维码"));
/// What a line must hold to match [`PROMO`]: one of its openings, or `二维码` anywhere. PROMO's
/// unanchored branch would otherwise be searched for in every short line, character by
/// character.
fn may_be_promo(t: &str) -> bool {
    t.starts_with(['扫', '长', '微', '打']) || t.contains("二维码")
}

/// Whether `t` opens with a continuation mark ([`CONTINUED`]); a line that does not open with a
/// bracket is kept off the pattern.
fn is_continued(t: &str) -> bool {
    t.starts_with(['(', '（']) && CONTINUED.is_match(t)
}

/// Promos, credits and bylines are short lines; a line longer than this (in bytes, about 40
/// Chinese characters) is never tested for them.
const SHORT_LINE_BYTES: usize = 40 * 3;
/// Promos are one short call to action.
const MAX_PROMO_CHARS: usize = 40;
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(concat!(
        r"^(?:[\p{Han}A-Za-z·]{1,15}供图",
        r"|图片由\S{1,20}提供",
        r"|(?:资料图片|资料图|视觉中国供图)",
        r"|图\s*[/／]\s*\S.{0,20}",
        r"|(?:(?:本报|新华社|中新社)?(?:首席|特约|见习|实习)?(?:记者|通讯员)\s*)?[\p{Han}·]{2,5}(?:\s*[、\s]\s*[\p{Han}·]{2,5})*\s+摄(?:影)?",
        r"|(?:本报|新华社|中新社)?(?:首席|特约|见习|实习)?(?:记者|通讯员)\s*[\p{Han}·]{2,5}摄(?:影)?",
        r")$"
    ))
});
static BULLET: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"^[■▪◆●]\s*(\S.*)$"));
/// `□ 陈某`, `□ 本报记者 陈某`, `文/陈某`, `文·图/陈某`.
static AUTHOR_LINE: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"^(?:□|◎|○)\s*(\S.{0,24})$|^文(?:[·/／]?图)?\s*[/／]\s*(\S.{0,24})$"));
/// Role words of a byline, longest first so that `首席记者` is not read as `记者`.
const BYLINE_ROLES: [&str; 9] = ["本报首席记者", "本报记者", "首席记者", "特约记者", "见习记者", "实习记者", "记者", "通讯员", "实习生"];
/// `新华社北京9月1日电`, `本报重庆10月14日讯`, optionally `(记者 某某)`.
static AGENCY_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"^((?:新华社|中新社|人民日报|本报)[\p{Han}]{0,10}?[0-9]{1,2}月[0-9]{1,2}日(?:电|讯)(?:\s*[(（]([^()（）]{1,40})[)）])?)\s*")
});
/// The openings of a dateline; only lines starting so are tried against the dateline patterns.
const DATELINE_OPENINGS: [&str; 4] = ["本报", "新华社", "中新社", "人民日报"];

fn starts_with_dateline(t: &str) -> bool {
    DATELINE_OPENINGS.iter().any(|o| t.starts_with(o))
}

/// What every agency dateline holds (`9月1日电`): a text without it is not tried against the
/// pattern, which then need not be compiled at all.
fn has_agency_date(t: &str) -> bool {
    t.contains('月') && t.contains('日') && t.contains(['电', '讯'])
}

/// `本报讯(首席记者 李某)`, `本报讯 (记者 甲 通讯员 乙)`, `本报讯`.
static LOCAL_DATELINE: LazyLock<Regex> =
    LazyLock::new(|| pattern::compile(r"^(本报讯(?:\s*[(（]([^()（）]{1,40})[)）])?)\s*"));

/// A byline taken off the front of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadByline {
    pub byline: String,
    pub author: Option<String>,
    /// The paragraph after the byline.
    pub rest: String,
}

/// `本报讯(首席记者 李某)8月29日,…` → byline `本报讯(首席记者 李某)`, author `李某`, rest `8月29日,…`.
pub fn lead_byline(text: &str) -> Option<LeadByline> {
    if !starts_with_dateline(text) {
        return None;
    }
    let local = text.starts_with("本报讯").then(|| LOCAL_DATELINE.captures(text)).flatten();
    let c = local.or_else(|| has_agency_date(text).then(|| AGENCY_DATELINE.captures(text)).flatten())?;
    let byline = c[1].to_string();
    let rest = text[c.get(0)?.end()..].to_string();
    // A bare `本报讯` is a byline only when a space or the date follows it, not in `本报讯员…`.
    let bare = c.get(2).is_none() && byline == "本报讯";
    if bare && c[0].len() == byline.len() && !rest.starts_with(|ch: char| ch.is_ascii_digit()) {
        return None;
    }
    if rest.trim().is_empty() {
        return None; // a dateline alone on its line is a byline line, handled by `classify`
    }
    let author = c.get(2).and_then(|m| names_in(m.as_str()));
    Some(LeadByline { byline, author, rest })
}

/// The people named in a byline: role words dropped, names joined by `、`.
/// `首席记者 李某` → `李某`; `记者 甲某 通讯员 乙某` → `甲某、乙某`.
pub fn names_in(credit: &str) -> Option<String> {
    let mut names = vec![];
    for token in credit.split(|c: char| c.is_whitespace() || "、,，".contains(c)) {
        let mut t = token.trim();
        for role in BYLINE_ROLES {
            if let Some(rest) = t.strip_prefix(role) {
                t = rest;
                break;
            }
        }
        let t = t.trim_start_matches(['/', '／', ':', '：']);
        if !t.is_empty() && t.chars().all(|c| is_han(c) || c == '·') && t.chars().count() <= 5 {
            names.push(t.to_string());
        }
    }
    (!names.is_empty()).then(|| names.join("、"))
}

/// A line that is nothing but role words and names: `记者 周某`, `记者 甲某 通讯员 乙某`.
fn staff_line(t: &str) -> bool {
    if !BYLINE_ROLES.iter().any(|r| t.starts_with(r)) || t.chars().count() > 30 {
        return false;
    }
    t.split_whitespace().all(|tok| {
            let rest = BYLINE_ROLES.iter().find_map(|r| tok.strip_prefix(r)).unwrap_or(tok);
            rest.chars().all(|c| is_han(c) || c == '·') && rest.chars().count() <= 5
        })
        && names_in(t).is_some()
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Clause punctuation that a headline or crosshead does not carry; ASCII forms count when they
/// stand as punctuation (not in `1,200` or `19:30`).
pub fn has_clause_punctuation(t: &str) -> bool {
    let b = t.as_bytes();
    t.char_indices().any(|(i, c)| match c {
        '。' | '，' | '；' | '：' => true,
        ',' | ';' | ':' => {
            let digit_before = i > 0 && b[i - 1].is_ascii_digit();
            let digit_after = b.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            !(digit_before && digit_after)
        }
        _ => false,
    })
}

/// Short, and no clause punctuation: may be a headline, kicker, subtitle or crosshead.
pub fn is_heading_like(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.chars().count() <= MAX_HEADING_CHARS && !has_clause_punctuation(t) && lead_byline(t).is_none()
}

/// True when `t` ends so that a paragraph may end there.
pub fn ends_closed(t: &str) -> bool {
    t.trim_end().chars().last().is_some_and(|c| CLOSING_MARKS.contains(c))
}

/// Joins wrapped lines: nothing between Chinese (or between Chinese and Latin), one space between
/// two Latin words.
pub fn join_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        let latin_gap = out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
            && l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if latin_gap {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// The role a single trimmed line has by its own shape; `None` for plain text.
fn classify(t: &str) -> Option<Kind> {
    // Each pattern is tried only on lines that can hold it: most lines are long paragraphs, and
    // the cheap tests keep the regexes off them.
    let short = t.len() <= SHORT_LINE_BYTES;
    if let Some(c) = t.starts_with("![").then(|| IMAGE.captures(t)).flatten() {
        let alt = c[1].trim();
        return Some(Kind::Image { src: c[2].to_string(), alt: (!alt.is_empty()).then(|| alt.to_string()) });
    }
    if let Some(c) = t.contains(['|', '｜']).then(|| BANNER.captures(t)).flatten() {
        // A banner is a short label; a long line with a bar in it is text.
        if !has_clause_punctuation(t) && t.chars().count() <= 2 * MAX_HEADING_CHARS && c[1].trim().chars().count() >= 2 {
            return Some(Kind::Banner { text: t.trim_start_matches('#').trim().to_string() });
        }
    }
    if let Some(c) = t.starts_with('#').then(|| HEADING.captures(t)).flatten() {
        let level = c[1].len() as u8;
        let text = c[2].trim().to_string();
        if !text.is_empty() {
            return Some(Kind::Heading { level, text });
        }
    }
    if short && may_be_promo(t) && PROMO.is_match(t) && t.chars().count() <= MAX_PROMO_CHARS {
        return Some(Kind::Promo { text: t.to_string() });
    }
    // Every form of credit names a picture (图) or a photographer (摄): without either the
    // pattern, the costliest to build, is neither tried nor compiled.
    if short && t.contains(['图', '摄']) && CREDIT.is_match(t) {
        return Some(Kind::Credit { text: t.to_string() });
    }
    if let Some(c) = t.starts_with(['■', '▪', '◆', '●']).then(|| BULLET.captures(t)).flatten() {
        return Some(Kind::Bullet { text: format!("■ {}", c[1].trim()) });
    }
    if let Some(c) = (short && t.starts_with(['□', '◎', '○', '文'])).then(|| AUTHOR_LINE.captures(t)).flatten() {
        let who = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        if is_heading_like(who) {
            return Some(Kind::Byline { text: t.to_string(), author: names_in(who) });
        }
    }
    if short && staff_line(t) {
        return Some(Kind::Byline { text: t.to_string(), author: names_in(t) });
    }
    if let Some(c) = (short && starts_with_dateline(t) && has_agency_date(t)).then(|| AGENCY_DATELINE.captures(t)).flatten() {
        if c.get(0).is_some_and(|m| m.end() == t.len()) {
            return Some(Kind::Byline { text: c[1].to_string(), author: c.get(2).and_then(|m| names_in(m.as_str())) });
        }
    }
    None
}

/// Lines of one page → units. Blank lines separate units; a text line runs on into the next line
/// when it ends with a hard break, or when it stops mid-sentence and is too long or too
/// punctuated to be a heading (soft-wrapped prose).
pub fn units(lines: &[SourceLine<'_>]) -> Vec<Unit> {
    let mut out: Vec<Unit> = vec![];
    // Whether the last unit is text that the next line may run on into.
    let mut open = false;
    for line in lines {
        let raw = line.text;
        let t = raw.trim();
        if t.is_empty() {
            open = false;
            continue;
        }
        let hard = raw.ends_with("  ") || raw.ends_with('\\');
        let t = unmark_heading_mark(t.trim_end_matches('\\').trim_end());
        // A jump mark at the end of any line (`…全力突破。(下转2版)`, `■ …(下转2版)`): the line's
        // text, then the jump.
        // The mark holds no other bracket, so it opens at the line's last one: only that tail is
        // matched, not a paragraph of thousands of characters.
        let mark_at = t.ends_with([')', '）']).then(|| t.rfind(['(', '（'])).flatten();
        let (body, jump) = match mark_at.and_then(|at| JUMP_TAIL.captures(&t[at..]).map(|c| (at, c))) {
            Some((at, c)) => (t[..at].trim_end().trim_end_matches('#').trim_end(), page_number(&c[1])),
            None => (t, None),
        };
        if !body.is_empty() {
            piece(&mut out, &mut open, body, line.number, hard);
        }
        if let Some(page) = jump {
            out.push(Unit { kind: Kind::Jump { page }, first_line: line.number, last_line: line.number });
            open = false;
        }
    }
    out
}

/// One line's text (its jump mark cut off) into `out`: run on into the open unit, or a new unit.
fn piece(out: &mut Vec<Unit>, open: &mut bool, t: &str, n: u32, hard: bool) {
    // A line with a role or a continuation mark of its own never runs on.
    if *open && classify(t).is_none() && !is_continued(t) {
        match out.last_mut() {
            Some(Unit { kind: Kind::Text { lines, hard_breaks }, last_line, .. }) => {
                lines.push(t.to_string());
                *hard_breaks |= hard;
                *last_line = n;
                *open = hard || runs_on(t);
                return;
            }
            // A heading with a hard break goes on on the next line: a two-line headline.
            Some(Unit { kind: Kind::Heading { text, .. }, last_line, .. }) => {
                *text = join_lines(&[text.clone(), t.to_string()]);
                *last_line = n;
                *open = hard;
                return;
            }
            _ => {}
        }
    }
    let mut t = t;
    if let Some(c) = t.starts_with(['(', '（']).then(|| CONTINUED.captures(t)).flatten() {
        if let Some(page) = page_number(&c[1]) {
            out.push(Unit { kind: Kind::Continued { page }, first_line: n, last_line: n });
            *open = false;
            t = t[c.get(0).map_or(0, |m| m.end())..].trim();
            if t.is_empty() {
                return;
            }
        }
    }
    match classify(t) {
        Some(kind) => {
            // Only a heading runs on (through a hard break) into the next line.
            *open = hard && matches!(kind, Kind::Heading { .. });
            out.push(Unit { kind, first_line: n, last_line: n });
        }
        None => {
            out.push(Unit { kind: Kind::Text { lines: vec![t.to_string()], hard_breaks: hard }, first_line: n, last_line: n });
            *open = hard || runs_on(t);
        }
    }
}

/// `## (上接1版)…`: a continuation mark the extractor set as a heading is still the mark (a jump
/// mark is cut off the end of any line, headings included).
fn unmark_heading_mark(t: &str) -> &str {
    match HEADING.captures(t) {
        Some(c) if is_continued(c.get(2).map_or("", |m| m.as_str())) => {
            c.get(2).map_or(t, |m| m.as_str())
        }
        _ => t,
    }
}

/// Whether a text line that ends without a hard break still runs on into the next line:
/// mid-sentence and not heading-shaped, so soft-wrapped prose.
fn runs_on(t: &str) -> bool {
    !ends_closed(t) && !is_heading_like(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        let lines: Vec<SourceLine> = text
            .split('\n')
            .enumerate()
            .map(|(i, t)| SourceLine { number: i as u32 + 1, text: t })
            .collect();
        units(&lines).into_iter().map(|u| u.kind).collect()
    }

    fn text(lines: &[&str], hard: bool) -> Kind {
        Kind::Text { lines: lines.iter().map(|s| s.to_string()).collect(), hard_breaks: hard }
    }

    #[test]
    fn headings_and_hashtags() {
        assert_eq!(kinds("## 标题"), vec![Kind::Heading { level: 2, text: "标题".into() }]);
        assert_eq!(kinds("#话题#"), vec![text(&["#话题#"], false)]);
    }

    #[test]
    fn banner_needs_text_on_both_sides() {
        assert_eq!(kinds("走在前 争一流 | 谱写新篇"), vec![Kind::Banner { text: "走在前 争一流 | 谱写新篇".into() }]);
        assert!(matches!(&kinds("| 表头 |")[0], Kind::Text { .. }));
        assert!(matches!(&kinds("他说，甲|乙是两回事，不能混为一谈。")[0], Kind::Text { .. }));
    }

    #[test]
    fn jump_lines_alone_and_at_the_end_of_a_paragraph() {
        assert_eq!(kinds("(下转2版)"), vec![Kind::Jump { page: 2 }]);
        assert_eq!(kinds("（下转第三版）"), vec![Kind::Jump { page: 3 }]);
        assert_eq!(kinds("## (下转2版)"), vec![Kind::Jump { page: 2 }]);
        assert_eq!(kinds("正文完。(下转2版)"), vec![text(&["正文完。"], false), Kind::Jump { page: 2 }]);
        // A page cited in a sentence is not a jump.
        assert!(matches!(&kinds("本报(第2版)刊发的文章。")[0], Kind::Text { .. }));
    }

    #[test]
    fn continuation_mark_with_and_without_text() {
        assert_eq!(kinds("(上接1版)"), vec![Kind::Continued { page: 1 }]);
        assert_eq!(kinds("（上接第1版）接着说。"), vec![Kind::Continued { page: 1 }, text(&["接着说。"], false)]);
        assert!(matches!(&kinds("上接1版的内容。")[0], Kind::Text { .. }));
    }

    #[test]
    fn credits() {
        for c in ["团区委供图", "张某 摄", "本报记者 李某 摄", "记者 甲某 乙某 摄", "记者王某摄", "图/嘉陵报融媒体中心"] {
            assert!(matches!(&kinds(c)[0], Kind::Credit { .. }), "{c}");
        }
        for c in ["我们第一次拍摄", "他们摄制了一部片子。", "供图"] {
            assert!(!matches!(&kinds(c)[0], Kind::Credit { .. }), "{c}");
        }
    }

    #[test]
    fn promos_are_short_calls_to_action() {
        assert!(matches!(&kinds("扫码关注嘉陵报APP")[0], Kind::Promo { .. }));
        let long = format!("扫码{}", "很长的正文句子".repeat(8));
        assert!(matches!(&kinds(&long)[0], Kind::Text { .. }));
    }

    /// The cheap tests that keep lines off PROMO and CONTINUED pass every line the patterns
    /// match: each branch's openings, with spaces and with text around.
    #[test]
    fn pattern_guards_pass_whatever_the_patterns_match() {
        let promos = ["扫码关注", "扫描二维码", "扫一扫下载", "长按识别", "微信扫码阅读", "打开手机淘宝扫一扫", "关注本报二维码", "更多内容请看二维码"];
        for t in promos {
            assert!(PROMO.is_match(t), "{t}");
            assert!(may_be_promo(t), "{t}");
        }
        for t in ["(上接1版)", "（接第二版）", "( 上接 3 版 )正文", "（上接1版）本报讯"] {
            assert!(CONTINUED.is_match(t), "{t}");
            assert!(is_continued(t), "{t}");
        }
        assert!(!may_be_promo("本报讯 区里召开会议"));
        assert!(!is_continued("上接1版"));
    }

    #[test]
    fn bylines_on_their_own_line() {
        assert_eq!(kinds("□ 陈某"), vec![Kind::Byline { text: "□ 陈某".into(), author: Some("陈某".into()) }]);
        assert_eq!(
            kinds("记者 周某 通讯员 王某"),
            vec![Kind::Byline { text: "记者 周某 通讯员 王某".into(), author: Some("周某、王某".into()) }]
        );
        assert_eq!(kinds("新华社北京9月1日电"), vec![Kind::Byline { text: "新华社北京9月1日电".into(), author: None }]);
        assert!(matches!(&kinds("记者们在现场忙碌")[0], Kind::Text { .. }));
    }

    #[test]
    fn lead_bylines() {
        let b = lead_byline("本报讯(首席记者 李某)8月29日,会议举行。").unwrap();
        assert_eq!((b.byline.as_str(), b.author.as_deref(), b.rest.as_str()), ("本报讯(首席记者 李某)", Some("李某"), "8月29日,会议举行。"));
        let b = lead_byline("新华社北京9月1日电(记者 甲某)今天，").unwrap();
        assert_eq!(b.author.as_deref(), Some("甲某"));
        assert_eq!(lead_byline("本报讯员工大会召开。").map(|b| b.byline), None);
        assert_eq!(lead_byline("据本报讯，会议举行。"), None);
    }

    #[test]
    fn bullets_are_their_own_paragraphs() {
        assert_eq!(kinds("■ 甲事。\n■ 乙事。"), vec![Kind::Bullet { text: "■ 甲事。".into() }, Kind::Bullet { text: "■ 乙事。".into() }]);
        assert!(matches!(&kinds("甲事■乙事。")[0], Kind::Text { .. }));
    }

    #[test]
    fn images() {
        assert_eq!(kinds("![江景](images/a.jpg)"), vec![Kind::Image { src: "images/a.jpg".into(), alt: Some("江景".into()) }]);
        assert_eq!(kinds("![](b.png \"题\")"), vec![Kind::Image { src: "b.png".into(), alt: None }]);
        assert!(matches!(&kinds("![未闭合的图(a.jpg)")[0], Kind::Text { .. }));
    }

    #[test]
    fn wrapped_lines_become_one_unit() {
        // Hard breaks join.
        assert_eq!(kinds("上半句  \n下半句"), vec![text(&["上半句", "下半句"], true)]);
        // Soft-wrapped prose (mid-sentence, punctuated) joins.
        assert_eq!(kinds("他说，今天\n天气很好。"), vec![text(&["他说，今天", "天气很好。"], false)]);
        // A finished sentence, or a heading-shaped line, does not run on.
        assert_eq!(kinds("第一句。\n第二句。").len(), 2);
        assert_eq!(kinds("小标题\n正文从这里开始，很长。").len(), 2);
    }

    #[test]
    fn closing_marks_and_heading_shape() {
        assert!(ends_closed("好。") && ends_closed("“好！”") && !ends_closed("抢抓") && !ends_closed("布局,"));
        assert!(is_heading_like("薪火相传") && is_heading_like("乐业、乐创"));
        assert!(!is_heading_like("区长主持,区") && !is_heading_like(&"长".repeat(41)));
        assert!(is_heading_like("营收1,200万元"));
        assert_eq!(join_lines(&["AI".into(), "model".into(), "赋能".into()]), "AI model赋能");
    }
}
