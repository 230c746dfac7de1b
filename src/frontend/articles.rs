//! Stage 4 of the front end: a page's units grouped into articles.
//!
//! An article opens with a headline group — the run of heading-shaped units before a body. Its
//! most prominent unit (`#` over `##` over `###` over plain text, the first of equals) is the
//! headline (主题); units before it are kickers (引题), units after it subtitles (副题), a `… | …`
//! line its banner (栏目). Inside a body, heading-shaped plain lines are crossheads (小标题); a
//! markdown heading, a banner, or a run that leads into a `本报讯` byline opens the next article.
//! A jump line (`(下转2版)`) closes the body; captions, credits, images and promos that follow
//! still belong to the article they follow. Nothing is dropped: a unit whose role cannot be told
//! is kept as a paragraph and warned about.

use super::roles::{ends_closed, is_heading_like, lead_byline, Kind, Unit};
use crate::model::{Article, Block, Issue, Warning};

/// A heading line holding more phrases than this, and longer than [`RUN_TOGETHER_MIN_CHARS`], is
/// a headline and its subtitle run together by the extractor: Chinese headlines are one or two
/// phrases (often a matched pair); a third phrase on the same line is the 副题.
const MAX_HEADLINE_PHRASES: usize = 2;
/// See [`MAX_HEADLINE_PHRASES`]; shorter lines are kept whole, however many spaces they hold.
const RUN_TOGETHER_MIN_CHARS: usize = 36;
/// A text unit right after a photo and no longer than this is the photo's caption.
const MAX_CAPTION_CHARS: usize = 80;
/// Verse lines are short; a longer line in a hard-broken run is wrapped prose.
const MAX_VERSE_LINE_CHARS: usize = 30;
/// Three or more heading-shaped lines in a row inside a body are a new article's headline group
/// (kicker, headline, subtitle), not crossheads: a crosshead is one line, or a 主 and 副 pair.
const MAX_CROSSHEAD_RUN: usize = 2;
/// Words in a headline group or section name that mark a literary piece, whose hard-broken short
/// lines are verse.
const LITERARY_WORDS: [&str; 9] = ["诗", "词", "歌", "吟", "赋", "谣", "副刊", "文艺", "文学"];

/// Where the jump and continuation marks of an article stood (for warnings about them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub jump_line: Option<u32>,
    pub continued_line: Option<u32>,
}

/// The articles of one page (or of the ear), with their marks, in the order of the text.
#[derive(Debug, Default)]
pub struct Built {
    pub articles: Vec<(Article, Marks)>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Default)]
struct Draft {
    art: Article,
    marks: Marks,
    /// A jump line has been read: no more body, only captions, images and promos.
    closed: bool,
    literary: bool,
}

impl Draft {
    fn has_body(&self) -> bool {
        self.art
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph { .. } | Block::Crosshead { .. } | Block::Verse { .. }))
    }

    fn touch(&mut self, u: &Unit) {
        let [first, last] = &mut self.art.lines;
        if *first == 0 || u.first_line < *first {
            *first = u.first_line;
        }
        *last = (*last).max(u.last_line);
    }

    /// No headline, no byline, no body yet: a headline group that comes now is its own.
    fn awaits_headline(&self) -> bool {
        self.art.headline.is_none() && self.art.kicker.is_none() && self.art.subtitle.is_none() && !self.has_body() && !self.closed
    }
}

/// What comes after a run of pending heading-shaped units; it decides what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A paragraph; `byline` when it opens with `本报讯(…)` or the like.
    Paragraph { byline: bool },
    Byline,
    Continued,
    /// A jump, image, caption, credit or promo.
    Other,
    End,
}

struct Builder<'a> {
    done: Vec<(Article, Marks)>,
    cur: Option<Draft>,
    pending: Vec<&'a Unit>,
    warnings: Vec<Warning>,
    literary_page: bool,
    /// False for the ear brief, whose hard breaks are always wrapped prose.
    allow_verse: bool,
}

