//! A whole run of text: hard line breaks, indents, alignment, the last-line rule and line
//! heights. Last step of the text engine and the one [`super::set`] calls: it runs `shape`,
//! `breaking` and `justify` on each paragraph and `lines` on each line. [`count`] only breaks a
//! run shaped once ([`shape_run`]): the layout tries a headline at many measures.

use crate::fonts::Face;
use crate::model::Warning;

use super::breaking::{break_lines, pull_down_widow};
use super::justify::{Interior, LineContext};
use super::lines::{build, EM_BOX_ASCENT};
use super::shape::{Shaper, Unit};
use super::{Align, Line, SetText, Style};

/// Sets `text` (paragraphs separated by `\n`) into lines of `width` points. `lead` is a run set
/// in its own face at the start of the first paragraph, on the same lines as the text after it:
/// the bold `本报讯（记者 ×××）` a news paragraph opens with.
pub fn set(shaper: &Shaper, lead: Option<(&str, Face)>, text: &str, style: &Style, width: f32, source_line: u32) -> SetText {
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    for (n, paragraph) in text.split('\n').enumerate() {
        let lead = if n == 0 { lead } else { None };
        let units = shape_paragraph(shaper, lead, paragraph, style, source_line, &mut warnings);
        if units.is_empty() {
            // An empty paragraph still takes its line: the source had a blank line there.
            lines.push(empty_line(style));
            continue;
        }
        let interior = Interior::new(units, &context(style, 0));
        let ranges = break_units(&interior, style, width);
        let last = ranges.len() - 1;
        for (k, &(start, end)) in ranges.iter().enumerate() {
            let justify = style.align == Align::Justify && k != last;
            let room = width - indent(style, k);
            let spacing = interior.fit(start, end, &context(style, k), room, justify);
            let offset = match style.align {
                Align::Justify | Align::Left => indent(style, k),
                Align::Right => width - spacing.width,
                Align::Center => indent(style, k) + (room - spacing.width) / 2.0,
            };
            lines.push(build(&interior.units()[start..end], &spacing, offset, style.size));
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

/// A run shaped once, to be broken at any measure: its paragraphs' units, as each sits in its
/// lines, and what shaping warned of.
pub struct ShapedRun {
    paragraphs: Vec<Interior>,
    pub warnings: Vec<Warning>,
}

/// Shapes `text` (paragraphs separated by `\n`) in `style`, for [`count`].
pub fn shape_run(shaper: &Shaper, text: &str, style: &Style, source_line: u32) -> ShapedRun {
    let mut warnings = Vec::new();
    let paragraphs = text
        .split('\n')
        .map(|paragraph| {
            let shaped = shaper.shape(paragraph, style, source_line);
            warnings.extend(shaped.warnings);
            Interior::new(shaped.units, &context(style, 0))
        })
        .collect();
    ShapedRun { paragraphs, warnings }
}

/// How many lines [`set`] makes of `run` at `width`: the same breaks, nothing spaced or
/// positioned. What a search for a headline's measure asks at each step.
pub fn count(run: &ShapedRun, style: &Style, width: f32) -> usize {
    run.paragraphs
        .iter()
        .map(|paragraph| if paragraph.units().is_empty() { 1 } else { break_units(paragraph, style, width).len() })
        .sum()
}

/// One paragraph's units: `lead` in its face, then the paragraph's text.
fn shape_paragraph(
    shaper: &Shaper,
    lead: Option<(&str, Face)>,
    paragraph: &str,
    style: &Style,
    source_line: u32,
    warnings: &mut Vec<Warning>,
) -> Vec<Unit> {
    let mut units = Vec::new();
    if let Some((lead, face)) = lead {
        let shaped = shaper.shape(lead, &Style { face, ..style.clone() }, source_line);
        warnings.extend(shaped.warnings);
        units = shaped.units;
    }
    let shaped = shaper.shape(paragraph, style, source_line);
    warnings.extend(shaped.warnings);
    if units.is_empty() {
        return shaped.units;
    }
    units.extend(shaped.units);
    units
}

/// Where the lines of a paragraph (not empty) end at `width`.
fn break_units(paragraph: &Interior, style: &Style, width: f32) -> Vec<(usize, usize)> {
    let room = |k: usize| width - indent(style, k);
    // Display lines (anything not justified) break between their phrases where they can.
    let at_spaces = style.align != Align::Justify;
    let mut ranges = break_lines(paragraph, room, |k| context(style, k), at_spaces);
    pull_down_widow(paragraph, &mut ranges, room, |k| context(style, k));
    ranges
}

/// Indent of line `k` of a paragraph, in points.
fn indent(style: &Style, k: usize) -> f32 {
    (if k == 0 { style.first_indent_em } else { style.hanging_indent_em }) * style.size
}

fn context(style: &Style, k: usize) -> LineContext {
    LineContext {
        mode: style.punctuation,
        em: style.size,
        letter_spacing: style.letter_spacing_em * style.size,
        paragraph_start: k == 0,
    }
}

fn empty_line(style: &Style) -> Line {
    let mut line = build(&[], &super::justify::Spacing::empty(), 0.0, style.size);
    line.width = 0.0;
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::FaceId;
    use crate::pdf::text::shape::tests::fonts;
    use crate::pdf::text::{PunctMode, Style};

    const SIZE: f32 = 10.0;
    const WIDTH: f32 = 13.0 * SIZE;

    /// Invented text, long enough for several lines.
    const TEXT: &str = "江边的老码头清晨五点就热闹起来，挑夫、摊贩和赶早班轮渡的人挤在石阶上。码头管理处说，今年秋天将完成栈桥加固，新增两处候船亭，并在夜间开放观景平台。";

    fn first_ink_start(line: &Line) -> f32 {
        line.glyphs[0].x
    }

    #[test]
    fn body_lines_are_flush_and_the_first_is_indented_two_ems() {
        let set = set(&Shaper::new(fonts()), None, TEXT, &Style::body(SIZE), WIDTH, 1);
        assert!(set.lines.len() >= 3);
        assert!((first_ink_start(&set.lines[0]) - 2.0 * SIZE).abs() < 0.01);
        assert!(first_ink_start(&set.lines[1]).abs() < 0.01);
        let last = set.lines.len() - 1;
        for line in &set.lines[..last] {
            assert!((line.width - WIDTH).abs() < 0.02, "{:?} is {} wide", line.text(), line.width);
        }
        assert!(set.lines[last].width <= WIDTH + 0.01);
        assert_eq!(set.lines.iter().map(Line::text).collect::<String>(), TEXT, "nothing lost, nothing added");
    }

    #[test]
    fn glyphs_advance_to_the_next_glyph() {
        let set = set(&Shaper::new(fonts()), None, TEXT, &Style::body(SIZE), WIDTH, 1);
        for line in &set.lines {
            for pair in line.glyphs.windows(2) {
                assert!((pair[0].x + pair[0].advance - pair[1].x).abs() < 1e-3);
                assert!(pair[0].advance > 0.0, "origins strictly increase");
            }
        }
    }

    #[test]
    fn lines_report_their_height_and_baselines() {
        let style = Style::body(SIZE);
        let set = set(&Shaper::new(fonts()), None, TEXT, &style, WIDTH, 1);
        assert!((set.height - set.lines.len() as f32 * style.leading).abs() < 0.01);
        for pair in set.lines.windows(2) {
            assert!((pair[1].baseline - pair[0].baseline - style.leading).abs() < 0.01);
        }
        assert!(set.lines[0].baseline > set.lines[0].ascent);
    }

    #[test]
    fn no_line_of_a_paragraph_ends_with_a_single_character() {
        // 13 + 1 characters: greedy breaking would leave 戊 alone on the last line.
        let text = "甲乙丙丁戊己庚辛壬癸子丑寅卯";
        let style = Style { first_indent_em: 0.0, ..Style::body(SIZE) };
        let set = set(&Shaper::new(fonts()), None, text, &style, WIDTH, 1);
        assert_eq!(set.lines.len(), 2);
        assert_eq!(set.lines[1].text().chars().count(), 2);
        assert!((set.lines[0].width - WIDTH).abs() < 0.02, "the line above is still flush");
    }

    #[test]
    fn verse_keeps_its_lines_and_hangs_turnovers() {
        let text = "山城的雾是一封没有寄出的长信写满了整条江\n灯亮了";
        let set = set(&Shaper::new(fonts()), None, text, &Style::verse(SIZE), 8.0 * SIZE, 1);
        let texts: Vec<String> = set.lines.iter().map(Line::text).collect();
        assert_eq!(texts.last().map(String::as_str), Some("灯亮了"), "{texts:?}");
        assert!(set.lines.len() >= 3);
        assert!(first_ink_start(&set.lines[0]).abs() < 0.01);
        assert!((first_ink_start(&set.lines[1]) - 2.0 * SIZE).abs() < 0.01, "a turnover hangs two ems in");
        assert!(first_ink_start(&set.lines[set.lines.len() - 1]).abs() < 0.01, "a new verse line starts flush");
        assert!(set.lines[0].width < 8.0 * SIZE - 0.5 || set.lines[0].glyphs.len() == 8, "verse is not justified");
    }

    #[test]
    fn a_jump_line_is_right_aligned_and_a_headline_centred() {
        let jump = set(&Shaper::new(fonts()), None, "（下转第三版）", &Style::jump_line(Face::SerifRegular, SIZE), WIDTH, 1);
        assert_eq!(jump.lines.len(), 1);
        assert!((jump.lines[0].width - WIDTH).abs() < 0.01);
        let head = set(&Shaper::new(fonts()), None, "老码头新栈桥", &Style::headline(Face::SansBold, SIZE, Align::Center), WIDTH, 1);
        let line = &head.lines[0];
        let left = line.glyphs[0].x;
        assert!((left - (WIDTH - line.width + left) / 2.0).abs() < 0.6, "centred: starts at {left}, ends at {}", line.width);
    }

    #[test]
    fn kaiming_is_an_option_of_the_style() {
        let text = "甲，乙，丙，丁";
        let quanjiao = set(&Shaper::new(fonts()), None, text, &Style { align: Align::Left, first_indent_em: 0.0, ..Style::body(SIZE) }, WIDTH, 1);
        let kaiming = set(
            &Shaper::new(fonts()),
            None,
            text,
            &Style { align: Align::Left, first_indent_em: 0.0, punctuation: PunctMode::Kaiming, ..Style::body(SIZE) },
            WIDTH,
            1,
        );
        assert!((quanjiao.lines[0].width - 7.0 * SIZE).abs() < 0.01);
        assert!((kaiming.lines[0].width - 5.5 * SIZE).abs() < 0.01);
    }

    #[test]
    fn letter_spacing_tracks_every_character() {
        let style = Style { letter_spacing_em: 0.5, ..Style::headline(Face::SansBold, SIZE, Align::Left) };
        let set = set(&Shaper::new(fonts()), None, "江城", &style, WIDTH, 1);
        assert!((set.lines[0].glyphs[1].x - set.lines[0].glyphs[0].x - 1.5 * SIZE).abs() < 0.01);
    }

    #[test]
    fn a_run_in_lead_shares_the_first_line_in_its_own_face() {
        let lead = "本报讯（记者 某某）";
        let set = set(&Shaper::new(fonts()), Some((lead, Face::SerifBold)), TEXT, &Style::body(SIZE), WIDTH, 1);
        let first = &set.lines[0];
        assert!((first_ink_start(first) - 2.0 * SIZE).abs() < 0.01, "the paragraph's indent, before the lead");
        assert!((first.width - WIDTH).abs() < 0.02, "the shared line is flush");
        let bold = FaceId::shipped(Face::SerifBold);
        let lead_glyphs = lead.chars().filter(|c| *c != ' ').count();
        assert!(first.glyphs.iter().take(lead_glyphs).all(|g| g.face == bold || g.text == " "), "the lead is bold");
        assert!(first.glyphs.iter().skip(lead.chars().count()).all(|g| g.face != bold), "the text after it is not");
        assert!(first.glyphs.len() > lead.chars().count(), "the body starts on the lead's line");
        let all: String = set.lines.iter().map(Line::text).collect();
        assert_eq!(all, format!("{lead}{TEXT}"), "nothing lost, nothing added");
    }

    #[test]
    fn a_missing_character_is_reported_with_its_line_and_kept() {
        let set = set(&Shaper::new(fonts()), None, "江\u{0378}城", &Style::body(SIZE), WIDTH, 77);
        assert_eq!(set.warnings.len(), 1);
        assert_eq!(set.warnings[0].line, 77);
        assert_eq!(set.lines[0].text(), "江\u{0378}城");
    }
}
