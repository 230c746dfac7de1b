//! Pages as data: a [`Frame`] is one page, its [`Item`]s positioned in points from the page's
//! top-left corner. The layout fills frames; [`crate::pdf::render`] writes them. Nothing here
//! knows about PDF syntax, so a layout can be tested by looking at its frames.

use std::sync::Arc;

use super::text::Line;

/// A process colour. Print needs CMYK (issue 6), so there is no RGB here at all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    pub c: f32,
    pub m: f32,
    pub y: f32,
    pub k: f32,
}

impl Color {
    /// Body text and rules: 100 % black only, so text never mis-registers.
    pub const BLACK: Color = Color { c: 0.0, m: 0.0, y: 0.0, k: 1.0 };
    pub const WHITE: Color = Color { c: 0.0, m: 0.0, y: 0.0, k: 0.0 };

    /// A colour from its four inks, each 0.0–1.0 (clamped).
    pub fn cmyk(c: f32, m: f32, y: f32, k: f32) -> Color {
        let clamp = |v: f32| v.clamp(0.0, 1.0);
        Color { c: clamp(c), m: clamp(m), y: clamp(y), k: clamp(k) }
    }
}

/// A picture to place: the encoded file (JPEG or PNG) as read, and a name for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A page of the same document, counted from 0, at its top.
    Page(usize),
    Uri(String),
}

/// One thing drawn on a page. Coordinates are points from the page's top-left, y downwards.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A set line: its glyphs' x are relative to `x`, its baseline at `y_baseline`.
    Text { x: f32, y_baseline: f32, line: Line, size: f32, color: Color },
    /// A straight rule from one point to another, `width` points thick.
    Rule { from: (f32, f32), to: (f32, f32), width: f32, color: Color },
    /// A rectangle, `y` its top edge, outlined and/or filled.
    Rect { x: f32, y: f32, w: f32, h: f32, stroke: Option<(f32, Color)>, fill: Option<Color> },
    /// A picture scaled into the box whose top-left is (`x`, `y`).
    Image { x: f32, y: f32, w: f32, h: f32, image: Arc<Picture> },
    /// A clickable area (x, y of its top-left, width, height).
    Link { rect: (f32, f32, f32, f32), target: LinkTarget },
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Frame {
    pub fn new(width: f32, height: f32) -> Frame {
        Frame { width, height, items: Vec::new() }
    }
}
