//! Spacing one line: punctuation compression, the CJK–Latin glue, and the adjustment that
//! makes the line exactly as wide as the column. Third step of the text engine: `breaking`
//! asks it how wide a candidate line is ([`measure`]) and `paragraph` asks it to space the
//! chosen lines ([`fit`]); `lines` turns the result into glyph positions. Both ask through a
//! paragraph's [`Interior`], which works out how each unit sits between its neighbours once,
//! not again for every candidate line it falls in.
//!
//! Compression (标点挤压, clreq §3.1.6): a mark loses its blank where two marks meet (“。”” →
//! the full stop loses its right half; “”（” → one half between them; “《“” → the inner
//! opening mark loses its left half), and a closing or pause/stop mark at the end of a line
//! loses its right blank, so the ink, not a blank, makes the right edge. In kaiming style pause
//! marks and brackets/quotes are half an em everywhere and an opening mark at a line start
//! (other than a paragraph's first) loses its left blank.
//!
//! Adjustment, in clreq's order. To stretch: (1) blanks taken out by kaiming style are given
//! back, (2) CJK–Latin gaps and word spaces widen by up to a quarter em each, (3) the rest is
//! spread evenly between characters — never inside ——, ……, or a Latin word. To squeeze (the
//! 挤进 of 先挤进，后推出): (1) punctuation blanks, (2) CJK–Latin gaps and word spaces.

use super::shape::{Class, Unit, IDEOGRAPHIC_SPACE};
use super::PunctMode;

/// The gap between Chinese and Latin letters or digits: a quarter em (clreq §3.2.2).
pub const CJK_LATIN_GLUE_EM: f32 = 0.25;
/// How far that gap may shrink when a line is squeezed: to an eighth of an em.
const GLUE_SHRINK_EM: f32 = 0.125;
/// How far that gap (and a word space) may widen before the even spreading starts.
const GLUE_STRETCH_EM: f32 = 0.25;
/// A word space may give up a third of itself (Western practice: 1/3 em down to 1/4 em).
const SPACE_SHRINK: f32 = 1.0 / 3.0;
/// Measurements are in points; this absorbs float error when comparing with a column width.
pub const EPSILON: f32 = 0.01;

/// What a line needs to know about where it stands.
#[derive(Debug, Clone, Copy)]
pub struct LineContext {
    pub mode: PunctMode,
    pub em: f32,
    /// Extra space after every unit but the last, in points.
    pub letter_spacing: f32,
    /// The line is a paragraph's first (an opening mark there keeps its blank in both styles).
    pub paragraph_start: bool,
}

/// How one line's units are spaced: blanks taken out of each unit, space after each.
#[derive(Debug, Clone, PartialEq)]
pub struct Spacing {
    /// Each unit's sits, its trims and gap adjusted (one allocation a line, not one a number).
    units: Vec<Sits>,
    /// Width of unit boxes and gaps together.
    pub width: f32,
}

impl Spacing {
    /// The spacing of a line of no units.
    pub fn empty() -> Spacing {
        Spacing { units: Vec::new(), width: 0.0 }
    }

    /// Blank taken out of unit `i` on its left.
    pub fn trim_left(&self, i: usize) -> f32 {
        self.units[i].trim_left
    }

    /// Blank taken out of unit `i` on its right.
    pub fn trim_right(&self, i: usize) -> f32 {
        self.units[i].trim_right
    }

    /// Space after unit `i` (glue, letter spacing, adjustment); the last unit's is 0.
    pub fn gap_after(&self, i: usize) -> f32 {
        self.units[i].gap_after
    }
}

/// The natural width of a line and how far it can be squeezed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    pub natural: f32,
    pub min: f32,
}

/// Where a gap between two units may take adjustment from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum GapKind {
    /// Between two characters: takes the even spreading.
    Even,
    /// CJK–Latin glue: shrinks and stretches in step 2, then takes the even spreading.
    Glue,
    /// Inside ——, ……, a Latin word, or next to a word space: never adjusted.
    Fixed,
}

