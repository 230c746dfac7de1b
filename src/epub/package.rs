//! The package document (OPF), the EPUB 3 navigation document and the NCX of older readers.
//!
//! Third stage of the EPUB writer: `book` has laid out the documents and the table of contents;
//! this module says what the book is (metadata), what it holds (manifest), in which order it is
//! read (spine) and how to find one's way (nav, landmarks, NCX), all from the templates.

use super::book::TocEntry;
use super::metadata::{Metadata, LANGUAGE};
use super::template;
use super::xhtml::{escape, CharsUsed, Xhtml};

/// Navigation labels: the reader's own language.
pub const TOC_HEADING: &str = "目录";
const LANDMARKS_HEADING: &str = "导览";
const COVER_LABEL: &str = "封面";
const BODY_LABEL: &str = "正文";

/// Said to people who use assistive technology, in the book's language.
const ACCESSIBILITY_SUMMARY: &str = "本书为报纸一期的可重排电子版：按版面和文章分节，目录可逐版逐篇导航，\
正文为可放大、可朗读的文字；图片附有说明文字，封面图片的内容亦见于书名页。";

/// One file of the manifest.
pub struct Item {
    pub id: String,
    pub href: String,
    pub media_type: &'static str,
    pub properties: Option<&'static str>,
}

/// What the package document needs besides the metadata.
pub struct Package<'a> {
    pub meta: &'a Metadata,
    pub items: &'a [Item],
    /// Ids of the items read in order.
    pub spine: &'a [&'a str],
    pub fonts_embedded: bool,
    pub all_images_described: bool,
}

/// `content.opf`.
pub fn opf(p: &Package) -> String {
    let m = p.meta;
    let mut optional = String::new();
    if let Some(paper) = &m.paper {
        optional.push_str(&format!("    <dc:creator id=\"book-creator\">{}</dc:creator>\n", escape(paper)));
    }
    if let Some(publisher) = &m.publisher {
        optional.push_str(&format!("    <dc:publisher>{}</dc:publisher>\n", escape(publisher)));
    }
    if let Some(date) = &m.date {
        optional.push_str(&format!("    <dc:date>{}</dc:date>\n", escape(date)));
    }
    if let Some(paper) = &m.paper {
        // The place in its paper's run: EPUB 3 collections for Apple Books and
        // KOReader, calibre's own meta for calibre and the readers it feeds.
        optional.push_str(&format!(
            "    <meta property=\"belongs-to-collection\" id=\"book-series\">{}</meta>\n    <meta refines=\"#book-series\" property=\"collection-type\">series</meta>\n",
            escape(paper)
        ));
        if let Some(n) = m.series_index {
            optional.push_str(&format!("    <meta refines=\"#book-series\" property=\"group-position\">{n}</meta>\n"));
        }
        optional.push_str(&format!("    <meta name=\"calibre:series\" content=\"{}\"/>\n", escape(paper)));
        if let Some(n) = m.series_index {
            optional.push_str(&format!("    <meta name=\"calibre:series_index\" content=\"{n}\"/>\n"));
        }
    }
    let alt_text = if p.all_images_described {
        "    <meta property=\"schema:accessibilityFeature\">alternativeText</meta>\n"
    } else {
        ""
    };
    let font_metadata = if p.fonts_embedded {
        // Apple Books uses embedded fonts only when the book asks.
        "    <meta property=\"ibooks:specified-fonts\">true</meta>\n"
    } else {
        ""
    };
    let manifest: String = p
        .items
        .iter()
        .map(|i| {
            let props = i.properties.map(|v| format!(" properties=\"{v}\"")).unwrap_or_default();
            format!("    <item id=\"{}\" href=\"{}\" media-type=\"{}\"{props}/>\n", i.id, escape(&i.href), i.media_type)
        })
        .collect();
    let spine: String = p.spine.iter().map(|id| format!("    <itemref idref=\"{id}\"/>\n")).collect();
    template::fill(
        template::PACKAGE,
        &[
            ("lang", LANGUAGE),
            ("identifier", &escape(&m.identifier)),
            ("title", &escape(&m.title)),
            ("optional_metadata", &optional),
            ("modified", &m.modified.w3cdtf()),
            ("alt_text_feature", alt_text),
            ("accessibility_summary", ACCESSIBILITY_SUMMARY),
            ("font_metadata", font_metadata),
            ("manifest", &manifest),
            ("spine", &spine),
        ],
    )
}

/// Where the landmarks point.
pub struct Landmarks<'a> {
    pub cover: &'a str,
    pub toc: &'a str,
    pub body: &'a str,
}

/// The body of the navigation document: the nested table of contents and the landmarks.
pub fn nav_body(toc: &[TocEntry], landmarks: &Landmarks) -> (String, CharsUsed) {
    let mut x = Xhtml::new();
    write_list(&mut x, toc);
    let (list, chars) = x.into_body();
    let mut marks = String::new();
    for (kind, href, label) in [
        ("cover", landmarks.cover, COVER_LABEL),
        ("toc", landmarks.toc, TOC_HEADING),
        ("bodymatter", landmarks.body, BODY_LABEL),
    ] {
        marks.push_str(&format!("<li><a epub:type=\"{kind}\" href=\"{}\">{label}</a></li>\n", escape(href)));
    }
    let mut chars = chars;
    chars.bold.extend(TOC_HEADING.chars());
    chars.regular.extend(TOC_HEADING.chars());
    let body = template::fill(
        template::NAV,
        &[
            ("toc_heading", TOC_HEADING),
            ("toc", &list),
            ("landmarks_heading", LANDMARKS_HEADING),
            ("landmarks", &marks),
        ],
    );
    (body, chars)
}

fn write_list(x: &mut Xhtml, entries: &[TocEntry]) {
    x.raw("<ol>\n");
    for e in entries {
        x.raw(&format!("<li><a href=\"{}\">", escape(&e.href)));
        x.text(&e.label);
        x.raw("</a>");
        if !e.children.is_empty() {
            x.raw("\n");
            write_list(x, &e.children);
        }
        x.raw("</li>\n");
    }
    x.raw("</ol>\n");
}

/// `toc.ncx`, the EPUB 2 table of contents that older readers (and Kindle conversions) still read.
pub fn ncx(meta: &Metadata, toc: &[TocEntry]) -> String {
    let mut points = String::new();
    let mut order = 0;
    write_points(&mut points, toc, &mut order, 2);
    let depth = if toc.iter().any(|e| !e.children.is_empty()) { "2" } else { "1" };
    template::fill(
        template::NCX,
        &[
            ("lang", LANGUAGE),
            ("identifier", &escape(&meta.identifier)),
            ("depth", depth),
            ("title", &escape(&meta.title)),
            ("nav_points", &points),
        ],
    )
}

fn write_points(out: &mut String, entries: &[TocEntry], order: &mut usize, indent: usize) {
    let pad = "  ".repeat(indent);
    for e in entries {
        *order += 1;
        out.push_str(&format!(
            "{pad}<navPoint id=\"nav-{order}\" playOrder=\"{order}\">\n{pad}  <navLabel><text>{}</text></navLabel>\n{pad}  <content src=\"{}\"/>\n",
            escape(&e.label),
            escape(&e.href)
        ));
        write_points(out, &e.children, order, indent + 1);
        out.push_str(&format!("{pad}</navPoint>\n"));
    }
}
