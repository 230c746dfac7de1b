//! The issue laid out as a book: a title page with the masthead, one document per page (版), each
//! page's articles read whole, and the table of contents that points into them.
//!
//! Second stage of the EPUB writer, after `metadata` and `images`; `package` wraps what it makes
//! in the package document and navigation, `container` zips it. This is where the paper's
//! structure becomes reading order: a jumped article is read in one piece on the page it starts
//! on, its continuation's text following on without the `下转/上接` lines; the continuation's page
//! lists it and points there.

use std::collections::{BTreeMap, HashSet};

use crate::model::{Article, ArticleRef, Block, Issue};

use super::images::Pictures;
use super::metadata::{chinese_date, Metadata};
use super::xhtml::{escape, CharsUsed, Xhtml};

/// Alt text for a photo with neither alt text nor caption.
const ALT_FALLBACK: &str = "新闻图片";

/// Characters of the first paragraph used to name an article that has no headline.
const UNTITLED_LABEL_CHARS: usize = 18;

/// Marks that end a sentence: a part that ends on one of them ends its paragraph; a part that ends
/// on anything else (a comma, a character) was cut by the jump and its continuation's first
/// paragraph is the same paragraph.
const SENTENCE_END: &[char] = &['。', '！', '？', '…', '”', '’', '」', '』', '）', '》', '!', '?', '.', '；'];

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub label: String,
    /// Relative to the package folder: `page-01.xhtml#p1-a2`.
    pub href: String,
    pub children: Vec<TocEntry>,
}

/// A content document of the book, its body written.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name inside the package folder.
    pub file: String,
    pub title: String,
    pub body_class: &'static str,
    pub body: String,
}

/// What this stage makes.
#[derive(Debug)]
pub struct Content {
    pub title_page: Document,
    pub pages: Vec<Document>,
    /// One entry per page, with one child per article on it.
    pub toc: Vec<TocEntry>,
    pub chars: CharsUsed,
    /// True when every photo has alt text of its own or a caption to use as one.
    pub all_images_described: bool,
}

/// Lays out the issue.
pub fn lay_out(issue: &Issue, meta: &Metadata, pictures: &Pictures) -> Content {
    let parts = Parts::of(issue);
    let mut chars = CharsUsed::default();
    let mut all_images_described = true;

    let title_page = title_page(issue, meta, &mut chars);

    let mut pages = Vec::new();
    let mut toc = Vec::new();
    for (p, page) in issue.pages.iter().enumerate() {
        let file = page_file(p);
        let label = page_label(page.number, page.section.as_deref());
        // Each article of the page with where the page's own list sends the reader: a
        // continuation to its text in the article it finishes.
        let mut entries = Vec::new();
        let mut list_targets = Vec::new();
        for a in 0..page.articles.len() {
            let at = ArticleRef { page: p, article: a };
            let article = issue.article(at);
            let here = format!("{file}#{}", anchor(at));
            match parts.origin(at) {
                Some(origin) => {
                    let label = format!(
                        "{}（上接{}版）",
                        article_label(article).unwrap_or_else(|| untitled(issue.article(origin))),
                        issue.pages[origin.page].number
                    );
                    list_targets.push(format!("{}#{}", page_file(origin.page), anchor(at)));
                    entries.push(TocEntry { label, href: here, children: vec![] });
                }
                None => {
                    let label = article_label(article).unwrap_or_else(|| untitled(article));
                    list_targets.push(here.clone());
                    entries.push(TocEntry { label, href: here, children: vec![] });
                }
            }
        }

        let mut x = Xhtml::new();
        x.raw(&format!("<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"page-{}\">\n", p + 1));
        x.raw("<h1 class=\"page-title\">");
        x.heading_text(&format!("第{}版", page.number));
        if let Some(section) = page.section.as_deref().filter(|s| !s.is_empty()) {
            x.raw("<span class=\"section\">");
            x.heading_text(section);
            x.raw("</span>");
        }
        x.raw("</h1>\n");
        if let Some(editor) = page.editor.as_deref().filter(|s| !s.is_empty()) {
            x.element("p", "editor", &format!("责任编辑：{editor}"));
        }
        let points_elsewhere = list_targets.iter().any(|t| !t.starts_with(&file));
        if entries.len() > 1 || points_elsewhere {
            x.raw("<ol class=\"page-contents\">\n");
            for (e, target) in entries.iter().zip(&list_targets) {
                let local = target.strip_prefix(&file).unwrap_or(target);
                x.raw(&format!("<li><a href=\"{}\">", escape(local)));
                x.text(&e.label);
                x.raw("</a></li>\n");
            }
            x.raw("</ol>\n");
        }
        for (a, (e, target)) in entries.iter().zip(&list_targets).enumerate() {
            let at = ArticleRef { page: p, article: a };
            if parts.origin(at).is_none() {
                all_images_described &= write_article(&mut x, issue, &parts.whole(at), pictures);
            } else {
                // Where the continuation stood on its page, a pointer to where it is read, so the
                // page still lists everything in its order (and the table of contents can point
                // here in reading order).
                x.raw(&format!("<p class=\"continued-mark\" id=\"{}\"><a href=\"{}\">", anchor(at), escape(target)));
                x.text(&e.label);
                x.raw("</a></p>\n");
            }
        }
        x.raw("</section>\n");
        let (body, used) = x.into_body();
        chars.merge(&used);
        pages.push(Document { file: file.clone(), title: label.clone(), body_class: "page", body });
        toc.push(TocEntry { label, href: file, children: entries });
    }

    Content { title_page, pages, toc, chars, all_images_described }
}

