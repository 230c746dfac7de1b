//! Make-up of one page: blocks placed on the column grid, then balanced to the type area's bottom.
//!
//! Third stage of the layout (template → blocks → **pages**). The page's parts go onto its column
//! skyline top-down in text order, each as a rectangle on a run of columns whose tops are level,
//! at the highest such run. Because every block sits on a level run, the lowest blocks partition
//! the columns; balancing then opens each of them (and the blocks of the same width above it) by
//! the space left under it, within the template's bounds. A part too tall for the room left is cut
//! where the room ends and its rest carried to the next page; a part with no room at all waits.
//!
//! A beam search tries a few widths per part (the lead 4–8 columns, others 2–5, briefs 1–2) and
//! keeps the make-up with the least space it cannot fill and the fewest jumps. It judges each
//! partial make-up by completing it greedily, so it asks the same few parts' shapes thousands of
//! times: those are worked out once per page (`Shapes`); and once no make-up can take another
//! part, the rest go on to the next page untried.

use std::cell::RefCell;

use super::blocks::{HeadKind, Part, Plan, Rank, Setter, Story, EPS};
use rustc_hash::FxHashMap;
use super::template::Template;
use super::Measure;

/// Parts kept per step of the search: enough to find a full page among the few shapes a page of
/// six to ten articles can take, few enough for a page to take about a millisecond.
const BEAM: usize = 16;

/// Cost of a jump, in square points of unfilled page: an editor would rather leave a hole of
/// about a column by 25 lines than send a reader to another page.
const JUMP_COST: f32 = 117.0 * 13.5 * 25.0;

/// Cost of carrying a whole part to the next page: worse than a jump, still better than a hole of
/// half a page.
const DEFER_COST: f32 = JUMP_COST * 4.0;

/// Cost of each column a lead is narrower than it may be: about two lines of a column, so a
/// narrower lead wins only where it fills the page better.
const NARROW_LEAD_COST: f32 = 117.0 * 13.5 * 2.0;

/// A part is only cut when at least this many units of it stay on the page, and go on (a lone
/// line or two at a column's foot, or a continuation of two lines, reads as a mistake).
const MIN_SPLIT_UNITS: usize = 6;

/// A part gets one more column it may take for every this many lines: about half a column of a
/// broadsheet page.
const LINES_PER_WIDE_COLUMN: usize = 50;

/// Fewest lines a column of a block of more than the narrowest width should hold.
const MIN_LINES_PER_COLUMN: usize = 6;

/// One part to place, in reading order: which story and what run of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub story: usize,
    pub part: Part,
}

/// A part placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub story: usize,
    pub part: Part,
    pub column: u32,
    pub y: f32,
    pub plan: Plan,
}

/// A made-up page: its slots, and what it could not hold (carried on, in reading order).
#[derive(Debug, Clone)]
pub struct Made {
    pub slots: Vec<Slot>,
    pub carried: Vec<Item>,
}

#[derive(Clone)]
struct State {
    sky: Vec<f32>,
    slots: Vec<Slot>,
    /// How far each slot's block can open past its natural height, for scoring.
    open: Vec<f32>,
    carried: Vec<Item>,
    penalty: f32,
}

/// Where the search judges each make-up it tries, reused for every one: the page completed, and
/// the skyline's level runs and highest and lowest tops (left of each column, and from each
/// column on) at each step, which how level a move leaves the skyline is read off.
struct Scratch {
    state: State,
    runs: Vec<Run>,
    before: Vec<(f32, f32)>,
    after: Vec<(f32, f32)>,
}

impl State {
    /// Makes this a copy of `other` in the buffers it has (the search judges every make-up it
    /// tries in one state).
    fn copy_from(&mut self, other: &State) {
        self.sky.clone_from(&other.sky);
        self.slots.clone_from(&other.slots);
        self.open.clone_from(&other.open);
        self.carried.clone_from(&other.carried);
        self.penalty = other.penalty;
    }
}

