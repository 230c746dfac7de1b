//! `papertool epub`: the issue as a reflowable EPUB 3 for e-readers.
//!
//! Reads only the model. The stages, one module each:
//! [`metadata`] (title, identifier, dates from the masthead) → [`images`] (the photos, checked and
//! scaled) → [`book`] (title page, one document per page, articles read whole, table of
//! contents) → [`cover`] (the cover picture; [`png`] writes its file) → [`subset`] (the
//! embedded font subsets) → [`package`] (OPF, nav, NCX) → [`container`] (the zip). [`xhtml`]
//! escapes and keeps count of the characters used; [`template`] holds the fixed text from
//! `templates/epub/`.

pub mod book;
pub mod container;
pub mod cover;
pub mod images;
pub mod metadata;
pub mod package;
pub mod png;
pub mod subset;
pub mod template;
pub mod xhtml;

use std::path::PathBuf;

use crate::error::Result;
use crate::fonts::{Face, FontDir};
use crate::model::{Issue, Warning};

use container::{Entry, Packing};
use metadata::{Metadata, LANGUAGE};
use package::{Item, Landmarks, Package};
use xhtml::Document;

/// Folder of the book's files inside the container.
const PACKAGE_DIR: &str = "EPUB";
const STYLESHEET: &str = "style.css";
const FONT_STYLESHEET: &str = "fonts.css";
const COVER_IMAGE: &str = "images/cover.png";
const COVER_DOC: &str = "cover.xhtml";
const NAV_DOC: &str = "nav.xhtml";

/// How to make the book.
#[derive(Debug, Clone)]
pub struct Options {
    /// Embed subsets of the body serif (the default), so readers without Chinese fonts show text.
    pub embed_fonts: bool,
    /// Where the faces are; see [`FontDir::locate`].
    pub font_dir: Option<PathBuf>,
    /// The folder image paths are relative to: the issue file's own.
    pub image_dir: PathBuf,
    /// `SOURCE_DATE_EPOCH`, when the caller honours it: the book's modification time.
    pub source_date_epoch: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options { embed_fonts: true, font_dir: None, image_dir: PathBuf::from("."), source_date_epoch: None }
    }
}

/// A finished book and what its making noticed.
#[derive(Debug)]
pub struct Book {
    pub bytes: Vec<u8>,
    /// Problems with the issue's photos, at their source lines (the issue's own warnings stay
    /// in `Issue::warnings`).
    pub warnings: Vec<Warning>,
}

