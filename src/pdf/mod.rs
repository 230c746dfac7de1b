//! The PDF edition: fonts, the text engine, page layout, rendering, and the PDF/X pass that
//! makes the rendered file print-ready ([`pdfx`]).

pub mod pdfx;
