//! `codel`: controlled delay.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// `codel` options (times in microseconds).
    pub struct Codel {
        /// Target queue delay, µs (`target`).
        target: u32 = TCA_CODEL_TARGET,
        /// Packets in the queue (`limit`).
        limit: u32 = TCA_CODEL_LIMIT,
        /// Interval, µs (`interval`).
        interval: u32 = TCA_CODEL_INTERVAL,
        /// Mark ECN instead of dropping: 1 or 0.
        ecn: u32 = TCA_CODEL_ECN,
        /// ECN CE marking threshold, µs (`ce_threshold`).
        ce_threshold: u32 = TCA_CODEL_CE_THRESHOLD,
    }
}

crate::tc::qdisc::nested_options!(Codel);
