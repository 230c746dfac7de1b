//! The Chinese text engine: a run of text, a [`Style`] and a column width in, positioned glyph
//! [`Line`]s out, set the way a Chinese compositor sets them (W3C clreq, GB/T 15834).
//!
//! Second stage of the PDF pipeline, after [`crate::pdf::fonts`] and before the page layout. It
//! knows nothing of pages: the layout asks for a block of lines and places it. The stages, one
//! file each, in the order they run:
//!
//! 1. [`shape`]: characters → [`Unit`]s (face, glyph, advance, class, compressible blanks),
//!    measured with the very fonts the PDF embeds; CJK on a fixed em, Latin proportional. A
//!    [`Shaper`] looks each character up in the fonts once for all the runs it shapes.
//! 2. [`breaking`]: where a line may end (clreq's line-start / line-end prohibitions, no break
//!    inside ——, ……, a Latin word or a number), and the choice of line ends, squeezing before
//!    pushing (先挤进，后推出).
//! 3. [`justify`]: how one line's units are spaced: punctuation compression (quanjiao or
//!    kaiming), the CJK–Latin glue, and the adjustment that makes it flush (clreq's order).
//! 4. [`lines`]: a spaced range of units → a [`Line`] of glyphs at absolute x positions.
//! 5. [`paragraph`]: a whole run: hard line breaks, indents, alignment, no single-character
//!    last line, line heights.

pub mod breaking;
pub mod justify;
pub mod lines;
pub mod paragraph;
pub mod shape;

use compact_str::CompactString;

use crate::fonts::Face;
use crate::model::Warning;
use crate::pdf::fonts::{FaceId, FontSet};

pub use paragraph::ShapedRun;
pub use shape::{Class, Shaper, Unit};

/// How the lines of a run sit between the column's edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush on both sides; the last line of each paragraph flush left.
    Justify,
    Left,
    Center,
    Right,
}

/// Punctuation width style (标点符号的宽度).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PunctMode {
    /// 全角式: every mark a full em, compressed only where two meet and at line end.
    Quanjiao,
    /// 开明式: marks other than the full stop, question and exclamation mark set half an em.
    Kaiming,
}

/// How a run is set. Presets for the newspaper's kinds of text are the constructors below; a
/// template may set any field.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub face: Face,
    /// Body size in points (the em).
    pub size: f32,
    /// Baseline to baseline, in points.
    pub leading: f32,
    pub align: Align,
    /// Indent of each paragraph's first line, in ems of `size`.
    pub first_indent_em: f32,
    /// Indent of every line after a paragraph's first (verse turnovers), in ems.
    pub hanging_indent_em: f32,
    /// Extra space after every character (tracking), in ems.
    pub letter_spacing_em: f32,
    pub punctuation: PunctMode,
}

/// Leading of body text as a multiple of the size: newspaper body at 9 pt sets on about 13 pt.
const BODY_LEADING: f32 = 1.45;
/// Headlines set tighter: their lines are few and large.
const HEADLINE_LEADING: f32 = 1.2;
/// A paragraph's first line is indented two characters (GB/T practice).
const PARAGRAPH_INDENT_EM: f32 = 2.0;

impl Style {
    /// Body text: serif, justified, 2-em first-line indent.
    pub fn body(size: f32) -> Style {
        Style {
            face: Face::SerifRegular,
            size,
            leading: size * BODY_LEADING,
            align: Align::Justify,
            first_indent_em: PARAGRAPH_INDENT_EM,
            hanging_indent_em: 0.0,
            letter_spacing_em: 0.0,
            punctuation: PunctMode::Quanjiao,
        }
    }

    /// A headline: the given face, no indent, centered or left, may wrap.
    pub fn headline(face: Face, size: f32, align: Align) -> Style {
        Style { face, leading: size * HEADLINE_LEADING, align, first_indent_em: 0.0, ..Style::body(size) }
    }

    /// A caption or byline: Kai, no indent, justified.
    pub fn caption(size: f32) -> Style {
        Style { face: Face::Kai, first_indent_em: 0.0, ..Style::body(size) }
    }

