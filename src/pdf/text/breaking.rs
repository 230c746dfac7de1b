//! Line breaking: where a line may end, and where each line of a paragraph does end. Second
//! step of the text engine, between `shape` and `justify` (which it asks for line widths).
//!
//! Chinese may break between any two characters but for clreq's prohibitions (§3.1.7, the GB
//! level): no line starts with a closing or pause/stop mark, an interpunct, a dash or an
//! ellipsis, ～, / or a per-cent sign; no line ends with an opening mark or a currency sign;
//! nothing breaks inside ——, ……, a Latin word, or a number with its sign and unit.
//!
//! Choosing the ends, 先挤进，后推出: the line takes as much as fits at natural width; if it
//! may not end there, it first tries to squeeze in the characters up to the next place it may
//! end (taking punctuation blanks and glue), and only when they cannot fit does it push
//! characters down to the next line (and is then stretched by `justify`).

use super::justify::{Interior, LineContext, EPSILON};
use super::shape::{Class, Unit};

/// Marks that may not begin a line (clreq 行首禁则, GB/T 15834), with the Western marks that
/// follow the same rule. (`shape` asks once per character; a unit carries the answers.)
pub const NO_LINE_START: &str = "，。、；：？！．”’）》〉】〕〗］｝」』〙〛｠～·・‧･｡､/％‰%℃°′″…—―々〆ゝゞヽヾー,.;:?!)]}";
/// Marks that may not end a line (clreq 行尾禁则), currency signs (they belong to their number).
pub const NO_LINE_END: &str = "“‘（《〈【〔〖［｛「『〘〚｟([{￥¥$＄€£";

/// Whether a line may end before `units[i]` in the ordinary way.
pub fn may_break_before(units: &[Unit], i: usize) -> bool {
    if i == 0 || i >= units.len() {
        return true;
    }
    let (a, b) = (&units[i - 1], &units[i]);
    if b.class == Class::Space {
        // Break after the space, so it ends the line and takes no room there.
        return false;
    }
    if !may_break_at_all(a, b) {
        return false;
    }
    // Inside a Latin word or a number (its sign, decimal point, unit letters included).
    !(a.class == Class::Latin && b.class == Class::Latin)
}

/// The prohibitions no break may violate, even the emergency break inside a word too long for
/// the column.
fn may_break_at_all(a: &Unit, b: &Unit) -> bool {
    !(b.traits.no_line_start || a.traits.no_line_end || matches!(b.class, Class::Dash | Class::Ellipsis))
}

fn may_break_in_emergency(units: &[Unit], i: usize) -> bool {
    i == 0 || i >= units.len() || (units[i].class != Class::Space && may_break_at_all(&units[i - 1], &units[i]))
}

/// Splits a paragraph's units into lines: the ends of each as (start, end) ranges. `width(k)` is
/// the room for line `k`; `context(k)` its context. With `at_spaces` (display lines: headlines
/// set their phrases apart with spaces) a line ends after the last space that fits, if it holds
/// one.
pub fn break_lines(
    paragraph: &Interior,
    width: impl Fn(usize) -> f32,
    context: impl Fn(usize) -> LineContext,
    at_spaces: bool,
) -> Vec<(usize, usize)> {
    let units = paragraph.units();
    let n = units.len();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let k = lines.len();
        let (room, ctx) = (width(k), context(k));
        let fits = |end: usize| paragraph.measure(start, end, &ctx).natural <= room + EPSILON;
        let squeezes = |end: usize| paragraph.measure(start, end, &ctx).min <= room + EPSILON;

        // The most that fits at natural width (at least one unit, or nothing would progress).
        // Start from what the plain widths allow (compression and glue move that by a unit or
        // two), then step: measuring every prefix would cost a measure per character.
        let mut natural_end = start + 1;
        let mut plain = 0.0;
        for (i, unit) in units.iter().enumerate().skip(start) {
            plain += unit.width;
            if plain > room + EPSILON {
                break;
            }
            natural_end = (i + 1).max(start + 1);
        }
        while natural_end > start + 1 && !fits(natural_end) {
            natural_end -= 1;
        }
        while natural_end < n && fits(natural_end + 1) {
            natural_end += 1;
        }
        let after_space = (start + 1..=natural_end)
            .rev()
            .find(|&e| e < n && units[e - 1].class == Class::Space && may_break_before(units, e));
        let end = if natural_end == n || (!at_spaces && may_break_before(units, natural_end)) {
            natural_end
        } else if let Some(phrase_end) = after_space.filter(|_| at_spaces) {
            phrase_end
        } else if may_break_before(units, natural_end) {
            natural_end
        } else {
            // Squeezing wins back a fraction of a line, never another line's worth: look for the
            // next break no further than that, so a run far wider than the column (100 000 `#`)
            // costs linear time, not quadratic.
            let reach = (natural_end + (natural_end - start) + 1).min(n);
            let next = (natural_end + 1..=reach).find(|&e| may_break_before(units, e));
            let previous = (start + 1..natural_end).rev().find(|&e| may_break_before(units, e));
            match (next, previous) {
                // 先挤进: squeeze the rest of the unbreakable run in.
                (Some(next), _) if squeezes(next) => next,
                // 后推出: push it down.
                (_, Some(previous)) => previous,
                // One run wider than the column: break inside it, still never before a
                // closing mark or after an opening one.
                // And when nothing in the line may begin the next (a run of marks no line may
                // start, wider than the column), where the room ends: a mark at a line's start
                // is a lesser fault than a line overprinting the next column.
                _ => (start + 1..=natural_end).rev().find(|&e| may_break_in_emergency(units, e)).unwrap_or(natural_end),
            }
        };
        lines.push((start, end));
        start = end;
    }
    lines
}

