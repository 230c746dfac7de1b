//! The engine's test page: all of an issue's text, as the front end reads it (body in the
//! serif, display lines in the sans, credits and captions in Kai), set into 8 columns of 13
//! characters at 9 pt and flowed column by column over as many broadsheet pages as it takes. Shared by `examples/testpage.rs` (to look at) and
//! `tests/testpage.rs` (to check with qa.py).

use papertool::fonts::Face;
use papertool::model::Warning;
use papertool::pdf::fonts::FontSet;
use papertool::pdf::frame::{Color, Frame, Item};
use papertool::pdf::text::{self, Align, Style};

/// The test page's measure: 8 columns of 13 characters at 9 pt.
pub const COLUMNS: usize = 8;
pub const COLUMN_CHARS: f32 = 13.0;
pub const SIZE: f32 = 9.0;
/// Column gap: one character, with a hairline rule in it.
const GUTTER: f32 = SIZE;
/// Half an inch all round.
const MARGIN: f32 = 36.0;
/// The page is as wide as the 8 columns need (about 378 mm) and a broadsheet's 500 mm high.
pub const PAGE_WIDTH: f32 = COLUMNS as f32 * COLUMN_CHARS * SIZE + (COLUMNS - 1) as f32 * GUTTER + 2.0 * MARGIN;
pub const PAGE_HEIGHT: f32 = 1417.0;
const RULE_WIDTH: f32 = 0.25;

/// The seed issue beside the repository, if it is there.
pub fn seed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/000_f05fcb516d19c53a.txt")
}

/// What a run of the test page is set as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Body,
    Heading,
    Caption,
    Verse,
    Jump,
}

/// Every piece of text of the issue, as the front end reads it, in reading order: the
/// masthead's fields, then each article's display lines, body blocks and jump line.
pub fn paragraphs(text: &str) -> Vec<(u32, Kind, String)> {
    let issue = papertool::frontend::parse(text);
    let mut out = Vec::new();
    let m = &issue.masthead;
    let mut masthead: Vec<String> = [&m.paper, &m.date.as_deref().map(chinese_date), &m.weekday, &m.lunar_date, &m.permit, &m.frequency, &m.publisher]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    masthead.extend(m.issue_number.map(|n| format!("第{n}期")));
    masthead.extend(m.total_issue_number.map(|n| format!("（总第{n}期）")));
    masthead.push(format!("今日{}版", m.page_count));
    masthead.extend(m.contacts.iter().cloned());
    out.extend(masthead.into_iter().map(|t| (1, Kind::Heading, t)));
    for page in &issue.pages {
        for a in &page.articles {
            let line = a.lines[0];
            for display in [&a.banner, &a.kicker, &a.headline, &a.subtitle].into_iter().flatten() {
                out.push((line, Kind::Heading, display.clone()));
            }
            for credit in [&a.byline, &a.author].into_iter().flatten() {
                out.push((line, Kind::Caption, credit.clone()));
            }
            for block in &a.blocks {
                use papertool::model::Block;
                match block {
                    Block::Paragraph { text, line } => out.push((*line, Kind::Body, text.clone())),
                    Block::Crosshead { text, line } => out.push((*line, Kind::Heading, text.clone())),
                    Block::Promo { text, line } => out.push((*line, Kind::Caption, text.clone())),
                    Block::Caption { text, credit, line } => {
                        let credit = credit.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
                        out.push((*line, Kind::Caption, format!("{text}{credit}")));
                    }
                    Block::Verse { lines, line } => out.push((*line, Kind::Verse, lines.join("\n"))),
                    Block::Image { alt, line, .. } => out.extend(alt.clone().map(|alt| (*line, Kind::Caption, alt))),
                }
            }
            if let Some(page) = a.jump_to {
                out.push((a.lines[1], Kind::Jump, format!("（下转第{page}版）")));
            }
        }
    }
    out
}

/// `2025-09-01` → `2025年9月1日`, as the masthead prints it.
fn chinese_date(iso: &str) -> String {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [y, m, d] => format!("{y}年{m}月{d}日"),
        _ => iso.to_string(),
    }
}

/// Sets `paragraphs` (see [`paragraphs`]) as the test page.
pub fn build(fonts: &FontSet, paragraphs: &[(u32, Kind, String)]) -> (Vec<Frame>, Vec<Warning>) {
    let width = COLUMN_CHARS * SIZE;
    let body = Style::body(SIZE);
    // Everything on the column grid: one leading for all.
    let heading = Style { leading: body.leading, ..Style::headline(Face::SansBold, SIZE, Align::Left) };
    let caption = Style::caption(SIZE);
    let verse = Style::verse(SIZE);
    let jump = Style::jump_line(Face::SerifRegular, SIZE);
    let (left, top, bottom) = (MARGIN, MARGIN, PAGE_HEIGHT - MARGIN);

    let mut frames = vec![Frame::new(PAGE_WIDTH, PAGE_HEIGHT)];
    let mut warnings = Vec::new();
    let (mut column, mut y) = (0, top);
    for (line_no, kind, paragraph) in paragraphs {
        let (line_no, paragraph) = (*line_no, paragraph.as_str());
        let style = match kind {
            Kind::Body => &body,
            Kind::Heading => &heading,
            Kind::Caption => &caption,
            Kind::Verse => &verse,
            Kind::Jump => &jump,
        };
        let set = text::set(fonts, paragraph, style, width, line_no);
        warnings.extend(set.warnings);
        for (k, line) in set.lines.into_iter().enumerate() {
            // The set block's own baselines count from its top; this flow places line by line.
            let baseline_in_band = line.baseline - k as f32 * style.leading;
            if y + style.leading > bottom {
                column += 1;
                y = top;
                if column == COLUMNS {
                    column = 0;
                    frames.push(Frame::new(PAGE_WIDTH, PAGE_HEIGHT));
                }
            }
            let x = left + column as f32 * (width + GUTTER);
            let y_baseline = y + baseline_in_band;
            let frame = frames.last_mut().expect("there is always a page");
            frame.items.push(Item::Text { x, y_baseline, line, size: style.size, color: Color::BLACK });
            y += style.leading;
        }
    }
    for frame in &mut frames {
        for c in 1..COLUMNS {
            let x = left + c as f32 * (width + GUTTER) - GUTTER / 2.0;
            frame.items.push(Item::Rule { from: (x, top), to: (x, bottom), width: RULE_WIDTH, color: Color::BLACK });
        }
    }
    (frames, warnings)
}
