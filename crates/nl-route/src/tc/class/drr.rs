//! drr classes: each a quantum of bytes per round.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// A `drr` class (`quantum`; the kernel defaults to the device's MTU).
    pub struct DrrClass {
        /// Bytes per round (`quantum`).
        quantum: u32 = TCA_DRR_QUANTUM,
    }
}

crate::tc::qdisc::nested_options!(DrrClass);
