//! The cover: a picture made for the issue, the way calibre makes one for its news downloads —
//! the paper's name in red, the date and issue numbers, and the front page's headlines — so a
//! reader's library shows which issue is which at a glance.
//!
//! Drawn with `ab_glyph` in our 楷体 (name, dates) and 黑体 (headlines) into a palette canvas of
//! two inks on paper white, each ink in a few levels of coverage for smooth edges, and written as
//! a 4-bit indexed PNG by [`png`] (the `png` crate's streaming writer zero-fills its
//! output buffer on every write, a fifth of the cover's time, and its compressors are either
//! slow or large on type). Each glyph is rasterised once per size with `ab_glyph_rasterizer`.
//! Two inks need no more, and a cover of 1600×2400 pixels is then about 75 KB and a few
//! milliseconds instead of the megabyte-scale RGB buffer an `image::RgbImage` would be encoded
//! from; the bytes depend only on the issue.

use std::collections::HashMap;

use ab_glyph::{point, Font, FontRef, GlyphId, OutlineCurve, Point, PxScale, ScaleFont};
use ab_glyph_rasterizer::Rasterizer;

use crate::error::{Error, Result};
use crate::fonts::{Face, FontDir};
use crate::model::Issue;

use super::metadata::Metadata;
use super::png;

/// Size of the cover in pixels: the 2:3 of a reader's screen, at the resolution of a large one
/// (Amazon and Kobo recommend 1600×2400 for covers).
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 2400;

const MARGIN: f32 = 120.0;
const PAPER: [u8; 3] = [0xFA, 0xF7, 0xF0];
/// 报头红: the red of a Chinese paper's masthead.
const RED: [u8; 3] = [0xB5, 0x12, 0x1B];
const INK: [u8; 3] = [0x1C, 0x1C, 0x1C];

/// Coverage levels per ink: the palette holds paper white and 7 levels each of two inks, 15
/// colours, which fit a 4-bit PNG; 7 levels are smooth edges at this size.
const LEVELS: u8 = 7;

/// The largest size the paper's name is set in, and the share of the width it may fill.
const PAPER_NAME_PX: f32 = 330.0;
const DATE_PX: f32 = 66.0;
const NUMBERS_PX: f32 = 56.0;
const HEADLINE_PX: f32 = 84.0;
const HEADLINE_LEADING: f32 = 1.32;
const HEADLINE_GAP: f32 = 44.0;
const FOOTER_PX: f32 = 46.0;

/// Marks that may not begin a line (clreq): a line break before one of them moves the character
/// before it down too.
const NO_LINE_START: &str = "，。、；：？！）》」』】〕〉”’…—·%‰";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ink {
    Red,
    Black,
}

impl Ink {
    fn base(self) -> u8 {
        match self {
            Ink::Red => 1,
            Ink::Black => 1 + LEVELS,
        }
    }
}