/// Widths (in columns) a part may take on its page.
fn widths(t: &Template, story_lines: usize, head: HeadKind) -> std::ops::RangeInclusive<u32> {
    let [lo, hi] = match head {
        HeadKind::Full(Rank::Lead) => t.widths.lead,
        HeadKind::Full(Rank::Brief) => t.widths.brief,
        _ if story_lines <= t.widths.brief_lines as usize => t.widths.brief,
        _ => t.widths.article,
    };
    // A part longer than its widest block could hold on a page may take more of the page, so a
    // long continuation does not leave the rest of its page empty.
    let hi = hi.max((story_lines / LINES_PER_WIDE_COLUMN) as u32);
    lo..=hi.min(t.grid.columns)
}

/// The rank a new article takes on its page: the first is the lead, short ones are briefs.
pub fn rank(t: &Template, first_on_page: bool, body_lines: usize) -> Rank {
    if first_on_page {
        Rank::Lead
    } else if body_lines <= t.widths.brief_lines as usize {
        Rank::Brief
    } else {
        Rank::Article
    }
}

/// A part's shape at one width: its natural plan, and how far it can open past it.
#[derive(Debug, Clone)]
struct Shape {
    plan: Plan,
    open: f32,
}

/// One way to place an item on a make-up, and the make-up's penalty after it.
struct Move {
    /// Where and how; `None` carries the item to the next page whole.
    place: Option<Placement>,
    penalty: f32,
}

struct Placement {
    column: u32,
    y: f32,
    /// The item's part, or the run of it the room holds (its rest carried on).
    part: Part,
    shape: Shape,
    cut: bool,
}

/// Cuts by item, width and room (its bits): the run the room holds, `None` if too little.
type Cuts = FxHashMap<(usize, u32, u32), Option<(Part, Shape)>>;

/// What the search asks about the page's items again and again, worked out once per page: each
/// item's whole shape at every width it may take, the least height it can be placed at, and —
/// as rooms come up — where it is cut to a room. The search tries thousands of make-ups of the
/// same few items; without this it spent most of its time asking the stories the same things.
struct Shapes<'p, M: Measure> {
    s: &'p Setter<'p, M>,
    stories: &'p [Story<M::Line>],
    items: &'p [Item],
    /// Per item: the widths it may take, with its whole shape at each.
    whole: Vec<Vec<(u32, Shape)>>,
    /// Per item: the widest block it may take (what a narrower lead is measured against).
    widest: Vec<u32>,
    /// `need[w - 1][k]`: the least height any of items `k..` can be placed at in `w` columns,
    /// whole or cut; a make-up whose room at every width is below it can take nothing more.
    need: Vec<Vec<f32>>,
    cuts: RefCell<Cuts>,
}

impl<'p, M: Measure> Shapes<'p, M> {
    fn new(s: &'p Setter<'p, M>, stories: &'p [Story<M::Line>], items: &'p [Item]) -> Self {
        let columns = s.geometry.columns;
        let mut whole = Vec::with_capacity(items.len());
        let mut widest = Vec::with_capacity(items.len());
        let mut need = vec![vec![f32::INFINITY; items.len() + 1]; columns as usize];
        let mut least = Vec::with_capacity(items.len());
        for item in items {
            let story = &stories[item.story];
            let len = item.part.end - item.part.start;
            let allowed = widths(s.template, len, item.part.head);
            let (narrowest, wide) = (*allowed.start(), *allowed.end());
            // The shortest run of it a cut may leave on the page, ending with its jump line.
            let first = (item.part.start + MIN_SPLIT_UNITS).min(item.part.end);
            let first_cut = Part { end: first, jump_out: true, ..item.part };
            let mut shapes = Vec::new();
            let mut lows = vec![f32::INFINITY; columns as usize];
            for w in allowed {
                if w > narrowest && len < w as usize * MIN_LINES_PER_COLUMN {
                    continue; // a block of a few lines a column reads as a strip, not an article
                }
                let shape = shape_of(s, story, &item.part, w);
                let cut = if first < item.part.end { story.natural(s, &first_cut, w).height } else { f32::INFINITY };
                lows[w as usize - 1] = shape.plan.height.min(cut);
                shapes.push((w, shape));
            }
            whole.push(shapes);
            widest.push(wide);
            least.push(lows);
        }
        for (w, need) in need.iter_mut().enumerate() {
            for k in (0..items.len()).rev() {
                need[k] = need[k + 1].min(least[k][w]);
            }
        }
        Shapes { s, stories, items, whole, widest, need, cuts: RefCell::new(FxHashMap::default()) }
    }

