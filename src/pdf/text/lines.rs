//! A spaced range of units → a [`Line`] of glyphs at absolute positions. Fourth step of the
//! text engine: after `justify` has decided each unit's trims and gaps, this lays them out
//! from a start offset, so that the renderer draws each glyph where it says and nothing else.

use super::justify::Spacing;
use super::shape::{Class, Unit};
use super::{Glyph, Line};

/// The ideographic em box sits 0.88 em above and 0.12 em below the baseline (the standard
/// CJK em box of Noto CJK and of GB fonts), whatever the face's own hhea metrics say.
pub const EM_BOX_ASCENT: f32 = 0.88;
pub const EM_BOX_DESCENT: f32 = 0.12;

/// Lays out `units`, spaced by `spacing`, starting `start` points from the line's start.
pub fn build(units: &[Unit], spacing: &Spacing, start: f32, size: f32) -> Line {
    let mut glyphs: Vec<Glyph> = Vec::with_capacity(units.len());
    let mut pen = start;
    // The end of the previous glyph's box: its advance reaches to the next glyph's origin.
    for (i, unit) in units.iter().enumerate() {
        let box_width = unit.width - spacing.trim_left(i) - spacing.trim_right(i);
        let is_edge_space = unit.class == Class::Space && box_width <= 0.0 && unit.text.as_str().trim().is_empty();
        if !is_edge_space {
            let x = pen - spacing.trim_left(i) + unit.offset;
            if let Some(previous) = glyphs.last_mut() {
                previous.advance = x - previous.x;
            }
            glyphs.push(Glyph {
                face: unit.face,
                gid: unit.gid,
                x,
                advance: pen + box_width - x,
                text: unit.text.clone(),
                scale_x: unit.scale_x,
            });
        }
        pen += box_width + spacing.gap_after(i);
    }
    let width = glyphs.last().map_or(start, |g| g.x + g.advance);
    Line { glyphs, width, ascent: EM_BOX_ASCENT * size, descent: EM_BOX_DESCENT * size, baseline: 0.0 }
}