/// The cover as PNG bytes.
pub fn draw(issue: &Issue, meta: &Metadata, fonts: &FontDir) -> Result<Vec<u8>> {
    let kai_data = fonts.load(Face::Kai)?;
    let sans_data = fonts.load(Face::SansBold)?;
    let kai = parse(&kai_data, fonts, Face::Kai)?;
    let sans = parse(&sans_data, fonts, Face::SansBold)?;
    let mut c = Canvas::new();
    let m = &issue.masthead;
    let inner = WIDTH as f32 - 2.0 * MARGIN;

    // The paper's name, as large as the width allows.
    let name = meta.paper.clone().unwrap_or_else(|| meta.title.clone());
    let natural = c.measure(&[&kai, &sans], &name, PAPER_NAME_PX);
    let name_px = if natural > inner { PAPER_NAME_PX * inner / natural } else { PAPER_NAME_PX };
    let mut y = 160.0 + name_px * 0.9;
    c.text_centered(&[&kai, &sans], &name, name_px, y, Ink::Red);
    y += name_px * 0.35;
    c.rect(MARGIN, y, inner, 14.0, Ink::Red);
    y += 24.0;
    c.rect(MARGIN, y, inner, 4.0, Ink::Red);

    let date = [meta.date_chinese.clone(), m.weekday.clone(), m.lunar_date.as_ref().map(|l| format!("农历{l}"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("　");
    y += 40.0 + DATE_PX;
    if !date.is_empty() {
        c.text_centered(&[&kai, &sans], &date, DATE_PX, y, Ink::Black);
        y += DATE_PX * 0.5;
    }
    let numbers = [
        m.issue_number.map(|n| format!("第{n}期")),
        m.total_issue_number.map(|n| format!("总第{n}期")),
        Some(format!("今日{}版", m.page_count)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("　");
    y += 30.0 + NUMBERS_PX;
    c.text_centered(&[&kai, &sans], &numbers, NUMBERS_PX, y, Ink::Black);
    y += 50.0;
    c.rect(MARGIN, y, inner, 4.0, Ink::Red);
    y += 70.0;

    // The footer first, so the headlines know where to stop.
    let footer_y = HEIGHT as f32 - 130.0;
    let pages = issue
        .pages
        .iter()
        .map(|p| match &p.section {
            Some(s) if !s.is_empty() => format!("{}版 {s}", p.number),
            _ => format!("{}版", p.number),
        })
        .collect::<Vec<_>>()
        .join(" · ");
    c.rect(MARGIN, footer_y - FOOTER_PX - 40.0, inner, 4.0, Ink::Red);
    if !pages.is_empty() {
        let size = FOOTER_PX.min(FOOTER_PX * inner / c.measure(&[&kai, &sans], &pages, FOOTER_PX).max(1.0));
        c.text_centered(&[&kai, &sans], &pages, size, footer_y, Ink::Black);
    }

    // The front page's headlines, in reading order, as many as fit.
    let bottom = footer_y - FOOTER_PX - 80.0;
    let bullet = HEADLINE_PX * 0.32;
    let text_x = MARGIN + bullet * 2.2;
    let headlines = issue.pages.first().into_iter().flat_map(|p| p.articles.iter()).filter_map(|a| {
        a.headline.as_deref().or(a.kicker.as_deref()).map(|h| h.replace('\n', " "))
    });
    for headline in headlines {
        let lines = c.wrap(&[&sans, &kai], &headline, HEADLINE_PX, WIDTH as f32 - MARGIN - text_x);
        let height = HEADLINE_PX * HEADLINE_LEADING * lines.len() as f32;
        if y + height > bottom {
            break;
        }
        c.rect(MARGIN, y + HEADLINE_PX * 0.35, bullet, bullet, Ink::Red);
        for line in lines {
            c.text(&[&sans, &kai], &line, HEADLINE_PX, text_x, y + HEADLINE_PX * 0.88, Ink::Black);
            y += HEADLINE_PX * HEADLINE_LEADING;
        }
        y += HEADLINE_GAP;
    }
    Ok(c.png())
}

fn parse<'a>(data: &'a [u8], fonts: &FontDir, face: Face) -> Result<FontRef<'a>> {
    FontRef::try_from_slice(data).map_err(|e| Error::failed(format!("{}: {e}", fonts.face_path(face).display())))
}

struct Canvas {
    rows: Rows,
    /// Each glyph rasterised once per cover and size: the headlines repeat characters (的, 区, 新
    /// …), and outlining and rasterising were two thirds of the cover's instructions. Lives and
    /// dies with one cover, so a batch of one issue repeated still draws every cover in full.
    glyphs: HashMap<GlyphKey, Option<Raster>>,
    /// The one rasterizer every glyph is drawn on (see [`Canvas::rasterize`]).
    rasterizer: Rasterizer,
}

/// A glyph of one face at one size: the face's address (the faces outlive the canvas that draws
/// with them), the glyph, the size's bits.
type GlyphKey = (usize, u16, u32);

/// A glyph's coverage levels (`0..=LEVELS`) at a whole-pixel origin, `width` a row, placed at
/// `left`, `top` from the origin.
struct Raster {
    left: i64,
    top: i64,
    width: usize,
    levels: Vec<u8>,
}

/// The coverage level of each palette index: 0 for paper, then `1..=LEVELS` for each ink.
const LEVEL_OF: [u8; 16] = {
    let mut table = [0; 16];
    let mut index = 1;
    while index < 16 {
        table[index] = (index as u8 - 1) % LEVELS + 1;
        index += 1;
    }
    table
};

/// Sets pixel `px` of `byte` (the byte that holds it) to palette `index`, unless the pixel holds a
/// stronger coverage already: where glyphs touch, the stronger wins, whichever its ink.
fn put(byte: &mut u8, px: usize, index: u8) {
    let shift = if px.is_multiple_of(2) { 4 } else { 0 };
    let current = (*byte >> shift) & 0x0F;
    // Paper is the common case, and any ink is stronger.
    if current == 0 {
        *byte |= index << shift;
    } else if LEVEL_OF[usize::from(index)] > LEVEL_OF[usize::from(current)] {
        *byte = (*byte & !(0x0F << shift)) | (index << shift);
    }
}

/// The palette index of coverage `level` in `ink`: 0, paper, for no coverage.
fn index_of(level: u8, ink: Ink) -> u8 {
    if level == 0 {
        0
    } else {
        ink.base() + level - 1
    }
}

/// [`put`] of coverage `level` in `ink`; nothing for no coverage.
fn put_level(byte: &mut u8, px: usize, level: u8, ink: Ink) {
    if level != 0 {
        put(byte, px, index_of(level, ink));
    }
}

/// Bytes of one stored row: the filter type, then two pixels a byte.
const ROW_BYTES: usize = 1 + WIDTH as usize / 2;

/// A row nothing is drawn on.
static BLANK_ROW: [u8; ROW_BYTES] = [0; ROW_BYTES];

/// The canvas's rows: palette indices, two pixels a byte (high nibble first), after the row's
/// PNG filter-type byte (0, none), exactly the lines the PNG compresses. A row is made when
/// something is first drawn on it: two thirds of a cover's rows are blank, and a whole canvas
/// (1.9 MB) spread the drawing over every 2 MB page it lay on, each zeroed by the kernel when
/// first touched, where the rows drawn on are 0.7 MB of small blocks side by side.
#[derive(Clone, PartialEq, Debug)]
struct Rows(Vec<Option<Box<[u8]>>>);

impl Rows {
    fn new() -> Rows {
        Rows(vec![None; HEIGHT as usize])
    }

    /// Row `y`'s pixel bytes (after its filter byte), made blank if nothing was drawn there yet.
    fn pixels_mut(&mut self, y: usize) -> &mut [u8] {
        &mut self.0[y].get_or_insert_with(|| BLANK_ROW.into())[1..]
    }

    /// Every row, blank ones too, as the PNG's lines.
    fn lines(&self) -> Vec<&[u8]> {
        self.0.iter().map(|r| r.as_deref().unwrap_or(&BLANK_ROW)).collect()
    }
}

impl Canvas {
    fn new() -> Canvas {
        Canvas { rows: Rows::new(), glyphs: HashMap::new(), rasterizer: Rasterizer::new(0, 0) }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        let full = ink.base() + LEVELS - 1;
        let (from, to) = (x.round() as usize, ((x + w).round() as usize).min(WIDTH as usize));
        for py in (y.round() as u32..(y + h).round() as u32).filter(|&py| py < HEIGHT) {
            let row = self.rows.pixels_mut(py as usize);
            let mut px = from;
            while px < to {
                // Two pixels of paper at once: the rules are drawn on paper.
                if px % 2 == 0 && px + 1 < to && row[px / 2] == 0 {
                    row[px / 2] = full << 4 | full;
                    px += 2;
                } else {
                    put(&mut row[px / 2], px, full);
                    px += 1;
                }
            }
        }
    }

    /// The first face that has the character, so a rare character is drawn from the other face
    /// instead of as a box.
    fn glyph<'f>(faces: &[&'f FontRef<'f>], c: char) -> Option<(&'f FontRef<'f>, GlyphId)> {
        faces.iter().map(|f| (*f, f.glyph_id(c))).find(|(_, g)| g.0 != 0)
    }

    fn advance(faces: &[&FontRef], c: char, px: f32) -> f32 {
        match Self::glyph(faces, c) {
            Some((f, g)) => f.as_scaled(PxScale::from(px)).h_advance(g),
            None => 0.0,
        }
    }

    fn measure(&self, faces: &[&FontRef], text: &str, px: f32) -> f32 {
        text.chars().map(|c| Self::advance(faces, c, px)).sum()
    }

    /// Sets `text` from `x` on `baseline`, each glyph at the whole pixel nearest its pen position
    /// (half a pixel at most off, invisible at these sizes), so that a repeated glyph is the same
    /// raster and is drawn from the cache.
    fn text(&mut self, faces: &[&FontRef], text: &str, px: f32, mut x: f32, baseline: f32, ink: Ink) {
        let y = baseline.round() as i64;
        for c in text.chars() {
            let Some((font, id)) = Self::glyph(faces, c) else { continue };
            let key = (std::ptr::from_ref(font) as usize, id.0, px.to_bits());
            let Canvas { rows, glyphs, rasterizer } = self;
            if let Some(r) = glyphs.entry(key).or_insert_with(|| Self::rasterize(rasterizer, font, id, px)) {
                Self::blit(rows, r, x.round() as i64, y, ink);
            }
            x += font.as_scaled(PxScale::from(px)).h_advance(id);
        }
    }

    /// The glyph's coverage at origin 0, 0; `None` for a glyph without outline (a space). What
    /// `OutlinedGlyph::draw` does, on one rasterizer for the whole cover: a new one for every glyph
    /// was a zeroed allocation each, and its per-pixel callback divided for a position not needed.
    fn rasterize(rasterizer: &mut Rasterizer, font: &FontRef, id: GlyphId, px: f32) -> Option<Raster> {
        let outline = font.outline(id)?;
        let scale = font.as_scaled(PxScale::from(px)).scale_factor();
        let b = outline.px_bounds(scale, point(0.0, 0.0));
        let (width, height) = (b.width() as usize, b.height() as usize);
        if width == 0 || height == 0 {
            return None;
        }
        rasterizer.reset(width, height);
        let at = |p: &Point| point(p.x * scale.horizontal - b.min.x, -p.y * scale.vertical - b.min.y);
        for curve in &outline.curves {
            match curve {
                OutlineCurve::Line(p0, p1) => rasterizer.draw_line(at(p0), at(p1)),
                OutlineCurve::Quad(p0, p1, p2) => rasterizer.draw_quad(at(p0), at(p1), at(p2)),
                OutlineCurve::Cubic(p0, p1, p2, p3) => rasterizer.draw_cubic(at(p0), at(p1), at(p2), at(p3)),
            }
        }
        let mut levels = vec![0; width * height];
        // Coverage is 0..=1 (more where contours overlap); adding a half and truncating rounds it
        // to the nearest level.
        rasterizer.for_each_pixel(|i, coverage| {
            let level = coverage.min(1.0) * f32::from(LEVELS) + 0.5;
            // SAFETY: the rasterizer's coverage is an absolute value, and `min` gives 1 for a NaN,
            // so `level` is within 0.5..=7.5, which truncates to a u8. (The checked cast clamped
            // every pixel: a third of the work here.)
            levels[i] = unsafe { level.to_int_unchecked::<u8>() };
        });
        Some(Raster { left: b.min.x as i64, top: b.min.y as i64, width, levels })
    }

    /// Lays raster `r` on `rows` with its origin at `x`, `y`, in `ink`.
    fn blit(rows: &mut Rows, r: &Raster, x: i64, y: i64, ink: Ink) {
        let (left, top) = (x + r.left, y + r.top);
        // The raster's columns that fall on the canvas.
        let first = usize::try_from(-left).unwrap_or(0).min(r.width);
        let end = usize::try_from(i64::from(WIDTH) - left).unwrap_or(0).min(r.width);
        for (row, levels) in r.levels.chunks_exact(r.width).enumerate() {
            let Ok(py) = usize::try_from(top + row as i64) else { continue };
            if py >= HEIGHT as usize {
                break;
            }
            let canvas_row = rows.pixels_mut(py);
            let mut col = first;
            let mut px = (left + first as i64) as usize;
            // A glyph starting on an odd pixel: its first column is a byte's low nibble.
            if px % 2 == 1 && col < end {
                put_level(&mut canvas_row[px / 2], px, levels[col], ink);
                col += 1;
                px += 1;
            }
            // Then whole bytes, two pixels each. Most of a glyph's box is blank, and where it is
            // not the canvas under it mostly is: both are a byte's test, not a pixel's.
            let pairs = levels[col..end].chunks_exact(2);
            let odd_end = pairs.remainder().first().copied();
            let bytes = pairs.len();
            for (pair, byte) in pairs.zip(&mut canvas_row[px / 2..]) {
                let (high, low) = (pair[0], pair[1]);
                if high | low == 0 {
                    continue;
                }
                if *byte == 0 {
                    *byte = index_of(high, ink) << 4 | index_of(low, ink);
                } else {
                    put_level(byte, 0, high, ink);
                    put_level(byte, 1, low, ink);
                }
            }
            if let Some(level) = odd_end {
                let px = px + 2 * bytes;
                put_level(&mut canvas_row[px / 2], px, level, ink);
            }
        }
    }

    fn text_centered(&mut self, faces: &[&FontRef], text: &str, px: f32, baseline: f32, ink: Ink) {
        let w = self.measure(faces, text, px);
        self.text(faces, text, px, (WIDTH as f32 - w) / 2.0, baseline, ink);
    }

    /// Breaks `text` into lines of at most `width`, between any two characters except inside a
    /// run of Latin letters and digits, and never before a mark that may not start a line; the
    /// last line gets at least two characters.
    fn wrap(&self, faces: &[&FontRef], text: &str, px: f32, width: f32) -> Vec<String> {
        // Units that are not broken: a run of ASCII letters/digits, or one character.
        let mut units: Vec<String> = Vec::new();
        for c in text.trim().chars() {
            let joins = |u: &String| {
                (c.is_ascii_alphanumeric() && u.chars().last().is_some_and(|l| l.is_ascii_alphanumeric()))
                    || NO_LINE_START.contains(c)
            };
            match units.last_mut() {
                Some(u) if joins(u) => u.push(c),
                _ => units.push(c.to_string()),
            }
        }
        let mut lines: Vec<Vec<String>> = vec![Vec::new()];
        let mut line_width = 0.0;
        for unit in units {
            let w = self.measure(faces, &unit, px);
            if line_width + w > width && !lines.last().is_some_and(|l| l.is_empty()) {
                lines.push(Vec::new());
                line_width = 0.0;
                if unit.trim().is_empty() {
                    continue; // a space at a break is the break
                }
            }
            lines.last_mut().expect("one line at least").push(unit);
            line_width += w;
        }
        // A last line of one character looks like a mistake: give it the previous line's last.
        if let [.., prev, last] = &mut lines[..] {
            if last.len() == 1 && prev.len() > 2 {
                let moved = prev.pop().expect("checked above");
                last.insert(0, moved);
            }
        }
        lines.into_iter().map(|l| l.concat()).collect()
    }

    /// The canvas as an indexed PNG: paper, then each ink's levels from faint to full.
    fn png(&self) -> Vec<u8> {
        let mut palette = Vec::with_capacity(1 + 2 * LEVELS as usize);
        palette.push(PAPER);
        for ink in [RED, INK] {
            for level in 1..=LEVELS {
                let t = f32::from(level) / f32::from(LEVELS);
                palette.push(std::array::from_fn(|i| (f32::from(PAPER[i]) * (1.0 - t) + f32::from(ink[i]) * t).round() as u8));
            }
        }
        png::indexed(WIDTH, HEIGHT, 4, &palette, &self.rows.lines())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Canvas {
        /// The palette index at pixel `x`, `y`.
        fn pixel(&self, x: usize, y: usize) -> u8 {
            let row = self.rows.0[y].as_deref().unwrap_or(&BLANK_ROW);
            (row[1 + x / 2] >> if x.is_multiple_of(2) { 4 } else { 0 }) & 0x0F
        }
    }

    #[test]
    fn wrap_leaves_no_lone_character_and_keeps_marks_with_their_character() {
        let fonts = FontDir::locate(None).unwrap();
        let data = fonts.load(Face::SansBold).unwrap();
        let sans = FontRef::try_from_slice(&data).unwrap();
        let c = Canvas::new();
        // Room for ten characters a line.
        let width = 10.5 * Canvas::advance(&[&sans], '一', 10.0);
        let lines = c.wrap(&[&sans], "一二三四五六七八九十开", 10.0, width);
        assert_eq!(lines, vec!["一二三四五六七八九", "十开"]);
        let lines = c.wrap(&[&sans], "一二三四五六七八九十，好的", 10.0, width);
        assert!(lines[1].starts_with("十，"), "{lines:?}");
    }

    #[test]
    fn the_stronger_coverage_wins_whichever_its_ink() {
        let (red, black) = (Ink::Red.base(), Ink::Black.base());
        let mut byte = 0;
        put(&mut byte, 0, red + 2); // red at level 3, in the high nibble
        assert_eq!(byte, (red + 2) << 4);
        put(&mut byte, 0, black); // black at level 1: weaker, kept out
        assert_eq!(byte, (red + 2) << 4);
        put(&mut byte, 0, black + 5); // black at level 6: stronger
        put(&mut byte, 1, red); // the low nibble is paper: any ink
        assert_eq!(byte, (black + 5) << 4 | red);
    }

    #[test]
    fn a_raster_lands_at_its_origin_and_is_clipped_at_the_edges() {
        let mut c = Canvas::new();
        // A 3x2 raster, full ink but one pixel.
        let r = Raster { left: 1, top: -2, width: 3, levels: vec![LEVELS, LEVELS, 0, LEVELS, LEVELS, LEVELS] };
        let full = Ink::Black.base() + LEVELS - 1;
        Canvas::blit(&mut c.rows, &r, 10, 12, Ink::Black); // an odd first column: 11..=13, rows 10..=11
        let inked: Vec<_> = (9..15).flat_map(|x| (9..13).map(move |y| (x, y))).filter(|&(x, y)| c.pixel(x, y) != 0).collect();
        assert_eq!(inked, vec![(11, 10), (11, 11), (12, 10), (12, 11), (13, 11)]);
        assert!(inked.iter().all(|&(x, y)| c.pixel(x, y) == full));
        // Off every edge in part: what is on the canvas is drawn, nothing wraps to another row.
        let before = c.rows.clone();
        for (x, y) in [(-2, 5), (WIDTH as i64 - 3, 5), (700, 1), (700, HEIGHT as i64 + 1), (-10, -10)] {
            Canvas::blit(&mut c.rows, &r, x, y, Ink::Red);
        }
        assert_eq!(c.pixel(0, 3) | c.pixel(0, 4), Ink::Red.base() + LEVELS - 1, "left edge");
        assert_ne!(c.pixel(WIDTH as usize - 1, 4), 0, "right edge");
        assert!(c.rows.0.iter().flatten().all(|row| row[0] == 0), "filter bytes stay 0");
        assert_ne!(c.rows, before);
    }

    #[test]
    fn a_repeated_glyph_is_drawn_from_one_raster() {
        let fonts = FontDir::locate(None).unwrap();
        let data = fonts.load(Face::SansBold).unwrap();
        let sans = FontRef::try_from_slice(&data).unwrap();
        let mut c = Canvas::new();
        let advance = Canvas::advance(&[&sans], '区', 84.0);
        c.text(&[&sans], "区区", 84.0, 100.0, 200.0, Ink::Black);
        assert_eq!(c.glyphs.len(), 1);
        // The second copy is the first moved by the advance, rounded to a whole pixel.
        let shift = (100.0 + advance).round() as usize - 100;
        let first: Vec<_> = (120..220).flat_map(|y| (100..100 + shift).map(move |x| (x, y))).map(|(x, y)| c.pixel(x, y)).collect();
        let second: Vec<_> = (120..220).flat_map(|y| (100..100 + shift).map(move |x| (x + shift, y))).map(|(x, y)| c.pixel(x, y)).collect();
        assert!(first.iter().any(|&p| p != 0));
        assert_eq!(first, second);
    }
}
