//! Times the photo pipeline on a 12 MP phone-sized JPEG.
//!
//! Run with `cargo run --release --example pipeline_bench [path] [runs] [stored long side]`
//! (1024 by default: what a vision model at high detail gets; 512 is what is stored when none
//! does, as with the offline generator).

use std::time::{Duration, Instant};

use fursona::domain::photo::{PhotoLimits, prepare};

const DEFAULT_PHOTO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/photos/astronaut-12mp.jpg"
);
const DEFAULT_RUNS: usize = 20;
/// Linux reports process CPU time in clock ticks; 100 per second on every mainstream build.
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| DEFAULT_PHOTO.to_owned());
    let runs = match args.next() {
        Some(runs) => runs.parse()?,
        None => DEFAULT_RUNS,
    };
    let mut limits = PhotoLimits::default();
    if let Some(side) = args.next() {
        limits.stored_long_side = side.parse()?;
    }
    let bytes = std::fs::read(&path)?;

    // One untimed run so page faults and thread start-up do not count against the first sample.
    let warm = prepare(&bytes, &limits)?;
    let cpu_before = process_cpu_seconds();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let photo = prepare(&bytes, &limits)?;
        times.push(started.elapsed());
        std::hint::black_box(photo);
    }
    let cpu_after = process_cpu_seconds();

    let total: Duration = times.iter().sum();
    let min = times.iter().min().copied().unwrap_or_default();
    println!("photo:      {path}");
    println!("bytes in:   {}", bytes.len());
    println!(
        "stored:     {}x{}, {} bytes",
        warm.stored.width,
        warm.stored.height,
        warm.stored.bytes.len()
    );
    println!(
        "low detail: {}x{}, {} bytes",
        warm.low_detail.width,
        warm.low_detail.height,
        warm.low_detail.bytes.len()
    );
    println!("runs:       {runs}");
    if runs > 0 {
        println!("wall mean:  {:.1} ms", millis(total) / runs as f64);
        println!("wall min:   {:.1} ms", millis(min));
        if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
            println!(
                "cpu mean:   {:.1} ms (all threads, 10 ms tick resolution)",
                (after - before) * 1000.0 / runs as f64
            );
        }
    }
    match peak_rss_kib() {
        Some(kib) => println!("peak RSS:   {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak RSS:   unavailable (no /proc/self/status)"),
    }
    Ok(())
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// User + system CPU time of the whole process, from /proc/self/stat (Linux only).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may contain spaces; the numeric fields start after its closing ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the full line, 12 and 13 after the name.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / CLOCK_TICKS_PER_SECOND)
}

/// Peak resident set size (VmHWM) in KiB, from /proc/self/status (Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
