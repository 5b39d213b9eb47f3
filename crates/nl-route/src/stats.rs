//! Interface statistics (`RTM_GETSTATS`, `ip stats show`): the 64-bit
//! counters, per-kind extended statistics, offload statistics (traffic
//! the CPU saw versus the hardware's L3 counters) and per-address-family
//! statistics (MPLS), each group asked for by name.
//!
//! ```
//! use nl_route::stats::{StatsGroups, StatsRequest};
//! let mut buf = Vec::new();
//! // `ip stats show dev 2 group link group offload`
//! StatsRequest::new(StatsGroups::LINK_64 | StatsGroups::OFFLOAD)
//!     .ifindex(2)
//!     .write(&mut buf)?;
//! # Ok::<(), nl_route::Error>(())
//! ```

use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Attrs, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::link::LinkStats;
use crate::uapi::if_link::{
    IFLA_OFFLOAD_XSTATS_CPU_HIT, IFLA_OFFLOAD_XSTATS_HW_S_INFO,
    IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED,
    IFLA_OFFLOAD_XSTATS_L3_STATS, IFLA_STATS_AF_SPEC, IFLA_STATS_LINK_64,
    IFLA_STATS_LINK_OFFLOAD_XSTATS, IFLA_STATS_LINK_XSTATS, IFLA_STATS_LINK_XSTATS_SLAVE,
};
use crate::uapi::rtnetlink::{RTM_GETSTATS, RTM_NEWSTATS};
use crate::uapi::types::{IfStatsMsg, MplsLinkStats, RtnlHwStats64, RtnlLinkStats64};

/// `MPLS_STATS_LINK` in `<linux/mpls.h>`.
const MPLS_STATS_LINK: u16 = 1;
/// `AF_MPLS`.
const AF_MPLS: u16 = 28;

bitflags::bitflags! {
    /// The groups of statistics a request asks for (`filter_mask`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct StatsGroups: u32 {
        /// `group link`: the 64-bit counters.
        const LINK_64 = 1 << (IFLA_STATS_LINK_64 - 1);
        /// `group xstats`: the kind's extended statistics (bridge, bond).
        const XSTATS = 1 << (IFLA_STATS_LINK_XSTATS - 1);
        /// `group xstats_slave`: the port's statistics in its master.
        const XSTATS_SLAVE = 1 << (IFLA_STATS_LINK_XSTATS_SLAVE - 1);
        /// `group offload`: CPU-hit and hardware L3 counters.
        const OFFLOAD = 1 << (IFLA_STATS_LINK_OFFLOAD_XSTATS - 1);
        /// `group afstats`: per address family (MPLS).
        const AF_SPEC = 1 << (IFLA_STATS_AF_SPEC - 1);
    }
}

/// A `RTM_GETSTATS` request: one interface, or a dump of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsRequest {
    /// What to ask for.
    pub groups: StatsGroups,
    /// `None`: every interface.
    pub ifindex: Option<u32>,
}

impl StatsRequest {
    /// `groups` of every interface.
    pub fn new(groups: StatsGroups) -> Self {
        StatsRequest {
            groups,
            ifindex: None,
        }
    }

    /// Only interface `index`.
    #[must_use]
    pub fn ifindex(mut self, index: u32) -> Self {
        self.ifindex = Some(index);
        self
    }

    /// Writes the request (a get for one interface, a dump otherwise).
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        if self.groups.is_empty() {
            return Err(Error::invalid("groups", "no statistics asked for"));
        }
        let flags = match self.ifindex {
            Some(0) => return Err(Error::invalid("ifindex", "0 names no interface")),
            Some(_) => NLM_F_REQUEST,
            None => NLM_F_REQUEST | NLM_F_DUMP,
        };
        let mut m = MsgBuilder::new(buf, RTM_GETSTATS, flags);
        m.header(&IfStatsMsg {
            ifindex: self.ifindex.unwrap_or(0).into(),
            filter_mask: self.groups.bits().into(),
            ..IfStatsMsg::default()
        });
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

/// A port's or device's hardware counters (`struct rtnl_hw_stats64`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct HwStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub multicast: u64,
}

