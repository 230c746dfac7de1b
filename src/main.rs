//! The `papertool` command: a thin shell over the library; see `cli`.

mod cli;

/// mimalloc rather than the system's allocator: the text engine, layout and PDF writer make and
/// drop millions of small vectors, and glibc's malloc and free were a fifth of the instructions
/// of `papertool pdf`. Callgrind: pdf seed 214 M -> 180 M, four-page jialing 886 M -> 742 M,
/// epub seed 135 M -> 131 M. With transparent huge pages where the system allows them, but
/// not for a batch of issues, whose peak memory they would push over its target: see
/// `papertool::batch`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
