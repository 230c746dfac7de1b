//! The broadsheet PDF edition: fonts, the Chinese text engine, page layout and rendering.

pub mod layout;
