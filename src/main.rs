//! The `papertool` command: a thin shell over the library; see `cli`.

mod cli;

/// mimalloc rather than the system's allocator: the text engine, layout and PDF writer make and
/// drop millions of small vectors, and glibc's malloc and free were a fifth of the instructions
/// of `papertool pdf`. Callgrind: pdf seed 214 M -> 180 M, four-page jialing 886 M -> 742 M,
/// epub seed 135 M -> 131 M. Built without transparent huge pages (`no_thp`): with them a
/// batch of 200 issues peaked at 133-157 MB against the 150 MB target, without them 113-124 MB
/// (glibc: 82 MB) for the same instructions; one four-page PDF peaks at 52 MB (glibc: 54 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