/// Makes the EPUB of `issue`.
pub fn build(issue: &Issue, options: &Options) -> Result<Book> {
    let meta = Metadata::of(issue, options.source_date_epoch);
    let fonts = &FontDir::locate(options.font_dir.as_deref())?;
    let meta = &meta;
    // The cover and the font subsets are the slowest steps and independent of each other: the
    // cover is drawn beside everything else, the bold subset beside the regular one, each on one
    // of rayon's workers where there are several (in a batch busy with other issues: a worker
    // that waits for its scope takes on work meanwhile, so nothing waits for a worker that
    // waits); one book alone has one thread, which does them in turn (`start_workers`). A
    // thread of their own would start a heap of fresh memory each: the cover's and its deflate
    // piece's threads cost the seed's book 2 ms of page faults.
    let mut cover = None;
    let (pictures, warnings, content, nav, subsets) = rayon::in_place_scope(|s| {
        let cover = &mut cover;
        s.spawn(move |_| *cover = Some(cover::draw(issue, meta, fonts)));
        let mut warnings = Vec::new();
        let pictures = images::load(issue, &options.image_dir, &mut warnings);
        let content = book::lay_out(issue, meta, &pictures);
        let first_page = content.pages.first().map(|d| d.file.as_str()).unwrap_or("title.xhtml");
        let (nav, nav_chars) = package::nav_body(
            &content.toc,
            &Landmarks { cover: COVER_DOC, toc: &format!("{NAV_DOC}#toc"), body: first_page },
        );
        let mut chars = content.chars.clone();
        chars.merge(&nav_chars);
        let subsets = options.embed_fonts.then(move || {
            let bold_chars = std::mem::take(&mut chars.bold);
            let mut bold = None;
            let mut regular = None;
            rayon::in_place_scope(|scope| {
                let bold = &mut bold;
                scope.spawn(move |_| *bold = Some(subset_face(fonts, Face::SerifBold, &bold_chars)));
                regular = Some(subset_face(fonts, Face::SerifRegular, &chars.regular));
            });
            (regular.expect("set in the scope"), bold.expect("the scope ends when its job is done"))
        });
        (pictures, warnings, content, nav, subsets)
    });
    let cover = cover.expect("the scope ends when its job is done")?;
    let subsets = match subsets {
        Some((regular, bold)) => Some((regular?, bold?)),
        None => None,
    };

    let mut items = Vec::new();
    let mut entries = Vec::new();
    let mut add = |items: &mut Vec<Item>, id: &str, href: String, media_type: &'static str, properties, bytes: Vec<u8>, packing| {
        entries.push(Entry { path: format!("{PACKAGE_DIR}/{href}"), bytes, packing });
        items.push(Item { id: id.to_string(), href, media_type, properties });
    };

    let mut sheets = vec![STYLESHEET];
    if subsets.is_some() {
        sheets.push(FONT_STYLESHEET);
    }
    let document = |title: &str, class: &str, body: &str| {
        Document { lang: LANGUAGE, title, stylesheets: &sheets, body_class: class, body }.render().into_bytes()
    };
    let cover_body = format!(
        "<section epub:type=\"cover\" class=\"cover\">\n<img src=\"{COVER_IMAGE}\" alt=\"{}\"/>\n</section>\n",
        xhtml::escape(&format!("封面：{}", meta.title))
    );
    add(&mut items, "cover", COVER_DOC.into(), XHTML, None, document(&meta.title, "cover", &cover_body), Packing::Text);
    let title = &content.title_page;
    add(&mut items, "title", title.file.clone(), XHTML, None, document(&title.title, title.body_class, &title.body), Packing::Text);
    add(&mut items, "nav", NAV_DOC.into(), XHTML, Some("nav"), document(package::TOC_HEADING, "nav", &nav), Packing::Text);
    for (i, page) in content.pages.iter().enumerate() {
        let id = format!("page-{}", i + 1);
        add(&mut items, &id, page.file.clone(), XHTML, None, document(&page.title, page.body_class, &page.body), Packing::Text);
    }
    add(&mut items, "ncx", "toc.ncx".into(), "application/x-dtbncx+xml", None, package::ncx(meta, &content.toc).into_bytes(), Packing::Text);
    add(&mut items, "style", STYLESHEET.into(), "text/css", None, template::STYLESHEET.as_bytes().to_vec(), Packing::Text);
    if let Some((regular, bold)) = subsets {
        let regular_href = format!("fonts/serif-regular.{}", regular.extension);
        let bold_href = format!("fonts/serif-bold.{}", bold.extension);
        let css = template::fill(template::FONT_FACES, &[("regular", &regular_href), ("bold", &bold_href)]);
        add(&mut items, "font-style", FONT_STYLESHEET.into(), "text/css", None, css.into_bytes(), Packing::Text);
        add(&mut items, "font-regular", regular_href, regular.media_type, None, regular.bytes, Packing::Store);
        add(&mut items, "font-bold", bold_href, bold.media_type, None, bold.bytes, Packing::Store);
    }
    add(&mut items, "cover-image", COVER_IMAGE.into(), "image/png", Some("cover-image"), cover, Packing::Store);
    for (i, picture) in pictures.list.iter().enumerate() {
        let id = format!("photo-{}", i + 1);
        add(&mut items, &id, picture.href.clone(), picture.media_type, None, picture.bytes.clone(), Packing::Store);
    }

    let mut spine = vec!["cover", "title", "nav"];
    let page_ids: Vec<String> = (1..=content.pages.len()).map(|i| format!("page-{i}")).collect();
    spine.extend(page_ids.iter().map(String::as_str));
    let opf = package::opf(&Package {
        meta,
        items: &items,
        spine: &spine,
        fonts_embedded: entries.iter().any(|e| e.path.contains("/fonts/")),
        all_images_described: content.all_images_described,
    });
    let package_path = format!("{PACKAGE_DIR}/package.opf");
    let container_xml = template::fill(template::CONTAINER, &[("package_path", &package_path)]);
    let mut all = vec![
        Entry { path: "META-INF/container.xml".into(), bytes: container_xml.into_bytes(), packing: Packing::Text },
        Entry { path: package_path, bytes: opf.into_bytes(), packing: Packing::Text },
    ];
    all.extend(entries);
    let bytes = container::zip(&all, meta.modified)?;
    Ok(Book { bytes, warnings })
}

const XHTML: &str = "application/xhtml+xml";

fn subset_face(fonts: &FontDir, face: Face, chars: &std::collections::BTreeSet<char>) -> Result<subset::Subset> {
    let data = fonts.load(face)?;
    subset::subset(&data, chars, &fonts.face_path(face).display().to_string())
}
