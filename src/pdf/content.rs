//! A page's content stream, written as bytes: the operators [`crate::pdf::render`] draws a
//! frame with, already as the press wants them.
//!
//! Render used to hand printpdf a list of operations, which printpdf turned into lopdf
//! objects (a hex string per glyph) and lopdf encoded again; the PDF/X pass then parsed the
//! stream once more to make its colours CMYK and select overprint. Here the bytes are written
//! once, in their final form:
//!
//! - colour is DeviceCMYK only (`k`/`K`), within the newsprint ink limit;
//! - after every change of colour the overprint state that fits is selected, with the names and
//!   the rule of the PDF/X pass ([`crate::pdf::pdfx`]): on for 100 % K alone, off otherwise. The
//!   state is saved and restored with `q`/`Q` like the real one, so a state is selected only
//!   when it changes. The page starts in CMYK black, overprinting — as the pass's rewrite would
//!   leave it — so the print edition's pass has nothing to rewrite;
//! - a run of glyphs is one string of two-byte codes (Identity-H), shown with `Tj`, and a
//!   line's `/ActualText` its UTF-16BE: literal strings of the bytes themselves (only `(`, `)`,
//!   `\` and CR escaped), half the size of hex, which the deflate and every reader then have
//!   half as much of;
//! - the fill colour, the font and size, and the character spacing are written only when they
//!   change: they are graphics state, which outlives a text object, so a page's lines of one
//!   type (most of them) share one `k` and one `Tf`. The writer follows `q`/`Q` for them as for
//!   overprint.
//!
//! Numbers are written as lopdf writes a real (the shortest text that reads back as the same
//! `f32`), so the positions are the ones printpdf wrote.

use std::collections::HashMap;

use crate::pdf::frame::Color;
use crate::pdf::pdfx;

/// The graphics state as written so far: the colour state that decides overprint (is each of
/// fill and stroke 100 % K, and which overprint state was last selected, `(stroke, fill)`), and
/// what a text object takes from the state before it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct State {
    fill_black: bool,
    stroke_black: bool,
    overprint: Option<(bool, bool)>,
    /// The fill colour as written (ink-limited).
    fill: [f32; 4],
    /// The font, by its place in [`ContentWriter::fonts`], and its size's bits; `None` before
    /// the first `Tf`.
    font: Option<(usize, u32)>,
    char_spacing: f32,
}

/// How a path is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Stroke,
    Fill,
    FillStroke,
}

/// Writes one content stream.
pub struct ContentWriter {
    out: Vec<u8>,
    state: State,
    saved: Vec<State>,
    /// The font resources named so far, in the order first named.
    fonts: Vec<String>,
    /// The text of each fractional number written so far, by its bits.
    formatted: HashMap<u32, Vec<u8>>,
}

/// Below this (2^24) a whole `f32` is written as its integer's digits, which is what `Display`
/// writes: its neighbours are at most 1 away, so no shorter text reads back as it. (Above,
/// `Display` pads the shortest digits with zeros: 3e10 is `30000000000`, not its exact value.)
const WHOLE_NUMBER_LIMIT: f32 = 16_777_216.0;

/// Bytes per glyph-heavy line of content, for the first allocation: a page of a broadsheet
/// holds some 400 lines.
const INITIAL_CAPACITY: usize = 64 * 1024;

impl Default for ContentWriter {
    fn default() -> Self {
        ContentWriter::new()
    }
}

impl ContentWriter {
    /// A page's stream, starting in CMYK black for fill and stroke with overprint on.
    pub fn new() -> ContentWriter {
        let mut writer = ContentWriter {
            out: Vec::with_capacity(INITIAL_CAPACITY),
            state: State { fill_black: true, stroke_black: true, overprint: None, fill: [0.0, 0.0, 0.0, 1.0], font: None, char_spacing: 0.0 },
            saved: Vec::new(),
            fonts: Vec::new(),
            formatted: HashMap::new(),
        };
        writer.out.extend_from_slice(b"0 0 0 1 k\n0 0 0 1 K\n");
        writer.select_overprint();
        writer
    }

    /// The stream's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    /// A number as lopdf writes an `f32` (Rust's `Display`: the shortest text that reads back
    /// as the same value).
    fn number(&mut self, value: f32) {
        // `+ 0.0` writes a negative zero as `0`.
        let value = value + 0.0;
        if value.fract() == 0.0 && value.abs() < WHOLE_NUMBER_LIMIT {
            self.integer(value as i64);
        } else {
            // Formatting a float is the costly part of writing a page (some 1,000 instructions);
            // a page repeats its column edges, baselines and spacings, so each value is
            // formatted once.
            let text = self.formatted.entry(value.to_bits()).or_insert_with(|| value.to_string().into_bytes());
            self.out.extend_from_slice(text);
        }
    }

