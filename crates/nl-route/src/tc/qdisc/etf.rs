//! `etf`: earliest txtime first.

use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::{I32, U32};

use crate::error::{Error, Result};
use crate::tc::TcOptions;
use crate::uapi::pkt_sched::TCA_ETF_PARMS;
use crate::uapi::rtnetlink::TCA_OPTIONS;

/// `TC_ETF_DEADLINE_MODE_ON` (`_BITUL(0)`, a macro the generator skips).
pub const TC_ETF_DEADLINE_MODE_ON: u32 = 1 << 0;
/// `TC_ETF_OFFLOAD_ON`.
pub const TC_ETF_OFFLOAD_ON: u32 = 1 << 1;
/// `TC_ETF_SKIP_SOCK_CHECK`.
pub const TC_ETF_SKIP_SOCK_CHECK: u32 = 1 << 2;

nl_wire::wire_struct! {
    /// `struct tc_etf_qopt`.
    pub(crate) struct TcEtfQopt(12) {
        pub(crate) delta: I32,
        pub(crate) clockid: I32,
        pub(crate) flags: U32,
    }
}

nl_wire::kernel_enum! {
    /// A SYS-V clock (`clockid_t`) as etf, taprio and gate name it
    /// (`CLOCK_TAI` or `TAI`; printed without the prefix).
    pub enum ClockId: i32, "clockid", crate::Error {
        /// `CLOCK_REALTIME`.
        Realtime = 0 => "REALTIME" | "CLOCK_REALTIME",
        /// `CLOCK_MONOTONIC`.
        Monotonic = 1 => "MONOTONIC" | "CLOCK_MONOTONIC",
        /// `CLOCK_BOOTTIME`.
        Boottime = 7 => "BOOTTIME" | "CLOCK_BOOTTIME",
        /// `CLOCK_TAI`.
        Tai = 11 => "TAI" | "CLOCK_TAI",
    }
}

/// `etf` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Etf {
    /// The clock of the packets' txtime (`clockid`).
    pub clockid: ClockId,
    /// Nanoseconds before its txtime a packet is dequeued (`delta`).
    pub delta: i32,
    /// `TC_ETF_*` flags (`deadline_mode`, `offload`, `skip_sock_check`).
    pub flags: u32,
}

impl Default for Etf {
    fn default() -> Self {
        Etf {
            clockid: ClockId::Tai,
            delta: 0,
            flags: 0,
        }
    }
}

impl TcOptions for Etf {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut o = TcEtfQopt {
            clockid: (-1).into(),
            ..TcEtfQopt::default()
        };
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            if a.ty() == TCA_ETF_PARMS {
                o = a.read();
            }
        }
        Ok(Etf {
            clockid: ClockId::from(o.clockid.get()),
            delta: o.delta.get(),
            flags: o.flags.get(),
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        let o = TcEtfQopt {
            delta: self.delta.into(),
            clockid: i32::from(self.clockid).into(),
            flags: self.flags.into(),
        };
        m.nest(TCA_OPTIONS, |m| {
            m.put(TCA_ETF_PARMS, &o);
        });
    }

    fn validate(&self) -> Result<()> {
        if matches!(self.clockid, ClockId::Other(_)) {
            return Err(Error::invalid(
                "clockid",
                "etf needs a SYS-V clock (e.g. TAI)",
            ));
        }
        Ok(())
    }
}