    /// Item `k` cut to `room` at `w` columns: the longest run that leaves enough on both sides.
    fn cut(&self, k: usize, w: u32, room: f32) -> Option<(Part, Shape)> {
        let key = (k, w, room.to_bits());
        if let Some(c) = self.cuts.borrow().get(&key) {
            return c.clone();
        }
        let item = &self.items[k];
        let story = &self.stories[item.story];
        let c = story
            .split(self.s, item.part, w, room, MIN_SPLIT_UNITS)
            .filter(|c| item.part.end - c.end >= MIN_SPLIT_UNITS)
            .map(|c| (c, shape_of(self.s, story, &c, w)));
        self.cuts.borrow_mut().insert(key, c.clone());
        c
    }

    /// Whether `st` can take none of the items from `k` on: its room at every width is below
    /// what any of them needs there, so each would be carried on.
    fn full(&self, runs: &[Run], k: usize) -> bool {
        let bottom = self.s.geometry.bottom();
        (1..=self.s.geometry.columns).all(|w| match highest_run(runs, w) {
            None => true,
            Some((_, _, y)) => self.need[w as usize - 1][k] > bottom - y + EPS,
        })
    }

    /// Every way to place item `k` on `st`, in the order the search prefers among equals: each
    /// width it may take at the highest level run that holds it, flush left or right in the
    /// run; cut to the room when too tall; carried on when nothing fits.
    fn moves(&self, st: &State, runs: &[Run], k: usize, mut each: impl FnMut(Move)) {
        let item = &self.items[k];
        let bottom = self.s.geometry.bottom();
        let mut any = false;
        for (w, whole) in &self.whole[k] {
            let w = *w;
            let Some((run_start, run_len, y)) = highest_run(runs, w) else { continue };
            let room = bottom - y;
            let fit = if whole.plan.height <= room + EPS {
                Some((item.part, whole.clone(), false))
            } else {
                // Its shape at the room is settled when the page is balanced.
                self.cut(k, w, room).map(|(part, shape)| (part, shape, true))
            };
            let Some((part, shape, cut)) = fit else { continue };
            let mut penalty = st.penalty;
            if cut {
                penalty += JUMP_COST;
            }
            if item.part.head == HeadKind::Full(Rank::Lead) {
                // The lead reads as the lead when it runs across most of the page.
                penalty += (self.widest[k] - w) as f32 * NARROW_LEAD_COST;
            }
            let right = run_start + run_len - w;
            for column in std::iter::once(run_start).chain((run_len > w).then_some(right)) {
                each(Move { place: Some(Placement { column, y, part, shape: shape.clone(), cut }), penalty });
                any = true;
            }
        }
        if !any {
            each(Move { place: None, penalty: st.penalty + DEFER_COST });
        }
    }

    /// Makes move `mv` of item `k` on `st`; `carry` keeps what it carries on (the search's
    /// look-ahead only scores its make-ups, and needs not).
    fn apply(&self, st: &mut State, k: usize, mv: &Move, carry: bool) {
        let item = &self.items[k];
        match &mv.place {
            Some(p) => {
                place(st, item.story, p.part, p.column, p.y, p.shape.plan.clone());
                st.open.push(p.shape.open);
                if p.cut && carry {
                    st.carried.push(Item {
                        story: item.story,
                        part: Part { start: p.part.end, head: HeadKind::Repeat, figures: false, jump_in: true, ..item.part },
                    });
                }
            }
            None if carry => st.carried.push(*item),
            None => {}
        }
        st.penalty = mv.penalty;
    }
}

/// An item's shape at `w` columns.
fn shape_of<M: Measure>(s: &Setter<M>, story: &Story<M::Line>, part: &Part, w: u32) -> Shape {
    let plan = story.natural(s, part, w);
    let open = (story.stretched(s, part, w).height - plan.height).max(0.0);
    Shape { plan, open }
}