/// Offload statistics (`IFLA_STATS_LINK_OFFLOAD_XSTATS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffloadStats {
    /// Traffic the CPU handled (`cpu_hit`), on devices that offload.
    pub cpu_hit: Option<LinkStats>,
    /// The hardware L3 counters (`l3_stats`), when enabled and used.
    pub l3_stats: Option<HwStats>,
    /// Whether L3 statistics were requested and are in use
    /// (`hw_stats_info`).
    pub l3_stats_info: Option<(bool, bool)>,
}

/// MPLS counters of an interface (`struct mpls_link_stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct MplsStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub rx_noroute: u64,
}

/// The statistics of one interface (`RTM_NEWSTATS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Interface index.
    pub ifindex: u32,
    /// `group link`.
    pub link64: Option<LinkStats>,
    /// `group xstats`, as the kind's nest (raw attributes).
    pub xstats: Option<Vec<u8>>,
    /// `group xstats_slave`, as the master kind's nest (raw attributes).
    pub xstats_slave: Option<Vec<u8>>,
    /// `group offload`.
    pub offload: Option<OffloadStats>,
    /// The families `group afstats` reported (`AF_MPLS` ...), whether or
    /// not they carried counters.
    pub af_families: Vec<u16>,
    /// MPLS counters (`group afstats`, when MPLS is on for the device).
    pub mpls: Option<MplsStats>,
}

impl From<&RtnlHwStats64> for HwStats {
    fn from(s: &RtnlHwStats64) -> Self {
        HwStats {
            rx_packets: s.rx_packets.get(),
            tx_packets: s.tx_packets.get(),
            rx_bytes: s.rx_bytes.get(),
            tx_bytes: s.tx_bytes.get(),
            rx_errors: s.rx_errors.get(),
            tx_errors: s.tx_errors.get(),
            rx_dropped: s.rx_dropped.get(),
            tx_dropped: s.tx_dropped.get(),
            multicast: s.multicast.get(),
        }
    }
}

impl From<&MplsLinkStats> for MplsStats {
    fn from(s: &MplsLinkStats) -> Self {
        MplsStats {
            rx_packets: s.rx_packets.get(),
            tx_packets: s.tx_packets.get(),
            rx_bytes: s.rx_bytes.get(),
            tx_bytes: s.tx_bytes.get(),
            rx_errors: s.rx_errors.get(),
            tx_errors: s.tx_errors.get(),
            rx_dropped: s.rx_dropped.get(),
            tx_dropped: s.tx_dropped.get(),
            rx_noroute: s.rx_noroute.get(),
        }
    }
}

