//! Any text, any column width, any of the newspaper's styles: the line breaker must end, give
//! lines that follow each other with no gap or overlap and each hold something, and never break
//! where clreq forbids (no line starts with a closing or pause mark, a dash or an ellipsis, none
//! ends with an opening mark). The whole paragraph setter around it must lose no character. A
//! panic anywhere is a bug.
//!
//! Input: byte 0 picks the style and punctuation mode, bytes 1–2 the column width (3 to 300
//! points), the rest is the text (UTF-8, invalid bytes replaced).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use papertool::fonts::{Face, FontDir};
use papertool::pdf::fonts::FontSet;
use papertool::pdf::text::breaking::{break_lines, NO_LINE_END, NO_LINE_START};
use papertool::pdf::text::justify::LineContext;
use papertool::pdf::text::shape::shape;
use papertool::pdf::text::{self, Align, Class, PunctMode, Style};

/// Body size, as the broadsheet sets it.
const SIZE: f32 = 9.0;
/// The narrowest and widest columns tried, in points: from less than an em to a page's width.
const MIN_WIDTH: f32 = 3.0;
const MAX_WIDTH: f32 = 300.0;

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::load(&FontDir::locate(None).expect("the source tree's fonts/")).expect("the shipped faces load"))
}

fn style(pick: u8) -> (Style, bool) {
    let mut style = match pick % 5 {
        0 => Style::body(SIZE),
        1 => Style::headline(Face::SansBold, SIZE * 2.0, Align::Center),
        2 => Style::caption(SIZE),
        3 => Style::verse(SIZE),
        _ => Style::jump_line(Face::SerifBold, SIZE),
    };
    if pick & 0x80 != 0 {
        style.punctuation = PunctMode::Kaiming;
    }
    // Headlines end their lines at the spaces between phrases.
    (style, pick % 5 == 1)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (style, at_spaces) = style(data[0]);
    let width = MIN_WIDTH + f32::from(u16::from_le_bytes([data[1], data[2]])) / f32::from(u16::MAX) * (MAX_WIDTH - MIN_WIDTH);
    let text = String::from_utf8_lossy(&data[3..]);
    let fonts = fonts();

    // The breaker alone, on one paragraph's units.
    let paragraph = text.replace('\n', "");
    let units = shape(fonts, &paragraph, &style, 1).units;
    let context = |k: usize| LineContext { mode: style.punctuation, em: style.size, letter_spacing: 0.0, paragraph_start: k == 0 };
    let lines = break_lines(&units, |_| width, context, at_spaces);
    let mut at = 0;
    for &(start, end) in &lines {
        assert_eq!(start, at, "lines {lines:?} leave a gap or overlap");
        assert!(end > start, "an empty line in {lines:?}");
        at = end;
    }
    assert_eq!(at, units.len(), "lines {lines:?} do not reach the end of {} units", units.len());
    for &(_, end) in &lines[..lines.len().saturating_sub(1)] {
        let (last, next) = (&units[end - 1], &units[end]);
        assert!(!NO_LINE_START.contains(next.ch), "a line starts with {:?} in {paragraph:?}", next.ch);
        assert!(!matches!(next.class, Class::Dash | Class::Ellipsis), "a line starts with {:?} in {paragraph:?}", next.ch);
        assert!(!NO_LINE_END.contains(last.ch), "a line ends with {:?} in {paragraph:?}", last.ch);
    }

    // The whole setter (hard breaks, widows, justification): every visible character is set.
    let set = text::set(fonts, &text, &style, width, 1);
    let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let out: String = set.lines.iter().map(|l| visible(&l.text())).collect();
    assert_eq!(out, visible(&text), "the setter lost or reordered characters");
});
