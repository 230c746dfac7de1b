//! An article as a modular block: set once at column width, then shaped at any width in columns.
//!
//! Second stage of the layout (template → **blocks** → pages). [`Story::prepare`] turns one model
//! article into body flow units — the byline in bold at the body's start, paragraph, crosshead and
//! verse lines, QR promos — and its figures (placed photos, framed placeholders for photos the text
//! only captions). Body lines are set once at column width: the block's width only changes the
//! headline group, which is set across the block. A [`Part`] is the run of units one page holds;
//! [`Story::plan`] balances a part's columns at a width and a target height, opening the leading
//! and the headline space within the template's bounds to reach it, and [`Story::emit`] draws it.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use super::template::{Alignment, Cmyk, Geometry, Role, Template};
use super::{Destination, LineId, Mark, Measure, SetLine};
use crate::model::{Article, ArticleRef, Block, Warning};

/// Where the glyphs' baseline sits in the em box of the shipped CJK faces (ascent 0.88 em).
pub const BASELINE: f32 = 0.88;

/// Height tolerance when comparing positions, far below any visible difference.
pub const EPS: f32 = 0.01;

/// Gap between the parts of a headline group, and around figures, in ems of the body size.
const HEAD_GAP_EM: f32 = 0.4;
/// A photo with more pixels than this is refused from its header, before the renderer decodes
/// it: a news photo is a few dozen megapixels at most, and a 20 000 × 20 000 header (a
/// decompression bomb) would make the decoder take gigabytes.
const MAX_PHOTO_PIXELS: u64 = 100_000_000;
const FIGURE_GAP_EM: f32 = 0.8;

/// Steps of the search for a balanced headline measure: to within 1/64 of the width, well under a
/// character of any headline size.
const BALANCE_STEPS: usize = 6;

/// Fills the column balancing tries upward from the block's area over its columns before it
/// bisects: enough for the units left over there to find room in a column or two.
const CLIMB_STEPS: usize = 4;

/// Characters that split a headline into the lines its editor meant (the source's spaces).
fn headline_segments(text: &str) -> Vec<&str> {
    text.split([' ', '\u{3000}', '\t']).filter(|s| !s.is_empty()).collect()
}

/// Whether a byline runs in at the start of the body: a dateline (`本报讯（记者 ×××）`,
/// `新华社北京10月14日电`) in the body's size does; a byline line of its own (`□ 记者 ×××`), or one
/// the template sets in another size, keeps a line of its own.
fn runs_in(byline: &str, byline_role: &Role, body: &Role) -> bool {
    let dateline = byline.ends_with(['）', ')', '讯', '电']);
    dateline && (byline_role.size.pt() - body.size.pt()).abs() < EPS
}

/// How an article ranks on its page, which picks its headline sizes and widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rank {
    Lead,
    Article,
    Brief,
}

/// Which headline group a part carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadKind {
    /// Banner, kicker, headline and subtitle: where the article begins.
    Full(Rank),
    /// The headline again, smaller, over a continuation.
    Repeat,
}

/// A jump line of a part, resolved once every page is made up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jump {
    /// The page number printed in the line.
    pub page: u32,
    /// Where the link goes; `None` when the page is not in the edition.
    pub to: Option<Destination>,
}

/// One unit of a block's body flow: a line, or something that must stay whole.
#[derive(Debug, Clone)]
pub struct Unit<L> {
    /// Height at the role's own leading.
    pub height: f32,
    /// True when the unit's height follows the body leading as a page opens it.
    pub stretch: bool,
    /// A crosshead is never the last thing in a column.
    pub keep_with_next: bool,
    pub content: UnitContent<L>,
}

#[derive(Debug, Clone)]
pub enum UnitContent<L> {
    Line { line: SetLine<L>, size: f32, color: Cmyk, id: LineId },
    /// A QR promo: a framed square and its text below, at column width.
    Promo { side: f32, lines: Vec<(SetLine<L>, LineId)>, size: f32, pitch: f32, color: Cmyk },
}

/// One place in a part's body flow: a jump line, or unit `i` of the story.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    JumpIn,
    Unit(usize),
    JumpOut,
}

/// A photo, or a framed placeholder for one, with its caption and credit.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The photo's file and its height/width ratio; `None` when only the caption survived.
    pub photo: Option<(PathBuf, f32)>,
    /// The photo's own description (markdown alt text), when the caption does not already say it,
    /// and the flow item of the photo.
    pub alt: Option<(String, u32, usize)>,
    pub caption: Option<(String, u32)>,
    pub credit: Option<(String, u32)>,
    /// The flow item of the caption, for line identities.
    pub item: usize,
}

/// The figure's caption set at a span width.
#[derive(Debug, Clone)]
struct SetFigure<L> {
    alt: Vec<SetLine<L>>,
    caption: Vec<SetLine<L>>,
    credit: Vec<SetLine<L>>,
}

/// A headline group set across one block width; positions relative to the group's top.
#[derive(Debug, Clone)]
pub struct HeadGroup<L> {
    pub lines: Vec<HeadLine<L>>,
    /// Rules under a banner, as heights from the group's top.
    pub rules: Vec<f32>,
    /// Height of the group's type, without the space around it.
    pub height: f32,
}

#[derive(Debug, Clone)]
pub struct HeadLine<L> {
    pub line: SetLine<L>,
    pub top: f32,
    pub size: f32,
    pub pitch: f32,
    pub color: Cmyk,
}

/// The run of an article's units one page holds, and what it carries besides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part {
    pub start: usize,
    pub end: usize,
    pub head: HeadKind,
    pub figures: bool,
    /// `(上接M版)` before the units.
    pub jump_in: bool,
    /// `(下转N版)` after them (after their last line of text: `Story::jump_out_at`).
    pub jump_out: bool,
}

/// A part's shape at a width and a height: how far its leading opened and where its units went.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub columns: u32,
    pub height: f32,
    /// Factor on the stretchable units' heights (1 = the template's leading).
    pub leading: f32,
    /// Space above the headline group, and below it.
    pub head_space: f32,
    /// Height of the figure stack at the block's right, 0 without figures.
    pub figure_height: f32,
    pub figure_span: u32,
}

/// Everything layout needs to shape blocks: the template, its geometry and the text engine.
pub struct Setter<'a, M: Measure> {
    pub measure: &'a M,
    pub template: &'a Template,
    pub geometry: Geometry,
}

impl<'a, M: Measure> Setter<'a, M> {
    pub fn new(measure: &'a M, template: &'a Template) -> Self {
        Setter { measure, template, geometry: template.geometry() }
    }

    fn set(&self, text: &str, role: &Role, width: f32, line: u32) -> Vec<SetLine<M::Line>> {
        self.measure.set(text, role, width, line)
    }

