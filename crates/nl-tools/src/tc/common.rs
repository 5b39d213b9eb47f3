//! What qdiscs, classes, filters and actions share: device names, the
//! counters lines, numbers in tc's bases.

use std::collections::HashMap;
use std::io::Write;

use anyhow::{Context, Result};
use netlink::Handle;
use netlink::nl_route::tc::Stats;
use netlink::nl_route::tc::units::{self, Rate};
use serde_json::{Map, Value, json};

/// Index → name of every link.
pub type Names = HashMap<u32, String>;

/// The [`Names`] of every link the handle sees.
pub fn names(h: &Handle) -> Result<Names> {
    Ok(h.link_list()?
        .into_iter()
        .map(|l| (l.index, l.name))
        .collect())
}

/// A link's name, or `if{index}` when it has gone.
pub fn name(names: &Names, index: u32) -> String {
    netlink::nl_route::text::Dev(names, index).to_string()
}

pub use crate::args::number;

/// Bytes as lower-case hex digits, as tc prints cookies, labels and tags.
pub fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex digits as bytes, two digits a byte (ct labels, cookies); `None`
/// for an odd count or a non-hex digit.
pub fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A hex number with or without `0x` (u32 values and masks, htb's default).
pub fn hex(s: &str) -> Result<u32> {
    let digits = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    u32::from_str_radix(digits, 16).with_context(|| format!("invalid hex number \"{s}\""))
}

/// `%#x` of C: `0` for zero, `0x..` otherwise.
pub fn c_hex(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// tc's `sprint_time`: a time in microseconds, whole below a
/// millisecond (`0us`, `500us`), else three digits (`1.5ms`, `2s`).
pub fn us_time(us: u64) -> String {
    if us < 1000 {
        format!("{us}us")
    } else {
        units::format_time(std::time::Duration::from_micros(us))
    }
}

/// tc's two counters lines (`-s`).
pub fn stats_text(s: &Stats) -> String {
    format!(
        " Sent {} bytes {} pkt (dropped {}, overlimits {} requeues {}) \n backlog {}b {}p requeues {}",
        s.bytes, s.packets, s.drops, s.overlimits, s.requeues, s.backlog, s.qlen, s.requeues
    )
}

/// tc's counters keys (`-j -s`), added to an object.
pub fn stats_json(m: &mut Map<String, Value>, s: &Stats) {
    for (k, v) in [
        ("bytes", json!(s.bytes)),
        ("packets", json!(s.packets)),
        ("drops", json!(s.drops)),
        ("overlimits", json!(s.overlimits)),
        ("requeues", json!(s.requeues)),
        ("backlog", json!(s.backlog)),
        ("qlen", json!(s.qlen)),
    ] {
        m.insert(k.into(), v);
    }
}

/// Prints a listing: a JSON array, or text objects one after another.
pub fn print_list(
    out: &mut dyn Write,
    opts: &super::Opts,
    items: Vec<(Value, String)>,
) -> Result<()> {
    if opts.json {
        let all: Vec<Value> = items.into_iter().map(|(j, _)| j).collect();
        crate::json::print(out, &Value::Array(all), opts.pretty)?;
    } else {
        for (_, text) in items {
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

/// The bucket size tc prints for `burst` bytes at `rate`: tc turns the
/// kernel's ticks into whole microseconds first (`tc_calc_xmitsize`), so
/// at high rates it shows less than the bucket holds (5gbit: `625b` for
/// the 1240 bytes of 31 ticks).
pub fn tc_burst(rate: Rate, burst: u32) -> u32 {
    // The kernel's ticks again: exact from 125 Mbit/s (a byte per tick) up.
    let ticks = units::xmit_time(rate, burst);
    let usecs = (f64::from(ticks) / units::TICKS_PER_USEC).trunc();
    (rate.bytes() as f64 * usecs / 1e6) as u32
}
