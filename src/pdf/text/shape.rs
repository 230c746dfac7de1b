//! Shaping: characters → [`Unit`]s, each one glyph of a face with its advance, its class and
//! the blanks a compositor may take out of it. First step of the text engine (see `text`).
//!
//! Glyphs and advances come from the faces the PDF embeds, so what is measured is what is
//! printed. CJK characters and punctuation sit on a fixed em box whatever the glyph's own
//! advance (Kai's quotes are proportional, Noto's are full-width; both set as one em), Latin
//! letters and digits keep their proportional advances.
//!
//! The blanks of a punctuation mark are read from its ink: a closing or pause/stop mark whose
//! ink lies in the left half of its em can give up the right half, an opening mark with its ink
//! in the right half the left half. A mark drawn centered (some faces' ！？) gives up nothing.
//!
//! A [`Shaper`] looks each character up in the fonts once (cmap, fallback, advance, ink) and
//! keeps what it found, in ems, for every later occurrence at any size: an edition shapes
//! tens of thousands of characters, a few thousand of them distinct.

use std::cell::RefCell;

use crate::fonts::Face;
use crate::model::Warning;
use crate::pdf::fonts::{FaceId, FontSet};

use super::breaking::{NO_LINE_END, NO_LINE_START};
use super::justify::{is_han_like, takes_glue};
use super::{GlyphText, Style};

/// What a character is to the compositor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Han, kana, full-width forms and symbols: one em, a break allowed on either side.
    Ideograph,
    /// Opening brackets and quotes（“‘《【「…）.
    Opening,
    /// Closing brackets and quotes（”’》】」…）.
    Closing,
    /// Pause marks，、；： (half an em in kaiming).
    Pause,
    /// Stop marks。！？． (a full em in both styles but where they meet others or end a line).
    Stop,
    /// Interpuncts · ・: half an em, centered, never compressed.
    Middle,
    /// Dashes —: one em each, joined, never split or stretched inside a run.
    Dash,
    /// Ellipses …: one em each, never split or stretched inside a run.
    Ellipsis,
    /// Latin letters, digits, Western punctuation: proportional.
    Latin,
    /// A word space between Latin words: stretches and shrinks.
    Space,
}

impl Class {
    /// A CJK punctuation mark that may lose a blank.
    pub fn is_cjk_punct(self) -> bool {
        matches!(self, Class::Opening | Class::Closing | Class::Pause | Class::Stop)
    }

    /// Closing, pause and stop marks: their blank is on the right.
    pub fn blank_on_right(self) -> bool {
        matches!(self, Class::Closing | Class::Pause | Class::Stop)
    }
}

/// One shaped character.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The character (the first of `text`).
    pub ch: char,
    /// The source text the glyph stands for: the character plus any invisible characters
    /// following it (variation selectors, zero-width joiners) that have no glyph of their own.
    pub text: GlyphText,
    pub face: FaceId,
    pub gid: u16,
    pub class: Class,
    /// Natural width in the line, before any compression (points).
    pub width: f32,
    /// Where the glyph's origin sits from the start of its box (points).
    pub offset: f32,
    /// Blanks the unit may give up on its left and right (points).
    pub blank_left: f32,
    pub blank_right: f32,
    /// Horizontal scale of the drawn glyph (dashes stretched so that two of them join).
    pub scale_x: f32,
    /// True when no face has the character: the glyph drawn is the marker 〓.
    pub missing: bool,
    /// What breaking and justifying ask of the character at every pair, answered once per
    /// character: see [`CharTraits`].
    pub traits: CharTraits,
}

/// A character's part in line breaking and spacing, from the character and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharTraits {
    /// No line may start with it ([`NO_LINE_START`]).
    pub no_line_start: bool,
    /// No line may end with it ([`NO_LINE_END`]).
    pub no_line_end: bool,
    /// The Latin side of the CJK–Latin glue ([`takes_glue`]).
    pub takes_glue: bool,
    /// The CJK side of that glue ([`is_han_like`]).
    pub han_like: bool,
}

/// The CJK Unified Ideographs block: the bulk of any Chinese text, and in neither list of
/// marks a line may not start or end with, so those lists need not be scanned for it.
const UNIFIED_IDEOGRAPHS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

