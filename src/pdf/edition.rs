//! The broadsheet edition, whole: an issue in, the PDF's bytes and the warnings out.
//!
//! Entry point of the PDF pipeline, wiring its stages: the faces ([`crate::pdf::fonts`]), the text
//! engine ([`crate::pdf::text`]) as the layout's [`Measure`], the layout ([`crate::pdf::layout`]),
//! the renderer ([`crate::pdf::render`]), then the outline and the document language
//! ([`crate::pdf::outline`]), for the print edition the PDF/X pass ([`crate::pdf::pdfx`]), and
//! last the one write of the file ([`crate::pdf::serialize`]). Render hands the others an
//! in-memory document: the PDF is never written and read back on the way.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::fonts::{Face, FontDir};
use crate::model::{Block, Issue, Warning};
use crate::pdf::fonts::FontSet;
use crate::pdf::frame::{Color, Frame, Item, LinkTarget, Picture};
use crate::pdf::layout::blocks::{placeable_photo, Setter};
use crate::pdf::layout::jumps::lay_out;
use crate::pdf::layout::template::{Alignment, Cmyk, Role, Template};
use crate::pdf::layout::{Edition, Mark, Measure, SetLine};
use crate::pdf::outline::{self, Chapter};
use crate::pdf::pdfx::{self, PdfxMeta};
use crate::pdf::render::{render, DocMeta};
use crate::pdf::serialize;
use crate::pdf::text::{self, Align, Line, PunctMode, Shaper, ShapedRun, Style};

/// How to make the edition.
#[derive(Debug, Clone)]
pub struct Options {
    pub template: Template,
    /// Page count; `None` takes the masthead's (`今日4版`).
    pub pages: Option<u32>,
    pub font_dir: Option<PathBuf>,
    /// The folder photos' paths are relative to: the issue file's.
    pub base: PathBuf,
    /// The print edition, PDF/X-1a:2001 for newsprint ([`crate::pdf::pdfx`]); `false` makes
    /// the screen edition, with its jump links.
    pub print: bool,
}

impl Options {
    /// The screen edition; set [`Options::print`] for the print edition (what `papertool pdf`
    /// makes by default).
    pub fn new(base: &Path) -> Options {
        Options::with_template(Template::broadsheet(), base)
    }

    /// [`Options::new`] with another template.
    pub fn with_template(template: Template, base: &Path) -> Options {
        Options { template, pages: None, font_dir: None, base: base.to_path_buf(), print: false }
    }
}

/// The text engine as the layout sees it; keeps the engine's warnings.
struct Engine<'a> {
    /// The issue's characters, each looked up in the fonts once.
    shaper: Shaper<'a>,
    warnings: RefCell<Vec<Warning>>,
    /// Runs whose lines the layout counts, shaped once, by type and source line and then text
    /// (looked up by the text as given, so a count of a run met before allocates nothing): it
    /// tries each headline at many measures.
    shaped: RefCell<HashMap<RunKind, HashMap<String, ShapedRun>>>,
}

impl<'a> Engine<'a> {
    fn new(fonts: &'a FontSet) -> Engine<'a> {
        Engine { shaper: Shaper::new(fonts), warnings: RefCell::new(Vec::new()), shaped: RefCell::new(HashMap::new()) }
    }
}

/// What a counted run is set in and where it came from: its face, its size (as bits), its source
/// line.
type RunKind = (Face, u32, u32);

/// The print edition has no bleed: a newspaper page is printed to its margins, not its edges.
const NEWSPAPER_BLEED_PT: f32 = 0.0;

fn style(role: &Role) -> Style {
    Style {
        face: role.face.face(),
        size: role.size.pt(),
        leading: role.line_pitch(),
        align: match role.align {
            Alignment::Justify => Align::Justify,
            Alignment::Left => Align::Left,
            Alignment::Center => Align::Center,
            Alignment::Right => Align::Right,
        },
        first_indent_em: role.indent,
        hanging_indent_em: role.hanging,
        letter_spacing_em: role.tracking,
        punctuation: PunctMode::Quanjiao,
    }
}

impl Measure for Engine<'_> {
    type Line = Line;
    fn set(&self, text: &str, role: &Role, width: f32, source_line: u32) -> Vec<SetLine<Line>> {
        let set = text::set_with(&self.shaper, None, text, &style(role), width, source_line);
        self.warnings.borrow_mut().extend(set.warnings);
        // The engine places alignment and indents in the glyphs' own x.
        set.lines.into_iter().map(|l| SetLine { width: l.width, x: 0.0, line: l }).collect()
    }