/// Characters that count for the "no single-character last line" rule: ink that reads as a
/// character, not a mark.
pub fn counts_as_character(unit: &Unit) -> bool {
    matches!(unit.class, Class::Ideograph | Class::Latin) && !unit.traits.no_line_start
}

/// Avoids a last line of a single character by pulling one down from the line above: moves
/// the last break back to the previous place a line may end, if the new last line fits.
pub fn pull_down_widow(
    paragraph: &Interior,
    lines: &mut [(usize, usize)],
    width: impl Fn(usize) -> f32,
    context: impl Fn(usize) -> LineContext,
) {
    let k = lines.len();
    if k < 2 {
        return;
    }
    let units = paragraph.units();
    let (start, end) = lines[k - 1];
    let characters = units[start..end].iter().filter(|u| counts_as_character(u)).count();
    if characters > 1 {
        return;
    }
    let (prev_start, _) = lines[k - 2];
    let Some(new_start) = (prev_start + 1..start).rev().find(|&e| may_break_before(units, e)) else { return };
    if paragraph.measure(new_start, end, &context(k - 1)).min <= width(k - 1) + EPSILON {
        lines[k - 2].1 = new_start;
        lines[k - 1].0 = new_start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::text::justify::measure;
    use crate::pdf::text::shape::tests::{fonts, shape};
    use crate::pdf::text::{PunctMode, Style};

    const EM: f32 = 10.0;

    fn ctx() -> LineContext {
        LineContext { mode: PunctMode::Quanjiao, em: EM, letter_spacing: 0.0, paragraph_start: false }
    }

    fn units(text: &str) -> Vec<Unit> {
        shape(fonts(), text, &Style::body(EM), 1).units
    }

    /// The lines `text` breaks into at `chars` ems wide.
    fn lines(text: &str, chars: f32) -> Vec<String> {
        let u = units(text);
        break_lines(&Interior::new(u.clone(), &ctx()), |_| chars * EM, |_| ctx(), false)
            .into_iter()
            .map(|(s, e)| u[s..e].iter().map(|u| u.text.as_str()).collect())
            .collect()
    }

    fn breakable(text: &str, i: usize) -> bool {
        may_break_before(&units(text), i)
    }

    #[test]
    fn a_run_far_wider_than_the_column_is_cut_into_full_lines() {
        let run = "#".repeat(5_000);
        let got = lines(&run, 13.0);
        assert!(got.len() > 100, "{} lines", got.len());
        assert_eq!(got.concat(), run);
    }

    #[test]
    fn no_closing_mark_starts_a_line() {
        for mark in ["，", "。", "、", "；", "：", "？", "！", "”", "’", "）", "》", "」", "』", "】", "〕", "〉", "·", "％", "‰", "～", "/"] {
            assert!(!breakable(&format!("甲{mark}"), 1), "{mark} must not start a line");
        }
        // where it must not fire: before an ordinary character or an opening mark
        assert!(breakable("甲乙", 1));
        assert!(breakable("甲“", 1));
        assert!(breakable("，乙", 1));
    }

    #[test]
    fn no_opening_mark_ends_a_line() {
        for mark in ["“", "‘", "（", "《", "〈", "【", "〔", "「", "『", "［", "｛", "￥", "$"] {
            assert!(!breakable(&format!("{mark}甲"), 1), "{mark} must not end a line");
        }
        assert!(breakable("”甲", 1));
    }

    #[test]
    fn dashes_ellipses_words_and_numbers_stay_whole() {
        assert!(!breakable("甲——乙", 1), "no line starts with a dash");
        assert!(!breakable("甲——乙", 2), "—— is not split");
        assert!(breakable("甲——乙", 3), "a line may start after the dash");
        assert!(!breakable("甲……", 2));
        assert!(!breakable("Beijing", 3));
        assert!(!breakable("3.14", 2));
        assert!(!breakable("-40", 1), "the sign stays with its number");
        assert!(!breakable("5km", 1), "the unit stays with its number");
        assert!(!breakable("25℃", 2));
        assert!(breakable("甲Beijing", 1), "Han to Latin may break");
        assert!(breakable("Hello world", 6), "after the space");
        assert!(!breakable("Hello world", 5), "not before it");
    }

    #[test]
    fn display_lines_break_between_phrases() {
        let u = units("甲乙丙丁戊己　庚辛壬癸");
        let at = |at_spaces| -> Vec<String> {
            break_lines(&Interior::new(u.clone(), &ctx()), |_| 8.0 * EM, |_| ctx(), at_spaces)
                .into_iter()
                .map(|(s, e)| u[s..e].iter().map(|u| u.text.as_str()).collect::<String>())
                .collect()
        };
        assert_eq!(at(true), ["甲乙丙丁戊己　", "庚辛壬癸"]);
        // where it must not fire: body text fills the line
        assert_eq!(at(false), ["甲乙丙丁戊己　庚", "辛壬癸"]);
    }

    #[test]
    fn a_line_that_fits_ends_where_it_fits() {
        assert_eq!(lines("甲乙丙丁戊己", 3.0), ["甲乙丙", "丁戊己"]);
    }

    #[test]
    fn squeezes_a_closing_mark_in_before_pushing() {
        // clreq's example: the comma would start line 2; squeezing the full-width comma of
        // line 1 (mid-line it has half an em to give) lets it end line 1 instead.
        assert_eq!(lines("甲，乙丙。丁", 4.0), ["甲，乙丙。", "丁"]);
        // where it must not fire: nothing to squeeze, so the last character is pushed down.
        assert_eq!(lines("甲乙丙丁。戊", 4.0), ["甲乙丙", "丁。戊"]);
    }

    #[test]
    fn a_mark_at_the_end_fits_by_its_own_blank() {
        // The full stop at line end loses its right blank, so 3.5 ems hold 甲乙丙。
        assert_eq!(lines("甲乙丙。丁", 3.5), ["甲乙丙。", "丁"]);
    }

    #[test]
    fn pushes_an_opening_mark_down_with_its_character() {
        assert_eq!(lines("甲乙丙《丁》", 4.0), ["甲乙丙", "《丁》"]);
    }

    #[test]
    fn a_word_too_long_is_broken_but_not_before_a_mark() {
        let l = lines("abcdefghijklmnopqrstuvwxyz,", 3.0);
        assert!(l.len() > 1);
        assert!(l.iter().all(|l| !l.starts_with(',')));
        assert_eq!(l.concat(), "abcdefghijklmnopqrstuvwxyz,");
    }

    #[test]
    fn a_run_no_line_may_start_with_is_still_kept_in_the_column() {
        // Found by the fuzzer: 好 and ninety commas would otherwise be one line squeezed past
        // its glyphs' own widths, drawn backwards over itself.
        let run = format!("好{}。", ",".repeat(90));
        let u = units(&run);
        let ranges = break_lines(&Interior::new(u.clone(), &ctx()), |_| 7.0 * EM, |_| ctx(), false);
        assert!(ranges.len() > 1);
        for &(s, e) in &ranges {
            assert!(measure(&u[s..e], &ctx()).min <= 7.0 * EM + EPSILON, "line {s}..{e} overflows");
        }
        let text: String = ranges.iter().flat_map(|&(s, e)| u[s..e].iter().map(|u| u.text.as_str())).collect();
        assert_eq!(text, run);
    }

    #[test]
    fn pulls_one_character_down_rather_than_leave_it_alone() {
        let u = units("甲乙丙丁戊己庚");
        let p = Interior::new(u.clone(), &ctx());
        let mut l = break_lines(&p, |_| 3.0 * EM, |_| ctx(), false);
        assert_eq!(l.last(), Some(&(6, 7)));
        pull_down_widow(&p, &mut l, |_| 3.0 * EM, |_| ctx());
        assert_eq!(&l[1..], [(3, 5), (5, 7)]);
        // where it must not fire: two characters on the last line
        let u = units("甲乙丙丁戊己庚辛");
        let p = Interior::new(u.clone(), &ctx());
        let mut l = break_lines(&p, |_| 3.0 * EM, |_| ctx(), false);
        let before = l.clone();
        pull_down_widow(&p, &mut l, |_| 3.0 * EM, |_| ctx());
        assert_eq!(l, before);
        // a character with its full stop is still a single character
        let u = units("甲乙丙丁戊己庚。");
        let p = Interior::new(u.clone(), &ctx());
        let mut l = break_lines(&p, |_| 3.0 * EM, |_| ctx(), false);
        pull_down_widow(&p, &mut l, |_| 3.0 * EM, |_| ctx());
        assert_eq!(l.last(), Some(&(5, 8)));
    }
}
