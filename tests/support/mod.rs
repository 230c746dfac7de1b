//! Code shared by the whole-command tests and the examples.
pub mod testpage;