    /// Verse: each source line kept (lines separated by `\n`), not justified, a wrapped line
    /// hanging two characters in.
    pub fn verse(size: f32) -> Style {
        Style { align: Align::Left, first_indent_em: 0.0, hanging_indent_em: PARAGRAPH_INDENT_EM, ..Style::body(size) }
    }

    /// A jump line（下转第二版）: right-aligned, no indent.
    pub fn jump_line(face: Face, size: f32) -> Style {
        Style { face, align: Align::Right, first_indent_em: 0.0, ..Style::body(size) }
    }
}

/// One glyph of a set line.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub face: FaceId,
    pub gid: u16,
    /// Where the glyph's origin is drawn, in points from the line's start (the column's left
    /// edge; indents and alignment included).
    pub x: f32,
    /// The width the glyph occupies in the line: the next glyph starts at `x + advance` (plus
    /// any shift of that glyph's origin), so text extraction sees no overlaps.
    pub advance: f32,
    /// The source characters this glyph stands for (what copy-and-paste gives back).
    pub text: GlyphText,
    /// Horizontal scale of the drawn glyph (1.0 but for dashes stretched to join).
    pub scale_x: f32,
}

/// The source characters a glyph stands for: its character and any invisible ones riding on
/// it (variation selectors, joiners). A `CompactString` holds up to 24 bytes in place (any
/// character with a selector or two), so that a line's glyphs are one allocation, not one a
/// glyph; a longer cluster goes to the heap.
pub type GlyphText = CompactString;

/// One set line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub glyphs: Vec<Glyph>,
    /// From the line start to the end of the last glyph's box, in points.
    pub width: f32,
    /// Above and below the baseline, in points (the ideographic em box of the size).
    pub ascent: f32,
    pub descent: f32,
    /// Baseline of this line from the top of its block, in points.
    pub baseline: f32,
}

impl Line {
    /// The source text of the line.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
}

/// A set run: its lines top to bottom, and the block height they need.
#[derive(Debug, Clone, PartialEq)]
pub struct SetText {
    pub lines: Vec<Line>,
    /// `lines.len() × leading`: each line owns one band of the leading.
    pub height: f32,
    pub warnings: Vec<Warning>,
}

/// Sets `text` in `style` into lines of `width` points. `source_line` is the line of the
/// issue's text the run came from, for warnings. A `\n` in `text` is a hard line break that
/// starts a new paragraph (indented again). A run on its own: a caller setting many keeps a
/// [`Shaper`] and calls [`set_with`], so each character is looked up in the fonts once.
pub fn set(fonts: &FontSet, text: &str, style: &Style, width: f32, source_line: u32) -> SetText {
    paragraph::set(&Shaper::new(fonts), None, text, style, width, source_line)
}

/// Sets `text` as [`set`] does, through `shaper`; with `lead` (its text and face) run in at the
/// start of its first paragraph (a bold byline before the body's first words, on the same line).
pub fn set_with(shaper: &Shaper, lead: Option<(&str, Face)>, text: &str, style: &Style, width: f32, source_line: u32) -> SetText {
    paragraph::set(shaper, lead, text, style, width, source_line)
}

/// Shapes `text` once, for [`count`] at any number of measures.
pub fn shape_run(shaper: &Shaper, text: &str, style: &Style, source_line: u32) -> ShapedRun {
    paragraph::shape_run(shaper, text, style, source_line)
}

/// How many lines [`set`] would make of the shaped `run` at `width`; cheaper, as nothing is
/// spaced or positioned.
pub fn count(run: &ShapedRun, style: &Style, width: f32) -> usize {
    paragraph::count(run, style, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_text_holds_a_character_and_its_riders_in_place() {
        let mut text = GlyphText::from("葛");
        text.push('\u{E0100}');
        assert_eq!(text.as_str(), "葛\u{E0100}");
        assert!(!text.is_heap_allocated());
        assert_eq!(std::mem::size_of::<GlyphText>(), std::mem::size_of::<String>());
    }

    #[test]
    fn glyph_text_longer_than_its_place_is_kept_whole() {
        // A family emoji: four people joined by three zero-width joiners, 25 bytes.
        let cluster = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        let mut text = GlyphText::default();
        for ch in cluster.chars() {
            text.push(ch);
        }
        assert_eq!(text.as_str(), cluster);
        assert!(text.is_heap_allocated());
    }
}
