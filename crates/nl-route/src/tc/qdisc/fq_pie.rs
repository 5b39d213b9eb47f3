//! `fq_pie`: flow queueing with PIE per flow.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// `fq_pie` options (times in microseconds), in the order `tc` writes
    /// them (in a nest flagged `NLA_F_NESTED`, as the kernel's strict
    /// policy wants).
    pub struct FqPie {
        /// Packets in the whole qdisc (`limit`).
        limit: u32 = TCA_FQ_PIE_LIMIT,
        /// Number of flows (`flows`; fixed after creation).
        flows: u32 = TCA_FQ_PIE_FLOWS,
        /// Target queue delay, µs (`target`).
        target: u32 = TCA_FQ_PIE_TARGET,
        /// Drop probability update interval, µs (`tupdate`).
        tupdate: u32 = TCA_FQ_PIE_TUPDATE,
        /// Weight of the delay error, 0..=32 (`alpha`).
        alpha: u32 = TCA_FQ_PIE_ALPHA,
        /// Weight of the delay trend, 0..=32 (`beta`).
        beta: u32 = TCA_FQ_PIE_BETA,
        /// Bytes per round (`quantum`).
        quantum: u32 = TCA_FQ_PIE_QUANTUM,
        /// Memory limit in bytes (`memory_limit`).
        memory_limit: u32 = TCA_FQ_PIE_MEMORY_LIMIT,
        /// Drop probability above which ECN packets are dropped, percent
        /// (`ecn_prob`).
        ecn_prob: u32 = TCA_FQ_PIE_ECN_PROB,
        /// Mark ECN instead of dropping (`ecn` / `noecn`).
        ecn: bool = TCA_FQ_PIE_ECN => Bool32,
        /// Scale the drop probability by packet size (`bytemode`).
        bytemode: bool = TCA_FQ_PIE_BYTEMODE => Bool32,
        /// Estimate the dequeue rate (`dq_rate_estimator`).
        dq_rate_estimator: bool = TCA_FQ_PIE_DQ_RATE_ESTIMATOR => Bool32,
    }
}

crate::tc::qdisc::nested_options!(@strict FqPie);