    fn count(&self, text: &str, role: &Role, width: f32, source_line: u32) -> usize {
        let style = style(role);
        let mut shaped = self.shaped.borrow_mut();
        let runs = shaped.entry((style.face, style.size.to_bits(), source_line)).or_default();
        if !runs.contains_key(text) {
            runs.insert(text.to_owned(), text::shape_run(&self.shaper, text, &style, source_line));
        }
        let run = &runs[text];
        // Its warnings again, as setting it would give them.
        self.warnings.borrow_mut().extend(run.warnings.iter().cloned());
        text::count(run, &style, width)
    }

    fn set_run_in(&self, lead: &str, lead_role: &Role, text: &str, role: &Role, width: f32, source_line: u32) -> Vec<SetLine<Line>> {
        let set = text::set_with(&self.shaper, Some((lead, lead_role.face.face())), text, &style(role), width, source_line);
        self.warnings.borrow_mut().extend(set.warnings);
        set.lines.into_iter().map(|l| SetLine { width: l.width, x: 0.0, line: l }).collect()
    }
}

fn color(c: Cmyk) -> Color {
    let [cy, m, y, k] = c.0;
    Color::cmyk(cy / 100.0, m / 100.0, y / 100.0, k / 100.0)
}

/// Makes the edition: the PDF's bytes and what was noticed on the way. Nothing is returned when
/// the content does not fit the pages, or when the print edition cannot be made (an issue
/// without a date has no PDF/X CreationDate).
pub fn write(issue: &Issue, opts: &Options) -> Result<(Vec<u8>, Vec<Warning>)> {
    // Refused before any work: the print file needs the issue's date.
    let print = if opts.print { Some(PdfxMeta::for_issue(issue, NEWSPAPER_BLEED_PT)?) } else { None };
    // The print edition's photos are decoded and separated while the pages are laid out
    // (pdfx::PreparedPhotos), on one of rayon's workers: they are idle then, and a thread of its
    // own would start a heap of fresh memory.
    let mut prepared = None;
    let rendered = rayon::in_place_scope(|scope| {
        if print.is_some() {
            let prepared = &mut prepared;
            scope.spawn(move |_| *prepared = Some(pdfx::PreparedPhotos::of(&photo_files(issue, &opts.base))));
        }
        render_edition(issue, opts)
    });
    let (mut pdf, frames, mut warnings) = rendered?;
    if let Some(meta) = &print {
        // Render's content is press-ready as written (crate::pdf::content).
        pdfx::make_print_ready(&mut pdf, meta, pdfx::ContentStreams::PressReady, &mut prepared.unwrap_or_default())?;
        warnings.extend(coarse_photos(issue, &opts.base, &frames));
    }
    let pdf = serialize::save(pdf)?;
    // The layout sets some text more than once (a headline at each width it tries): each
    // warning is kept once, where it was first given.
    let mut seen = HashSet::new();
    warnings.retain(|w| seen.insert((w.line, w.message.clone())));
    warnings.sort_by_key(|w| w.line);
    Ok((pdf, warnings))
}

/// The edition laid out and rendered, with its outline: the document before the PDF/X pass,
/// the frames it was drawn from, and what was noticed.
fn render_edition(issue: &Issue, opts: &Options) -> Result<(lopdf::Document, Vec<Frame>, Vec<Warning>)> {
    let fonts = FontSet::shared(&FontDir::locate(opts.font_dir.as_deref())?)?;
    let engine = Engine::new(&fonts);
    // The second core sets half of the stories' bodies (crate::pdf::layout::jumps).
    let mut helper = Engine::new(&fonts);
    let setter = Setter::new(&engine, &opts.template);
    let page_count = opts.pages.unwrap_or(issue.masthead.page_count).max(1);
    let mut warnings = Vec::new();
    let edition = lay_out(&setter, Some(&mut helper), issue, &opts.base, page_count, &mut warnings)?;
    warnings.extend(engine.warnings.into_inner());
    warnings.extend(helper.warnings.into_inner());
    let chapters: Vec<Vec<Chapter>> = edition
        .pages
        .iter()
        .map(|p| p.outline.iter().map(|o| Chapter { title: o.title.clone(), y: o.y }).collect())
        .collect();
    let titles: Vec<String> = edition
        .pages
        .iter()
        .map(|p| match &p.section {
            Some(s) => format!("第{}版　{s}", p.number),
            None => format!("第{}版", p.number),
        })
        .collect();
    let links: Vec<Vec<(usize, f32)>> = edition
        .pages
        .iter()
        .map(|p| p.marks.iter().filter_map(|m| if let Mark::Link { to, .. } = m { Some((to.page, to.y)) } else { None }).collect())
        .collect();
    let height = edition.height;
    let frames = frames(edition)?;
    let mut pdf = render(&fonts, &frames, &meta(issue))?;
    outline::add(&mut pdf, &titles, &chapters, &links, height)?;
    Ok((pdf, frames, warnings))
}

/// Each photo of the issue: its `src` and its line in the text.
fn photos(issue: &Issue) -> impl Iterator<Item = (&str, u32)> {
    issue.articles().flat_map(|(_, a)| a.blocks.iter()).filter_map(|b| match b {
        Block::Image { src, line, .. } => Some((src.as_str(), *line)),
        _ => None,
    })
}

