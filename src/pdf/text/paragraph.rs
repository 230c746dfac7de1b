//! A whole run of text: hard line breaks, indents, alignment, the last-line rule and line
//! heights. Last step of the text engine and the one [`super::set`] calls: it runs `shape`,
//! `breaking` and `justify` on each paragraph and `lines` on each line.

use crate::pdf::fonts::FontSet;

use super::breaking::{break_lines, pull_down_widow};
use super::justify::{fit, LineContext};
use super::lines::{build, EM_BOX_ASCENT};
use super::shape::shape;
use super::{Align, Line, SetText, Style};

/// Sets `text` (paragraphs separated by `\n`) into lines of `width` points.
pub fn set(fonts: &FontSet, text: &str, style: &Style, width: f32, source_line: u32) -> SetText {
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    for paragraph in text.split('\n') {
        let shaped = shape(fonts, paragraph, style, source_line);
        warnings.extend(shaped.warnings);
        let units = shaped.units;
        if units.is_empty() {
            // An empty paragraph still takes its line: the source had a blank line there.
            lines.push(empty_line(style));
            continue;
        }
        let indent = |k: usize| if k == 0 { style.first_indent_em } else { style.hanging_indent_em } * style.size;
        let room = |k: usize| width - indent(k);
        let context = |k: usize| LineContext {
            mode: style.punctuation,
            em: style.size,
            letter_spacing: style.letter_spacing_em * style.size,
            paragraph_start: k == 0,
        };
        let mut ranges = break_lines(&units, room, context);
        pull_down_widow(&units, &mut ranges, room, context);
        let last = ranges.len() - 1;
        for (k, &(start, end)) in ranges.iter().enumerate() {
            let slice = &units[start..end];
            let justify = style.align == Align::Justify && k != last;
            let spacing = fit(slice, &context(k), room(k), justify);
            let offset = match style.align {
                Align::Justify | Align::Left => indent(k),
                Align::Right => width - spacing.width,
                Align::Center => indent(k) + (room(k) - spacing.width) / 2.0,
            };
            lines.push(build(slice, &spacing, offset, style.size));
        }
    }
    // Each line owns one band of the leading, its em box centred in the band.
    let first_baseline = (style.leading - style.size) / 2.0 + EM_BOX_ASCENT * style.size;
    for (k, line) in lines.iter_mut().enumerate() {
        line.baseline = first_baseline + k as f32 * style.leading;
    }
    let height = lines.len() as f32 * style.leading;
    SetText { lines, height, warnings }
}

fn empty_line(style: &Style) -> Line {
    let mut line = build(&[], &super::justify::Spacing { trim_left: vec![], trim_right: vec![], gap_after: vec![], width: 0.0 }, 0.0, style.size);
    line.width = 0.0;
    line
}