/// The package-relative file of the `p`-th page (0-based index into `Issue::pages`).
pub fn page_file(p: usize) -> String {
    format!("page-{:02}.xhtml", p + 1)
}

/// `第1版 要闻`.
pub fn page_label(number: u32, section: Option<&str>) -> String {
    match section.filter(|s| !s.is_empty()) {
        Some(s) => format!("第{number}版 {s}"),
        None => format!("第{number}版"),
    }
}

fn anchor(at: ArticleRef) -> String {
    format!("p{}-a{}", at.page + 1, at.article + 1)
}

/// Which parts belong to which article: each part that continues an earlier one, with that
/// earlier part.
struct Parts<'a> {
    issue: &'a Issue,
    continues: BTreeMap<ArticleRef, ArticleRef>,
}

impl<'a> Parts<'a> {
    fn of(issue: &'a Issue) -> Parts<'a> {
        let mut continues = BTreeMap::new();
        for (at, _) in issue.articles() {
            if let Some(next) = issue.continuation(at) {
                continues.entry(next).or_insert(at);
            }
        }
        Parts { issue, continues }
    }

    /// The part a continuation is read in: the first part of its article. `None` for a part that
    /// starts an article (and for a part on a cycle of hand-edited jumps, which is then shown on
    /// its own page rather than nowhere).
    fn origin(&self, at: ArticleRef) -> Option<ArticleRef> {
        let mut cur = at;
        let mut seen = HashSet::new();
        while let Some(&prev) = self.continues.get(&cur) {
            if !seen.insert(cur) || prev == at {
                return None;
            }
            cur = prev;
        }
        (cur != at).then_some(cur)
    }

    fn whole(&self, at: ArticleRef) -> Vec<ArticleRef> {
        self.issue.whole_article(at)
    }
}

/// The name of an article in the tables of contents: its headline, else its kicker.
fn article_label(article: &Article) -> Option<String> {
    [&article.headline, &article.kicker, &article.subtitle]
        .into_iter()
        .flatten()
        .map(|s| s.replace('\n', " ").trim().to_string())
        .find(|s| !s.is_empty())
}

/// The opening words of an article without any heading, to name it by.
fn untitled(article: &Article) -> String {
    let text = article.blocks.iter().find_map(|b| match b {
        Block::Paragraph { text, .. } | Block::Crosshead { text, .. } | Block::Promo { text, .. } => Some(text.as_str()),
        Block::Caption { text, .. } => Some(text.as_str()),
        Block::Verse { lines, .. } => lines.first().map(String::as_str),
        Block::Image { .. } => None,
    });
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > UNTITLED_LABEL_CHARS => {
            format!("{}…", t.chars().take(UNTITLED_LABEL_CHARS).collect::<String>())
        }
        Some(t) => t.to_string(),
        None => "（无题）".to_string(),
    }
}

