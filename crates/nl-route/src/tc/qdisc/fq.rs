//! `fq`: fair queueing with pacing.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// `fq` options (times in microseconds, rates in bytes per second,
    /// as the kernel takes them).
    pub struct Fq {
        /// Packets in the whole qdisc (`limit`).
        limit: u32 = TCA_FQ_PLIMIT,
        /// Packets per flow (`flow_limit`).
        flow_limit: u32 = TCA_FQ_FLOW_PLIMIT,
        /// Credit per round (`quantum`).
        quantum: u32 = TCA_FQ_QUANTUM,
        /// Credit of a new flow (`initial_quantum`).
        initial_quantum: u32 = TCA_FQ_INITIAL_QUANTUM,
        /// Pacing on (1) or off (0).
        rate_enable: u32 = TCA_FQ_RATE_ENABLE,
        /// Maximum rate of a flow, bytes per second (`maxrate`).
        flow_max_rate: u32 = TCA_FQ_FLOW_MAX_RATE,
        /// log2 of the flow table size (`buckets`).
        buckets_log: u32 = TCA_FQ_BUCKETS_LOG,
        /// Delay before refilling a flow's credit, µs (`refill_delay`).
        flow_refill_delay: u32 = TCA_FQ_FLOW_REFILL_DELAY,
        /// Mask of orphaned sockets' hash (`orphanmask`).
        orphan_mask: u32 = TCA_FQ_ORPHAN_MASK,
        /// Rate below which flows are treated as low rate (`low_rate_threshold`).
        low_rate_threshold: u32 = TCA_FQ_LOW_RATE_THRESHOLD,
        /// ECN CE marking threshold, µs (`ce_threshold`).
        ce_threshold: u32 = TCA_FQ_CE_THRESHOLD,
        /// Timer slack, ns (`timer_slack`).
        timer_slack: u32 = TCA_FQ_TIMER_SLACK,
        /// Time horizon, µs (`horizon`).
        horizon: u32 = TCA_FQ_HORIZON,
        /// Drop (1) or cap (0) packets beyond the horizon.
        horizon_drop: u8 = TCA_FQ_HORIZON_DROP,
    }
}

crate::tc::qdisc::nested_options!(Fq);
