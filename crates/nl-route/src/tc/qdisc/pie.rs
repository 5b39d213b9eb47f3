//! `pie`: proportional integral controller enhanced.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// `pie` options (times in microseconds), in the order `tc` writes
    /// them.
    pub struct Pie {
        /// Packets in the queue (`limit`).
        limit: u32 = TCA_PIE_LIMIT,
        /// Drop probability update interval, µs (`tupdate`).
        tupdate: u32 = TCA_PIE_TUPDATE,
        /// Target queue delay, µs (`target`).
        target: u32 = TCA_PIE_TARGET,
        /// Weight of the delay error, 0..=32 (`alpha`).
        alpha: u32 = TCA_PIE_ALPHA,
        /// Weight of the delay trend, 0..=32 (`beta`).
        beta: u32 = TCA_PIE_BETA,
        /// Mark ECN instead of dropping (`ecn` / `noecn`).
        ecn: bool = TCA_PIE_ECN => Bool32,
        /// Scale the drop probability by packet size (`bytemode`).
        bytemode: bool = TCA_PIE_BYTEMODE => Bool32,
        /// Estimate the dequeue rate for the delay
        /// (`dq_rate_estimator`).
        dq_rate_estimator: bool = TCA_PIE_DQ_RATE_ESTIMATOR => Bool32,
    }
}

crate::tc::qdisc::nested_options!(Pie);