/// Groups `units` into articles. `section` is the page's section name (a 副刊 page makes its
/// hard-broken short lines verse); `ear` reads the ear brief, whose hard breaks are never verse.
pub fn build(units: &[Unit], section: Option<&str>, ear: bool) -> Built {
    let mut b = Builder {
        done: vec![],
        cur: None,
        pending: vec![],
        warnings: vec![],
        literary_page: !ear && section.is_some_and(|s| LITERARY_WORDS.iter().any(|w| s.contains(w))),
        allow_verse: !ear,
    };
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        let next = units.get(i + 1);
        let prev = i.checked_sub(1).map(|j| &units[j]);
        match &u.kind {
            // Settled by what follows them (see `flush`).
            Kind::Heading { .. } | Kind::Banner { .. } => b.pending.push(u),
            Kind::Text { .. } => {
                let text = u.joined().unwrap_or_default();
                let credit = match next.map(|n| &n.kind) {
                    Some(Kind::Credit { text: credit }) if text_can_caption(&text) => Some(credit.clone()),
                    _ => None,
                };
                let after_image = matches!(prev.map(|p| &p.kind), Some(Kind::Image { .. }));
                if credit.is_some() || (after_image && text.chars().count() <= MAX_CAPTION_CHARS) {
                    b.flush(Next::Other);
                    let consumed = credit.is_some();
                    b.push_block(u, Block::Caption { text, credit, line: u.first_line });
                    if consumed {
                        b.current().touch(&units[i + 1]);
                        i += 1;
                    }
                } else if is_heading_like(&text) && !(is_verse_shaped(u) && b.literary_context()) {
                    b.pending.push(u);
                } else {
                    b.flush(Next::Paragraph { byline: lead_byline(&text).is_some() });
                    b.text(u, text);
                }
            }
            Kind::Bullet { text } => {
                b.flush(Next::Paragraph { byline: false });
                let text = text.clone();
                b.body_block(u, Block::Paragraph { text, line: u.first_line });
            }
            Kind::Byline { text, author } => {
                b.flush(Next::Byline);
                let d = b.open_for_body(u);
                d.touch(u);
                if d.art.byline.is_none() {
                    d.art.byline = Some(text.clone());
                    d.art.author = author.clone();
                    d.literary |= text.starts_with(['□', '◎', '○', '文']);
                } else {
                    // A second credit line (an author after a dateline): kept beside the first.
                    let joined = format!("{} {}", d.art.byline.take().unwrap_or_default(), text);
                    d.art.byline = Some(joined);
                    if d.art.author.is_none() {
                        d.art.author = author.clone();
                    }
                }
            }
            Kind::Jump { page } => {
                b.flush(Next::Other);
                let d = b.current_or_new(u);
                d.touch(u);
                if d.art.jump_to.is_some() {
                    b.warnings.push(Warning { line: u.first_line, message: format!("a second jump line (to page {page}) in one article; the first is kept") });
                } else {
                    d.art.jump_to = Some(*page);
                    d.marks.jump_line = Some(u.first_line);
                }
                b.current().closed = true;
            }
            Kind::Continued { page } => {
                b.flush(Next::Continued);
                let needs_new = b.cur.as_ref().is_none_or(|d| d.has_body() || d.closed || d.art.continued_from.is_some());
                if needs_new {
                    b.finish();
                    b.cur = Some(Draft::default());
                }
                let d = b.current();
                d.touch(u);
                d.art.continued_from = Some(*page);
                d.marks.continued_line = Some(u.first_line);
            }
            Kind::Image { src, alt } => {
                b.flush(Next::Other);
                b.push_block(u, Block::Image { src: src.clone(), alt: alt.clone(), line: u.first_line });
            }
            Kind::Credit { text } => {
                b.flush(Next::Other);
                let credit = text.clone();
                // The credit of the caption just read, or of a photo whose caption is gone.
                let d = b.current_or_new(u);
                d.touch(u);
                match d.art.blocks.last_mut() {
                    Some(Block::Caption { credit: c @ None, .. }) => *c = Some(credit),
                    _ => d.art.blocks.push(Block::Caption { text: String::new(), credit: Some(credit), line: u.first_line }),
                }
            }
            Kind::Promo { text } => {
                b.flush(Next::Other);
                b.push_block(u, Block::Promo { text: text.clone(), line: u.first_line });
            }
        }
        i += 1;
    }
    b.flush(Next::End);
    b.finish();
    Built { articles: b.done, warnings: b.warnings }
}

