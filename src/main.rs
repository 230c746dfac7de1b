//! The `papertool` command: a thin shell over the library; see `cli`.

mod cli;

/// mimalloc rather than the system's allocator: the text engine, layout and PDF writer make and
/// drop millions of small vectors, and glibc's malloc and free were a fifth of the instructions
/// of `papertool pdf`. Callgrind: pdf seed 214 M -> 180 M, four-page jialing 886 M -> 742 M,
/// epub seed 135 M -> 131 M. Version 2 rather than 3: on the same runs it touches less memory
/// (the seed's PDF peaks at 48 MB instead of 54, a batch of 200 issues at 84 MB instead of 114)
/// and is 1-5 % faster (alternating runs, 50 each). Tuned for the run at hand by
/// [`tune_allocator`].
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h, in versions 2 and
/// 3 alike; the crate names only the older options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the allocator up for converting `issues` issues.
///
/// One issue: memory is never handed back to the system. mimalloc purges (`madvise`) what has
/// lain unused for a second, and at exit; a run of one issue lasts a few dozen milliseconds, so
/// purging only splits the huge pages it will touch again and is 20 system calls at exit (the
/// seed's `pdf`: 0.3 ms of 10 sooner reaped).
///
/// Several: the kernel's small pages only. The allocator takes transparent huge pages where the
/// system allows them: a fault maps and zeroes 2 MB, not 4 KB, and one issue's PDF is made with
/// a fifth of the page faults (jialing's: 730 instead of 3 200, 6 ms sooner out of 66). But each
/// core's heap then holds whole 2 MB pages it only partly uses, which costs a batch 40–60 MB at
/// its peak (143–159 MB for 200 issues, against the 150 MB it must stay under; 103–116 MB with
/// them turned off here) for no gain in time.
pub fn tune_allocator(issues: usize) {
    if issues == 1 {
        // SAFETY: sets one of mimalloc's option values; touches no memory of ours.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    } else {
        #[cfg(target_os = "linux")]
        // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

/// Makes this thread one of rayon's workers, so that the pool starts one thread fewer than it has
/// cores. Each thread that allocates gets heap segments of its own, and on a system with
/// transparent huge pages each of them is first touched 2 MB at a time: with the main thread
/// waiting beside two workers, jialing's PDF zeroed 16 huge pages, with it working as one of two,
/// 12 (alternating runs: 50.8 → 47.5 ms of CPU, 40.4 → 37.5 ms wall; the seed's EPUB 22.9 →
/// 21.9 ms of CPU). Called before anything uses the pool; a pool already built is left as it is.
///
/// `alone`: this thread is the whole pool. For one EPUB: its parallel parts (the cover beside
/// the subsets and the rest) are a few milliseconds each, and a second thread's heap costs more
/// CPU in fresh pages than it saves in wall time (the seed's book, between runs of pandoc as in
/// the bench: 9.8 → 8.8 ms of CPU, 8.9 → 9.2 ms wall; jialing's 14.2 → 12.9 ms of CPU, 10.6 →
/// 13.1 ms wall). A PDF's pages and a batch's issues keep every core.
pub fn start_workers(alone: bool) {
    let pool = rayon::ThreadPoolBuilder::new().use_current_thread();
    let _ = if alone { pool.num_threads(1) } else { pool }.build_global();
}

fn main() {
    std::process::exit(cli::run());
}
