//! papertool turns one issue of a Chinese newspaper, as plain text, into an EPUB 3 edition for
//! e-readers and a fixed-page broadsheet PDF for the printer.
//!
//! The pipeline, one module each:
//! - [`model`]: the issue as data (masthead, pages, articles, blocks), serde, `papertool.issue/1`;
//! - [`frontend`]: decode → pages → line roles → articles → repairs, text in, [`model::Issue`] out;
//! - [`epub`]: the reflowable e-reader edition, reading only the model;
//! - `pdf`: fonts, the Chinese text engine, page layout and rendering, reading only the model;
//! - [`batch`]: many issues at once, in parallel, with progress and a summary;
//! - [`output`]: atomic writes shared by the writers; [`xml`]: escaping shared by the writers;
//!   [`error`]: messages and exit codes.

// These docs are for the people who work on papertool: `cargo doc --document-private-items`, where
// a public item's doc may point at the private one that does the work.
#![allow(rustdoc::private_intra_doc_links)]

pub mod batch;
pub mod epub;
pub mod error;
pub mod fonts;
pub mod frontend;
pub mod model;
pub mod output;
pub mod pdf;
pub mod xml;
