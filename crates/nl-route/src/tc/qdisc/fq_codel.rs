//! `fq_codel`: fair queueing with CoDel per flow.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// `fq_codel` options (times in microseconds).
    pub struct FqCodel {
        /// Target queue delay, µs (`target`).
        target: u32 = TCA_FQ_CODEL_TARGET,
        /// Packets in the whole qdisc (`limit`).
        limit: u32 = TCA_FQ_CODEL_LIMIT,
        /// Interval, µs (`interval`).
        interval: u32 = TCA_FQ_CODEL_INTERVAL,
        /// Mark ECN instead of dropping: 1 (`ecn`) or 0 (`noecn`).
        ecn: u32 = TCA_FQ_CODEL_ECN,
        /// Number of flows (`flows`; fixed after creation).
        flows: u32 = TCA_FQ_CODEL_FLOWS,
        /// Bytes per round (`quantum`).
        quantum: u32 = TCA_FQ_CODEL_QUANTUM,
        /// ECN CE marking threshold, µs (`ce_threshold`).
        ce_threshold: u32 = TCA_FQ_CODEL_CE_THRESHOLD,
        /// Packets dropped at once when over the limit (`drop_batch`).
        drop_batch_size: u32 = TCA_FQ_CODEL_DROP_BATCH_SIZE,
        /// Memory limit in bytes (`memory_limit`).
        memory_limit: u32 = TCA_FQ_CODEL_MEMORY_LIMIT,
    }
}

crate::tc::qdisc::nested_options!(FqCodel);