/// The title page: every field of the masthead.
fn title_page(issue: &Issue, meta: &Metadata, chars: &mut CharsUsed) -> Document {
    let m = &issue.masthead;
    let mut x = Xhtml::new();
    x.raw("<section epub:type=\"titlepage\" class=\"titlepage\">\n<h1 class=\"paper\">");
    x.heading_text(meta.paper.as_deref().unwrap_or(&meta.title));
    x.raw("</h1>\n");
    let date = [m.date.as_deref().map(chinese_date), m.weekday.clone()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !date.is_empty() {
        x.element("p", "date", &date);
    }
    if let Some(lunar) = m.lunar_date.as_deref().filter(|s| !s.is_empty()) {
        x.element("p", "lunar", &format!("农历{lunar}"));
    }
    let numbers = match (m.issue_number, m.total_issue_number) {
        (Some(n), Some(t)) => format!("第{n}期（总第{t}期）"),
        (Some(n), None) => format!("第{n}期"),
        (None, Some(t)) => format!("总第{t}期"),
        (None, None) => String::new(),
    };
    if !numbers.is_empty() {
        x.element("p", "issue", &numbers);
    }
    x.element("p", "pages", &format!("今日{}版", m.page_count));
    x.raw("<div class=\"colophon\">\n");
    for field in [&m.permit, &m.frequency, &m.publisher].into_iter().flatten() {
        if !field.is_empty() {
            x.element("p", "masthead-field", field);
        }
    }
    for contact in m.contacts.iter().filter(|c| !c.is_empty()) {
        x.element("p", "contact", contact);
    }
    x.raw("</div>\n</section>\n");
    let (body, used) = x.into_body();
    chars.merge(&used);
    Document { file: "title.xhtml".into(), title: meta.title.clone(), body_class: "title", body }
}

/// Writes one article read whole from its `parts`; returns whether every photo in it had a real
/// description (alt text or caption).
fn write_article(x: &mut Xhtml, issue: &Issue, parts: &[ArticleRef], pictures: &Pictures) -> bool {
    let first = issue.article(parts[0]);
    let class = if first.ear { "article ear" } else { "article" };
    x.raw(&format!("<article id=\"{}\" class=\"{class}\">\n", anchor(parts[0])));
    write_headline_group(x, first);
    if let Some(from) = first.continued_from {
        // The start of this article is not in the text: say where the paper has it.
        x.element("p", "jump-note", &format!("上接{from}版"));
    }
    let mut described = true;
    // Paragraph text waiting to be written: a part cut mid-sentence by its jump is finished by
    // the first paragraph of the next part.
    let mut open: Option<String> = None;
    for (k, &at) in parts.iter().enumerate() {
        let article = issue.article(at);
        if k > 0 {
            let mark = format!("<span id=\"{}\" class=\"part\"></span>", anchor(at));
            match (open.take(), article.byline.as_deref(), article.blocks.first()) {
                (Some(head), None, Some(Block::Paragraph { text, .. })) => {
                    // The mark goes where the continuation's text begins, inside the paragraph.
                    x.raw("<p>");
                    x.text(&head);
                    x.raw(&mark);
                    x.text(text);
                    x.raw("</p>\n");
                    write_blocks(x, &article.blocks[1..], pictures, &mut open, &mut described);
                    continue;
                }
                (head, _, _) => {
                    open = head;
                    flush(x, &mut open);
                    x.raw(&mark);
                    x.raw("\n");
                }
            }
        }
        if let Some(byline) = article.byline.as_deref().filter(|b| !b.is_empty()) {
            x.element("p", "byline", byline);
        }
        write_blocks(x, &article.blocks, pictures, &mut open, &mut described);
    }
    flush(x, &mut open);
    let last = issue.article(*parts.last().expect("an article has at least one part"));
    if let Some(to) = last.jump_to {
        // The continuation is not in the text: say where the paper has it.
        x.element("p", "jump-note", &format!("下转{to}版"));
    }
    x.raw("</article>\n");
    described
}

fn write_headline_group(x: &mut Xhtml, a: &Article) {
    let has = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.is_empty());
    if !(has(&a.banner) || has(&a.kicker) || has(&a.headline) || has(&a.subtitle)) {
        return;
    }
    x.raw("<header class=\"headline-group\">\n");
    if let Some(banner) = a.banner.as_deref().filter(|s| !s.is_empty()) {
        x.element("p", "banner", banner);
    }
    if let Some(kicker) = a.kicker.as_deref().filter(|s| !s.is_empty()) {
        x.element("p", "kicker", kicker);
    }
    if let Some(headline) = a.headline.as_deref().filter(|s| !s.is_empty()) {
        x.raw("<h2 class=\"headline\">");
        x.heading_lines(headline);
        x.raw("</h2>\n");
    }
    if let Some(subtitle) = a.subtitle.as_deref().filter(|s| !s.is_empty()) {
        x.element("p", "subtitle", subtitle);
    }
    x.raw("</header>\n");
}