/// Two or more short lines held apart by hard breaks: verse, in a literary piece.
fn is_verse_shaped(u: &Unit) -> bool {
    matches!(&u.kind, Kind::Text { lines, hard_breaks: true } if lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= MAX_VERSE_LINE_CHARS))
}

/// A caption is a sentence or a short label, not a headline group or a long paragraph.
fn text_can_caption(text: &str) -> bool {
    text.chars().count() <= 2 * MAX_CAPTION_CHARS
}

impl<'a> Builder<'a> {
    fn current(&mut self) -> &mut Draft {
        self.cur.get_or_insert_with(Draft::default)
    }

    /// The current article, or a new one (warned about) when there is none to add to.
    fn current_or_new(&mut self, u: &Unit) -> &mut Draft {
        if self.cur.is_none() {
            self.warnings.push(Warning { line: u.first_line, message: "text before any headline; kept as an article without one".into() });
        }
        self.current()
    }

    /// The article a body unit goes into: a new, headline-less one after a jump line.
    fn open_for_body(&mut self, u: &Unit) -> &mut Draft {
        let closed = self.cur.as_ref().is_some_and(|d| d.closed);
        if closed {
            self.finish();
            self.warnings.push(Warning {
                line: u.first_line,
                message: "text after a jump line with no headline of its own; kept as an article without a headline".into(),
            });
        } else if self.cur.is_none() {
            self.warnings.push(Warning { line: u.first_line, message: "text before any headline; kept as an article without one".into() });
        }
        self.current()
    }

    /// Images, captions, promos: they belong to the article they follow, closed or not.
    fn push_block(&mut self, u: &Unit, block: Block) {
        let d = self.current_or_new(u);
        d.touch(u);
        d.art.blocks.push(block);
    }

    fn body_block(&mut self, u: &Unit, block: Block) {
        let d = self.open_for_body(u);
        d.touch(u);
        d.art.blocks.push(block);
    }

    /// Whether hard-broken short lines read now are verse: a literary page or piece, judged by the
    /// current article or by the headline group still pending.
    fn literary_context(&self) -> bool {
        if !self.allow_verse {
            return false;
        }
        let pending_words = self.pending.iter().any(|u| u.joined().is_some_and(|t| LITERARY_WORDS.iter().any(|w| t.contains(w))));
        let cur = self.cur.as_ref().is_some_and(|d| d.literary && !d.closed);
        self.literary_page || cur || pending_words
    }

    /// A text unit of the body: a paragraph (its lead byline taken off), or verse.
    fn text(&mut self, u: &Unit, text: String) {
        let verse = is_verse_shaped(u) && self.literary_context();
        let d = self.open_for_body(u);
        d.touch(u);
        if let (true, Kind::Text { lines, .. }) = (verse, &u.kind) {
            d.art.blocks.push(Block::Verse { lines: lines.clone(), line: u.first_line });
            return;
        }
        if !d.has_body() && d.art.byline.is_none() {
            if let Some(lead) = lead_byline(&text) {
                d.art.byline = Some(lead.byline);
                d.art.author = lead.author;
                d.art.blocks.push(Block::Paragraph { text: lead.rest, line: u.first_line });
                return;
            }
        }
        d.art.blocks.push(Block::Paragraph { text, line: u.first_line });
    }