/// A line before adjustment: its spacing at natural width (how each unit sits, what it may
/// still give or take).
struct Natural {
    spacing: Spacing,
    /// How many gaps are glue, how many units word spaces, how many gaps take the even
    /// spreading: what the adjustment steps divide by.
    glue: usize,
    spaces: usize,
    even: usize,
}

/// Latin characters that take the CJK–Latin glue next to a Han character: letters, digits and
/// the signs that belong to a number or word. (Asked once per character, by `shape`: a unit
/// carries the answer in its [`super::shape::CharTraits`].)
pub fn takes_glue(ch: char, class: Class) -> bool {
    class == Class::Latin && (ch.is_alphanumeric() || "%‰°#&@+=*$€£¥".contains(ch))
}

/// The CJK side of the glue: Han and kana, not full-width symbols (no gap in 25℃).
pub fn is_han_like(ch: char, class: Class) -> bool {
    class == Class::Ideograph && ch.is_alphabetic()
}

fn is_word_char(unit: &Unit) -> bool {
    unit.class == Class::Latin
}

/// How one unit sits in a line at natural width: what compression takes from it, what it may
/// still give, and the gap after it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sits {
    trim_left: f32,
    trim_right: f32,
    /// Blanks kaiming took out of it, to give back first when stretching.
    kaiming_trim: f32,
    /// Blanks it can still give up (squeeze step 1).
    punct_shrink: f32,
    /// Its width in the line (a word space's as the line sets it; none at the line's ends).
    width: f32,
    /// Natural width of a word space, 0 for other units (squeeze and stretch step 2).
    space: f32,
    /// Where the gap after it may take adjustment from.
    gap: GapKind,
    gap_after: f32,
}

/// The line's ink: its units but the word spaces at either end, as `first..last`.
fn ink(units: &[Unit]) -> (usize, usize) {
    let n = units.len();
    let first = units.iter().position(|u| u.class != Class::Space).unwrap_or(n);
    let last = units.iter().rposition(|u| u.class != Class::Space).map_or(0, |i| i + 1);
    (first, last)
}

/// Where mark `a` meets `b` and gives up its right blank.
fn meets(a: &Unit, b: &Unit) -> bool {
    a.blank_right > 0.0 && (b.class.blank_on_right() || b.class == Class::Opening)
}