    /// Sets display type (headlines, kickers, subtitles) with its lines balanced: at the narrowest
    /// measure that keeps the line count, placed as the role aligns it in the full `width`, so a
    /// two-line headline does not end in a stub of a word or two.
    pub fn set_balanced(&self, text: &str, role: &Role, width: f32, line: u32) -> Vec<SetLine<M::Line>> {
        let lines = self.set(text, role, width, line);
        if lines.len() < 2 {
            return lines;
        }
        let n = lines.len();
        let (mut lo, mut hi) = (width / n as f32, width);
        for _ in 0..BALANCE_STEPS {
            let mid = (lo + hi) / 2.0;
            if self.measure.count(text, role, mid, line) == n {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let shift = match role.align {
            Alignment::Center => (width - hi) / 2.0,
            Alignment::Right => width - hi,
            Alignment::Left | Alignment::Justify => 0.0,
        };
        let mut out = self.set(text, role, hi, line);
        for l in &mut out {
            l.x += shift;
        }
        out
    }

    /// Height of the jump line unit.
    pub fn jump_height(&self) -> f32 {
        self.template.roles.jump.line_pitch()
    }

    pub fn head_space(&self) -> f32 {
        self.template.headlines.space * self.template.body_pitch()
    }

    pub fn max_head_space(&self) -> f32 {
        self.template.headlines.max_space * self.template.body_pitch()
    }
}

/// Set captions by figure and width.
type SetFigures<L> = FxHashMap<(usize, u32), Arc<SetFigure<L>>>;

/// The scratch [`Story::shape`] balances in: each unit's height and whether it keeps with the
/// next, and the columns' offsets.
type ShapeBuffers = (Vec<(f32, bool)>, Vec<f32>);

/// One article made ready for make-up.
pub struct Story<L> {
    pub at: ArticleRef,
    pub headline: Option<String>,
    banner: Option<String>,
    kicker: Option<String>,
    subtitle: Option<String>,
    /// Source line for warnings from the headline group.
    line: u32,
    pub units: Vec<Unit<L>>,
    pub figures: Vec<Figure>,
    /// Headline group heights by kind and width (a few of them), and set captions, shared, not
    /// copied: the page search asks their heights at every step.
    head_heights: RefCell<Vec<((HeadKind, u32), f32)>>,
    set_figures: RefCell<SetFigures<L>>,
    /// Natural and most-open shapes by part and width: the page search asks for them often.
    shapes: RefCell<FxHashMap<(Part, u32, bool), Plan>>,
    /// The units' heights and the columns' offsets of the part [`Story::shape`] balances, kept
    /// for the next: the search shapes parts thousands of times.
    shape_buffers: RefCell<ShapeBuffers>,
}

impl<L: Clone> Story<L> {
    /// Sets an article's body at column width. `base` is the issue file's folder (photos are
    /// relative to it); a photo that cannot be read becomes a placeholder with a warning.
    pub fn prepare<M: Measure<Line = L>>(
        s: &Setter<M>,
        at: ArticleRef,
        article: &Article,
        base: &Path,
        warnings: &mut Vec<Warning>,
    ) -> Story<L> {
        let roles = &s.template.roles;
        let col = s.geometry.column_width;
        let mut units = Vec::new();
        let mut figures: Vec<Figure> = Vec::new();
        let push_lines = |units: &mut Vec<Unit<L>>, lines: Vec<SetLine<L>>, role: &Role, item: usize, keep: bool| {
            let n = lines.len();
            for (i, line) in lines.into_iter().enumerate() {
                units.push(Unit {
                    height: role.line_pitch(),
                    stretch: true,
                    keep_with_next: keep && i + 1 == n,
                    content: UnitContent::Line {
                        line,
                        size: role.size.pt(),
                        color: role.color,
                        id: LineId { article: at, item, line: i },
                    },
                });
            }
        };
        // Item 0 is the byline; blocks follow as items 1.., so every line has one identity. A
        // byline the first paragraph opened with is set on its first line, as the source had it.
        let run_in = article
            .byline
            .as_deref()
            .filter(|b| runs_in(b, &roles.byline, &roles.body) && matches!(article.blocks.first(), Some(Block::Paragraph { .. })));
        if let (Some(byline), None) = (&article.byline, run_in) {
            let lines = s.set(byline, &roles.byline, col, article.lines[0]);
            push_lines(&mut units, lines, &roles.byline, 0, false);
        }
        let mut pending_photo: Option<Figure> = None;
        for (i, block) in article.blocks.iter().enumerate() {
            let item = i + 1;
            if !matches!(block, Block::Caption { .. }) {
                if let Some(f) = pending_photo.take() {
                    figures.push(f);
                }
            }
            match block {
                Block::Paragraph { text, line } => {
                    let lines = match run_in {
                        Some(lead) if i == 0 => s.measure.set_run_in(lead, &roles.byline, text, &roles.body, col, *line),
                        _ => s.set(text, &roles.body, col, *line),
                    };
                    push_lines(&mut units, lines, &roles.body, item, false);
                }
                Block::Crosshead { text, line } => {
                    let lines = s.set(text, &roles.crosshead, col, *line);
                    push_lines(&mut units, lines, &roles.crosshead, item, true);
                }
                Block::Verse { lines: verse, line } => {
                    let mut lines = Vec::new();
                    for v in verse {
                        lines.extend(s.set(v, &roles.verse, col, *line));
                    }
                    push_lines(&mut units, lines, &roles.verse, item, false);
                }
                Block::Promo { text, line } => {
                    let role = &roles.promo;
                    let lines = s.set(text, role, col, *line);
                    let side = (s.template.figures.qr_chars * s.template.body_size()).min(col);
                    let pitch = role.line_pitch();
                    let height = side + HEAD_GAP_EM * role.size.pt() + lines.len() as f32 * pitch + FIGURE_GAP_EM * s.template.body_size();
                    units.push(Unit {
                        height,
                        stretch: false,
                        keep_with_next: false,
                        content: UnitContent::Promo {
                            side,
                            lines: lines
                                .into_iter()
                                .enumerate()
                                .map(|(n, l)| (l, LineId { article: at, item, line: n }))
                                .collect(),
                            size: role.size.pt(),
                            pitch,
                            color: role.color,
                        },
                    });
                }
                Block::Image { src, line, alt } => {
                    let photo = match placeable_photo(base, src) {
                        Ok(photo) => Some(photo),
                        Err(why) => {
                            warnings.push(Warning {
                                line: *line,
                                message: format!("photo {src} cannot be read ({why}); a framed placeholder stands in its place"),
                            });
                            None
                        }
                    };
                    let alt = alt.clone().filter(|a| !a.trim().is_empty()).map(|a| (a, *line, item));
                    pending_photo = Some(Figure { photo, alt, caption: None, credit: None, item });
                }
                Block::Caption { text, credit, line } => {
                    let mut f = pending_photo.take().unwrap_or(Figure { photo: None, alt: None, caption: None, credit: None, item });
                    f.item = item;
                    f.caption = Some((text.clone(), *line)).filter(|(t, _)| !t.trim().is_empty());
                    if f.alt.as_ref().is_some_and(|(a, _, _)| text.contains(a.as_str())) {
                        f.alt = None; // the caption says it already
                    }
                    f.credit = credit.clone().map(|c| (c, *line));
                    figures.push(f);
                }
            }
        }
        if let Some(f) = pending_photo.take() {
            figures.push(f);
        }
        Story {
            at,
            headline: article.headline.clone(),
            banner: article.banner.clone(),
            kicker: article.kicker.clone(),
            subtitle: article.subtitle.clone(),
            line: article.lines[0],
            units,
            figures,
            head_heights: RefCell::new(Vec::new()),
            set_figures: RefCell::new(FxHashMap::default()),
            shapes: RefCell::new(FxHashMap::default()),
            shape_buffers: RefCell::new((Vec::new(), Vec::new())),
        }
    }

    /// Body lines at column width, the measure of how long the article is.
    pub fn body_lines(&self) -> usize {
        self.units.len()
    }

    pub fn has_head(&self) -> bool {
        self.headline.is_some() || self.kicker.is_some() || self.banner.is_some() || self.subtitle.is_some()
    }

    /// Height of the headline group at a width in columns, from line counts alone: the page
    /// search asks it at every width it tries, and sets the lines only of the groups it draws.
    fn head_height_at<M: Measure<Line = L>>(&self, s: &Setter<M>, kind: HeadKind, columns: u32) -> f32 {
        if let Some(&(_, h)) = self.head_heights.borrow().iter().find(|(k, _)| *k == (kind, columns)) {
            return h;
        }
        let h = self.head_group(s, kind, columns, false).height;
        self.head_heights.borrow_mut().push(((kind, columns), h));
        h
    }

    /// The headline group at a width in columns. With `set` false its lines are only counted,
    /// which gives the same height (each line adds its pitch whatever its text) and no lines.
    fn head_group<M: Measure<Line = L>>(&self, s: &Setter<M>, kind: HeadKind, columns: u32, set: bool) -> HeadGroup<L> {
        let t = s.template;
        let width = s.geometry.span_width(columns);
        let mut lines = Vec::new();
        let mut rules = Vec::new();
        let mut y = 0.0f32;
        let gap = HEAD_GAP_EM * t.body_size();
        // Sets (or counts) `text` in `role`, its lines balanced or not, below the lines so far.
        let mut add = |y: &mut f32, text: &str, role: &Role, balanced: bool| {
            if !set {
                for _ in 0..s.measure.count(text, role, width, self.line) {
                    *y += role.line_pitch();
                }
                return;
            }
            let set = if balanced { s.set_balanced(text, role, width, self.line) } else { s.set(text, role, width, self.line) };
            for line in set {
                lines.push(HeadLine { line, top: *y, size: role.size.pt(), pitch: role.line_pitch(), color: role.color });
                *y += role.line_pitch();
            }
        };
        let full = matches!(kind, HeadKind::Full(_));
        if full {
            if let Some(banner) = &self.banner {
                add(&mut y, banner, &t.roles.banner, false);
                rules.push(y + gap / 2.0);
                y += gap * 1.5;
            }
            if let Some(kicker) = &self.kicker {
                for k in kicker.split('\n').filter(|k| !k.trim().is_empty()) {
                    add(&mut y, k, &t.roles.kicker, true);
                }
                y += gap;
            }
        }
        if let Some(headline) = &self.headline {
            let sizes = match kind {
                HeadKind::Full(Rank::Lead) => &t.headlines.lead,
                HeadKind::Full(Rank::Article) => &t.headlines.article,
                HeadKind::Full(Rank::Brief) | HeadKind::Repeat => &t.headlines.brief,
            };
            let (role, split, count) = self.fit_headline(s, headline, sizes, width);
            let segments = headline_segments(headline);
            if count > 1 && segments.len() == 1 {
                // One segment on more lines than one: its lines balanced.
                add(&mut y, headline, &role, true);
            } else if split {
                for seg in &segments {
                    add(&mut y, seg, &role, false);
                }
            } else {
                add(&mut y, &segments.join("\u{3000}"), &role, false);
            }
        }
        if full {
            if let Some(sub) = &self.subtitle {
                y += gap;
                for k in sub.split('\n').filter(|k| !k.trim().is_empty()) {
                    add(&mut y, k, &t.roles.subtitle, true);
                }
            }
        }
        HeadGroup { lines, rules, height: y }
    }

    /// The largest headline size that keeps the headline within the template's line count: whole
    /// on one line when it fits, else broken where the source's spaces break it. Gives the size's
    /// role, whether the headline is set segment by segment, and its line count.
    fn fit_headline<M: Measure<Line = L>>(
        &self,
        s: &Setter<M>,
        headline: &str,
        sizes: &[super::template::Size],
        width: f32,
    ) -> (Role, bool, usize) {
        let max_lines = s.template.headlines.max_lines.max(1) as usize;
        let segments = headline_segments(headline);
        let whole = segments.join("\u{3000}");
        // Sizes are tried by their line counts; only the one chosen is set.
        let mut last = None;
        for size in sizes {
            let role = s.template.roles.headline.at_size(size.pt());
            let whole_lines = s.measure.count(&whole, &role, width, self.line);
            if whole_lines == 1 {
                return (role, false, 1);
            }
            let split_lines: usize = segments.iter().map(|seg| s.measure.count(seg, &role, width, self.line)).sum();
            let split = split_lines <= whole_lines;
            let count = if split { split_lines } else { whole_lines };
            if count <= max_lines {
                return (role, split, count);
            }
            last = Some((role, split, count));
        }
        last.expect("templates list at least one headline size")
    }

    /// A figure's caption and credit at a span of columns, set on first use.
    fn set_figure<M: Measure<Line = L>>(&self, s: &Setter<M>, index: usize, span: u32) -> Arc<SetFigure<L>> {
        if let Some(f) = self.set_figures.borrow().get(&(index, span)) {
            return f.clone();
        }
        let fig = &self.figures[index];
        let width = s.geometry.span_width(span);
        let t = &s.template.roles;
        let alt = fig.alt.as_ref().map(|(c, l, _)| s.set(c, &t.caption, width, *l)).unwrap_or_default();
        let caption = fig.caption.as_ref().map(|(c, l)| s.set(c, &t.caption, width, *l)).unwrap_or_default();
        let credit = fig.credit.as_ref().map(|(c, l)| s.set(c, &t.credit, width, *l)).unwrap_or_default();
        let f = Arc::new(SetFigure { alt, caption, credit });
        self.set_figures.borrow_mut().insert((index, span), f.clone());
        f
    }

    /// Columns a figure spans in a block of `columns`.
    pub fn figure_span(t: &Template, columns: u32) -> u32 {
        let class = match columns {
            0..=2 => 0,
            3..=4 => 1,
            _ => 2,
        };
        t.figures.span[class].clamp(1, columns.max(1))
    }

    /// Height of figure `i` at `span` columns, its picture opened to `grow` × its natural height.
    fn figure_height<M: Measure<Line = L>>(&self, s: &Setter<M>, i: usize, span: u32, grow: f32) -> f32 {
        let t = s.template;
        let w = s.geometry.span_width(span);
        let f = self.set_figure(s, i, span);
        let aspect = self.figures[i].photo.as_ref().map(|(_, a)| *a).unwrap_or(t.figures.aspect * grow);
        w * aspect
            + HEAD_GAP_EM * t.body_size()
            + (f.alt.len() + f.caption.len()) as f32 * t.roles.caption.line_pitch()
            + f.credit.len() as f32 * t.roles.credit.line_pitch()
            + FIGURE_GAP_EM * t.body_size()
    }

    fn figure_stack<M: Measure<Line = L>>(&self, s: &Setter<M>, span: u32, grow: f32) -> f32 {
        (0..self.figures.len()).map(|i| self.figure_height(s, i, span, grow)).sum()
    }

    /// How far placeholders may grow: the template's largest aspect over its normal one.
    fn max_figure_grow(&self, t: &Template) -> f32 {
        if self.figures.iter().any(|f| f.photo.is_none()) {
            t.figures.max_aspect / t.figures.aspect
        } else {
            1.0
        }
    }

    /// Heights of a part's slots at leading factor `leading`, and whether each keeps with the
    /// next.
    fn unit_heights<M: Measure<Line = L>>(&self, s: &Setter<M>, part: &Part, leading: f32, h: &mut Vec<(f32, bool)>) {
        h.clear();
        let mut slots = self.slots(*part).peekable();
        while let Some(slot) = slots.next() {
            h.push(match slot {
                Slot::JumpIn | Slot::JumpOut => (s.jump_height(), false),
                Slot::Unit(i) => {
                    let u = &self.units[i];
                    // The line the jump follows goes on with it: a `（下转N版）` never opens a column.
                    let keep = u.keep_with_next || matches!(slots.peek(), Some(Slot::JumpOut));
                    (if u.stretch { u.height * leading } else { u.height }, keep)
                }
            });
        }
    }

    /// A part's body flow in reading order, as it is measured and drawn: `（上接M版）`, the
    /// units, and `（下转N版）` where [`Story::jump_out_at`] puts it.
    fn slots(&self, part: Part) -> impl Iterator<Item = Slot> {
        let jump_at = self.jump_out_at(&part);
        let body = (part.start..=part.end).flat_map(move |i| {
            let jump = (jump_at == Some(i)).then_some(Slot::JumpOut);
            jump.into_iter().chain((i < part.end).then_some(Slot::Unit(i)))
        });
        part.jump_in.then_some(Slot::JumpIn).into_iter().chain(body)
    }

    /// Where a part's `（下转N版）` goes: right after its last line of text. A QR promo that
    /// closes the article (the source puts it after the jump line) follows the jump instead of
    /// parting it from the text it continues.
    fn jump_out_at(&self, part: &Part) -> Option<usize> {
        part.jump_out.then(|| {
            let units = &self.units[part.start..part.end];
            part.start + units.iter().rposition(|u| matches!(u.content, UnitContent::Line { .. })).map_or(0, |i| i + 1)
        })
    }

    /// The part's natural shape at `columns`: template leading, normal headline space.
    pub fn natural<M: Measure<Line = L>>(&self, s: &Setter<M>, part: &Part, columns: u32) -> Plan {
        self.cached(part, columns, false, || self.shape(s, part, columns, 1.0, 1.0))
    }

    fn cached(&self, part: &Part, columns: u32, open: bool, make: impl FnOnce() -> Plan) -> Plan {
        if let Some(p) = self.shapes.borrow().get(&(*part, columns, open)) {
            return p.clone();
        }
        let p = make();
        self.shapes.borrow_mut().insert((*part, columns, open), p.clone());
        p
    }

    /// The part at its most open: leading, headline space and placeholders at their limits.
    pub fn stretched<M: Measure<Line = L>>(&self, s: &Setter<M>, part: &Part, columns: u32) -> Plan {
        self.cached(part, columns, true, || {
            let mut p = self.shape(s, part, columns, s.template.grid.max_leading_stretch, self.max_figure_grow(s.template));
            if self.head_height(s, part, columns) > 0.0 {
                p.height += 2.0 * (s.max_head_space() - p.head_space);
                p.head_space = s.max_head_space();
            }
            p
        })
    }

    fn head_height<M: Measure<Line = L>>(&self, s: &Setter<M>, part: &Part, columns: u32) -> f32 {
        if self.headline.is_none() && !(matches!(part.head, HeadKind::Full(_)) && self.has_head()) {
            return 0.0;
        }
        self.head_height_at(s, part.head, columns)
    }

    fn shape<M: Measure<Line = L>>(&self, s: &Setter<M>, part: &Part, columns: u32, leading: f32, grow: f32) -> Plan {
        let head = self.head_height(s, part, columns);
        let head_space = if head > 0.0 { s.head_space() } else { s.head_space() * 0.5 };
        let (span, fig_h) = if part.figures && !self.figures.is_empty() {
            let span = Self::figure_span(s.template, columns);
            (span, self.figure_stack(s, span, grow))
        } else {
            (0, 0.0)
        };
        let (units, offsets) = &mut *self.shape_buffers.borrow_mut();
        self.unit_heights(s, part, leading, units);
        column_offsets(columns, span, fig_h, offsets);
        let body = balance(units, offsets);
        let head_total = if head > 0.0 { head + 2.0 * head_space } else { head_space };
        Plan {
            columns,
            height: head_total + body,
            leading,
            head_space,
            figure_height: fig_h,
            figure_span: span,
        }
    }

    /// The part at `columns` shaped to `target` height: leading opened first (up to the template's
    /// limit), then headline space, then placeholders; whatever is left stays below the last line.
    pub fn plan<M: Measure<Line = L>>(&self, s: &Setter<M>, part: &Part, columns: u32, target: f32) -> Plan {
        let natural = self.natural(s, part, columns);
        if natural.height >= target - EPS {
            return natural;
        }
        let max = s.template.grid.max_leading_stretch;
        let (mut lo, mut hi) = (1.0f32, max);
        if self.shape(s, part, columns, hi, 1.0).height <= target {
            lo = hi;
        } else {
            for _ in 0..24 {
                let mid = (lo + hi) / 2.0;
                if self.shape(s, part, columns, mid, 1.0).height <= target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
        let mut plan = self.shape(s, part, columns, lo, 1.0);
        // Then placeholders grow, when the part carries any.
        let grow_max = self.max_figure_grow(s.template);
        if part.figures && grow_max > 1.0 && plan.height < target - EPS {
            let (mut glo, mut ghi) = (1.0f32, grow_max);
            for _ in 0..20 {
                let mid = (glo + ghi) / 2.0;
                if self.shape(s, part, columns, lo, mid).height <= target {
                    glo = mid;
                } else {
                    ghi = mid;
                }
            }
            plan = self.shape(s, part, columns, lo, glo);
        }
        // Then the space around the headline group.
        let has_head = self.head_height(s, part, columns) > 0.0;
        if has_head && plan.height < target - EPS {
            let extra = ((target - plan.height) / 2.0).min(s.max_head_space() - plan.head_space);
            plan.head_space += extra;
            plan.height += 2.0 * extra;
        }
        plan
    }

    /// The longest run of units from `start` that fits `height` at `columns`, ending with a jump
    /// line: the part this page can hold. `None` when not even `min_units` fit.
    pub fn split<M: Measure<Line = L>>(
        &self,
        s: &Setter<M>,
        mut part: Part,
        columns: u32,
        height: f32,
        min_units: usize,
    ) -> Option<Part> {
        part.jump_out = true;
        let fits = |end: usize| {
            let p = Part { end, ..part };
            self.natural(s, &p, columns).height <= height + EPS
        };
        let first = (part.start + min_units.max(1)).min(part.end);
        if first >= part.end || !fits(first) {
            return None;
        }
        let (mut lo, mut hi) = (first, part.end - 1);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // A crosshead is not left at a part's end, its text on the next page.
        while lo > first && self.units[lo - 1].keep_with_next {
            lo -= 1;
        }
        Some(Part { end: lo, ..part })
    }

    /// Draws a part planned at `plan` with its top-left at (`x`, `y`).
    #[allow(clippy::too_many_arguments)]
    pub fn emit<M: Measure<Line = L>>(
        &self,
        s: &Setter<M>,
        part: &Part,
        plan: &Plan,
        x: f32,
        y: f32,
        jump_in: Option<Jump>,
        jump_out: Option<Jump>,
        marks: &mut Vec<Mark<L>>,
    ) {
        let t = s.template;
        let g = &s.geometry;
        let width = g.span_width(plan.columns);
        let head = (self.head_height(s, part, plan.columns) > 0.0).then(|| self.head_group(s, part.head, plan.columns, true));
        let mut top = y + plan.head_space;
        if let Some(head) = &head {
            for l in &head.lines {
                marks.push(Mark::Text {
                    x: x + l.line.x,
                    y_baseline: top + l.top + baseline_in(l.pitch, l.size),
                    line: l.line.line.clone(),
                    size: l.size,
                    color: l.color,
                    id: None,
                });
            }
            for r in &head.rules {
                marks.push(Mark::Rule { x1: x, y1: top + r, x2: x + width, y2: top + r, width: t.rules.width.pt(), color: t.roles.banner.color });
            }
            top += head.height + plan.head_space;
        }
        // Figures stacked at the block's right, under the headline group.
        if plan.figure_span > 0 {
            let span = plan.figure_span;
            let fx = g.column_x(0) + (x - g.left) + g.span_width(plan.columns) - g.span_width(span);
            let fw = g.span_width(span);
            let grow = if plan.figure_height > 0.0 {
                // Recover the placeholders' growth from the planned stack height.
                self.solve_grow(s, span, plan.figure_height)
            } else {
                1.0
            };
            let mut fy = top;
            for (i, fig) in self.figures.iter().enumerate() {
                let set = self.set_figure(s, i, span);
                let aspect = fig.photo.as_ref().map(|(_, a)| *a).unwrap_or(t.figures.aspect * grow);
                let ph = fw * aspect;
                match &fig.photo {
                    Some((src, _)) => marks.push(Mark::Image { src: src.clone(), x: fx, y: fy, w: fw, h: ph }),
                    None => marks.push(Mark::Frame { x: fx, y: fy, w: fw, h: ph, stroke: t.rules.frame_width.pt(), fill: Some(t.figures.fill) }),
                }
                fy += ph + HEAD_GAP_EM * t.body_size();
                let alt_item = fig.alt.as_ref().map(|a| a.2).unwrap_or(fig.item);
                for (role, lines, item, first) in [
                    (&t.roles.caption, &set.alt, alt_item, 0usize),
                    (&t.roles.caption, &set.caption, fig.item, 0),
                    (&t.roles.credit, &set.credit, fig.item, set.caption.len()),
                ] {
                    for (n, l) in lines.iter().enumerate() {
                        marks.push(Mark::Text {
                            x: fx + l.x,
                            y_baseline: fy + baseline_in(role.line_pitch(), role.size.pt()),
                            line: l.line.clone(),
                            size: role.size.pt(),
                            color: role.color,
                            id: Some(LineId { article: self.at, item, line: first + n }),
                        });
                        fy += role.line_pitch();
                    }
                }
                fy += FIGURE_GAP_EM * t.body_size();
            }
        }
        // Body units, column by column.
        let (mut heights, mut offsets) = (Vec::new(), Vec::new());
        self.unit_heights(s, part, plan.leading, &mut heights);
        column_offsets(plan.columns, plan.figure_span, plan.figure_height, &mut offsets);
        let body_h = plan.height - (top - y);
        let cols = fill(&heights, &offsets, body_h + EPS * 10.0).unwrap_or_else(|| {
            // The plan was balanced at this height; refilling can only fail by rounding.
            fill(&heights, &offsets, balance(&heights, &offsets) + EPS * 10.0).expect("a balanced part refills")
        });
        let mut cursor: Vec<f32> = offsets.iter().map(|o| top + o).collect();
        let jump = &t.roles.jump;
        let col_x = |c: u32| x + c as f32 * (g.column_width + g.gutter);
        let draw_jump = |marks: &mut Vec<Mark<L>>, c: u32, yy: f32, j: Jump, out: bool| {
            let text = if out { format!("（下转{}版）", j.page) } else { format!("（上接{}版）", j.page) };
            let role = if out { jump.clone() } else { Role { align: Alignment::Left, ..jump.clone() } };
            for l in s.set(&text, &role, g.column_width, self.line).into_iter().take(1) {
                let lx = col_x(c) + l.x;
                marks.push(Mark::Text {
                    x: lx,
                    y_baseline: yy + baseline_in(role.line_pitch(), role.size.pt()),
                    line: l.line,
                    size: role.size.pt(),
                    color: role.color,
                    id: None,
                });
                if let Some(to) = j.to {
                    marks.push(Mark::Link { x: lx, y: yy, w: l.width, h: role.line_pitch(), to });
                }
            }
        };
        for (k, slot) in self.slots(*part).enumerate() {
            let c = cols[k] as usize;
            let h = heights[k].0;
            let uy = cursor[c];
            let unit = match slot {
                Slot::JumpIn => {
                    if let Some(j) = jump_in {
                        draw_jump(marks, c as u32, uy, j, false);
                    }
                    None
                }
                Slot::JumpOut => {
                    if let Some(j) = jump_out {
                        draw_jump(marks, c as u32, uy, j, true);
                    }
                    None
                }
                Slot::Unit(i) => Some(&self.units[i]),
            };
            match unit.map(|u| &u.content) {
                None => {}
                Some(UnitContent::Line { line, size, color, id }) => marks.push(Mark::Text {
                    x: col_x(c as u32) + line.x,
                    y_baseline: uy + baseline_in(h, *size),
                    line: line.line.clone(),
                    size: *size,
                    color: *color,
                    id: Some(*id),
                }),
                Some(UnitContent::Promo { side, lines, size, pitch, color }) => {
                    let sx = col_x(c as u32) + (g.column_width - side) / 2.0;
                    marks.push(Mark::Frame { x: sx, y: uy, w: *side, h: *side, stroke: t.rules.frame_width.pt(), fill: Some(t.figures.fill) });
                    let mut ly = uy + side + HEAD_GAP_EM * size;
                    for (l, id) in lines {
                        marks.push(Mark::Text {
                            x: col_x(c as u32) + l.x,
                            y_baseline: ly + baseline_in(*pitch, *size),
                            line: l.line.clone(),
                            size: *size,
                            color: *color,
                            id: Some(*id),
                        });
                        ly += pitch;
                    }
                }
            }
            cursor[c] += h;
        }
    }

    /// The placeholder growth that gives a figure stack of `height` at `span`.
    fn solve_grow<M: Measure<Line = L>>(&self, s: &Setter<M>, span: u32, height: f32) -> f32 {
        let (mut lo, mut hi) = (1.0f32, self.max_figure_grow(s.template).max(1.0));
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if self.figure_stack(s, span, mid) <= height + EPS {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Baseline of a line of `size` centred in a slot of `pitch` (half the leading above, half below).
pub fn baseline_in(pitch: f32, size: f32) -> f32 {
    (pitch - size) / 2.0 + BASELINE * size
}

/// Where each column's body starts below the headline group: lower under the figure stack.
fn column_offsets(columns: u32, span: u32, figure_height: f32, offsets: &mut Vec<f32>) {
    offsets.clear();
    offsets.extend((0..columns).map(|c| if span > 0 && c >= columns - span { figure_height } else { 0.0 }));
}

/// Fills units into columns top-down at column height `height` (measured from the body's top);
/// `None` when they do not fit. A keep-with-next unit moves on with the unit after it.
pub fn fill(units: &[(f32, bool)], offsets: &[f32], height: f32) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(units.len());
    fill_each(units, offsets, height, |_, c| out.push(c)).fits.then_some(out)
}

/// What one fill at a height found: whether the units fit, how far the fullest column reached,
/// and the band of heights that make the very same fill.
#[derive(Debug, Clone, Copy)]
struct Probe {
    fits: bool,
    /// The fullest column's height (0 when they do not fit).
    reach: f32,
    /// Every decision the fill made compared a unit's key (where it would end in its column)
    /// with `height + EPS`: placed at or under it, moved on above it. Any height whose
    /// `height + EPS` lies in `placed..moved` makes every decision the same way, so the same fill.
    placed: f32,
    moved: f32,
}

/// Fills as [`fill`] does, handing each unit's index and column to `each` in order. The
/// balancing search asks only whether they fit, dozens of times a shape, and learns from the
/// [`Probe`] which other heights it need not fill again.
fn fill_each(units: &[(f32, bool)], offsets: &[f32], height: f32, mut each: impl FnMut(usize, u32)) -> Probe {
    let limit = height + EPS;
    let mut probe = Probe { fits: false, reach: 0.0, placed: f32::NEG_INFINITY, moved: f32::INFINITY };
    let mut c = 0usize;
    let Some(&first) = offsets.first() else { return probe };
    let mut used = first;
    let mut reach = 0.0f32;
    let mut i = 0;
    while i < units.len() {
        let (h, keep) = units[i];
        let next = if keep { units.get(i + 1).map(|u| u.0).unwrap_or(0.0) } else { 0.0 };
        let column_empty = used <= offsets[c] + EPS;
        // An empty column takes its first unit whenever the unit alone fits, and the sum
        // with `next` is never below the unit's own: one key decides either way.
        let key = if column_empty { used + h } else { used + h + next };
        if key <= limit {
            probe.placed = probe.placed.max(key);
            each(i, c as u32);
            used += h;
            i += 1;
        } else {
            probe.moved = probe.moved.min(key);
            reach = reach.max(used);
            c += 1;
            if c >= offsets.len() {
                return probe;
            }
            used = offsets[c];
        }
    }
    // Columns the units never reached stand at their offsets.
    probe.reach = offsets[c..].iter().fold(reach.max(used), |r, &o| r.max(o));
    probe.fits = true;
    probe
}

/// What [`balance`]'s fills so far tell of the heights not yet filled at.
struct Bands {
    /// The fill that fitted with the lowest placed key: every height reaching it fits.
    fitted: Option<Probe>,
    /// Every height under this does not fit.
    short_below: f32,
}

impl Bands {
    fn learn(&mut self, p: Probe) -> Probe {
        if !p.fits {
            self.short_below = self.short_below.max(p.moved);
        } else if self.fitted.is_none_or(|f| p.placed < f.placed) {
            self.fitted = Some(p);
        }
        p
    }

    /// Whether the units fit at `height`, when the fills so far say.
    fn answer(&self, height: f32) -> Option<bool> {
        let limit = height + EPS;
        if self.fitted.is_some_and(|p| limit >= p.placed) {
            Some(true)
        } else if limit < self.short_below {
            Some(false)
        } else {
            None
        }
    }
}

/// Where [`balance`]'s bisection starts: just under the least height any fill could take (the
/// units' area over the columns, or the tallest unit), and a height that holds every unit.
fn height_bounds(total: f32, tallest: f32, offsets: &[f32]) -> (f32, f32) {
    let max_off = offsets.iter().cloned().fold(0.0, f32::max);
    ((total / offsets.len() as f32).max(tallest) - EPS, total + max_off + tallest)
}

/// [`balance`]'s bisection between `lo` and `hi` (which fits): the least height, to within
/// 0.05 pt or 40 steps, at which `fits` says yes.
fn bisect(mut lo: f32, mut hi: f32, mut fits: impl FnMut(f32) -> bool) -> f32 {
    if fits(lo) {
        hi = lo;
    }
    for _ in 0..40 {
        if hi - lo < 0.05 {
            break;
        }
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// The least column height that holds the units: the columns balanced.
///
/// A bisection on the height, each step asking whether the units fit; the answer is the fill at
/// the bisection's last height, so its steps are kept as they are. Most are answered without a
/// fill: fitting only gets easier as the height grows (every key a fill compares is a rounded
/// sum of non-negative heights, no greater for a column that starts further on), so a fill that
/// fitted answers yes down to its highest placed key, and one that did not answers no up to its
/// lowest moved key (see [`Probe`]). A short climb first finds the fills either side of the
/// least height that fits; then steps outside both bands, which fill, are rare.
pub fn balance(units: &[(f32, bool)], offsets: &[f32]) -> f32 {
    if units.is_empty() {
        return offsets.iter().cloned().fold(0.0, f32::max);
    }
    let total: f32 = units.iter().map(|u| u.0).sum();
    let tallest = units.iter().map(|u| u.0).fold(0.0, f32::max);
    let (lo, hi) = height_bounds(total, tallest, offsets);
    let mut known = Bands { fitted: None, short_below: f32::NEG_INFINITY };
    // Most blocks balance within a few units of their area over their columns: climb from there
    // through the heights at which the fill changes, so the bisection finds its answers known.
    let mut h = ((total + offsets.iter().sum::<f32>()) / offsets.len() as f32).max(tallest);
    for _ in 0..CLIMB_STEPS {
        let p = known.learn(fill_each(units, offsets, h, |_, _| {}));
        if p.fits {
            break;
        }
        // The least height at which the unit nearest to fitting fits.
        h = p.moved - EPS;
        while h + EPS < p.moved {
            h = h.next_up();
        }
    }
    let hi = bisect(lo, hi, |height| match known.answer(height) {
        Some(fits) => fits,
        None => known.learn(fill_each(units, offsets, height, |_, _| {})).fits,
    });
    // Report the height the fullest column actually reaches, not the search's bound: that of
    // the fill at `hi`, made already unless `hi` lies outside the band of the fill kept.
    match known.fitted {
        Some(p) if (p.placed..p.moved).contains(&(hi + EPS)) => p.reach,
        _ => {
            let p = fill_each(units, offsets, hi, |_, _| {});
            assert!(p.fits, "the upper bound holds every unit");
            p.reach
        }
    }
}

/// The file a photo's `src` names and its height-to-width ratio, or why it cannot be placed:
/// paths leading out of the folder are refused unread (the EPUB's rule, shared), and
/// sizes are read from the header only.
pub(crate) fn placeable_photo(base: &Path, src: &str) -> Result<(PathBuf, f32), String> {
    let path = crate::epub::images::resolve(base, src)?;
    match image::image_dimensions(&path) {
        Ok((w, h)) if w > 0 && h > 0 && u64::from(w) * u64::from(h) <= MAX_PHOTO_PIXELS => Ok((path, h as f32 / w as f32)),
        Ok((w, h)) => Err(format!("{w}×{h} px is not a size papertool decodes")),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_outside_the_folder_or_too_large_are_not_placed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(placeable_photo(dir.path(), "../x.jpg").unwrap_err().contains("outside"));
        assert!(placeable_photo(dir.path(), "/etc/passwd").unwrap_err().contains("outside"));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..]);
        png.extend_from_slice(&crc.sum().to_be_bytes());
        // An empty IDAT: the decoder reads the header up to the first image data, never past it.
        png.extend_from_slice(b"\0\0\0\0IDAT\x35\xaf\x06\x1e");
        std::fs::write(dir.path().join("huge.png"), png).unwrap();
        let err = placeable_photo(dir.path(), "huge.png").unwrap_err();
        assert!(err.contains("20000×20000"), "{err}");
    }
    use crate::pdf::layout::fake::Fixed;

    fn lines(n: usize, h: f32) -> Vec<(f32, bool)> {
        vec![(h, false); n]
    }

    #[test]
    fn balance_spreads_lines_evenly() {
        let h = balance(&lines(10, 10.0), &[0.0, 0.0, 0.0]);
        assert_eq!(h, 40.0);
        let h = balance(&lines(9, 10.0), &[0.0, 0.0, 0.0]);
        assert_eq!(h, 30.0);
    }

    #[test]
    fn balance_respects_a_figure_over_some_columns() {
        // Two columns, the right one starting 30 lower (under a figure): 7 lines left, 3 right.
        let h = balance(&lines(10, 10.0), &[0.0, 30.0]);
        assert_eq!(h, 70.0);
    }

    /// [`balance`] as it was before it answered steps from earlier fills: every step fills.
    fn balance_filling_every_step(units: &[(f32, bool)], offsets: &[f32]) -> f32 {
        let total: f32 = units.iter().map(|u| u.0).sum();
        let tallest = units.iter().map(|u| u.0).fold(0.0, f32::max);
        let (lo, hi) = height_bounds(total, tallest, offsets);
        let hi = bisect(lo, hi, |height| fill(units, offsets, height).is_some());
        let mut used: Vec<f32> = offsets.to_vec();
        let cols = fill(units, offsets, hi).expect("the upper bound holds every unit");
        for (u, c) in units.iter().zip(cols) {
            used[c as usize] += u.0;
        }
        used.into_iter().fold(0.0, f32::max)
    }

    #[test]
    fn balance_gives_to_the_bit_what_filling_at_every_step_gives() {
        // Invented blocks: lines at assorted leadings, crossheads, promos, jump lines, figures
        // over the right-hand columns; a small generator keeps them the same run to run.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for case in 0..3000 {
            let columns = 1 + next(8) as usize;
            let leading = 1.0 + next(300) as f32 / 1000.0;
            let pitch = 13.5 * leading;
            let units: Vec<(f32, bool)> = (0..1 + next(160))
                .map(|_| match next(40) {
                    0 => (21.0 * leading, true),
                    1 => (97.3, false),
                    2 => (13.5, false),
                    _ => (pitch, false),
                })
                .collect();
            let figure = next(4) as f32 * 71.9;
            let span = next(columns as u64 + 1) as usize;
            let offsets: Vec<f32> = (0..columns).map(|c| if c >= columns - span { figure } else { 0.0 }).collect();
            let (ours, plain) = (balance(&units, &offsets), balance_filling_every_step(&units, &offsets));
            assert_eq!(ours.to_bits(), plain.to_bits(), "case {case}: {ours} against {plain}, {} units in {offsets:?}", units.len());
        }
    }

    #[test]
    fn a_crosshead_never_ends_a_column() {
        let mut u = lines(6, 10.0);
        u[2].1 = true; // a crosshead as the third unit
        assert_eq!(fill(&u, &[0.0, 0.0, 0.0], 30.0).unwrap(), vec![0, 0, 1, 1, 1, 2]);
        // Where it must not fire: the crosshead and its line fit together.
        assert_eq!(fill(&u, &[0.0, 0.0], 40.0).unwrap(), vec![0, 0, 0, 0, 1, 1]);
    }

    fn article(paras: usize, chars: usize) -> Article {
        Article {
            headline: Some("测试标题 副行".into()),
            byline: Some("本报讯（记者 某某）".into()),
            blocks: (0..paras)
                .map(|i| Block::Paragraph { text: "字".repeat(chars), line: 10 + i as u32 })
                .collect(),
            lines: [1, 20],
            ..Default::default()
        }
    }

    fn story(a: &Article, s: &Setter<Fixed>) -> Story<String> {
        let mut w = vec![];
        Story::prepare(s, ArticleRef { page: 0, article: 0 }, a, Path::new("."), &mut w)
    }

    #[test]
    fn body_is_set_at_column_width_once() {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let mut a = article(3, 26); // 2 em indent + 26 chars = 3 lines of 13
        a.byline = Some("□ 记者 某某".into());
        let st = story(&a, &s);
        assert_eq!(st.body_lines(), 1 + 3 * 3, "a byline line of its own, then the paragraphs");
    }

    #[test]
    fn a_dateline_byline_runs_in_at_the_body_start() {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let a = article(1, 21); // 2 em + 本报讯（记者 某某）(9.5 em) + 21 chars = 32.5 em: 3 lines of 13
        let st = story(&a, &s);
        let lines: Vec<(String, LineId)> = st
            .units
            .iter()
            .filter_map(|u| match &u.content {
                UnitContent::Line { line, id, .. } => Some((line.line.clone(), *id)),
                _ => None,
            })
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].0.starts_with("本报讯（记者 某某）字"), "the body goes on on the byline's line: {lines:?}");
        assert!(lines.iter().all(|(_, id)| id.item == 1), "the lines are the paragraph's");
    }

    #[test]
    fn plan_opens_leading_to_reach_a_target_but_not_past_its_limit() {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let a = article(8, 50);
        let st = story(&a, &s);
        let part = Part { start: 0, end: st.units.len(), head: HeadKind::Full(Rank::Article), figures: true, jump_in: false, jump_out: false };
        let nat = st.natural(&s, &part, 3);
        let p = st.plan(&s, &part, 3, nat.height * 1.1);
        assert!(p.leading > 1.0 && p.leading <= t.grid.max_leading_stretch);
        assert!(p.height <= nat.height * 1.1 + EPS);
        let max = st.plan(&s, &part, 3, nat.height * 10.0);
        assert!((max.leading - t.grid.max_leading_stretch).abs() < 1e-3);
        assert!(max.head_space <= s.max_head_space() + EPS);
    }

    #[test]
    fn the_jump_line_follows_the_last_line_and_never_opens_a_column() {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let g = &s.geometry;
        let column_of = |x: f32| (x / (g.column_width + g.gutter)).floor() as i32;
        let mut orphans_without_the_keep = 0;
        for paras in 1..9 {
            for chars in [20, 37, 61, 90] {
                // The source's order: text, its jump line, then a QR promo that closes the article.
                let mut a = article(paras, chars);
                a.blocks.push(Block::Promo { text: "扫码关注".into(), line: 30 });
                let st = story(&a, &s);
                let part = Part { start: 0, end: st.units.len(), head: HeadKind::Full(Rank::Article), figures: true, jump_in: false, jump_out: true };
                for columns in 1..=5 {
                    let plan = st.natural(&s, &part, columns);
                    let mut marks = Vec::new();
                    st.emit(&s, &part, &plan, 0.0, 0.0, None, Some(Jump { page: 2, to: None }), &mut marks);
                    let texts: Vec<(usize, i32, f32, &str)> = marks
                        .iter()
                        .enumerate()
                        .filter_map(|(n, m)| match m {
                            Mark::Text { x, y_baseline, line, id, .. } if id.is_some() || line.contains("下转") => Some((n, column_of(*x), *y_baseline, line.as_str())),
                            _ => None,
                        })
                        .collect();
                    let j = texts.iter().position(|t| t.3 == "（下转2版）").expect("the jump line is drawn");
                    let frame = marks.iter().position(|m| matches!(m, Mark::Frame { .. })).expect("the promo is drawn");
                    let case = format!("{paras} paragraphs of {chars} at {columns} columns");
                    assert!(j > 0 && texts[j - 1].3.contains('字'), "{case}: the jump line comes right after the text");
                    assert!(frame > texts[j].0, "{case}: the promo comes after the jump line");
                    let (last, jump) = (texts[j - 1], texts[j]);
                    assert!(last.1 == jump.1 && last.2 < jump.2, "{case}: the jump line is under the last line, in its column");
                    // How often the fill alone would have put the jump at a column's top.
                    let mut h = Vec::new();
                    st.unit_heights(&s, &part, 1.0, &mut h);
                    let n = st.jump_out_at(&part).unwrap() - part.start;
                    h[n - 1].1 = false;
                    let mut offsets = Vec::new();
                    column_offsets(plan.columns, plan.figure_span, plan.figure_height, &mut offsets);
                    let cols = fill(&h, &offsets, balance(&h, &offsets) + EPS * 10.0).unwrap();
                    orphans_without_the_keep += usize::from(cols[n] != cols[n - 1]);
                }
            }
        }
        assert!(orphans_without_the_keep > 0, "the cases include some where the jump alone would open a column");
    }

    #[test]
    fn split_keeps_what_fits_and_ends_with_a_jump() {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let a = article(20, 60);
        let st = story(&a, &s);
        let part = Part { start: 0, end: st.units.len(), head: HeadKind::Full(Rank::Article), figures: true, jump_in: false, jump_out: false };
        let nat = st.natural(&s, &part, 2);
        let half = st.split(&s, part, 2, nat.height / 2.0, 3).unwrap();
        assert!(half.jump_out && half.end < part.end && half.end > part.start);
        assert!(st.natural(&s, &half, 2).height <= nat.height / 2.0 + EPS);
        assert!(st.split(&s, part, 2, 10.0, 3).is_none());
    }
}
