//! The issue as data: the one model every back end reads.
//!
//! The front end (`crate::frontend`) builds it from an issue's text; `papertool parse` prints it as
//! JSON (`papertool.issue/1`), and `epub`/`pdf` accept that JSON in place of the text, so a user can
//! fix the structure by hand. Serializing and parsing back gives the same model, so every field here
//! is part of that contract: absent values are `null`, numbers are numbers, line numbers are the
//! 1-based lines of the source text.

use serde::{Deserialize, Serialize};

/// The schema tag written into every model; JSON with any other tag is refused.
pub const SCHEMA: &str = "papertool.issue/1";

/// Page count assumed when the masthead does not say (`今日4版`).
pub const DEFAULT_PAGE_COUNT: u32 = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub schema: String,
    /// The encoding the source was decoded from (`utf-8`, `utf-16le`, `gb18030`, …).
    #[serde(default)]
    pub encoding: Option<String>,
    pub masthead: Masthead,
    pub pages: Vec<Page>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// The 报头 of page 1: every field the source gives, each `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Masthead {
    pub paper: Option<String>,
    /// ISO 8601 date, `2025-09-01`.
    pub date: Option<String>,
    /// As printed: `星期一`.
    pub weekday: Option<String>,
    /// As printed: `乙巳年七月初十`.
    pub lunar_date: Option<String>,
    /// `第99期` → 99.
    pub issue_number: Option<u32>,
    /// `总第2230期` → 2230.
    pub total_issue_number: Option<u32>,
    /// `今日4版` → 4; [`DEFAULT_PAGE_COUNT`] when absent.
    pub page_count: u32,
    /// `渝内字第538号`.
    pub permit: Option<String>,
    /// `每周一、三、五出版`.
    pub frequency: Option<String>,
    /// `…主办 …出版`.
    pub publisher: Option<String>,
    /// `新闻热线:…` and the like, one entry per contact.
    #[serde(default)]
    pub contacts: Vec<String>,
}

/// One 版 of the edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number (`第2版` → 2).
    pub number: u32,
    /// The section name from the page marker or running head (`要闻`, `综合`).
    pub section: Option<String>,
    /// 责任编辑 from the running head.
    pub editor: Option<String>,
    pub articles: Vec<Article>,
}

/// One article as it stands on one page; a jumped article is two `Article`s linked by
/// `jump_to` / `continued_from`, read whole with [`Issue::whole_article`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// True for the ear brief (报眼) set beside the masthead.
    #[serde(default)]
    pub ear: bool,
    /// 栏目 line above the headline group (`走在前 争一流 | …`).
    pub banner: Option<String>,
    /// 引题: lines above the headline, joined by a newline when there are several.
    pub kicker: Option<String>,
    /// 主题.
    pub headline: Option<String>,
    /// 副题: lines below the headline, joined by a newline when there are several.
    pub subtitle: Option<String>,
    /// The credit line taken off the front of the first paragraph, punctuation repaired:
    /// `本报讯（首席记者 李一）`, `新华社北京9月1日电`, `□ 陈默`.
    pub byline: Option<String>,
    /// The person or people named in the byline or an author line (`李一`, `陈默`).
    pub author: Option<String>,
    pub blocks: Vec<Block>,
    /// `(下转2版)` → 2: the page this part continues on.
    pub jump_to: Option<u32>,
    /// `(上接1版)` → 1: the page the earlier part stands on.
    pub continued_from: Option<u32>,
    /// First and last source line of the article.
    pub lines: [u32; 2],
}

/// A piece of an article's body, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Paragraph { text: String, line: u32 },
    /// 小标题 inside a body.
    Crosshead { text: String, line: u32 },
    /// A photo or figure; `src` is relative to the issue file's folder.
    Image { src: String, alt: Option<String>, line: u32 },
    /// A photo's caption and its credit (`团区委供图`, `X 摄`), whether or not the photo survived.
    Caption { text: String, credit: Option<String>, line: u32 },
    /// Lines kept as they break in the source (poems).
    Verse { lines: Vec<String>, line: u32 },
    /// QR codes and app promos (`扫码关注…`).
    Promo { text: String, line: u32 },
}

impl Block {
    /// The source line the block starts on.
    pub fn line(&self) -> u32 {
        match self {
            Block::Paragraph { line, .. }
            | Block::Crosshead { line, .. }
            | Block::Image { line, .. }
            | Block::Caption { line, .. }
            | Block::Verse { line, .. }
            | Block::Promo { line, .. } => *line,
        }
    }
}

/// Something the front end (or a back end) noticed and could not settle; printed as
/// `FILE:LINE: warning: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: u32,
    pub message: String,
}

/// Where an article stands: index of its page in `Issue::pages` and of it in `Page::articles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleRef {
    pub page: usize,
    pub article: usize,
}

impl Issue {
    pub fn article(&self, at: ArticleRef) -> &Article {
        &self.pages[at.page].articles[at.article]
    }

    /// Every article with where it stands, in the order of the text.
    pub fn articles(&self) -> impl Iterator<Item = (ArticleRef, &Article)> {
        self.pages.iter().enumerate().flat_map(|(p, page)| {
            page.articles
                .iter()
                .enumerate()
                .map(move |(a, art)| (ArticleRef { page: p, article: a }, art))
        })
    }

