//! Any text at any column width through the text engine (shape → break → justify → lines): it
//! never panics or loops, loses or adds no character (but the white space a line break takes),
//! and places every glyph at a finite, increasing position. The first byte picks the width (1 to
//! 40 ems) and the style.
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
    for line in &out.lines {
        assert!(line.width.is_finite());
        for pair in line.glyphs.windows(2) {
            assert!(pair[0].x.is_finite() && pair[1].x.is_finite());
            assert!(pair[1].x + 1e-3 >= pair[0].x, "glyphs go left to right: {:?}", line.text());
        }
    }
});
