//! Page heads: page 1's masthead band (报头 with the paper's data, the ear brief 报眼 boxed beside
//! it), the running head (报眉) of pages 2–N, and the note a page gets when the source holds none of
//! its content.
//!
//! Part of the page stage of the layout: each function draws its head and says how far down the
//! type area it reaches, so the page's blocks start below it.

use super::blocks::{baseline_in, Setter, EPS};
use super::template::{Alignment, Role};
use super::{LineId, Mark, Measure, Placed, SetLine};
use crate::model::{Article, ArticleRef, Block, Issue, Page};

/// Space between the paper's name and its data, in ems of the data's size.
const NAME_GAP_EM: f32 = 1.5;

/// The data column beside the name needs room for this many characters, else it goes below.
const MIN_INFO_CHARS: f32 = 8.0;

/// Inner padding of the ear's box, in ems of the body size.
const EAR_PADDING_EM: f32 = 0.8;

/// `2025-09-01` → `2025年9月1日`; anything else is printed as given.
pub fn chinese_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    if let [y, m, d] = parts[..] {
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
            return format!("{y}年{m}月{d}日");
        }
    }
    iso.to_string()
}

/// A head as drawn: its marks, the lowest point it reaches and, for the ear, where its box stands.
pub struct Head<L> {
    pub marks: Vec<Mark<L>>,
    pub bottom: f32,
    pub blocks: Vec<Placed>,
}

fn text_mark<L>(x: f32, top: f32, l: SetLine<L>, role: &Role, id: Option<LineId>) -> Mark<L> {
    Mark::Text {
        x: x + l.x,
        y_baseline: top + baseline_in(role.line_pitch(), role.size.pt()),
        line: l.line,
        size: role.size.pt(),
        color: role.color,
        id,
    }
}

