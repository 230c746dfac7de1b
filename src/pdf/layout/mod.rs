//! Page layout: the articles made up into fixed pages on the template's column grid.
//!
//! Runs between the text engine and the renderer, in stages, one file each:
//! [`template`] (trim, grid, type per role) → [`blocks`] (an article set as a modular block at a
//! width in columns) → [`page`] (blocks placed on a page's column skyline, balanced to the type
//! area's bottom) → [`jumps`] (what does not fit continues on the next page with room, with jump
//! lines both ways); [`masthead`] sets page 1's 报头 and 报眼 and every other page's 报眉. The
//! search's caches are `FxHashMap`s: their keys are small integers layout makes itself.
//!
//! Layout never sees glyphs or PDF bytes: it measures text through [`Measure`] (the engine, or a
//! fixed-pitch fake in tests) and returns [`Mark`]s positioned in points from the page's top-left,
//! which the edition turns into the renderer's frames.

pub mod blocks;
pub mod jumps;
pub mod masthead;
pub mod page;
pub mod template;

use std::path::PathBuf;

use crate::model::ArticleRef;
use template::{Cmyk, Role};

/// One set line as the layout needs it: what the renderer draws, and where it sits.
#[derive(Debug, Clone)]
pub struct SetLine<L> {
    pub line: L,
    /// Offset of the line's start within its measure (centred and right-aligned lines).
    pub x: f32,
    /// Width of the line's ink advance.
    pub width: f32,
}

/// Sets text: the one thing layout asks of the text engine.
pub trait Measure {
    type Line: Clone;

    /// Sets `text` in `role`'s type at `width` points; `source_line` is for warnings.
    fn set(&self, text: &str, role: &Role, width: f32, source_line: u32) -> Vec<SetLine<Self::Line>>;

    /// How many lines [`Measure::set`] gives: all a search for a measure asks at each step.
    fn count(&self, text: &str, role: &Role, width: f32, source_line: u32) -> usize {
        self.set(text, role, width, source_line).len()
    }

    /// Sets `text` as [`Measure::set`] does, with `lead` run in at its start in `lead_role`'s face
    /// (the roles share a size): a byline on the first line of the body.
    fn set_run_in(&self, lead: &str, lead_role: &Role, text: &str, role: &Role, width: f32, source_line: u32) -> Vec<SetLine<Self::Line>>;
}

/// Identifies one line of an article's body flow: the `line`-th line of flow item `item` of the
/// article at `article`. Every such line is placed exactly once in the edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineId {
    pub article: ArticleRef,
    pub item: usize,
    pub line: usize,
}

/// A link's destination: a page (0-based index into the edition) and a height on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Destination {
    pub page: usize,
    pub y: f32,
}

/// Something drawn on a page, in points from the page's top-left.
#[derive(Debug, Clone)]
pub enum Mark<L> {
    Text { x: f32, y_baseline: f32, line: L, size: f32, color: Cmyk, id: Option<LineId> },
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Cmyk },
    /// A framed (and maybe tinted) rectangle: boxes, photo and QR placeholders.
    Frame { x: f32, y: f32, w: f32, h: f32, stroke: f32, fill: Option<Cmyk> },
    /// A photo from the folder, scaled into the rectangle (its aspect is kept upstream).
    Image { src: PathBuf, x: f32, y: f32, w: f32, h: f32 },
    /// A clickable area (jump lines) taking the reader to `to`.
    Link { x: f32, y: f32, w: f32, h: f32, to: Destination },
}

/// Where one block stands on its page: the rectangle the invariants are checked on.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The article; `None` for the masthead band, running head and notes.
    pub article: Option<ArticleRef>,
    /// The part of the article (0 = where it starts; 1.. = continuations).
    pub part: usize,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// First column and number of columns.
    pub column: u32,
    pub columns: u32,
}

/// An outline entry: an article's headline and where its block begins.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub y: f32,
}

/// One finished page.
#[derive(Debug, Clone)]
pub struct LaidPage<L> {
    pub number: u32,
    pub section: Option<String>,
    pub marks: Vec<Mark<L>>,
    pub blocks: Vec<Placed>,
    pub outline: Vec<OutlineEntry>,
}

/// The laid-out edition.
#[derive(Debug, Clone)]
pub struct Edition<L> {
    pub pages: Vec<LaidPage<L>>,
    pub width: f32,
    pub height: f32,
}

#[cfg(test)]
pub(crate) mod fake {
    //! A fixed-pitch stand-in for the text engine: every character one em (Latin half), greedy
    //! breaks, lines carry their text so tests can check what went where.
    use super::*;

    pub struct Fixed;

    fn advance(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    impl Measure for Fixed {
        type Line = String;
        fn set(&self, text: &str, role: &Role, width: f32, _source_line: u32) -> Vec<SetLine<String>> {
            let size = role.size.pt();
            let mut out = Vec::new();
            for para in text.split('\n') {
                let mut cur = String::new();
                let mut w = role.indent * size;
                let mut first = true;
                for c in para.chars() {
                    let a = advance(c) * size;
                    if w + a > width + 0.01 && !cur.is_empty() {
                        out.push(line(cur, w, width, role, first));
                        cur = String::new();
                        w = role.hanging * size;
                        first = false;
                    }
                    cur.push(c);
                    w += a;
                }
                if !cur.is_empty() || out.is_empty() {
                    out.push(line(cur, w, width, role, first));
                }
            }
            out
        }

        fn set_run_in(&self, lead: &str, _lead_role: &Role, text: &str, role: &Role, width: f32, line: u32) -> Vec<SetLine<String>> {
            self.set(&format!("{lead}{text}"), role, width, line)
        }
    }

    fn line(text: String, w: f32, width: f32, role: &Role, _first: bool) -> SetLine<String> {
        let x = match role.align {
            template::Alignment::Center => ((width - w) / 2.0).max(0.0),
            template::Alignment::Right => (width - w).max(0.0),
            _ => 0.0,
        };
        SetLine { line: text, x, width: w }
    }
}
