//! Timing a run's stages for the per-stage profile, shared by `run` and `night`.

/// Times the stages of a night for the per-stage profile (BENCHMARKS.md, "Whole run"): each
/// `done` logs, at debug level (`RUST_LOG=info,vetrecon=debug`), the seconds since the last
/// stage ended and the peak resident memory so far. Timings go to the log only, never into
/// an output, so outputs stay byte-identical from night to night.
/// Shared between threads: a night's stages may end on either side of a `rayon::join`.
pub struct StageClock(std::sync::Mutex<std::time::Instant>);

impl Default for StageClock {
    fn default() -> Self {
        StageClock(std::sync::Mutex::new(std::time::Instant::now()))
    }
}

impl StageClock {
    pub fn done(&self, stage: &'static str) {
        let now = std::time::Instant::now();
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let seconds = now
            .duration_since(std::mem::replace(&mut *last, now))
            .as_secs_f64();
        tracing::debug!(
            stage,
            seconds = format!("{seconds:.3}"),
            peak_rss_mb = peak_rss_mb(),
            "stage done"
        );
    }
}

/// Peak resident memory of this process so far, in MiB (0 where the OS cannot say).
pub fn peak_rss_mb() -> u64 {
    #[cfg(unix)]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            // SAFETY: initialised by the successful call above.
            let kb = unsafe { usage.assume_init() }.ru_maxrss as u64;
            return kb / 1024;
        }
    }
    0
}
