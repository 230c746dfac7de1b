//! The front end: an issue's text in, one [`Issue`] model out.
//!
//! Stages, one module each, in the order they run:
//! [`decode`] (bytes → normalized text) → [`pages`] (text → 版) → [`roles`] (lines → units with
//! a role) → [`articles`] (units → articles; [`masthead`] first takes the 报头 and 报眼 off page 1)
//! → [`repairs`] (punctuation, spaces, paragraphs cut at column breaks). This module wires them
//! and adds the checks that need the whole issue: jumps and continuations, running heads against
//! the masthead.
//!
//! [`load`] also accepts the model's own JSON (`papertool.issue/1`) in place of the text, so a user
//! can fix the structure by hand and feed it back.

pub mod articles;
pub mod decode;
pub mod masthead;
pub mod pages;
pub mod pattern;
pub mod repairs;
pub mod roles;

use std::path::Path;

use crate::error::Error;
use crate::model::{Issue, Page, Warning, SCHEMA};

/// Reads, refuses or decodes, and parses the issue at `path` (`-` for stdin). The text's
/// markdown images are looked for beside the issue file; a missing one is a warning.
pub fn load(path: &Path) -> Result<Issue, Error> {
    let bytes = decode::read_input(path)?;
    let (mut issue, from_text) = read(&bytes, &decode::display_name(path))?;
    // A model given as JSON is taken as the user left it, so that it reads back the same.
    if from_text && path != Path::new("-") {
        let dir = path.parent().unwrap_or(Path::new("."));
        issue.warnings.extend(missing_images(&issue, dir));
        issue.warnings.sort_by_key(|w| w.line);
    }
    Ok(issue)
}

/// [`load`] on bytes already read, without the look for images; `shown` names them in errors.
pub fn from_bytes(bytes: &[u8], shown: &str) -> Result<Issue, Error> {
    read(bytes, shown).map(|(issue, _)| issue)
}

/// The issue, and whether it was parsed from text (rather than read from the model's JSON).
fn read(bytes: &[u8], shown: &str) -> Result<(Issue, bool), Error> {
    let decoded = decode::decode(bytes).map_err(|reason| Error::input(shown, reason))?;
    if let Some(json) = as_json(&decoded.text) {
        return json.map(|issue| (issue, false)).map_err(|reason| Error::input(shown, reason));
    }
    let mut issue = parse_normalized(&decoded.text);
    issue.encoding = Some(decoded.encoding.to_string());
    Ok((issue, true))
}

/// The model, when `text` is JSON; `None` when it is an issue's text. JSON that is not a
/// `papertool.issue/1` model is refused, never read as text.
fn as_json(text: &str) -> Option<Result<Issue, String>> {
    let t = text.trim_start();
    let looks_like_object = t.starts_with('{');
    let value: serde_json::Value = match serde_json::from_str(t) {
        Ok(v) => v,
        Err(e) if looks_like_object => return Some(Err(format!("looks like JSON but does not parse ({e})"))),
        Err(_) => return None, // `[` opening a line of text, not JSON
    };
    Some(match value.get("schema").and_then(|s| s.as_str()) {
        Some(SCHEMA) => serde_json::from_value(value).map_err(|e| format!("not a valid {SCHEMA} model: {e}")),
        Some(other) => Err(format!("JSON of schema \"{other}\", not a {SCHEMA} model")),
        None => Err(format!("JSON, but not a {SCHEMA} model (it has no \"schema\": \"{SCHEMA}\")")),
    })
}

/// Parses an issue's decoded text. Never fails: what cannot be told is kept and warned about.
pub fn parse(text: &str) -> Issue {
    parse_normalized(&decode::normalize(text))
}

/// [`parse`] on text [`decode::decode`] has already normalized.
fn parse_normalized(text: &str) -> Issue {
    let paged = pages::split_pages(text);
    let mut warnings = paged.warnings;
    let mut masthead = None;
    let mut pages_out = vec![];
    let mut marks = vec![];
    for (k, page) in paged.pages.iter().enumerate() {
        let mut articles = vec![];
        let mut body = page.lines.clone();
        if k == 0 && page.number == 1 {
            let split = masthead::split(&page.lines);
            warnings.extend(split.warnings);
            let ear = articles::build(&roles::units(&split.ear), None, true);
            warnings.extend(ear.warnings);
            for (n, (mut art, m)) in ear.articles.into_iter().enumerate() {
                art.ear = n == 0;
                articles.push(art);
                marks.push(m);
            }
            masthead = Some(split.masthead);
            body = split.body;
        }
        let built = articles::build(&roles::units(&body), page.section.as_deref(), false);
        warnings.extend(built.warnings);
        for (art, m) in built.articles {
            articles.push(art);
            marks.push(m);
        }
        pages_out.push(Page { number: page.number, section: page.section.clone(), editor: page.editor.clone(), articles });
    }
    let mut masthead = masthead.unwrap_or_else(|| masthead::split(&[]).masthead);
    if masthead.paper.is_none() {
        masthead.paper = paged.running_heads.iter().find_map(|h| h.paper.clone());
    }
    warnings.extend(running_head_warnings(&masthead, &paged.running_heads));
    let mut issue = Issue { schema: SCHEMA.to_string(), encoding: None, masthead, pages: pages_out, warnings: vec![] };
    warnings.extend(repairs::repair(&mut issue));
    warnings.extend(articles::link_warnings(&issue, &marks));
    let count = issue.pages.len() as u32;
    if count > issue.masthead.page_count {
        warnings.push(Warning {
            line: 1,
            message: format!("the masthead says {} pages, but the text holds {count}", issue.masthead.page_count),
        });
    }
    warnings.sort_by_key(|w| w.line);
    issue.warnings = warnings;
    issue
}

