//! qfq classes: a weight and the largest packet.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// A `qfq` class, in the order `tc` writes its options.
    pub struct QfqClass {
        /// Share against the other classes (`weight`, 1..=1024).
        weight: u32 = TCA_QFQ_WEIGHT,
        /// Largest packet in bytes (`maxpkt`).
        lmax: u32 = TCA_QFQ_LMAX,
    }
}

crate::tc::qdisc::nested_options!(QfqClass);
