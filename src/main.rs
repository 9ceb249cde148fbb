//! The `davsuite` binary: everything lives in the library; see `davsuite --help`.

fn main() {
    bound_allocator_memory();
    std::process::exit(davsuite::cli::main());
}

/// Keeps glibc from holding on to freed response buffers. Requests run on tokio's blocking
/// threads, each of which would get its own malloc arena, and glibc raises its mmap threshold
/// after every large free, so a year-long calendar-query answer (~10 MB) was kept per thread:
/// the query benchmark peaked at 312 MB. Four arenas and a fixed 4 MiB threshold (larger
/// buffers are mapped and returned to the system on free) brought it to 95 MB; two arenas and
/// 1 MiB gave 61 MB but slowed queries by mapping every mid-sized answer.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bound_allocator_memory() {
    // glibc's mallopt(3) parameters.
    const M_MMAP_THRESHOLD: i32 = -3;
    const M_ARENA_MAX: i32 = -8;
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    // SAFETY: mallopt only sets allocator tunables; it is called before any other thread
    // exists, and a refused setting (return 0) leaves glibc's defaults, which are still correct.
    unsafe {
        mallopt(M_ARENA_MAX, 4);
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
    }
}

/// Other platforms keep their allocator's defaults.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bound_allocator_memory() {}
