//! The broadsheet PDF edition: fonts, the Chinese text engine, page frames and rendering.
//!
//! Data flows one way: [`fonts::FontSet`] (the faces, parsed once) → [`text::set`] (a run of
//! text, a style and a width in, positioned glyph lines out) → the layout places those lines
//! into [`frame::Frame`]s (one per page, items in points from the page's top-left) →
//! [`render::render`] writes the frames as a PDF document, each page's content stream with
//! [`content::ContentWriter`]. Only `render` knows about printpdf.
//! [`edition::write`] wires the whole; [`outline`] adds bookmarks and the language after render;
//! [`pdfx`] makes the rendered document print-ready (PDF/X); [`serialize`] writes it, once.

pub mod content;
pub mod edition;
pub mod fonts;
pub mod frame;
pub mod layout;
pub mod outline;
pub mod pdfx;
pub mod render;
pub mod serialize;
pub mod text;