fn flush(x: &mut Xhtml, open: &mut Option<String>) {
    if let Some(text) = open.take() {
        x.raw("<p>");
        x.text(&text);
        x.raw("</p>\n");
    }
}

/// Writes a part's blocks. The last paragraph is held back in `open` when it ends mid-sentence,
/// so that a continuation can finish it.
fn write_blocks(x: &mut Xhtml, blocks: &[Block], pictures: &Pictures, open: &mut Option<String>, described: &mut bool) {
    let mut i = 0;
    while i < blocks.len() {
        flush(x, open);
        match &blocks[i] {
            Block::Paragraph { text, .. } => {
                if i + 1 == blocks.len() && !text.trim_end().ends_with(SENTENCE_END) {
                    *open = Some(text.clone());
                } else {
                    x.raw("<p>");
                    x.text(text);
                    x.raw("</p>\n");
                }
            }
            Block::Crosshead { text, .. } => {
                x.raw("<h3 class=\"crosshead\">");
                x.heading_text(text);
                x.raw("</h3>\n");
            }
            Block::Image { src, alt, .. } => {
                let caption = match blocks.get(i + 1) {
                    Some(Block::Caption { text, credit, .. }) => Some((text.as_str(), credit.as_deref())),
                    _ => None,
                };
                let own_alt = alt.as_deref().map(str::trim).filter(|a| !a.is_empty());
                *described &= own_alt.is_some() || caption.is_some();
                // Alt text that says more than the caption is the issue's own words about the
                // photo: it is shown, not only read aloud.
                let alt_shown = own_alt.filter(|a| caption.is_none_or(|(text, _)| !text.contains(a)));
                match pictures.get(src) {
                    Some(picture) => {
                        let alt_text = own_alt.or(caption.map(|c| c.0)).unwrap_or(ALT_FALLBACK);
                        x.raw("<figure>\n");
                        x.raw(&format!("<img src=\"{}\" alt=\"{}\"/>\n", escape(&picture.href), escape(alt_text)));
                        if alt_shown.is_some() || caption.is_some() {
                            x.raw("<figcaption>");
                            if let Some(alt) = alt_shown {
                                x.text(alt);
                                if caption.is_some() {
                                    x.raw("<br/>");
                                }
                            }
                            if let Some((text, credit)) = caption {
                                write_caption(x, text, credit);
                                i += 1;
                            }
                            x.raw("</figcaption>\n");
                        }
                        x.raw("</figure>\n");
                    }
                    // The photo could not be used (a warning says why): its words stay, the
                    // caption as the next block.
                    None => {
                        if let Some(alt) = alt_shown {
                            x.element("p", "caption", alt);
                        }
                    }
                }
            }
            Block::Caption { text, credit, .. } => {
                x.raw("<p class=\"caption\">");
                write_caption(x, text, credit.as_deref());
                x.raw("</p>\n");
            }
            Block::Verse { lines, .. } => {
                x.raw("<div class=\"verse\">\n");
                for line in lines {
                    if line.trim().is_empty() {
                        x.raw("<p class=\"stanza-break\"></p>\n");
                    } else {
                        x.raw("<p>");
                        x.text(line);
                        x.raw("</p>\n");
                    }
                }
                x.raw("</div>\n");
            }
            Block::Promo { text, .. } => {
                x.raw("<aside class=\"promo\">\n");
                x.element("p", "promo-text", text);
                x.raw("</aside>\n");
            }
        }
        i += 1;
    }
}

fn write_caption(x: &mut Xhtml, text: &str, credit: Option<&str>) {
    x.text(text);
    if let Some(credit) = credit.filter(|c| !c.is_empty()) {
        x.raw("<span class=\"credit\">");
        x.text(credit);
        x.raw("</span>");
    }
}