impl CharTraits {
    fn of(ch: char, class: Class) -> CharTraits {
        let ideograph = UNIFIED_IDEOGRAPHS.contains(&ch);
        CharTraits {
            no_line_start: !ideograph && NO_LINE_START.contains(ch),
            no_line_end: !ideograph && NO_LINE_END.contains(ch),
            takes_glue: takes_glue(ch, class),
            han_like: is_han_like(ch, class),
        }
    }
}

/// The shaped run.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    pub units: Vec<Unit>,
    pub warnings: Vec<Warning>,
}

/// Drawn in place of a character no face has: the geta mark, the compositor's own sign for
/// "type missing here" (GB 2312 carries it, so every shipped face has it).
pub const MISSING_MARK: char = '〓';

/// How far a mark's ink may cross the middle of its em and still count as in one half
/// (fractions of the em): Kai's ？ reaches 0.502.
const HALF_EM_TOLERANCE: f32 = 0.03;

/// The full-width space headlines set between their phrases: a word space one em wide.
pub const IDEOGRAPHIC_SPACE: char = '\u{3000}';

/// A glyph at least this wide (in ems) is a full-width form and sits on the em box.
const FULL_WIDTH: f32 = 0.95;

/// Characters that carry no glyph and ride along with the one before.
fn is_invisible(ch: char) -> bool {
    // Asked of every character: the common ones (Latin, punctuation, Han) are let go after
    // two comparisons.
    match ch {
        '\u{200B}'..='\u{200D}' | '\u{2060}' => true,
        _ if ch < '\u{FE00}' => false,
        '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}' => true,
        _ => false,
    }
}

/// The class of `ch`, where the character alone decides it.
pub fn class_of(ch: char) -> Option<Class> {
    Some(match ch {
        '“' | '‘' | '（' | '《' | '〈' | '【' | '〔' | '〖' | '［' | '｛' | '「' | '『' | '〘' | '〚' | '｟' => Class::Opening,
        '”' | '’' | '）' | '》' | '〉' | '】' | '〕' | '〗' | '］' | '｝' | '」' | '』' | '〙' | '〛' | '｠' => Class::Closing,
        '，' | '、' | '；' | '：' | '､' => Class::Pause,
        '。' | '！' | '？' | '．' | '｡' => Class::Stop,
        '·' | '・' | '‧' | '･' => Class::Middle,
        '—' | '―' | '⸺' | '⸻' => Class::Dash,
        '…' | '‥' | '⋯' => Class::Ellipsis,
        ' ' | '\t' | '\u{00A0}' | IDEOGRAPHIC_SPACE => Class::Space,
        c if c.is_ascii() => Class::Latin,
        _ => return None,
    })
}

/// Shapes runs, remembering each character's lookup for the next time it is met (for the life
/// of the shaper: one edition's runs, so nothing carries from one issue to the next but what
/// the [`FontSet`] itself caches).
pub struct Shaper<'a> {
    fonts: &'a FontSet,
    chars: RefCell<CharTable>,
}

/// How each character met so far sets, per style face: a two-level table by code point (a page
/// of [`PAGE`] code points is allocated when one of them is first met), so finding a character
/// again is a few loads, with no hashing.
struct CharTable {
    /// Per face of [`Face::ALL`], per page: each code point's index in `shapes`, plus one (0:
    /// not met yet).
    pages: [Vec<Option<Box<[u32; PAGE]>>>; Face::ALL.len()],
    shapes: Vec<CharShape>,
}

/// Code points per page of a [`CharTable`]: Han text touches a hundred-odd pages of the BMP.
const PAGE: usize = 256;

impl CharTable {
    /// How `ch` sets in `face`, looked up in `fonts` the first time.
    fn get(&mut self, fonts: &FontSet, face: Face, ch: char) -> CharShape {
        let pages = &mut self.pages[FaceId::shipped(face).index()];
        let (page, slot) = (ch as usize / PAGE, ch as usize % PAGE);
        if page >= pages.len() {
            pages.resize_with(page + 1, || None);
        }
        let page = pages[page].get_or_insert_with(|| Box::new([0; PAGE]));
        if page[slot] == 0 {
            self.shapes.push(look_up(fonts, face, ch));
            page[slot] = self.shapes.len() as u32;
        }
        self.shapes[page[slot] as usize - 1]
    }
}

