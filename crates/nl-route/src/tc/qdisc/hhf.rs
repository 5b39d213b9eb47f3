//! `hhf`: heavy-hitter filter.

use crate::attrs::attr_struct;
use crate::uapi::pkt_sched::*;

attr_struct! {
    /// `hhf` options (times in microseconds), in the order `tc` writes
    /// them.
    pub struct Hhf {
        /// Packets in the queue (`limit`).
        backlog_limit: u32 = TCA_HHF_BACKLOG_LIMIT,
        /// Bytes per round (`quantum`).
        quantum: u32 = TCA_HHF_QUANTUM,
        /// Heavy-hitter flows tracked at most (`hh_limit`).
        hh_flows_limit: u32 = TCA_HHF_HH_FLOWS_LIMIT,
        /// Period the counters are reset, µs (`reset_timeout`).
        reset_timeout: u32 = TCA_HHF_RESET_TIMEOUT,
        /// Bytes a flow sends before it is a heavy hitter (`admit_bytes`).
        admit_bytes: u32 = TCA_HHF_ADMIT_BYTES,
        /// Idle time before a heavy hitter is forgotten, µs
        /// (`evict_timeout`).
        evict_timeout: u32 = TCA_HHF_EVICT_TIMEOUT,
        /// Weight of the other flows against heavy hitters
        /// (`non_hh_weight`).
        non_hh_weight: u32 = TCA_HHF_NON_HH_WEIGHT,
    }
}

crate::tc::qdisc::nested_options!(Hhf);