    /// The part that continues `at` on its jump page: the first article of page `jump_to` that is
    /// `continued_from` `at`'s page, and not already the continuation of an earlier article.
    pub fn continuation(&self, at: ArticleRef) -> Option<ArticleRef> {
        let from = self.pages[at.page].number;
        let to = self.article(at).jump_to?;
        // Several page-1 articles may jump to page 2; the k-th of them is continued by the k-th
        // continuation there, unless a headline matches better.
        let jumpers: Vec<ArticleRef> = self
            .articles()
            .filter(|(r, a)| self.pages[r.page].number == from && a.jump_to == Some(to))
            .map(|(r, _)| r)
            .collect();
        let conts: Vec<ArticleRef> = self
            .articles()
            .filter(|(r, a)| self.pages[r.page].number == to && a.continued_from == Some(from))
            .map(|(r, _)| r)
            .collect();
        let headline = self.article(at).headline.as_deref();
        if let Some(h) = headline {
            if let Some(c) = conts
                .iter()
                .find(|c| self.article(**c).headline.as_deref() == Some(h))
            {
                return Some(*c);
            }
        }
        // Pair the rest in order, skipping continuations claimed by a matching headline.
        let claimed = |c: &ArticleRef| {
            let ch = self.article(*c).headline.as_deref();
            ch.is_some()
                && jumpers
                    .iter()
                    .any(|j| self.article(*j).headline.as_deref() == ch)
        };
        let mut free_jumpers = jumpers.iter().filter(|j| {
            let jh = self.article(**j).headline.as_deref();
            !conts
                .iter()
                .any(|c| jh.is_some() && self.article(*c).headline.as_deref() == jh)
        });
        let free_conts: Vec<&ArticleRef> = conts.iter().filter(|c| !claimed(c)).collect();
        free_jumpers
            .position(|j| *j == at)
            .and_then(|i| free_conts.get(i).map(|c| **c))
    }

    /// True when `at` is the continuation of some earlier part (so a reflowing reader shows it with
    /// its origin, not on its own).
    pub fn is_continuation(&self, at: ArticleRef) -> bool {
        self.articles()
            .any(|(r, _)| r != at && self.continuation(r) == Some(at))
    }

    /// An article read whole, across pages: its parts in order, starting at `at`.
    pub fn whole_article(&self, at: ArticleRef) -> Vec<ArticleRef> {
        let mut parts = vec![at];
        let mut cur = at;
        while let Some(next) = self.continuation(cur) {
            if parts.contains(&next) {
                break; // a cycle in hand-edited JSON; stop rather than loop
            }
            parts.push(next);
            cur = next;
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(headline: &str, jump_to: Option<u32>, continued_from: Option<u32>) -> Article {
        Article {
            headline: Some(headline.into()),
            jump_to,
            continued_from,
            ..Default::default()
        }
    }

    fn issue(pages: Vec<Vec<Article>>) -> Issue {
        Issue {
            schema: SCHEMA.into(),
            encoding: None,
            masthead: Masthead::default(),
            pages: pages
                .into_iter()
                .enumerate()
                .map(|(i, articles)| Page {
                    number: i as u32 + 1,
                    section: None,
                    editor: None,
                    articles,
                })
                .collect(),
            warnings: vec![],
        }
    }

    #[test]
    fn continuation_pairs_by_headline_then_order() {
        let is = issue(vec![
            vec![art("甲", Some(2), None), art("乙", Some(2), None), art("丙", None, None)],
            vec![art("乙", None, Some(1)), art("别的", None, Some(1))],
        ]);
        let r = |page, article| ArticleRef { page, article };
        assert_eq!(is.continuation(r(0, 1)), Some(r(1, 0)));
        assert_eq!(is.continuation(r(0, 0)), Some(r(1, 1)));
        assert_eq!(is.continuation(r(0, 2)), None);
        assert_eq!(is.whole_article(r(0, 0)), vec![r(0, 0), r(1, 1)]);
        assert!(is.is_continuation(r(1, 0)));
        assert!(!is.is_continuation(r(0, 0)));
    }

    #[test]
    fn jump_without_continuation_stays_alone() {
        let is = issue(vec![vec![art("甲", Some(3), None)], vec![]]);
        let at = ArticleRef { page: 0, article: 0 };
        assert_eq!(is.whole_article(at), vec![at]);
    }

    #[test]
    fn json_round_trip() {
        let mut is = issue(vec![vec![art("甲", Some(2), None)]]);
        is.pages[0].articles[0].blocks = vec![
            Block::Paragraph { text: "正文。".into(), line: 3 },
            Block::Caption { text: "图注。".into(), credit: Some("某某 摄".into()), line: 5 },
            Block::Verse { lines: vec!["一行".into(), "二行".into()], line: 6 },
        ];
        let json = serde_json::to_string(&is).unwrap();
        assert!(json.contains(r#""kind":"caption""#));
        let back: Issue = serde_json::from_str(&json).unwrap();
        assert_eq!(back, is);
    }
}