    /// A whole number's digits, as `Display` writes them.
    fn integer(&mut self, value: i64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = value.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if value < 0 {
            self.out.push(b'-');
        }
        self.out.extend_from_slice(&digits[at..]);
    }

    fn numbers(&mut self, values: &[f32]) {
        for &v in values {
            self.number(v);
            self.out.push(b' ');
        }
    }

    fn operator(&mut self, operator: &[u8]) {
        self.out.extend_from_slice(operator);
        self.out.push(b'\n');
    }

    /// `q`: saves the graphics state, and with it the overprint state.
    pub fn save(&mut self) {
        self.saved.push(self.state);
        self.operator(b"q");
    }

    /// `Q`.
    pub fn restore(&mut self) {
        self.state = self.saved.pop().unwrap_or(self.state);
        self.operator(b"Q");
    }

    /// The fill colour (`k`), ink-limited, and the overprint state that goes with it; nothing
    /// when the fill is that colour already.
    pub fn fill_colour(&mut self, colour: Color) {
        let cmyk = pdfx::limit_ink([colour.c, colour.m, colour.y, colour.k]);
        if cmyk != self.state.fill {
            self.colour(cmyk, false);
        }
    }

    /// The stroke colour (`K`), likewise.
    pub fn stroke_colour(&mut self, colour: Color) {
        self.colour(pdfx::limit_ink([colour.c, colour.m, colour.y, colour.k]), true);
    }

    /// Writes the ink-limited `cmyk` as the fill or stroke colour.
    fn colour(&mut self, cmyk: [f32; 4], stroke: bool) {
        self.numbers(&cmyk);
        self.operator(if stroke { b"K" } else { b"k" });
        let black = pdfx::is_full_black(cmyk);
        if stroke {
            self.state.stroke_black = black;
        } else {
            self.state.fill_black = black;
            self.state.fill = cmyk;
        }
        self.select_overprint();
    }

    fn select_overprint(&mut self) {
        let wanted = (self.state.stroke_black, self.state.fill_black);
        if self.state.overprint != Some(wanted) {
            self.out.push(b'/');
            self.out.extend_from_slice(pdfx::overprint_state_name(wanted.0, wanted.1).as_bytes());
            self.out.extend_from_slice(b" gs\n");
            self.state.overprint = Some(wanted);
        }
    }

    /// `w`.
    pub fn line_width(&mut self, width: f32) {
        self.numbers(&[width]);
        self.operator(b"w");
    }

