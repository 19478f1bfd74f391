//! Thread placement for the SQLite writer.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every statement and
//! result across a channel. When the task issuing statements runs on another CPU, each hand-off
//! wakes a sleeping CPU, which costs more than the statement itself (inside a VM most of all):
//! ingesting 10,000 emails spent half its time idle between the two threads. A thread created
//! from a pinned thread inherits the pin, so a writer connection opened from a thread pinned to
//! CPU *n*, driven by a thread pinned to *n* as well, hands off on one CPU: measured 1.4× faster.
//! Elsewhere than Linux these functions do nothing.

/// The CPU the writer and the mail worker share: the last one, away from CPU 0 where
/// interrupts and the rest of the system tend to land.
pub fn writer_cpu() -> Option<usize> {
    let n = std::thread::available_parallelism().map(|n| n.get()).ok()?;
    (n > 1).then(|| n - 1)
}

/// Pins the calling thread (and the threads it creates from now on) to `cpu`.
#[cfg(target_os = "linux")]
pub fn pin_current_thread(cpu: usize) -> bool {
    // SAFETY: cpu_set_t is plain data; zeroed is its empty set, and CPU_SET stays in bounds
    // (checked against CPU_SETSIZE).
    unsafe {
        if cpu >= libc::CPU_SETSIZE as usize {
            return false;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

/// Lets the calling thread run on every CPU again.
#[cfg(target_os = "linux")]
pub fn unpin_current_thread() {
    // SAFETY: as above; the kernel ignores CPUs the process may not use.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for cpu in 0..libc::CPU_SETSIZE as usize {
            libc::CPU_SET(cpu, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn pin_current_thread(_cpu: usize) -> bool {
    false
}

#[cfg(not(target_os = "linux"))]
pub fn unpin_current_thread() {}