impl OffloadStats {
    fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut o = OffloadStats::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                IFLA_OFFLOAD_XSTATS_CPU_HIT => {
                    o.cpu_hit = Some(LinkStats::from(&a.read::<RtnlLinkStats64>()));
                }
                IFLA_OFFLOAD_XSTATS_L3_STATS => {
                    o.l3_stats = Some(HwStats::from(&a.read::<RtnlHwStats64>()))
                }
                IFLA_OFFLOAD_XSTATS_HW_S_INFO => {
                    // One nest per kind of hardware statistics; L3 is kind 1
                    // (IFLA_OFFLOAD_XSTATS_L3_STATS's index among them).
                    for kind in a.nested() {
                        let kind = kind?;
                        let (mut request, mut used) = (false, false);
                        for f in kind.nested() {
                            let f = f?;
                            match f.ty() {
                                IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST => request = f.u8()? != 0,
                                IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED => used = f.u8()? != 0,
                                _ => {}
                            }
                        }
                        if kind.ty() == IFLA_OFFLOAD_XSTATS_L3_STATS {
                            o.l3_stats_info = Some((request, used));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(o)
    }
}

impl Stats {
    /// Whether `msg` is a statistics message.
    pub fn is(msg: &Msg<'_>) -> bool {
        msg.ty() == RTM_NEWSTATS
    }

    /// Reads one `RTM_NEWSTATS`.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || {
            let hdr: IfStatsMsg = msg.family_header();
            let mut s = Stats {
                ifindex: hdr.ifindex.get(),
                ..Stats::default()
            };
            for a in msg.attrs::<IfStatsMsg>() {
                let a = a?;
                match a.ty() {
                    IFLA_STATS_LINK_64 => {
                        s.link64 = Some(LinkStats::from(&a.read::<RtnlLinkStats64>()));
                    }
                    IFLA_STATS_LINK_XSTATS => s.xstats = Some(a.payload().to_vec()),
                    IFLA_STATS_LINK_XSTATS_SLAVE => s.xstats_slave = Some(a.payload().to_vec()),
                    IFLA_STATS_LINK_OFFLOAD_XSTATS => {
                        s.offload = Some(OffloadStats::parse(a.nested())?);
                    }
                    IFLA_STATS_AF_SPEC => {
                        for af in a.nested() {
                            let af = af?;
                            s.af_families.push(af.ty());
                            if af.ty() != AF_MPLS {
                                continue;
                            }
                            for m in af.nested() {
                                let m = m?;
                                if m.ty() == MPLS_STATS_LINK {
                                    s.mpls = Some(MplsStats::from(&m.read::<MplsLinkStats>()));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(s)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_reads_back_and_short_counters_are_zero() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWSTATS, 0);
        m.header(&IfStatsMsg {
            ifindex: 3.into(),
            ..IfStatsMsg::default()
        });
        let mut link = vec![0u8; 8 * 4];
        link[16..24].copy_from_slice(&1500u64.to_ne_bytes());
        m.put_bytes(IFLA_STATS_LINK_64, &link);
        m.nest(IFLA_STATS_LINK_OFFLOAD_XSTATS, |m| {
            m.nest(IFLA_OFFLOAD_XSTATS_HW_S_INFO, |m| {
                m.nest(IFLA_OFFLOAD_XSTATS_L3_STATS, |m| {
                    m.put_u8(IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, 1);
                    m.put_u8(IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, 0);
                });
            });
            m.put_bytes(IFLA_OFFLOAD_XSTATS_L3_STATS, &7u64.to_ne_bytes());
        });
        m.nest(IFLA_STATS_AF_SPEC, |m| {
            m.nest(AF_MPLS, |m| {
                m.put_bytes(MPLS_STATS_LINK, &[9, 0, 0]);
            });
        });
        m.finish().unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let s = Stats::parse(&msg).unwrap();
        assert_eq!(s.ifindex, 3);
        assert_eq!(s.link64.map(|l| l.rx_bytes), Some(1500));
        let o = s.offload.unwrap();
        assert_eq!(o.l3_stats_info, Some((true, false)));
        assert_eq!(o.l3_stats.map(|h| h.rx_packets), Some(7));
        assert_eq!(s.af_families, [AF_MPLS]);
        // A short struct reads as nl-wire reads them all: the bytes that
        // came, zeros after.
        assert_eq!(
            s.mpls,
            Some(MplsStats {
                rx_packets: 9,
                ..MplsStats::default()
            })
        );
    }

    #[test]
    fn requests_say_what_they_want() {
        let mut buf = Vec::new();
        StatsRequest::new(StatsGroups::empty())
            .write(&mut buf)
            .unwrap_err();
        StatsRequest::new(StatsGroups::LINK_64)
            .ifindex(0)
            .write(&mut buf)
            .unwrap_err();
        StatsRequest::new(StatsGroups::LINK_64 | StatsGroups::AF_SPEC)
            .write(&mut buf)
            .unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        assert_eq!(msg.flags(), NLM_F_REQUEST | NLM_F_DUMP);
        let hdr: IfStatsMsg = msg.family_header();
        assert_eq!(hdr.filter_mask.get(), 1 | 16);
    }
}