    fn finish(&mut self) {
        if let Some(d) = self.cur.take() {
            self.done.push((d.art, d.marks));
        }
    }

    /// Settles what the pending heading-shaped units are, now that `next` shows what follows.
    fn flush(&mut self, next: Next) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let marked = pending.iter().any(|u| matches!(u.kind, Kind::Banner { .. } | Kind::Heading { level: 1 | 2, .. }));
        let open_body = self.cur.as_ref().is_some_and(|d| d.has_body() && !d.closed);
        let group = match next {
            Next::Paragraph { byline } => marked || !open_body || byline || pending.len() > MAX_CROSSHEAD_RUN,
            Next::Byline | Next::Continued => marked || !open_body || pending.len() > MAX_CROSSHEAD_RUN,
            Next::Other | Next::End => marked,
        };
        if group {
            self.open_group(&pending, next == Next::End);
            return;
        }
        match next {
            Next::Paragraph { .. } | Next::Byline | Next::Continued => {
                for u in pending {
                    let text = u.joined().unwrap_or_default();
                    let d = self.current();
                    d.touch(u);
                    // After a paragraph cut mid-sentence, a short line is the rest of it (a
                    // column-break fragment), not a crosshead.
                    let cut = matches!(d.art.blocks.last(), Some(Block::Paragraph { text, .. }) if !ends_closed(text));
                    if cut {
                        d.art.blocks.push(Block::Paragraph { text, line: u.first_line });
                    } else {
                        d.art.blocks.push(Block::Crosshead { text, line: u.first_line });
                    }
                }
            }
            Next::Other | Next::End => {
                // Short lines with no body after them: the end of the article's text if it is
                // still open; otherwise nothing tells what they are.
                for u in pending {
                    let text = u.joined().unwrap_or_default();
                    if !open_body {
                        self.warnings.push(Warning {
                            line: u.first_line,
                            message: format!("cannot tell what \"{text}\" is (a headline with no article after it?); kept as a paragraph"),
                        });
                    }
                    let d = if open_body { self.current() } else { self.open_for_body(u) };
                    d.touch(u);
                    d.art.blocks.push(Block::Paragraph { text, line: u.first_line });
                }
            }
        }
    }

    /// Reads `group` as banner, kicker, headline and subtitle of a new article (or of the current
    /// one, when it has nothing yet but a continuation mark or byline).
    fn open_group(&mut self, group: &[&Unit], at_end: bool) {
        if !self.cur.as_ref().is_some_and(Draft::awaits_headline) {
            self.finish();
            self.cur = Some(Draft::default());
        }
        let literary_page = self.literary_page;
        let allow_verse = self.allow_verse;
        let d = self.current();
        let mut banners = vec![];
        let mut heads: Vec<(u8, String)> = vec![];
        for u in group {
            d.touch(u);
            match &u.kind {
                Kind::Banner { text } => banners.push(text.clone()),
                Kind::Heading { level, text } => heads.push((prominence(*level), text.clone())),
                _ => heads.push((0, u.joined().unwrap_or_default())),
            }
        }
        if !banners.is_empty() {
            // A banner read before a continuation mark stays first.
            banners.splice(0..0, d.art.banner.take());
            d.art.banner = Some(banners.join("\n"));
        }
        // The first of the most prominent lines is the headline; a line opening with a dash is a
        // subtitle (——记…) whatever its size.
        let top = heads.iter().filter(|(_, t)| !is_dash_subtitle(t)).map(|(p, _)| *p).max();
        let at = top.and_then(|top| heads.iter().position(|(p, t)| *p == top && !is_dash_subtitle(t)));
        match at {
            Some(at) => {
                let kickers: Vec<&str> = heads[..at].iter().map(|(_, t)| t.as_str()).collect();
                let mut subtitles: Vec<String> = heads[at + 1..].iter().map(|(_, t)| t.clone()).collect();
                let mut headline = heads[at].1.clone();
                if subtitles.is_empty() {
                    if let Some((head, sub)) = split_run_together(&headline) {
                        headline = head;
                        subtitles.push(sub);
                    }
                }
                d.art.kicker = (!kickers.is_empty()).then(|| kickers.join("\n"));
                d.art.headline = Some(headline);
                d.art.subtitle = (!subtitles.is_empty()).then(|| subtitles.join("\n"));
            }
            None if !heads.is_empty() => {
                d.art.subtitle = Some(heads.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n"));
            }
            None => {}
        }
        let words = [&d.art.kicker, &d.art.headline, &d.art.subtitle, &d.art.banner];
        d.literary = allow_verse && (literary_page || words.iter().any(|w| w.as_deref().is_some_and(|w| LITERARY_WORDS.iter().any(|l| w.contains(l)))));
        if at_end {
            let line = d.art.lines[0];
            let headline = d.art.headline.clone().unwrap_or_default();
            self.warnings.push(Warning { line, message: format!("headline \"{headline}\" has no text after it") });
        }
    }
}