/// How a character sets in a style's face, at any size: its glyph and class, and its width,
/// glyph offset and blanks in ems. A unit's are these times its size, the last operation of
/// each, so a unit shaped from the table is exactly the one a fresh lookup would give.
#[derive(Debug, Clone, Copy)]
struct CharShape {
    face: FaceId,
    gid: u16,
    class: Class,
    missing: bool,
    width_em: f32,
    offset_em: f32,
    blank_left_em: f32,
    blank_right_em: f32,
    scale_x: f32,
    traits: CharTraits,
}

impl CharShape {
    fn unit(&self, ch: char, em: f32) -> Unit {
        Unit {
            ch,
            text: GlyphText::from(ch.encode_utf8(&mut [0; 4]) as &str),
            face: self.face,
            gid: self.gid,
            class: self.class,
            width: self.width_em * em,
            offset: self.offset_em * em,
            blank_left: self.blank_left_em * em,
            blank_right: self.blank_right_em * em,
            scale_x: self.scale_x,
            missing: self.missing,
            traits: self.traits,
        }
    }

    /// A space of `width_em` in the style's own face.
    fn space(fonts: &FontSet, face: Face, ch: char, width_em: f32) -> CharShape {
        CharShape {
            face: FaceId::shipped(face),
            gid: fonts.shipped(face).glyph(' ').unwrap_or(0),
            class: Class::Space,
            missing: false,
            width_em,
            offset_em: 0.0,
            blank_left_em: 0.0,
            blank_right_em: 0.0,
            scale_x: 1.0,
            traits: CharTraits::of(ch, Class::Space),
        }
    }
}

impl<'a> Shaper<'a> {
    pub fn new(fonts: &'a FontSet) -> Shaper<'a> {
        Shaper { fonts, chars: RefCell::new(CharTable { pages: Default::default(), shapes: Vec::new() }) }
    }

    /// Shapes `text` (no `\n` in it) in `style`.
    pub fn shape(&self, text: &str, style: &Style, source_line: u32) -> Shaped {
        let mut shaped = Shaped { units: Vec::with_capacity(text.chars().count()), warnings: Vec::new() };
        let em = style.size;
        let mut chars = self.chars.borrow_mut();
        for ch in text.chars() {
            if ch == '\r' {
                continue;
            }
            if is_invisible(ch) {
                match shaped.units.last_mut() {
                    Some(unit) => unit.text.push(ch),
                    // Nothing to ride on: keep it on a zero-width space so it is not lost.
                    None => shaped.units.push(CharShape::space(self.fonts, style.face, ch, 0.0).unit(ch, em)),
                }
                continue;
            }
            let shape = chars.get(self.fonts, style.face, ch);
            if shape.missing {
                shaped.warnings.push(Warning {
                    line: source_line,
                    message: format!(
                        "character U+{:04X} '{ch}' is in none of the fonts; printed as {MISSING_MARK}, kept in the text",
                        ch as u32
                    ),
                });
            }
            shaped.units.push(shape.unit(ch, em));
        }
        shaped
    }
}

/// How `ch` sets in a run styled with `preferred`, from the fonts.
fn look_up(fonts: &FontSet, preferred: Face, ch: char) -> CharShape {
    let ch_class = class_of(ch);
    if ch_class == Some(Class::Space) {
        let face = fonts.shipped(preferred);
        let width_em = if ch == IDEOGRAPHIC_SPACE { 1.0 } else { face.glyph(' ').map_or(0.25, |g| face.advance_em(g)) };
        return CharShape::space(fonts, preferred, ch, width_em);
    }
    let (face_id, gid, missing) = match fonts.resolve(preferred, ch) {
        Some((face, gid)) => (face, gid, false),
        None => {
            let (face, gid) = fonts.resolve(preferred, MISSING_MARK).unwrap_or((FaceId::shipped(preferred), 0));
            (face, gid, true)
        }
    };
    let face = fonts.face(face_id);
    let advance = face.advance_em(gid);
    let class = match ch_class {
        _ if missing => Class::Ideograph,
        Some(class) => class,
        // Symbols and letters beyond ASCII: full-width ones sit on the em, others are Latin.
        None if advance >= FULL_WIDTH => Class::Ideograph,
        None => Class::Latin,
    };
    let mut shape = CharShape {
        face: face_id,
        gid,
        class,
        missing,
        width_em: 1.0,
        offset_em: 0.0,
        blank_left_em: 0.0,
        blank_right_em: 0.0,
        scale_x: 1.0,
        traits: CharTraits::of(ch, class),
    };
    let half = 0.5;
    // Only marks are placed by their ink; measuring an outline is not free.
    let ink = || face.ink_x_em(gid).unwrap_or((0.0, advance));
    match class {
        Class::Ideograph => shape.offset_em = (1.0 - advance).max(0.0) / 2.0,
        Class::Opening => {
            let (ink_left, _) = ink();
            shape.offset_em = 1.0 - advance;
            if (1.0 - advance) + ink_left >= half - HALF_EM_TOLERANCE {
                shape.blank_left_em = half;
            }
        }
        Class::Closing | Class::Pause | Class::Stop => {
            let (_, ink_right) = ink();
            if ink_right <= half + HALF_EM_TOLERANCE {
                shape.blank_right_em = half;
            }
        }
        Class::Middle => {
            let (ink_left, ink_right) = ink();
            shape.width_em = half;
            shape.offset_em = half / 2.0 - (ink_left + ink_right) / 2.0;
        }
        Class::Dash => {
            let (ink_left, ink_right) = ink();
            let ink = ink_right - ink_left;
            if ink > 0.0 && ink < 1.0 {
                shape.scale_x = 1.0 / ink;
                shape.offset_em = -ink_left * shape.scale_x;
            }
        }
        Class::Ellipsis => shape.offset_em = (1.0 - advance).max(0.0) / 2.0,
        Class::Latin => shape.width_em = advance,
        Class::Space => {}
    }
    shape
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fonts::{Face, FontDir};
    use std::sync::OnceLock;

    pub(crate) fn fonts() -> &'static FontSet {
        static FONTS: OnceLock<FontSet> = OnceLock::new();
        FONTS.get_or_init(|| FontSet::load(&FontDir::locate(None).unwrap()).unwrap())
    }

