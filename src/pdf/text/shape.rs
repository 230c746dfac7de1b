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

use crate::model::Warning;
use crate::pdf::fonts::{FaceId, FontSet};

use super::Style;

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
    pub text: String,
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
    matches!(ch, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
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

/// Shapes `text` (no `\n` in it) in `style`.
pub fn shape(fonts: &FontSet, text: &str, style: &Style, source_line: u32) -> Shaped {
    let mut shaped = Shaped::default();
    let em = style.size;
    for ch in text.chars() {
        if ch == '\r' {
            continue;
        }
        if is_invisible(ch) {
            match shaped.units.last_mut() {
                Some(unit) => unit.text.push(ch),
                // Nothing to ride on: keep it on a zero-width space so it is not lost.
                None => shaped.units.push(space_unit(fonts, style, ch, 0.0)),
            }
            continue;
        }
        let ch_class = class_of(ch);
        if ch_class == Some(Class::Space) {
            let face = fonts.shipped(style.face);
            let width = if ch == IDEOGRAPHIC_SPACE { 1.0 } else { face.glyph(' ').map_or(0.25, |g| face.advance_em(g)) } * em;
            shaped.units.push(space_unit(fonts, style, ch, width));
            continue;
        }
        let (face_id, gid, missing) = match fonts.resolve(style.face, ch) {
            Some((face, gid)) => (face, gid, false),
            None => {
                shaped.warnings.push(Warning {
                    line: source_line,
                    message: format!(
                        "character U+{:04X} '{ch}' is in none of the fonts; printed as {MISSING_MARK}, kept in the text",
                        ch as u32
                    ),
                });
                let (face, gid) = fonts.resolve(style.face, MISSING_MARK).unwrap_or((FaceId::shipped(style.face), 0));
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
        let mut unit = Unit {
            ch,
            text: ch.to_string(),
            face: face_id,
            gid,
            class,
            width: em,
            offset: 0.0,
            blank_left: 0.0,
            blank_right: 0.0,
            scale_x: 1.0,
            missing,
        };
        let half = 0.5;
        // Only marks are placed by their ink; measuring an outline is not free.
        let ink = || face.ink_x_em(gid).unwrap_or((0.0, advance));
        match class {
            Class::Ideograph => unit.offset = (1.0 - advance).max(0.0) / 2.0 * em,
            Class::Opening => {
                let (ink_left, _) = ink();
                unit.offset = (1.0 - advance) * em;
                if (1.0 - advance) + ink_left >= half - HALF_EM_TOLERANCE {
                    unit.blank_left = half * em;
                }
            }
            Class::Closing | Class::Pause | Class::Stop => {
                let (_, ink_right) = ink();
                if ink_right <= half + HALF_EM_TOLERANCE {
                    unit.blank_right = half * em;
                }
            }
            Class::Middle => {
                let (ink_left, ink_right) = ink();
                unit.width = half * em;
                unit.offset = (half / 2.0 - (ink_left + ink_right) / 2.0) * em;
            }
            Class::Dash => {
                let (ink_left, ink_right) = ink();
                let ink = ink_right - ink_left;
                if ink > 0.0 && ink < 1.0 {
                    unit.scale_x = 1.0 / ink;
                    unit.offset = -ink_left * unit.scale_x * em;
                }
            }
            Class::Ellipsis => unit.offset = (1.0 - advance).max(0.0) / 2.0 * em,
            Class::Latin => unit.width = advance * em,
            Class::Space => {}
        }
        shaped.units.push(unit);
    }
    shaped
}

fn space_unit(fonts: &FontSet, style: &Style, ch: char, width: f32) -> Unit {
    let face = fonts.shipped(style.face);
    Unit {
        ch,
        text: ch.to_string(),
        face: FaceId::shipped(style.face),
        gid: face.glyph(' ').unwrap_or(0),
        class: Class::Space,
        width,
        offset: 0.0,
        blank_left: 0.0,
        blank_right: 0.0,
        scale_x: 1.0,
        missing: false,
    }
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
    fn invisible_characters_ride_along() {
        let u = units("葛\u{E0100}藤", Face::SerifRegular);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].text, "葛\u{E0100}");
    }
}