/// How unit `i` of the line `units` (ink `first..last`) sits at natural width. One unit at a
/// time, so that [`measure`], which the line breaker asks several times a line, needs no
/// allocation.
fn sits(units: &[Unit], (first, last): (usize, usize), ctx: &LineContext, i: usize) -> Sits {
    let u = &units[i];
    let inside = first <= i && i < last;
    let (mut trim_left, mut trim_right, mut kaiming_trim) = (0.0, 0.0, 0.0);
    // Where two marks meet: this one and the next, or the one before and this.
    if inside && i + 1 < last && meets(u, &units[i + 1]) {
        trim_right = u.blank_right;
    }
    if i > first && i < last {
        let a = &units[i - 1];
        if !meets(a, u) && a.class == Class::Opening && u.class == Class::Opening && u.blank_left > 0.0 {
            trim_left = u.blank_left;
        }
    }
    // Line end: the last mark's right blank goes.
    if last > first && i == last - 1 {
        trim_right = u.blank_right;
    }
    if ctx.mode == PunctMode::Kaiming && inside {
        match u.class {
            Class::Pause | Class::Closing if trim_right == 0.0 => {
                trim_right = u.blank_right;
                kaiming_trim = u.blank_right;
            }
            Class::Opening if trim_left == 0.0 && (i > first || !ctx.paragraph_start) => {
                trim_left = u.blank_left;
                // At a line start the blank is not given back: the edge stays flush.
                if i > first {
                    kaiming_trim = u.blank_left;
                }
            }
            _ => {}
        }
    }
    let punct_shrink = if inside { (u.blank_left - trim_left) + (u.blank_right - trim_right) } else { 0.0 };

    // Word spaces: natural width inside the line, none at its ends; a space between Han and
    // Latin is the glue itself.
    let (width, space) = if u.class != Class::Space {
        (u.width, 0.0)
    } else if !inside {
        (0.0, 0.0)
    } else {
        let before = units[..i].iter().rev().find(|u| u.class != Class::Space);
        let after = units[i + 1..].iter().find(|u| u.class != Class::Space);
        let cjk_side = before.is_some_and(|u| u.class != Class::Latin) || after.is_some_and(|u| u.class != Class::Latin);
        // (An ideographic space keeps its em: it is the text's own spacing.)
        let width = if cjk_side && u.ch != IDEOGRAPHIC_SPACE { CJK_LATIN_GLUE_EM * ctx.em } else { u.width };
        (width, width)
    };

    let (gap, gap_after) = if inside && i + 1 < last {
        let (a, b) = (u, &units[i + 1]);
        let cjk_latin = (b.traits.takes_glue && a.traits.han_like) || (a.traits.takes_glue && b.traits.han_like);
        let gap = if cjk_latin {
            GapKind::Glue
        } else if (a.class == Class::Dash && b.class == Class::Dash)
            || (a.class == Class::Ellipsis && b.class == Class::Ellipsis)
            || (is_word_char(a) && is_word_char(b))
            || a.class == Class::Space
            || b.class == Class::Space
        {
            GapKind::Fixed
        } else {
            GapKind::Even
        };
        (gap, ctx.letter_spacing + if cjk_latin { CJK_LATIN_GLUE_EM * ctx.em } else { 0.0 })
    } else {
        (GapKind::Fixed, 0.0)
    };
    Sits { trim_left, trim_right, kaiming_trim, punct_shrink, width, space, gap, gap_after }
}

/// A paragraph's units as its lines are cut from it. A unit with a unit of its line on either
/// side sits the same whatever line it falls in (its compression and glue depend on its
/// neighbours only), so that is found once per unit here; a candidate line is measured by
/// adding those up, only its end units worked out afresh. What `breaking` measures its
/// candidates with and `paragraph` spaces its lines with: the same numbers, added in the same
/// order, as [`measure`] and [`fit`] of the line on its own.
pub struct Interior {
    units: Vec<Unit>,
    /// What the sits were found with: a line asked with other spacing is worked out afresh.
    ctx: LineContext,
    /// How each unit sits with a unit of its line on either side (the paragraph's first and
    /// last units never do; theirs are unused).
    sits: Vec<Sits>,
}