/// The files of the photos the layout will place, each once.
fn photo_files(issue: &Issue, base: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = photos(issue).filter_map(|(src, _)| placeable_photo(base, src).ok().map(|(path, _)| path)).collect();
    files.sort();
    files.dedup();
    files
}

/// A warning for each photo that prints under [`pdfx::MIN_PHOTO_PPI`] at its placed size (the
/// lower of the two axes' resolutions), at the photo's line in the text. Read off the frames:
/// they hold each photo's box in points and its file, whose header gives the pixels.
fn coarse_photos(issue: &Issue, base: &Path, frames: &[Frame]) -> Vec<Warning> {
    const POINTS_PER_INCH: f32 = 72.0;
    let lines: Vec<(PathBuf, u32)> = photos(issue).filter_map(|(src, line)| crate::epub::images::resolve(base, src).ok().map(|p| (p, line))).collect();
    let mut warnings = Vec::new();
    for (page, frame) in frames.iter().enumerate() {
        for item in &frame.items {
            let Item::Image { w, h, image, .. } = item else { continue };
            let Ok((width_px, height_px)) = image::ImageReader::new(std::io::Cursor::new(&image.bytes))
                .with_guessed_format()
                .map_err(image::ImageError::IoError)
                .and_then(|r| r.into_dimensions())
            else {
                continue;
            };
            let ppi = (width_px as f32 / (w / POINTS_PER_INCH)).min(height_px as f32 / (h / POINTS_PER_INCH));
            if ppi < pdfx::MIN_PHOTO_PPI {
                let line = lines.iter().find(|(p, _)| p.as_os_str() == image.name.as_str()).map_or(0, |(_, l)| *l);
                warnings.push(Warning {
                    line,
                    message: format!(
                        "page {}: photo {} of {width_px}×{height_px} px prints at {ppi:.0} ppi, under the {:.0} ppi newsprint wants",
                        page + 1,
                        Path::new(&image.name).file_name().map_or_else(|| image.name.clone(), |n| n.to_string_lossy().into_owned()),
                        pdfx::MIN_PHOTO_PPI
                    ),
                });
            }
        }
    }
    warnings
}

/// The Info dictionary: the paper and date as title, the publisher as author.
fn meta(issue: &Issue) -> DocMeta {
    let m = &issue.masthead;
    let date = m.date.as_deref().map(crate::pdf::layout::masthead::chinese_date);
    let title = [m.paper.clone(), date].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let numbers = [m.issue_number.map(|n| format!("第{n}期")), m.total_issue_number.map(|n| format!("总第{n}期"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let headlines: Vec<String> = issue.articles().filter_map(|(_, a)| a.headline.clone()).take(3).collect();
    DocMeta {
        title: if title.is_empty() { "papertool edition".into() } else { title },
        author: m.publisher.clone().or_else(|| m.paper.clone()).unwrap_or_default(),
        subject: [numbers, headlines.join("；")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" — "),
        keywords: issue.pages.iter().filter_map(|p| p.section.clone()).collect(),
        date: m.date.clone(),
    }
}

/// The layout's marks as the renderer's frames, the set lines moved, not copied; photos read
/// once each.
fn frames(edition: Edition<Line>) -> Result<Vec<Frame>> {
    let mut pictures: HashMap<PathBuf, Arc<Picture>> = HashMap::new();
    let mut out = Vec::with_capacity(edition.pages.len());
    for page in edition.pages {
        let mut f = Frame::new(edition.width, edition.height);
        for m in page.marks {
            f.items.push(match m {
                Mark::Text { x, y_baseline, line, size, color: c, .. } => Item::Text { x, y_baseline, line, size, color: color(c) },
                Mark::Rule { x1, y1, x2, y2, width, color: c } => Item::Rule { from: (x1, y1), to: (x2, y2), width, color: color(c) },
                Mark::Frame { x, y, w, h, stroke, fill } => Item::Rect { x, y, w, h, stroke: Some((stroke, Color::BLACK)), fill: fill.map(color) },
                Mark::Image { src, x, y, w, h } => {
                    let image = match pictures.get(&src) {
                        Some(p) => p.clone(),
                        None => {
                            let bytes = std::fs::read(&src).map_err(|e| Error::failed(format!("{}: cannot read photo: {e}", src.display())))?;
                            let p = Arc::new(Picture { name: src.display().to_string(), bytes });
                            pictures.insert(src, p.clone());
                            p
                        }
                    };
                    Item::Image { x, y, w, h, image }
                }
                Mark::Link { x, y, w, h, to } => Item::Link { rect: (x, y, w, h), target: LinkTarget::Page(to.page) },
            });
        }
        out.push(f);
    }
    Ok(out)
}
