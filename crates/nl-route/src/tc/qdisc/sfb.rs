//! `sfb`: stochastic fair blue.

use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::U32;

use crate::tc::TcOptions;
use crate::uapi::pkt_sched::TCA_SFB_PARMS;
use crate::uapi::rtnetlink::TCA_OPTIONS;

/// `SFB_MAX_PROB`: probabilities are fractions of this (an enum value the
/// generator skips).
pub const SFB_MAX_PROB: u32 = 0xFFFF;

nl_wire::wire_struct! {
    /// `struct tc_sfb_qopt`.
    pub(crate) struct TcSfbQopt(36) {
        pub(crate) rehash_interval: U32,
        pub(crate) warmup_time: U32,
        pub(crate) max: U32,
        pub(crate) bin_size: U32,
        pub(crate) increment: U32,
        pub(crate) decrement: U32,
        pub(crate) limit: U32,
        pub(crate) penalty_rate: U32,
        pub(crate) penalty_burst: U32,
    }
}

/// `sfb` options. [`Sfb::default`] holds what `tc` sends for words left
/// out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sfb {
    /// Milliseconds between hash changes (`rehash`).
    pub rehash_interval: u32,
    /// Milliseconds both hashes run before a change (`db`).
    pub warmup_time: u32,
    /// Packets a bin holds at most (`max`).
    pub max: u32,
    /// Packets a bin aims for (`target`).
    pub bin_size: u32,
    /// Marking probability step up, of [`SFB_MAX_PROB`] (`increment`).
    pub increment: u32,
    /// Marking probability step down (`decrement`).
    pub decrement: u32,
    /// Packets in the whole queue (`limit`; 0: the device's txqueuelen).
    pub limit: u32,
    /// Packets per second of inelastic flows (`penalty_rate`).
    pub penalty_rate: u32,
    /// Their burst in packets (`penalty_burst`).
    pub penalty_burst: u32,
}

impl Default for Sfb {
    fn default() -> Self {
        Sfb {
            rehash_interval: 600 * 1000,
            warmup_time: 60 * 1000,
            max: 25,
            bin_size: 20,
            increment: (SFB_MAX_PROB + 1000) / 2000,
            decrement: (SFB_MAX_PROB + 10000) / 20000,
            limit: 0,
            penalty_rate: 10,
            penalty_burst: 20,
        }
    }
}

impl TcOptions for Sfb {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut sfb = Sfb::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            if a.ty() == TCA_SFB_PARMS {
                let o: TcSfbQopt = a.read();
                sfb = Sfb {
                    rehash_interval: o.rehash_interval.get(),
                    warmup_time: o.warmup_time.get(),
                    max: o.max.get(),
                    bin_size: o.bin_size.get(),
                    increment: o.increment.get(),
                    decrement: o.decrement.get(),
                    limit: o.limit.get(),
                    penalty_rate: o.penalty_rate.get(),
                    penalty_burst: o.penalty_burst.get(),
                };
            }
        }
        Ok(sfb)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let o = TcSfbQopt {
            rehash_interval: self.rehash_interval.into(),
            warmup_time: self.warmup_time.into(),
            max: self.max.into(),
            bin_size: self.bin_size.into(),
            increment: self.increment.into(),
            decrement: self.decrement.into(),
            limit: self.limit.into(),
            penalty_rate: self.penalty_rate.into(),
            penalty_burst: self.penalty_burst.into(),
        };
        m.nest(TCA_OPTIONS, |m| {
            m.put(TCA_SFB_PARMS, &o);
        });
    }
}