    /// A straight line from one point to another, stroked.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        self.numbers(&[from.0, from.1]);
        self.operator(b"m");
        self.numbers(&[to.0, to.1]);
        self.operator(b"l");
        self.operator(b"S");
    }

    /// A closed polygon through `corners`, painted.
    pub fn polygon(&mut self, corners: &[(f32, f32)], paint: Paint) {
        for (i, &(x, y)) in corners.iter().enumerate() {
            self.numbers(&[x, y]);
            self.operator(if i == 0 { b"m" } else { b"l" });
        }
        self.operator(b"h");
        self.operator(match paint {
            Paint::Stroke => b"S",
            Paint::Fill => b"f",
            Paint::FillStroke => b"b",
        });
    }

    /// Draws the XObject `name` with the matrix `[a b c d e f]` (an image: its unit square
    /// mapped onto the page).
    pub fn xobject(&mut self, name: &str, matrix: [f32; 6]) {
        self.save();
        self.numbers(&matrix);
        self.operator(b"cm");
        self.out.push(b'/');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b' ');
        self.operator(b"Do");
        self.restore();
    }

    /// `BT`.
    pub fn begin_text(&mut self) {
        self.operator(b"BT");
    }

    /// `ET`.
    pub fn end_text(&mut self) {
        self.operator(b"ET");
    }

    /// A `/Span` marked-content sequence whose `/ActualText` is `text`: what extraction and
    /// copying read instead of the glyphs.
    pub fn begin_span(&mut self, text: &str) {
        self.out.extend_from_slice(b"/Span <</ActualText(");
        self.literal_unit(0xFEFF);
        let mut units = [0u16; 2];
        for c in text.chars() {
            for unit in c.encode_utf16(&mut units) {
                self.literal_unit(*unit);
            }
        }
        self.out.extend_from_slice(b")>> ");
        self.operator(b"BDC");
    }

    /// `EMC`.
    pub fn end_span(&mut self) {
        self.operator(b"EMC");
    }

    /// `Tf`: the font resource `name` at `size` points, unless that is the font already.
    pub fn font(&mut self, name: &str, size: f32) {
        let index = match self.fonts.iter().position(|f| f == name) {
            Some(i) => i,
            None => {
                self.fonts.push(name.to_owned());
                self.fonts.len() - 1
            }
        };
        if self.state.font == Some((index, size.to_bits())) {
            return;
        }
        self.state.font = Some((index, size.to_bits()));
        self.out.push(b'/');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b' ');
        self.numbers(&[size]);
        self.operator(b"Tf");
    }

    /// `Tm`: the text matrix, glyphs scaled horizontally by `scale_x`, the pen at (`x`, `y`).
    pub fn text_matrix(&mut self, scale_x: f32, x: f32, y: f32) {
        self.numbers(&[scale_x, 0.0, 0.0, 1.0, x, y]);
        self.operator(b"Tm");
    }

    /// The character spacing in force: what [`ContentWriter::char_spacing`] last set.
    pub fn current_char_spacing(&self) -> f32 {
        self.state.char_spacing
    }

    /// `Tc`, unless it is the spacing already.
    pub fn char_spacing(&mut self, spacing: f32) {
        if spacing == self.state.char_spacing {
            return;
        }
        self.state.char_spacing = spacing;
        self.numbers(&[spacing]);
        self.operator(b"Tc");
    }

    /// `Tj`: a run of glyphs by their two-byte codes, as one string.
    pub fn glyphs(&mut self, codes: &[u16]) {
        if codes.is_empty() {
            return;
        }
        self.out.push(b'(');
        for &code in codes {
            self.literal_unit(code);
        }
        self.out.extend_from_slice(b") ");
        self.operator(b"Tj");
    }

    /// Two bytes, big-endian, inside a literal string. A reader takes `(`, `)` and `\` as the
    /// string's syntax and an unescaped CR as an end of line (read as LF), so those four are
    /// escaped; every other byte stands for itself.
    fn literal_unit(&mut self, unit: u16) {
        for byte in unit.to_be_bytes() {
            match byte {
                b'(' | b')' | b'\\' => self.out.extend_from_slice(&[b'\\', byte]),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                _ => self.out.push(byte),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(writer: ContentWriter) -> String {
        String::from_utf8_lossy(&writer.finish()).into_owned()
    }

    #[test]
    fn a_page_starts_in_cmyk_black_overprinting() {
        assert_eq!(text(ContentWriter::new()), "0 0 0 1 k\n0 0 0 1 K\n/PapertoolOverprintBoth gs\n");
    }

    #[test]
    fn overprint_follows_the_colour_and_is_selected_only_when_it_changes() {
        let mut w = ContentWriter::new();
        w.fill_colour(Color::BLACK);
        w.fill_colour(Color::cmyk(0.0, 1.0, 1.0, 0.0));
        w.save();
        w.stroke_colour(Color::cmyk(0.0, 0.0, 0.0, 0.5));
        w.restore();
        w.fill_colour(Color::BLACK);
        let out = text(w);
        let states: Vec<&str> = out.lines().filter(|l| l.ends_with(" gs")).collect();
        assert_eq!(
            states,
            [
                "/PapertoolOverprintBoth gs",
                "/PapertoolOverprintStroke gs",
                "/PapertoolKnockout gs",
                "/PapertoolOverprintBoth gs",
            ],
            "{out}"
        );
        assert!(out.contains("0 1 1 0 k\n"), "{out}");
    }

    #[test]
    fn colours_are_held_to_the_ink_limit() {
        let mut w = ContentWriter::new();
        w.fill_colour(Color::cmyk(1.0, 1.0, 1.0, 1.0));
        let out = text(w);
        let line = out.lines().find(|l| l.ends_with(" k") && !l.starts_with("0 0 0 1")).unwrap();
        let total: f32 = line.split_whitespace().take(4).map(|n| n.parse::<f32>().unwrap()).sum();
        assert!((total - pdfx::MAX_TOTAL_INK).abs() < 1e-4, "{line}");
    }

    #[test]
    fn a_run_is_one_string_and_the_span_carries_the_text() {
        let mut w = ContentWriter::new();
        w.begin_text();
        w.begin_span("江A😀");
        w.font("PT0", 10.5);
        w.text_matrix(1.0, 53.25592, 1354.041);
        w.char_spacing(-0.045);
        w.glyphs(&[0x58, 0x12D]);
        w.end_span();
        w.end_text();
        let out = w.finish();
        let body = &out[out.windows(3).position(|w| w == b"gs\n").unwrap() + 3..];
        let expected: Vec<u8> = [
            &b"BT\n/Span <</ActualText(\xFE\xFF\x6C\x5F\x00\x41\xD8\x3D\xDE\x00)>> BDC\n/PT0 10.5 Tf\n"[..],
            b"1 0 0 1 53.25592 1354.041 Tm\n-0.045 Tc\n(\x00\x58\x01\x2D) Tj\nEMC\nET\n",
        ]
        .concat();
        assert_eq!(body, expected, "{}", String::from_utf8_lossy(body));
    }

    #[test]
    fn string_syntax_and_cr_are_escaped_in_literal_strings() {
        let mut w = ContentWriter::new();
        // Glyph codes whose bytes are `(`, `)`, `\\`, CR, LF.
        w.glyphs(&[0x2829, 0x5C0D, 0x0A00]);
        // 訍 is U+8A0D: its second byte is CR.
        w.begin_span("訍");
        let out = w.finish();
        let body = &out[out.windows(3).position(|w| w == b"gs\n").unwrap() + 3..];
        assert_eq!(body, &b"(\\(\\)\\\\\\r\x0A\x00) Tj\n/Span <</ActualText(\xFE\xFF\x8A\\r)>> BDC\n"[..]);
        // And lopdf reads the bytes back.
        let ops = lopdf::content::Content::decode(body).unwrap().operations;
        assert_eq!(ops[0].operands[0].as_str().unwrap(), [0x28, 0x29, 0x5C, 0x0D, 0x0A, 0x00]);
    }

    #[test]
    fn colour_font_and_spacing_are_written_only_when_they_change() {
        let mut w = ContentWriter::new();
        let red = Color::cmyk(0.0, 1.0, 1.0, 0.0);
        for _ in 0..2 {
            w.begin_text();
            w.fill_colour(red);
            w.font("PT0", 9.0);
            w.char_spacing(0.5);
            w.end_text();
        }
        w.save();
        w.fill_colour(Color::BLACK);
        w.font("PT1", 9.0);
        w.char_spacing(0.0);
        w.restore();
        // Back to what was in force before `q`: red, PT0, 0.5.
        w.fill_colour(red);
        w.font("PT0", 9.0);
        w.char_spacing(0.5);
        w.font("PT0", 10.0);
        let out = text(w);
        let count = |op: &str| out.lines().filter(|l| l.ends_with(op)).count();
        assert_eq!(count(" k"), 3, "the page's black, red once, black inside q/Q: {out}");
        assert_eq!(count(" Tf"), 3, "{out}");
        assert_eq!(count(" Tc"), 2, "{out}");
        assert!(out.ends_with("/PT0 10 Tf\n"), "{out}");
        // The page starts black: asking for black writes nothing.
        let mut w = ContentWriter::new();
        w.fill_colour(Color::BLACK);
        assert_eq!(text(w), "0 0 0 1 k\n0 0 0 1 K\n/PapertoolOverprintBoth gs\n");
    }

    #[test]
    fn numbers_are_written_as_lopdf_writes_them() {
        let mut values = vec![0.0, -0.0, 1.0, -7.0, 243.0, 0.1, 1354.041, 53.25592, -0.045, 1e-6, 123456.79, 16777216.0, 3e10, -1e14];
        // A spread of positions and spacings, each twice (the second from the memo).
        values.extend((0..2000).map(|i| i as f32 * 0.7391 - 300.0));
        values.extend((0..2000).map(|i| i as f32 * 0.7391 - 300.0));
        let mut w = ContentWriter::new();
        w.out.clear();
        w.numbers(&values);
        let expected: String = values.iter().map(|v| format!("{} ", lopdf_number(*v + 0.0))).collect();
        assert_eq!(text(w), expected);
    }

    /// How lopdf writes `Object::Real` in a content stream.
    fn lopdf_number(value: f32) -> String {
        let operation = lopdf::content::Operation::new("n", vec![lopdf::Object::Real(value)]);
        let bytes = lopdf::content::Content { operations: vec![operation] }.encode().unwrap();
        String::from_utf8(bytes).unwrap().trim_end_matches(" n").to_string()
    }
}