    /// `text` shaped by a shaper of its own.
    pub(crate) fn shape(fonts: &FontSet, text: &str, style: &Style, source_line: u32) -> Shaped {
        Shaper::new(fonts).shape(text, style, source_line)
    }

    fn units(text: &str, face: Face) -> Vec<Unit> {
        shape(fonts(), text, &Style { face, ..Style::body(10.0) }, 1).units
    }

    #[test]
    fn cjk_sits_on_the_em_and_latin_is_proportional() {
        let u = units("中i", Face::SerifRegular);
        assert_eq!(u[0].class, Class::Ideograph);
        assert_eq!(u[0].width, 10.0);
        assert_eq!(u[1].class, Class::Latin);
        assert!(u[1].width < 4.0, "i is narrow: {}", u[1].width);
    }

    #[test]
    fn marks_give_up_the_blank_on_their_open_side() {
        for face in [Face::SerifRegular, Face::Kai] {
            let u = units("，”“（。", face);
            assert_eq!((u[0].blank_left, u[0].blank_right), (0.0, 5.0), "{face} ，");
            assert_eq!((u[1].blank_left, u[1].blank_right), (0.0, 5.0), "{face} ”");
            assert_eq!((u[2].blank_left, u[2].blank_right), (5.0, 0.0), "{face} “");
            assert_eq!((u[3].blank_left, u[3].blank_right), (5.0, 0.0), "{face} （");
            assert_eq!(u[4].class, Class::Stop);
            // Proportional quotes (Kai's) still take a full em in the line.
            assert_eq!(u[1].width, 10.0);
            // An opening mark's glyph is pushed to the right of its em.
            assert!(u[2].offset >= 0.0);
        }
    }

    #[test]
    fn an_ideograph_gives_up_nothing() {
        let u = units("中", Face::SerifRegular);
        assert_eq!((u[0].blank_left, u[0].blank_right), (0.0, 0.0));
    }

    #[test]
    fn interpunct_is_half_an_em_and_centered() {
        let u = units("·", Face::SerifRegular);
        assert_eq!(u[0].class, Class::Middle);
        assert_eq!(u[0].width, 5.0);
        let (l, r) = fonts().face(u[0].face).ink_x_em(u[0].gid).unwrap();
        let centre = u[0].offset + (l + r) / 2.0 * 10.0;
        assert!((centre - 2.5).abs() < 0.01, "ink centre {centre}");
    }