/// Makes up a page whose blocks may use the type area from `top` down.
pub fn make_up<M: Measure>(s: &Setter<M>, stories: &[Story<M::Line>], items: &[Item], top: f32) -> Made {
    let g = &s.geometry;
    let shapes = Shapes::new(s, stories, items);
    let start = State { sky: vec![top; g.columns as usize], slots: vec![], open: vec![], carried: vec![], penalty: 0.0 };
    let mut beam = vec![start];
    let mut scratch = Scratch {
        state: State { sky: vec![], slots: vec![], open: vec![], carried: vec![], penalty: 0.0 },
        runs: vec![],
        before: vec![],
        after: vec![],
    };
    let mut runs = Vec::new();
    for i in 0..items.len() {
        if beam.iter().all(|st| {
            level_runs(&st.sky, &mut runs);
            shapes.full(&runs, i)
        }) {
            // No make-up can take anything more: every one carries the rest on, which leaves
            // their order as it is. An over-full issue of hundreds of articles stops here rather
            // than trying each of them on every make-up.
            for st in &mut beam {
                for item in &items[i..] {
                    st.carried.push(*item);
                    st.penalty += DEFER_COST;
                }
            }
            break;
        }
        // Each move of each make-up, judged by the page it leads to (completed in `scratch`).
        let mut next: Vec<(f32, usize, Move)> = Vec::new();
        for (from, st) in beam.iter().enumerate() {
            level_runs(&st.sky, &mut runs);
            shapes.moves(st, &runs, i, |mv| {
                scratch.state.copy_from(st);
                shapes.apply(&mut scratch.state, i, &mv, false);
                complete(&shapes, &mut scratch, i + 1);
                next.push((score(s, &scratch.state), from, mv));
            });
        }
        // Only the best are made, in order of score; one equal to the make-up kept just before it
        // is dropped.
        next.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut kept: Vec<State> = Vec::with_capacity(BEAM);
        for (_, from, mv) in &next {
            let mut cand = beam[*from].clone();
            shapes.apply(&mut cand, i, mv, true);
            if kept.last().is_some_and(|b| b.slots == cand.slots && b.carried == cand.carried) {
                continue;
            }
            kept.push(cand);
            if kept.len() == BEAM {
                break;
            }
        }
        beam = kept;
    }
    let best = beam
        .into_iter()
        .map(|st| (score(s, &st), st))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, st)| st)
        .expect("the beam is never empty");
    let slots = balance(s, stories, best.slots);
    Made { slots, carried: best.carried }
}

fn place(st: &mut State, story: usize, part: Part, column: u32, y: f32, plan: Plan) {
    for c in column..column + plan.columns {
        st.sky[c as usize] = y + plan.height;
    }
    st.slots.push(Slot { story, part, column, y, plan });
}

/// A run of level columns on the skyline: (first column, run length, its top).
type Run = (u32, u32, f32);

/// The skyline's runs of level columns, left to right (each column level with the run's first),
/// into `runs`.
fn level_runs(sky: &[f32], runs: &mut Vec<Run>) {
    runs.clear();
    let mut i = 0;
    while i < sky.len() {
        let mut j = i + 1;
        while j < sky.len() && (sky[j] - sky[i]).abs() <= EPS {
            j += 1;
        }
        runs.push((i as u32, (j - i) as u32, sky[i]));
        i = j;
    }
}

/// The highest of the `runs` at least `w` columns wide; the leftmost of those level with it.
fn highest_run(runs: &[Run], w: u32) -> Option<Run> {
    let mut best: Option<Run> = None;
    for &(start, len, y) in runs {
        if len >= w && best.is_none_or(|b| y < b.2 - EPS) {
            best = Some((start, len, y));
        }
    }
    best
}

