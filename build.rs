//! Links the `papertool` binary as a position-dependent executable on Linux.
//!
//! A position-independent one is relocated by the dynamic loader at every start: 13 000 pointers
//! in its tables, which writes (and so copies) each of their 60 pages. A run of `papertool epub`
//! on the seed takes about 10 ms of CPU, and that was half a millisecond of it (alternating runs,
//! 60 each: 10.5 → 10.0 ms). The cost is that the executable's own image is not placed at a random
//! address (its libraries, heap and stacks still are), as with Go's binaries by default; a
//! packager who wants it back builds with `PAPERTOOL_PIE=1`. Only the binary: the library and
//! the tests are built as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PAPERTOOL_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var_os("PAPERTOOL_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