    #[test]
    fn dashes_are_stretched_to_join() {
        let u = units("——", Face::SerifRegular);
        let (l, r) = fonts().face(u[0].face).ink_x_em(u[0].gid).unwrap();
        let ink_start = u[0].offset + l * 10.0 * u[0].scale_x;
        let ink_end = u[0].offset + r * 10.0 * u[0].scale_x;
        assert!(ink_start.abs() < 0.01 && (ink_end - 10.0).abs() < 0.01, "{ink_start}..{ink_end}");
    }

    #[test]
    fn a_character_no_font_has_is_marked_and_reported() {
        let shaped = shape(fonts(), "甲\u{0378}乙", &Style::body(10.0), 42);
        assert_eq!(shaped.units.len(), 3);
        assert!(shaped.units[1].missing);
        assert_eq!(shaped.units[1].text, "\u{0378}");
        let marker = fonts().shipped(Face::SerifRegular).glyph(MISSING_MARK).unwrap();
        assert_eq!(shaped.units[1].gid, marker);
        assert_eq!(shaped.warnings.len(), 1);
        assert_eq!(shaped.warnings[0].line, 42);
        // Known characters are not reported.
        assert!(shape(fonts(), "甲乙", &Style::body(10.0), 1).warnings.is_empty());
    }

    #[test]
    fn a_character_met_again_shapes_as_a_fresh_lookup_would_at_any_size() {
        let text = "中，“·—i　 〓";
        let shaper = Shaper::new(fonts());
        for size in [9.0, 10.5, 23.7] {
            for face in Face::ALL {
                let style = Style { face, ..Style::body(size) };
                // The shaper has met these characters before (other sizes, other faces).
                let again = shaper.shape(text, &style, 1).units;
                assert_eq!(again, shape(fonts(), text, &style, 1).units, "{face} at {size}");
            }
        }
        // Each face of the style keeps its own answers.
        let serif = shaper.shape("“", &Style::body(10.0), 1).units;
        let kai = shaper.shape("“", &Style::caption(10.0), 1).units;
        assert_ne!(serif[0].face, kai[0].face);
    }

    #[test]
    fn a_missing_character_is_reported_each_time_it_occurs() {
        let shaper = Shaper::new(fonts());
        for line in [3, 4] {
            let shaped = shaper.shape("\u{0378}甲", &Style::body(10.0), line);
            assert_eq!(shaped.warnings.len(), 1);
            assert_eq!(shaped.warnings[0].line, line);
            assert!(shaped.units[0].missing);
        }
    }

    #[test]
    fn units_carry_their_characters_break_and_glue_traits() {
        let u = units("，“A中", Face::SerifRegular);
        assert!(u[0].traits.no_line_start && !u[0].traits.no_line_end);
        assert!(u[1].traits.no_line_end && !u[1].traits.no_line_start);
        assert!(u[2].traits.takes_glue && !u[2].traits.han_like);
        assert!(u[3].traits.han_like && !u[3].traits.takes_glue);
    }

    #[test]
    fn the_ideograph_block_is_in_neither_list_of_prohibited_marks() {
        for ch in UNIFIED_IDEOGRAPHS {
            assert!(!NO_LINE_START.contains(ch) && !NO_LINE_END.contains(ch), "{ch}");
        }
    }

    #[test]
    fn invisible_characters_are_told_apart_from_their_neighbours() {
        for ch in ['\u{200B}', '\u{200D}', '\u{2060}', '\u{FE00}', '\u{FE0F}', '\u{FEFF}', '\u{E0100}', '\u{E01EF}'] {
            assert!(is_invisible(ch), "U+{:04X}", ch as u32);
        }
        for ch in ['a', '\u{200A}', '\u{200E}', '\u{205F}', '中', '\u{FDFF}', '\u{FE10}', '\u{FF0C}', '\u{E00FF}', '\u{E01F0}'] {
            assert!(!is_invisible(ch), "U+{:04X}", ch as u32);
        }
    }

    #[test]
    fn invisible_characters_ride_along() {
        let u = units("葛\u{E0100}藤", Face::SerifRegular);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].text, "葛\u{E0100}");
    }
}