impl Interior {
    pub fn new(units: Vec<Unit>, ctx: &LineContext) -> Interior {
        let all = (0, units.len());
        let sits = (0..units.len()).map(|i| sits(&units, all, ctx, i)).collect();
        Interior { units, ctx: *ctx, sits }
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// [`measure`] of `units[start..end]`.
    pub fn measure(&self, start: usize, end: usize, ctx: &LineContext) -> Measure {
        let units = &self.units[start..end];
        if !self.spaces_as(ctx) {
            return measure(units, ctx);
        }
        let line = ink(units);
        measure_by(units.len(), |i| self.sits_in(units, start, line, ctx, i), ctx)
    }

    /// [`fit`] of `units[start..end]`.
    pub fn fit(&self, start: usize, end: usize, ctx: &LineContext, width: f32, justify: bool) -> Spacing {
        let units = &self.units[start..end];
        if !self.spaces_as(ctx) {
            return fit(units, ctx, width, justify);
        }
        // The interior's sits as they are, the line's end units' worked out.
        let (first, last) = ink(units);
        let mut line = self.sits[start..end].to_vec();
        for (i, u) in line.iter_mut().enumerate() {
            if !(first < i && i + 1 < last) {
                *u = sits(units, (first, last), ctx, i);
            }
        }
        fit_by(units, line, ctx, width, justify)
    }

    /// Whether `ctx` spaces units as the one the sits were found with (it may differ in
    /// `paragraph_start`, which only a line's first unit heeds).
    fn spaces_as(&self, ctx: &LineContext) -> bool {
        ctx.mode == self.ctx.mode && ctx.em.to_bits() == self.ctx.em.to_bits() && ctx.letter_spacing.to_bits() == self.ctx.letter_spacing.to_bits()
    }

    /// How unit `i` of `line` (the units from `start`, ink `first..last`) sits.
    fn sits_in(&self, line: &[Unit], start: usize, (first, last): (usize, usize), ctx: &LineContext, i: usize) -> Sits {
        if first < i && i + 1 < last {
            self.sits[start + i]
        } else {
            sits(line, (first, last), ctx, i)
        }
    }
}

/// The line `units` at natural width, its units sitting as `sits` says.
fn natural(units: &[Unit], mut sits: Vec<Sits>) -> Natural {
    let (mut glue, mut spaces, mut even) = (0, 0, 0);
    for u in &sits {
        glue += usize::from(u.gap == GapKind::Glue);
        spaces += usize::from(u.space > 0.0);
        even += usize::from(u.gap != GapKind::Fixed);
    }
    let width = sits.iter().map(|u| u.width - u.trim_left - u.trim_right + u.gap_after).sum();
    // Spaces' widths are carried in `space`; put them in the unit boxes through the trims so
    // that `lines` sees one number per unit.
    for (unit, u) in units.iter().zip(&mut sits) {
        if unit.class == Class::Space {
            u.trim_right = unit.width - u.width;
        }
    }
    Natural { spacing: Spacing { units: sits, width }, glue, spaces, even }
}

/// How wide `units` are as one line, and how narrow squeezing can make them.
pub fn measure(units: &[Unit], ctx: &LineContext) -> Measure {
    let line = ink(units);
    measure_by(units.len(), |i| sits(units, line, ctx, i), ctx)
}

/// [`measure`] of a line of `n` units that sit as `sits_of` says.
fn measure_by(n: usize, sits_of: impl Fn(usize) -> Sits, ctx: &LineContext) -> Measure {
    // The sums run in the order `natural`'s do, so a line measures exactly as `fit` spaces it.
    let (mut width, mut punct, mut glue, mut space) = (-0.0f32, -0.0f32, 0usize, -0.0f32);
    for i in 0..n {
        let u = sits_of(i);
        width += u.width - u.trim_left - u.trim_right + u.gap_after;
        punct += u.punct_shrink;
        glue += usize::from(u.gap == GapKind::Glue);
        space += u.space;
    }
    let shrink = punct + glue as f32 * (CJK_LATIN_GLUE_EM - GLUE_SHRINK_EM) * ctx.em + space * SPACE_SHRINK;
    Measure { natural: width, min: width - shrink }
}

/// Spaces `units` as one line `width` points wide: squeezed if they are wider, stretched to it
/// if `justify` (else left at their natural width).
pub fn fit(units: &[Unit], ctx: &LineContext, width: f32, justify: bool) -> Spacing {
    let line = ink(units);
    fit_by(units, (0..units.len()).map(|i| sits(units, line, ctx, i)).collect(), ctx, width, justify)
}

/// [`fit`] of `units`, which sit as `sits_of` says.
fn fit_by(units: &[Unit], sits: Vec<Sits>, ctx: &LineContext, width: f32, justify: bool) -> Spacing {
    let mut natural = natural(units, sits);
    let slack = width - natural.spacing.width;
    if slack < -EPSILON {
        squeeze(units, &mut natural, -slack, ctx);
    } else if slack > EPSILON && justify {
        stretch(&mut natural, slack, ctx);
    }
    let mut spacing = natural.spacing;
    spacing.width = units.iter().zip(&spacing.units).map(|(unit, u)| unit.width - u.trim_left - u.trim_right + u.gap_after).sum();
    spacing
}

/// Takes `need` points out of a line, in clreq's order; what cannot be taken (an unbreakable
/// run wider than the column) is taken evenly out of the character gaps.
fn squeeze(units: &[Unit], line: &mut Natural, mut need: f32, ctx: &LineContext) {
    let Natural { spacing, glue, even, .. } = line;
    let sits = &mut spacing.units;
    // Step 1: punctuation blanks, in proportion to what each mark has left.
    let total: f32 = sits.iter().map(|s| s.punct_shrink).sum();
    if total > 0.0 {
        let share = (need / total).min(1.0);
        for (unit, s) in units.iter().zip(sits.iter_mut()) {
            let take = s.punct_shrink * share;
            if unit.blank_right > s.trim_right {
                s.trim_right += take;
            } else {
                s.trim_left += take;
            }
        }
        need -= total * share;
    }
    // Step 2: CJK–Latin glue and word spaces.
    let glue_room = (CJK_LATIN_GLUE_EM - GLUE_SHRINK_EM) * ctx.em;
    let glue_count = *glue as f32;
    let space_room: f32 = sits.iter().map(|s| s.space).sum::<f32>() * SPACE_SHRINK;
    let total = glue_count * glue_room + space_room;
    if need > 0.0 && total > 0.0 {
        let share = (need / total).min(1.0);
        for s in sits.iter_mut() {
            if s.gap == GapKind::Glue {
                s.gap_after -= glue_room * share;
            }
            s.trim_right += s.space * SPACE_SHRINK * share;
        }
        need -= total * share;
    }
    // Last resort: the character gaps (only an overfull line comes here).
    if need > EPSILON && *even > 0 {
        let each = need / *even as f32;
        for s in sits.iter_mut().filter(|s| s.gap != GapKind::Fixed) {
            s.gap_after -= each;
        }
    }
}

/// Adds `slack` points to a line, in clreq's order.
fn stretch(line: &mut Natural, mut slack: f32, ctx: &LineContext) {
    let Natural { spacing, glue, spaces, even } = line;
    let (glue, spaces, even) = (*glue, *spaces, *even);
    let sits = &mut spacing.units;
    // Step 1: give back the blanks kaiming style took out mid-line.
    let total: f32 = sits.iter().map(|s| s.kaiming_trim).sum();
    if total > 0.0 {
        let share = (slack / total).min(1.0);
        for s in sits.iter_mut() {
            let t = s.kaiming_trim;
            let back = t * share;
            if s.trim_right >= t && t > 0.0 && s.trim_left == 0.0 {
                s.trim_right -= back;
            } else {
                s.trim_left -= back;
            }
        }
        slack -= total * share;
    }
    // Step 2: CJK–Latin gaps and word spaces, up to a quarter em each.
    let room = GLUE_STRETCH_EM * ctx.em;
    let total = (glue + spaces) as f32 * room;
    if slack > 0.0 && total > 0.0 {
        let each = room * (slack / total).min(1.0);
        for s in sits.iter_mut() {
            if s.gap == GapKind::Glue {
                s.gap_after += each;
            }
            if s.space > 0.0 {
                s.trim_right -= each;
            }
        }
        slack -= each * (glue + spaces) as f32;
    }
    // Step 3: evenly between characters (never inside ——, …… or a word).
    if slack > EPSILON && even > 0 {
        let each = slack / even as f32;
        for s in sits.iter_mut().filter(|s| s.gap != GapKind::Fixed) {
            s.gap_after += each;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::text::shape::tests::{fonts, shape};
    use crate::pdf::text::Style;

    const EM: f32 = 10.0;

    fn ctx(mode: PunctMode) -> LineContext {
        LineContext { mode, em: EM, letter_spacing: 0.0, paragraph_start: false }
    }

    fn units(text: &str) -> Vec<Unit> {
        shape(fonts(), text, &Style::body(EM), 1).units
    }

    fn natural_width(text: &str, mode: PunctMode) -> f32 {
        measure(&units(text), &ctx(mode)).natural
    }

    #[test]
    fn a_line_cut_from_a_paragraph_measures_and_fits_as_the_line_alone() {
        // Marks meeting, Latin with its glue, word spaces (at line ends too), an ideographic
        // space, dashes and ellipses: every rule a neighbour takes part in.
        let u = units("“甲，”（乙）ABC 丙 de 丁。《戊》——己……庚　辛 ");
        for mode in [PunctMode::Quanjiao, PunctMode::Kaiming] {
            for letter_spacing in [0.0, 1.5] {
                let c = LineContext { letter_spacing, ..ctx(mode) };
                let paragraph = Interior::new(u.clone(), &c);
                for start in 0..u.len() {
                    for end in start + 1..=u.len() {
                        for paragraph_start in [false, true] {
                            let line = LineContext { paragraph_start, ..c };
                            let alone = measure(&u[start..end], &line);
                            assert_eq!(paragraph.measure(start, end, &line), alone, "{mode:?} {start}..{end}");
                            for width in [alone.min, alone.natural - 1.0, alone.natural + 7.0] {
                                for justify in [false, true] {
                                    assert_eq!(
                                        paragraph.fit(start, end, &line, width, justify),
                                        fit(&u[start..end], &line, width, justify),
                                        "{mode:?} {start}..{end} at {width}"
                                    );
                                }
                            }
                        }
                    }
                }
                // A line asked with other spacing than the paragraph's is worked out afresh.
                let other = LineContext { em: 12.0, ..c };
                assert_eq!(paragraph.measure(2, 9, &other), measure(&u[2..9], &other));
            }
        }
    }

    #[test]
    fn marks_meeting_lose_one_blank() {
        // clreq: 。” → the full stop is half an em, the quote keeps its full em mid-line.
        let u = units("甲。”乙");
        let s = fit(&u, &ctx(PunctMode::Quanjiao), 100.0, false);
        assert_eq!(s.trim_right(1), 5.0);
        assert_eq!(s.trim_right(2), 0.0);
        // ）（ → half an em of blank between them, not one em, not none.
        let u = units("甲）（乙");
        let s = fit(&u, &ctx(PunctMode::Quanjiao), 100.0, false);
        assert_eq!((s.trim_right(1), s.trim_left(2)), (5.0, 0.0));
        // “《 → the inner opening mark loses its left blank.
        let u = units("甲“《乙");
        let s = fit(&u, &ctx(PunctMode::Quanjiao), 100.0, false);
        assert_eq!((s.trim_left(1), s.trim_left(2)), (0.0, 5.0));
    }

    #[test]
    fn a_lone_mark_mid_line_keeps_its_em_in_quanjiao() {
        assert_eq!(natural_width("甲，乙", PunctMode::Quanjiao), 30.0);
        // but not in kaiming
        assert_eq!(natural_width("甲，乙", PunctMode::Kaiming), 25.0);
        // and a full stop keeps its em in kaiming too
        assert_eq!(natural_width("甲。乙", PunctMode::Kaiming), 30.0);
    }

    #[test]
    fn a_mark_at_line_end_loses_its_right_blank() {
        assert_eq!(natural_width("甲乙。", PunctMode::Quanjiao), 25.0);
        // an opening mark cannot end a line and keeps its blank if measured there
        assert_eq!(natural_width("甲乙（", PunctMode::Quanjiao), 30.0);
    }

    #[test]
    fn an_opening_mark_at_a_line_start_keeps_its_blank_in_quanjiao_only() {
        assert_eq!(natural_width("《甲》", PunctMode::Quanjiao), 25.0);
        assert_eq!(natural_width("《甲》", PunctMode::Kaiming), 20.0);
        // a paragraph's first line keeps it in kaiming too
        let c = LineContext { paragraph_start: true, ..ctx(PunctMode::Kaiming) };
        assert_eq!(measure(&units("《甲》"), &c).natural, 25.0);
    }

    #[test]
    fn interpunct_stays_half_an_em() {
        assert_eq!(natural_width("甲·乙", PunctMode::Quanjiao), 25.0);
        assert_eq!(natural_width("甲·乙", PunctMode::Kaiming), 25.0);
        let u = units("甲·乙");
        let s = fit(&u, &ctx(PunctMode::Quanjiao), 23.0, true);
        assert_eq!((s.trim_left(1), s.trim_right(1)), (0.0, 0.0), "never squeezed");
    }

    #[test]
    fn cjk_and_latin_are_spaced_by_glue_not_a_space() {
        let u = units("甲ABC乙");
        let abc: f32 = u[1..4].iter().map(|u| u.width).sum();
        let m = measure(&u, &ctx(PunctMode::Quanjiao));
        assert!((m.natural - (20.0 + abc + 2.0 * 2.5)).abs() < 0.01, "{m:?}");
        assert_eq!(u.len(), 5, "no space unit is inserted");
        // no glue between Latin letters or between Han characters, nor before a unit sign
        assert_eq!(natural_width("甲乙", PunctMode::Quanjiao), 20.0);
        let u = units("25℃");
        let digits: f32 = u[..2].iter().map(|u| u.width).sum();
        assert!((measure(&u, &ctx(PunctMode::Quanjiao)).natural - digits - 10.0).abs() < 0.01);
    }

    #[test]
    fn squeezing_takes_punctuation_blanks_first() {
        let u = units("甲，乙ABC丙");
        let c = ctx(PunctMode::Quanjiao);
        let nat = measure(&u, &c).natural;
        let s = fit(&u, &c, nat - 4.0, true);
        assert!((s.width - (nat - 4.0)).abs() < 0.01);
        assert!((s.trim_right(1) - 4.0).abs() < 0.01, "the comma gives 4 pt");
        assert!((s.gap_after(2) - 2.5).abs() < 0.01, "the glue is untouched");
    }

    #[test]
    fn stretching_widens_glue_before_spreading_evenly() {
        let u = units("甲AB乙丙");
        let c = ctx(PunctMode::Quanjiao);
        let nat = measure(&u, &c).natural;
        // 4 pt: each glue can take 2.5 more, so the gaps between Han characters take nothing.
        let s = fit(&u, &c, nat + 4.0, true);
        assert!((s.gap_after(0) - 4.5).abs() < 0.01, "{s:?}");
        assert_eq!(s.gap_after(3), 0.0, "Han gaps wait for step 3");
        assert_eq!(s.gap_after(1), 0.0, "never inside a word");
        // 10 pt: glue full (2 × 2.5), the rest spread evenly over the 3 non-word gaps.
        let s = fit(&u, &c, nat + 10.0, true);
        assert!((s.gap_after(3) - 5.0 / 3.0).abs() < 0.01, "{s:?}");
        assert!((s.width - (nat + 10.0)).abs() < 0.01);
    }

    #[test]
    fn never_stretches_inside_dashes_or_ellipses() {
        let u = units("甲——乙……丙");
        let c = ctx(PunctMode::Quanjiao);
        let nat = measure(&u, &c).natural;
        let s = fit(&u, &c, nat + 8.0, true);
        assert_eq!(s.gap_after(1), 0.0);
        assert_eq!(s.gap_after(4), 0.0);
        assert!(s.gap_after(0) > 0.0 && s.gap_after(2) > 0.0);
    }

    #[test]
    fn kaiming_blanks_are_given_back_first_when_stretching() {
        let u = units("甲，乙丙");
        let c = ctx(PunctMode::Kaiming);
        let nat = measure(&u, &c).natural;
        let s = fit(&u, &c, nat + 3.0, true);
        assert!((s.trim_right(1) - 2.0).abs() < 0.01, "{s:?}");
        assert!((0..u.len()).all(|i| s.gap_after(i) == 0.0));
    }
}