/// Page 1's band: the name large in red, the date, weekday, lunar date, issue and running numbers,
/// permit, frequency and `今日N版` beside it, contacts and publisher below, the ear boxed at right.
pub fn masthead<M: Measure>(s: &Setter<M>, issue: &Issue, page_count: u32, ears: &[(ArticleRef, &Article)]) -> Head<M::Line> {
    let t = s.template;
    let g = &s.geometry;
    let r = &t.roles;
    let m = &issue.masthead;
    let mut marks = Vec::new();
    let x0 = g.left;
    let top = g.top;
    let has_ear = !ears.is_empty();
    let mcols = if has_ear { t.masthead.columns } else { g.columns };
    let mw = g.span_width(mcols);

    let name = m.paper.clone().unwrap_or_default();
    let mut name_w = 0.0;
    let mut name_h = 0.0;
    if !name.is_empty() {
        for l in s.measure.set(&name, &r.masthead_name, mw, 1) {
            name_w = f32::max(name_w, l.width + l.x);
            marks.push(text_mark(x0, top + name_h, l, &r.masthead_name, None));
            name_h += r.masthead_name.line_pitch();
        }
    }

    let mut info: Vec<String> = Vec::new();
    let date = [m.date.as_deref().map(chinese_date), m.weekday.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    if !date.is_empty() {
        info.push(date);
    }
    if let Some(l) = &m.lunar_date {
        info.push(format!("农历{}", l.trim_start_matches("农历")));
    }
    let numbers = [m.issue_number.map(|n| format!("第{n}期")), m.total_issue_number.map(|n| format!("总第{n}期"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !numbers.is_empty() {
        info.push(numbers);
    }
    info.push(format!("今日{page_count}版"));
    let small_info: Vec<String> = [m.permit.clone(), m.frequency.clone()].into_iter().flatten().collect();

    let info_size = r.masthead_info.size.pt();
    let beside_x = x0 + name_w + NAME_GAP_EM * info_size;
    let beside_w = x0 + mw - beside_x;
    let (ix, iw, mut iy) = if beside_w >= MIN_INFO_CHARS * info_size {
        (beside_x, beside_w, top + r.masthead_name.size.pt() * 0.1)
    } else {
        (x0, mw, top + name_h)
    };
    let info_top = iy;
    for line in &info {
        for l in s.measure.set(line, &r.masthead_info, iw, 1) {
            marks.push(text_mark(ix, iy, l, &r.masthead_info, None));
            iy += r.masthead_info.line_pitch();
        }
    }
    for line in &small_info {
        for l in s.measure.set(line, &r.masthead_small, iw, 1) {
            marks.push(text_mark(ix, iy, l, &r.masthead_small, None));
            iy += r.masthead_small.line_pitch();
        }
    }
    if ix > x0 {
        // A hairline between the name and its data, as mastheads set them apart.
        let rx = ix - NAME_GAP_EM * info_size / 2.0;
        marks.push(Mark::Rule { x1: rx, y1: info_top, x2: rx, y2: iy, width: t.rules.width.pt(), color: t.rules.color });
    }
    let mut y = f32::max(top + name_h, iy) + r.masthead_small.line_pitch() * 0.5;
    let small: Vec<String> = [
        (!m.contacts.is_empty()).then(|| m.contacts.join("　")),
        m.publisher.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for line in &small {
        for l in s.measure.set(line, &r.masthead_small, mw, 1) {
            marks.push(text_mark(x0, y, l, &r.masthead_small, None));
            y += r.masthead_small.line_pitch();
        }
    }

    // The ear, boxed in the remaining columns.
    let mut blocks = Vec::new();
    // The band keeps its height for a paper's name or an ear; a source with neither gets no more
    // band than its lines need.
    let min_band = if name.is_empty() && !has_ear { 0.0 } else { t.masthead.min_lines as f32 * t.body_pitch() };
    let mut bottom = y.max(top + min_band);
    if has_ear {
        let ex = g.column_x(mcols);
        let ew = g.span_width(g.columns - mcols);
        let pad = EAR_PADDING_EM * t.body_size();
        let inner = ew - 2.0 * pad;
        let mut ey = top + pad;
        let mut ear_marks = Vec::new();
        for (at, a) in ears {
            for text in [a.kicker.as_deref(), a.headline.as_deref(), a.subtitle.as_deref()].into_iter().flatten() {
                for seg in text.split(['\n', ' ', '\u{3000}']).filter(|x| !x.is_empty()) {
                    for l in s.set_balanced(seg, &r.ear_headline, inner, a.lines[0]) {
                        ear_marks.push(text_mark(ex + pad, ey, l, &r.ear_headline, None));
                        ey += r.ear_headline.line_pitch();
                    }
                }
            }
            ey += r.ear_body.line_pitch() * 0.3;
            let mut paras: Vec<(usize, &str, u32, &Role)> = Vec::new();
            if let Some(b) = &a.byline {
                paras.push((0, b.as_str(), a.lines[0], &r.byline));
            }
            for (i, b) in a.blocks.iter().enumerate() {
                match b {
                    Block::Paragraph { text, line } | Block::Crosshead { text, line } | Block::Promo { text, line } => {
                        paras.push((i + 1, text.as_str(), *line, &r.ear_body))
                    }
                    Block::Caption { text, line, .. } => paras.push((i + 1, text.as_str(), *line, &r.caption)),
                    Block::Verse { lines, line } => {
                        for v in lines {
                            paras.push((i + 1, v.as_str(), *line, &r.verse));
                        }
                    }
                    Block::Image { .. } => {}
                }
            }
            let mut seen: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
            for (item, text, line, role) in paras {
                // Byline and body in the ear's own size, so the brief reads as one piece.
                let role = Role { size: r.ear_body.size, leading: r.ear_body.leading, ..role.clone() };
                for l in s.measure.set(text, &role, inner, line) {
                    let n = seen.entry(item).or_insert(0);
                    let id = LineId { article: *at, item, line: *n };
                    *n += 1;
                    ear_marks.push(text_mark(ex + pad, ey, l, &role, Some(id)));
                    ey += role.line_pitch();
                }
                if let Some(Block::Caption { credit: Some(c), .. }) = a.blocks.get(item.wrapping_sub(1)) {
                    for l in s.measure.set(c, &r.credit, inner, line) {
                        let n = seen.entry(item).or_insert(0);
                        let id = LineId { article: *at, item, line: *n };
                        *n += 1;
                        ear_marks.push(text_mark(ex + pad, ey, l, &r.credit, Some(id)));
                        ey += r.credit.line_pitch();
                    }
                }
            }
            ey += pad;
        }
        bottom = bottom.max(ey);
        let h = bottom - top;
        // A short brief sits in the middle of its box, not at its top.
        let shift = (bottom - ey) / 2.0;
        for m in &mut ear_marks {
            if let Mark::Text { y_baseline, .. } = m {
                *y_baseline += shift;
            }
        }
        marks.push(Mark::Frame { x: ex, y: top, w: ew, h, stroke: t.rules.frame_width.pt(), fill: None });
        marks.extend(ear_marks);
        blocks.push(Placed {
            article: ears.first().map(|e| e.0),
            part: 0,
            x: ex,
            y: top,
            w: ew,
            h,
            column: mcols,
            columns: g.columns - mcols,
        });
    }
    let rule_y = bottom + t.body_pitch() * 0.5;
    marks.push(Mark::Rule { x1: g.left, y1: rule_y, x2: g.left + g.width, y2: rule_y, width: t.rules.head_width.pt(), color: t.rules.color });
    blocks.push(Placed { article: None, part: 0, x: g.left, y: top, w: mw, h: bottom - top, column: 0, columns: mcols });
    Head { marks, bottom: rule_y + t.rules.head_width.pt(), blocks }
}

/// The running head of pages 2–N: paper, date and weekday at left, `第N版` and the section in the
/// middle, the editor at right, a rule below.
pub fn running_head<M: Measure>(s: &Setter<M>, issue: &Issue, number: u32, page: Option<&Page>) -> Head<M::Line> {
    let t = s.template;
    let g = &s.geometry;
    let role = Role { align: Alignment::Left, ..t.roles.running_head.clone() };
    let m = &issue.masthead;
    let left = [m.paper.clone(), m.date.as_deref().map(chinese_date), m.weekday.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("　");
    let mut middle = format!("第{number}版");
    if let Some(sec) = page.and_then(|p| p.section.as_deref()) {
        middle.push('　');
        middle.push_str(sec);
    }
    let right = page.and_then(|p| p.editor.as_deref()).map(|e| format!("责任编辑：{e}")).unwrap_or_default();
    let mut marks = Vec::new();
    let third = g.width / 3.0;
    for (text, anchor) in [(left, 0.0f32), (middle, 0.5), (right, 1.0)] {
        if text.is_empty() {
            continue;
        }
        if let Some(l) = s.measure.set(&text, &role, third, 1).into_iter().next() {
            let x = g.left + anchor * (g.width - l.width) - l.x;
            marks.push(text_mark(x, g.top, l, &role, None));
        }
    }
    let rule_y = g.top + role.line_pitch() + t.rules.head_width.pt();
    marks.push(Mark::Rule { x1: g.left, y1: rule_y, x2: g.left + g.width, y2: rule_y, width: t.rules.head_width.pt(), color: t.rules.color });
    let bottom = rule_y + t.body_pitch() * 0.5;
    Head {
        marks,
        bottom,
        blocks: vec![Placed { article: None, part: 0, x: g.left, y: g.top, w: g.width, h: bottom - g.top, column: 0, columns: g.columns }],
    }
}

/// The note centred in the free type area of a page whose content the source does not hold; it
/// names the articles that jump to this page without a continuation in the source.
pub fn missing_note<M: Measure>(s: &Setter<M>, number: u32, top: f32, bottom: f32, orphans: &[(u32, String)]) -> Vec<Mark<M::Line>> {
    let t = s.template;
    let g = &s.geometry;
    let role = Role { align: Alignment::Center, ..t.roles.note.clone() };
    let width = g.width * 0.6;
    let mut texts = vec![format!("第{number}版的内容不在本期文本中")];
    for (from, headline) in orphans {
        texts.push(format!("（第{from}版《{headline}》转至本版的后文同缺）"));
    }
    let mut lines = Vec::new();
    for text in &texts {
        lines.extend(s.measure.set(text, &role, width, 1));
    }
    let pitch = role.line_pitch();
    let h = lines.len() as f32 * pitch;
    let mut y = top + ((bottom - top - h) / 2.0).max(0.0);
    let x = g.left + (g.width - width) / 2.0;
    let mut marks = Vec::new();
    for l in lines {
        marks.push(text_mark(x, y, l, &role, None));
        y += pitch;
    }
    debug_assert!(y <= bottom + EPS || h > bottom - top);
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_read_as_chinese() {
        assert_eq!(chinese_date("2025-09-01"), "2025年9月1日");
        assert_eq!(chinese_date("2025年9月"), "2025年9月");
    }
}