/// An inner page's running head that disagrees with the masthead (or with the calendar).
fn running_head_warnings(m: &crate::model::Masthead, heads: &[pages::RunningHead]) -> Vec<Warning> {
    let mut out = vec![];
    for h in heads {
        if let Some(date) = &m.date {
            if *date != h.date {
                out.push(Warning { line: h.line, message: format!("the running head is dated {}, the masthead {date}", h.date) });
                continue;
            }
        }
        if let (Some(printed), Some(actual)) = (&h.weekday, pages::weekday_of(&h.date)) {
            if printed.replace('天', "日") != actual {
                out.push(Warning { line: h.line, message: format!("the running head says {printed}, but {} is a {actual}", h.date) });
            }
        }
        if let (Some(paper), Some(name)) = (&h.paper, &m.paper) {
            if paper != name {
                out.push(Warning { line: h.line, message: format!("the running head names the paper {paper}, the masthead {name}") });
            }
        }
    }
    out
}

/// Markdown images whose file is not beside the issue (remote ones are not checked).
fn missing_images(issue: &Issue, dir: &Path) -> Vec<Warning> {
    let mut out = vec![];
    for (_, art) in issue.articles() {
        for b in &art.blocks {
            if let crate::model::Block::Image { src, line, .. } = b {
                let remote = src.contains("://") || src.starts_with("data:");
                if !remote && !dir.join(src).is_file() {
                    out.push(Warning { line: *line, message: format!("image {src} not found beside the issue") });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_of_the_model_reads_back_as_the_model() {
        let issue = parse("# 嘉陵报\n2025年10月15日 星期三\n\n## 标题\n\n正文，\n\n(下转2版)\n\n第2版 综合\n\n## 标题\n\n(上接1版)\n\n续完。");
        let json = serde_json::to_vec_pretty(&issue).unwrap();
        assert_eq!(from_bytes(&json, "x.json").unwrap(), issue);
        assert!(issue.warnings.is_empty(), "{:?}", issue.warnings);
        assert_eq!(issue.pages.len(), 2);
    }

    #[test]
    fn other_json_is_refused_and_text_starting_with_a_bracket_is_text() {
        let e = from_bytes(br#"{"schema": "other/1"}"#, "x.json").unwrap_err().to_string();
        assert_eq!(e, "x.json: JSON of schema \"other/1\", not a papertool.issue/1 model");
        let e = from_bytes(br#"{"name": 1}"#, "x.json").unwrap_err().to_string();
        assert!(e.contains("has no \"schema\""), "{e}");
        let e = from_bytes(b"{ not json", "x.json").unwrap_err().to_string();
        assert!(e.contains("does not parse"), "{e}");
        let e = from_bytes(br#"{"schema": "papertool.issue/1", "pages": 3}"#, "x.json").unwrap_err().to_string();
        assert!(e.contains("not a valid papertool.issue/1 model"), "{e}");
        assert!(from_bytes("[图] 江边的夜景。".as_bytes(), "x.txt").is_ok());
    }

    #[test]
    fn links_warn_both_ways() {
        let issue = parse("## 甲\n\n正文，\n\n(下转2版)\n\n## 乙\n\n正文，\n\n(下转3版)\n\n第2版\n\n## 丙\n\n(上接4版)\n\n续完。");
        let msgs: Vec<_> = issue.warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].1.contains("page 2 has no continuation"), "{msgs:?}");
        assert!(msgs[1].1.contains("not in this text"), "{msgs:?}");
        assert!(msgs[2].1.contains("continues from page 4"), "{msgs:?}");
    }

    #[test]
    fn more_pages_than_the_masthead_says_warns() {
        let text = "# 嘉陵报\n2025年10月15日\n\n今日2版\n\n## 甲\n\n正文。\n\n第2版\n\n## 乙\n\n正文。";
        assert!(parse(text).warnings.is_empty());
        let issue = parse(&format!("{text}\n\n第3版\n\n## 丙\n\n正文。"));
        assert_eq!(issue.warnings.len(), 1);
        assert_eq!(issue.warnings[0].message, "the masthead says 2 pages, but the text holds 3");
    }

    #[test]
    fn missing_images_warn_and_present_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("here.jpg"), b"jpeg").unwrap();
        let issue_path = dir.path().join("issue.txt");
        std::fs::write(&issue_path, "## 标题\n\n正文。\n\n![](here.jpg)\n\n![](gone.jpg)\n\n![](https://example.com/x.jpg)\n").unwrap();
        let issue = load(&issue_path).unwrap();
        let msgs: Vec<_> = issue.warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(msgs, vec![(7, "image gone.jpg not found beside the issue")]);
    }

    #[test]
    fn running_head_against_masthead() {
        let text = "# 嘉陵报\n2025年10月15日 星期三\n\n## 标题\n\n正文。\n\n嘉陵报 2025年10月16日 星期四 第2版 综合\n\n## 乙\n\n正文。";
        let issue = parse(text);
        assert_eq!(issue.warnings.len(), 1, "{:?}", issue.warnings);
        assert_eq!(issue.warnings[0].line, 8);
        let ok = parse(&text.replace("16日 星期四", "15日 星期三"));
        assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
        assert_eq!(ok.pages[1].section.as_deref(), Some("综合"));
    }
}