/// Places the items from `k` on the make-up in `scratch` greedily — each where it leaves the
/// skyline most level — so a partial make-up can be judged by the page it leads to. What it
/// carries on is not kept.
fn complete<M: Measure>(shapes: &Shapes<M>, scratch: &mut Scratch, k: usize) {
    let column_width = shapes.s.geometry.column_width;
    let Scratch { state: st, runs, before, after } = scratch;
    for j in k..shapes.items.len() {
        level_runs(&st.sky, runs);
        let extend = |ends: &(f32, f32), top: &f32| (ends.0.max(*top), ends.1.min(*top));
        before.clear();
        before.push((f32::MIN, f32::MAX));
        for top in &st.sky {
            before.push(extend(before.last().expect("it starts with the empty range"), top));
        }
        after.clear();
        after.push((f32::MIN, f32::MAX));
        for top in st.sky.iter().rev() {
            after.push(extend(after.last().expect("it starts with the empty range"), top));
        }
        after.reverse();
        let mut best: Option<(f32, Move)> = None;
        shapes.moves(st, runs, j, |mv| {
            let (hi, lo) = match &mv.place {
                Some(p) => {
                    let (l, r) = (before[p.column as usize], after[(p.column + p.shape.plan.columns) as usize]);
                    let y = p.y + p.shape.plan.height;
                    (l.0.max(r.0).max(y), l.1.min(r.1).min(y))
                }
                None => *before.last().expect("it holds every column"),
            };
            let key = mv.penalty + (hi - lo) * column_width;
            if best.as_ref().is_none_or(|b| key.total_cmp(&b.0).is_lt()) {
                best = Some((key, mv));
            }
        });
        let (_, mv) = best.expect("an item can always be carried on");
        let deferred = mv.place.is_none();
        shapes.apply(st, j, &mv, false);
        // A move carried on leaves the skyline, and so its runs, as they were.
        if deferred && shapes.full(runs, j + 1) {
            // Nothing after it fits either: each is carried on.
            for _ in j + 1..shapes.items.len() {
                st.penalty += DEFER_COST;
            }
            break;
        }
    }
}

/// Blocks whose bottom is the page's lowest in their columns, with the blocks of the same columns
/// above them: the stacks balancing may open. Each is handed to `each` top block first, in
/// `stack`, a buffer the caller may reuse.
fn each_stack(slots: &[Slot], sky: &[f32], stack: &mut Vec<usize>, mut each: impl FnMut(&[usize])) {
    for (i, b) in slots.iter().enumerate() {
        let bottom = b.y + b.plan.height;
        let lowest = (b.column..b.column + b.plan.columns).all(|c| (sky[c as usize] - bottom).abs() <= EPS);
        if !lowest {
            continue;
        }
        // Walk up through blocks of exactly these columns that sit directly on one another.
        stack.clear();
        stack.push(i);
        let mut cur = i;
        while let Some(k) = slots.iter().position(|a| {
            a.column == b.column
                && a.plan.columns == b.plan.columns
                && (a.y + a.plan.height - slots[cur].y).abs() <= EPS
        }) {
            stack.push(k);
            cur = k;
        }
        stack.reverse();
        each(stack);
    }
}

fn skyline(slots: &[Slot], columns: u32, top: f32) -> Vec<f32> {
    let mut sky = vec![top; columns as usize];
    for s in slots {
        for c in s.column..s.column + s.plan.columns {
            sky[c as usize] = sky[c as usize].max(s.y + s.plan.height);
        }
    }
    sky
}

/// What a make-up costs: the area it leaves empty that no block can open into, plus its jumps.
fn score<M: Measure>(s: &Setter<M>, st: &State) -> f32 {
    let g = &s.geometry;
    let bottom = g.bottom();
    let mut empty = 0.0;
    let mut covered = vec![false; g.columns as usize];
    each_stack(&st.slots, &st.sky, &mut Vec::new(), |stack| {
        let b = &st.slots[*stack.last().expect("a stack holds its lowest block")];
        let gap = bottom - (b.y + b.plan.height);
        let can: f32 = stack.iter().map(|&k| st.open[k]).sum();
        empty += (gap - can).max(0.0) * g.span_width(b.plan.columns);
        for c in b.column..b.column + b.plan.columns {
            covered[c as usize] = true;
        }
    });
    for (c, done) in covered.iter().enumerate() {
        if !done {
            empty += (bottom - st.sky[c]) * g.column_width;
        }
    }
    empty + st.penalty
}

