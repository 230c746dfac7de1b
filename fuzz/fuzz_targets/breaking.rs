//! Any text at any column width through the text engine (shape → break → justify → lines): it
//! never panics or loops, loses or adds no character (but the white space a line break takes),
//! and keeps every line and glyph within the column (an em of slack past any indent). The first
//! byte picks the width (1 to 40 ems) and the style.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use papertool::fonts::{Face, FontDir};
use papertool::pdf::fonts::FontSet;
use papertool::pdf::text::{set, Align, Style};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::load(&FontDir::locate(None).expect("the shipped fonts")).expect("the faces load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let size = 9.0;
    let width = f32::from(pick % 40 + 1) * size;
    let style = match pick / 40 {
        0 => Style::body(size),
        1 => Style::headline(Face::SansBold, size, Align::Center),
        2 => Style::verse(size),
        3 => Style::caption(size),
        _ => Style::jump_line(Face::SerifRegular, size),
    };
    let out = set(fonts(), text, &style, width, 1);
    // White space where a line breaks (and at a paragraph's end) is not set: the rest is, in order.
    let ink = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let got: String = out.lines.iter().map(|l| l.text()).collect();
    assert_eq!(ink(&got), ink(text), "the lines give back the text");
    // Every glyph on its line, at a finite place. (Origins need not increase: compression moves
    // a bracket's origin left of a narrow glyph's before it, a dash is drawn from its ink's edge.)
    // The slack: one unit wider than a narrow column, after an indent that may be wider still.
    let reach = width + (style.first_indent_em.max(style.hanging_indent_em) + 1.0) * size + 1e-3;
    for line in &out.lines {
        assert!(line.width.is_finite() && line.width <= reach, "line wider than the column: {:?}", line.text());
        for g in &line.glyphs {
            assert!(g.x.is_finite() && g.advance.is_finite());
            assert!(g.x >= -size && g.x <= reach, "glyph off its line: {:?} at {}", g.text, g.x);
        }
    }
});