/// `#` is the most prominent, then `##`, `###`…; plain text is the least.
fn prominence(level: u8) -> u8 {
    7 - level.min(6)
}

fn is_dash_subtitle(t: &str) -> bool {
    t.starts_with("——") || t.starts_with('—')
}

/// `甲事举行 要点一 要点二 某某讲话` → (`甲事举行`, `要点一 要点二 某某讲话`): a headline whose
/// subtitle the extractor ran onto the same line (see [`MAX_HEADLINE_PHRASES`]).
fn split_run_together(headline: &str) -> Option<(String, String)> {
    let phrases: Vec<&str> = headline.split_whitespace().collect();
    if phrases.len() <= MAX_HEADLINE_PHRASES || headline.chars().count() < RUN_TOGETHER_MIN_CHARS {
        return None;
    }
    Some((phrases[0].to_string(), phrases[1..].join(" ")))
}

/// Warnings about jumps and continuations across the whole issue: a jump to a page that is not
/// in the text, a jump that no continuation answers, a continuation with no origin.
pub fn link_warnings(issue: &Issue, marks: &[Marks]) -> Vec<Warning> {
    let mut out = vec![];
    for (k, (at, art)) in issue.articles().enumerate() {
        let m = marks.get(k).copied().unwrap_or_default();
        let name = art.headline.as_deref().map(|h| format!("article \"{h}\"")).unwrap_or_else(|| "an article without a headline".into());
        if let Some(to) = art.jump_to {
            let line = m.jump_line.unwrap_or(art.lines[1]);
            if !issue.pages.iter().any(|p| p.number == to) {
                out.push(Warning { line, message: format!("{name} jumps to page {to}, which is not in this text") });
            } else if issue.continuation(at).is_none() {
                let from = issue.pages[at.page].number;
                out.push(Warning { line, message: format!("{name} jumps to page {to}, but page {to} has no continuation (上接{from}版) for it") });
            }
        }
        if let Some(from) = art.continued_from {
            if !issue.is_continuation(at) {
                let line = m.continued_line.unwrap_or(art.lines[0]);
                out.push(Warning { line, message: format!("{name} continues from page {from}, but no article there jumps to this page") });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::pages::SourceLine;
    use super::super::roles::units;
    use super::*;

    fn arts(text: &str) -> Built {
        let lines: Vec<SourceLine> = text.split('\n').enumerate().map(|(i, t)| SourceLine { number: i as u32 + 1, text: t }).collect();
        build(&units(&lines), None, false)
    }

    fn paragraphs(a: &Article) -> Vec<&str> {
        a.blocks.iter().filter_map(|b| if let Block::Paragraph { text, .. } = b { Some(text.as_str()) } else { None }).collect()
    }

    #[test]
    fn headline_group_by_prominence() {
        let b = arts("## 引题一行\n\n# 主题一行\n\n副题一行\n\n本报讯(记者 甲某)正文。");
        let a = &b.articles[0].0;
        assert_eq!(a.kicker.as_deref(), Some("引题一行"));
        assert_eq!(a.headline.as_deref(), Some("主题一行"));
        assert_eq!(a.subtitle.as_deref(), Some("副题一行"));
        assert_eq!(a.byline.as_deref(), Some("本报讯(记者 甲某)"));
        assert_eq!(a.author.as_deref(), Some("甲某"));
        assert_eq!(paragraphs(a), vec!["正文。"]);
        assert_eq!(a.lines, [1, 7]);
        // Plain kicker before a `##` headline; no subtitle.
        let b = arts("平实的引题\n\n## 标题\n\n正文。");
        let a = &b.articles[0].0;
        assert_eq!((a.kicker.as_deref(), a.headline.as_deref(), a.subtitle.as_deref()), (Some("平实的引题"), Some("标题"), None));
    }

    #[test]
    fn banner_and_dash_subtitle() {
        let b = arts("栏目 | 一句口号\n\n## 标题\n\n——记某某\n\n正文。");
        let a = &b.articles[0].0;
        assert_eq!(a.banner.as_deref(), Some("栏目 | 一句口号"));
        assert_eq!(a.subtitle.as_deref(), Some("——记某某"));
    }

    #[test]
    fn crossheads_inside_a_body_but_not_before_a_byline() {
        let b = arts("## 标题\n\n第一段，说了。\n\n小标题\n\n副小标题\n\n第二段。\n\n## 下一篇\n\n正文。");
        assert_eq!(b.articles.len(), 2);
        let crossheads: Vec<_> = b.articles[0].0.blocks.iter().filter(|x| matches!(x, Block::Crosshead { .. })).collect();
        assert_eq!(crossheads.len(), 2);
        // A short line leading into a `本报讯` paragraph is the next article's headline.
        // After a paragraph cut mid-sentence, a short line is its column-break fragment.
        let b = arts("## 标题\n\n副区长通报情况,区\n\n应急管理局、林业局\n\n负责同志发言。");
        assert!(b.articles[0].0.blocks.iter().all(|x| matches!(x, Block::Paragraph { .. })));
        let b = arts("## 标题\n\n第一段。\n\n新的标题\n\n本报讯 新的正文。");
        assert_eq!(b.articles.len(), 2);
        assert_eq!(b.articles[1].0.headline.as_deref(), Some("新的标题"));
    }

    #[test]
    fn jump_closes_and_trailing_caption_promo_stay() {
        let b = arts("## 标题\n\n正文，\n\n(下转2版)\n\n扫码关注某某APP\n\n旧址外景。\n\n某某供图\n\n## 下一篇\n\n正文。");
        let (a, m) = &b.articles[0];
        assert_eq!(a.jump_to, Some(2));
        assert_eq!(m.jump_line, Some(5));
        assert!(matches!(a.blocks[1], Block::Promo { .. }));
        assert_eq!(a.blocks[2], Block::Caption { text: "旧址外景。".into(), credit: Some("某某供图".into()), line: 9 });
        assert_eq!(b.articles.len(), 2);
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn text_after_a_jump_without_headline_warns_and_is_kept() {
        let b = arts("## 标题\n\n正文，\n\n(下转2版)\n\n一段没有标题的文字，很长很长，说了很多。");
        assert_eq!(b.articles.len(), 2);
        assert_eq!(paragraphs(&b.articles[1].0), vec!["一段没有标题的文字，很长很长，说了很多。"]);
        assert_eq!(b.warnings.len(), 1);
    }

    #[test]
    fn unknown_short_line_at_the_end_is_kept_with_a_warning() {
        let b = arts("## 标题\n\n正文，\n\n(下转2版)\n\n孤零零一行");
        let last = &b.articles.last().unwrap().0;
        assert_eq!(paragraphs(last), vec!["孤零零一行"]);
        assert!(b.warnings.iter().any(|w| w.line == 7 && w.message.contains("cannot tell")));
        // Inside an open body, the same line is the body's last paragraph: no warning.
        let b = arts("## 标题\n\n正文。\n\n孤零零一行");
        assert!(b.warnings.is_empty());
        assert_eq!(paragraphs(&b.articles[0].0), vec!["正文。", "孤零零一行"]);
    }

    #[test]
    fn continuation_before_or_after_its_headline() {
        for text in ["## 标题\n\n(上接1版)\n\n续文。", "(上接1版)\n\n## 标题\n\n续文。", "## 标题\n\n(上接1版)续文。"] {
            let b = arts(text);
            assert_eq!(b.articles.len(), 1, "{text}");
            let a = &b.articles[0].0;
            assert_eq!((a.headline.as_deref(), a.continued_from), (Some("标题"), Some(1)), "{text}");
            assert_eq!(paragraphs(a), vec!["续文。"]);
        }
    }

    #[test]
    fn verse_only_in_literary_pieces() {
        let poem = "## 秋日小诗\n\n□ 陈某\n\n江水向东流  \n山色入画来  \n灯火照归人\n\n散文一段。";
        let a = &arts(poem).articles[0].0;
        assert_eq!(a.byline.as_deref(), Some("□ 陈某"));
        assert_eq!(a.blocks[0], Block::Verse { lines: vec!["江水向东流".into(), "山色入画来".into(), "灯火照归人".into()], line: 5 });
        // The same hard breaks in a news brief are joined prose.
        let a = &arts("## 会议举行\n\n会议指出  \n要抓落实  \n见成效。").articles[0].0;
        assert_eq!(paragraphs(a), vec!["会议指出要抓落实见成效。"]);
    }

    #[test]
    fn run_together_headline_and_subtitle() {
        let h = "某区数字建设推进会举行 聚焦实战 扭住关键 推动能力建设双向赋能 某某讲话 某某主持";
        let a = &arts(&format!("## {h}\n\n正文。")).articles[0].0;
        assert_eq!(a.headline.as_deref(), Some("某区数字建设推进会举行"));
        assert_eq!(a.subtitle.as_deref(), Some("聚焦实战 扭住关键 推动能力建设双向赋能 某某讲话 某某主持"));
        // Two phrases, or a short line: one headline.
        for h in ["深入学习贯彻会议精神 研究部署全面融入区域发展等各项重点工作", "区政府召开常务会议 某某主持"] {
            assert_eq!(arts(&format!("## {h}\n\n正文。")).articles[0].0.headline.as_deref(), Some(h));
        }
    }

    #[test]
    fn images_and_their_captions() {
        let a = &arts("## 标题\n\n正文。\n\n![江景](a.jpg)\n\n江边的夜景。\n\n张某 摄").articles[0].0;
        assert_eq!(a.blocks[1], Block::Image { src: "a.jpg".into(), alt: Some("江景".into()), line: 5 });
        assert_eq!(a.blocks[2], Block::Caption { text: "江边的夜景。".into(), credit: Some("张某 摄".into()), line: 7 });
        // A long paragraph after a photo is body text, not its caption.
        let long = "正文接着写，".repeat(20);
        let a = &arts(&format!("## 标题\n\n正文。\n\n![江景](a.jpg)\n\n{long}")).articles[0].0;
        assert!(matches!(a.blocks[2], Block::Paragraph { .. }));
    }

    #[test]
    fn bullets_are_paragraphs_each() {
        let a = &arts("## 简讯\n\n■ 甲街道开展活动。\n\n■ 乙社区举办讲座。").articles[0].0;
        assert_eq!(paragraphs(a), vec!["■ 甲街道开展活动。", "■ 乙社区举办讲座。"]);
    }
}
