//! The engine's test page: every line of an issue's text set as body paragraphs (headings in
//! the headline face) into 8 columns of 13 characters at 9 pt, flowed column by column over
//! as many broadsheet pages as it takes. Shared by `examples/testpage.rs` (to look at) and
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

/// The paragraphs of a plain-text issue: each non-empty line, with its line number; Markdown
/// heading marks taken off (they are the OCR's, not the paper's) and headings flagged.
pub fn paragraphs(text: &str) -> Vec<(u32, bool, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() {
                return None;
            }
            let heading = line.starts_with('#');
            let line = line.trim_start_matches('#').trim();
            (!line.is_empty()).then(|| (i as u32 + 1, heading, line.to_string()))
        })
        .collect()
}

/// Sets `text` as the test page.
pub fn build(fonts: &FontSet, text: &str) -> (Vec<Frame>, Vec<Warning>) {
    let width = COLUMN_CHARS * SIZE;
    let body = Style::body(SIZE);
    let heading = Style { leading: body.leading, ..Style::headline(Face::SansBold, SIZE, Align::Left) };
    let (left, top, bottom) = (MARGIN, MARGIN, PAGE_HEIGHT - MARGIN);

    let mut frames = vec![Frame::new(PAGE_WIDTH, PAGE_HEIGHT)];
    let mut warnings = Vec::new();
    let (mut column, mut y) = (0, top);
    for (line_no, is_heading, paragraph) in paragraphs(text) {
        let style = if is_heading { &heading } else { &body };
        let set = text::set(fonts, &paragraph, style, width, line_no);
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