/// Opens each lowest stack by the space under it, shared by its blocks as far as each can open.
fn balance<M: Measure>(s: &Setter<M>, stories: &[Story<M::Line>], mut slots: Vec<Slot>) -> Vec<Slot> {
    let g = &s.geometry;
    let bottom = g.bottom();
    let top = slots.iter().map(|x| x.y).fold(bottom, f32::min);
    let sky = skyline(&slots, g.columns, top);
    // All the stacks first: opening one moves its blocks, not which blocks are lowest.
    let mut stacks: Vec<Vec<usize>> = Vec::new();
    each_stack(&slots, &sky, &mut Vec::new(), |stack| stacks.push(stack.to_vec()));
    for stack in stacks {
        let last = *stack.last().expect("a stack holds its lowest block");
        let gap = bottom - (slots[last].y + slots[last].plan.height);
        if gap <= EPS {
            continue;
        }
        let caps: Vec<f32> = stack
            .iter()
            .map(|&k| {
                let sl = &slots[k];
                (stories[sl.story].stretched(s, &sl.part, sl.plan.columns).height - sl.plan.height).max(0.0)
            })
            .collect();
        let total: f32 = caps.iter().sum();
        if total <= EPS {
            continue;
        }
        let share = (gap / total).min(1.0);
        let mut y = slots[stack[0]].y;
        for (n, &k) in stack.iter().enumerate() {
            let sl = &slots[k];
            // The lowest block takes whatever is left, so the stack ends on the bottom line.
            let target = if n + 1 == stack.len() { bottom - y } else { sl.plan.height + caps[n] * share };
            let plan = stories[sl.story].plan(s, &sl.part, sl.plan.columns, target);
            slots[k].y = y;
            y += plan.height;
            slots[k].plan = plan;
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ArticleRef, Block};
    use crate::pdf::layout::fake::Fixed;
    use std::path::Path;

    #[test]
    fn highest_run_finds_the_topmost_level_columns() {
        let sky = [10.0, 10.0, 5.0, 5.0, 5.0, 8.0];
        let runs_of = |sky: &[f32]| {
            let mut runs = vec![(9, 9, 9.0)]; // what a reused buffer held before
            level_runs(sky, &mut runs);
            runs
        };
        let runs = runs_of(&sky);
        assert_eq!(runs, vec![(0, 2, 10.0), (2, 3, 5.0), (5, 1, 8.0)]);
        assert_eq!(highest_run(&runs, 2), Some((2, 3, 5.0)));
        assert_eq!(highest_run(&runs, 4), None);
        assert_eq!(highest_run(&runs_of(&[3.0; 4]), 4), Some((0, 4, 3.0)));
        // Of two runs level within the tolerance, the first is kept.
        assert_eq!(highest_run(&runs_of(&[4.0, 9.0, 4.005]), 1), Some((0, 1, 4.0)));
    }

    fn story(s: &Setter<Fixed>, n: usize, chars: usize) -> Story<String> {
        let a = Article {
            headline: Some(format!("标题{n}")),
            blocks: (0..6).map(|i| Block::Paragraph { text: "字".repeat(chars), line: i }).collect(),
            lines: [1, 6],
            ..Default::default()
        };
        Story::prepare(s, ArticleRef { page: 0, article: n }, &a, Path::new("."), &mut vec![])
    }

    #[test]
    fn a_page_with_enough_text_ends_every_column_on_the_bottom_line() {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let stories: Vec<Story<String>> = (0..6).map(|n| story(&s, n, 160 + 40 * n)).collect();
        let items: Vec<Item> = stories
            .iter()
            .enumerate()
            .map(|(k, st)| Item {
                story: k,
                part: Part {
                    start: 0,
                    end: st.units.len(),
                    head: HeadKind::Full(rank(&t, k == 0, st.body_lines())),
                    figures: true,
                    jump_in: false,
                    jump_out: false,
                },
            })
            .collect();
        let g = t.geometry();
        let made = make_up(&s, &stories, &items, g.top);
        // More text than the page holds: what does not fit is carried on, cut where the room ends.
        assert!(!made.carried.is_empty());
        assert!(made.carried.iter().all(|i| i.part.jump_in || i.part.start == 0));
        let sky = skyline(&made.slots, g.columns, g.top);
        for (c, y) in sky.iter().enumerate() {
            assert!((y - g.bottom()).abs() < 1.0, "column {c} ends at {y}, the type area at {}", g.bottom());
        }
        // Where it must not hold: one short article cannot fill a page, and is not stretched past
        // the template's limits to pretend it does.
        let one = make_up(&s, &stories, &items[..1], g.top);
        let plan = &one.slots[0].plan;
        assert!(plan.leading <= t.grid.max_leading_stretch + 1e-4);
        assert!(one.slots[0].y + plan.height < g.bottom() - 100.0);
    }
}
