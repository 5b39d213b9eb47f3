//! VXLAN VNI filtering (`bridge vni`, `RTM_*TUNNEL`): the VNIs a
//! VXLAN device in `external vnifilter` mode accepts, each single or a
//! range, with its own multicast group or unicast remote and counters.
//!
//! ```
//! use nl_route::vni::{VniEntry, write_vni};
//! // `bridge vni add dev vx0 vni 200-210`
//! let mut buf = Vec::new();
//! write_vni(&mut buf, 4, &VniEntry::range(200, 210), true)?;
//! # Ok::<(), nl_route::Error>(())
//! ```

use std::net::IpAddr;

use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Attrs, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::uapi::if_link::{
    TUNNEL_MSG_FLAG_STATS, VNIFILTER_ENTRY_STATS_RX_BYTES, VNIFILTER_ENTRY_STATS_RX_DROPS,
    VNIFILTER_ENTRY_STATS_RX_ERRORS, VNIFILTER_ENTRY_STATS_RX_PKTS, VNIFILTER_ENTRY_STATS_TX_BYTES,
    VNIFILTER_ENTRY_STATS_TX_DROPS, VNIFILTER_ENTRY_STATS_TX_ERRORS, VNIFILTER_ENTRY_STATS_TX_PKTS,
    VXLAN_VNIFILTER_ENTRY, VXLAN_VNIFILTER_ENTRY_END, VXLAN_VNIFILTER_ENTRY_GROUP,
    VXLAN_VNIFILTER_ENTRY_GROUP6, VXLAN_VNIFILTER_ENTRY_START, VXLAN_VNIFILTER_ENTRY_STATS,
};
use crate::uapi::rtnetlink::{RTM_DELTUNNEL, RTM_GETTUNNEL, RTM_NEWTUNNEL};
use crate::uapi::types::TunnelMsg;

/// The largest VNI (24 bits).
pub const VNI_MAX: u32 = (1 << 24) - 1;

/// A VNI's counters (`bridge -s vni show`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct VniStats {
    pub rx_bytes: u64,
    pub rx_packets: u64,
    pub rx_drops: u64,
    pub rx_errors: u64,
    pub tx_bytes: u64,
    pub tx_packets: u64,
    pub tx_drops: u64,
    pub tx_errors: u64,
}

/// One VNI or range of VNIs of a device's filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VniEntry {
    /// First VNI.
    pub vni: u32,
    /// Last VNI of a range (`None`: one VNI; a single VNI may also come
    /// back with its end equal to its start).
    pub vni_end: Option<u32>,
    /// The multicast group (or unicast remote) of these VNIs.
    pub group: Option<IpAddr>,
    /// Counters (in a listing asked with statistics).
    pub stats: Option<VniStats>,
}

impl VniEntry {
    /// One VNI.
    pub fn new(vni: u32) -> Self {
        VniEntry {
            vni,
            ..VniEntry::default()
        }
    }

    /// VNIs `start..=end`.
    pub fn range(start: u32, end: u32) -> Self {
        VniEntry {
            vni: start,
            vni_end: Some(end),
            ..VniEntry::default()
        }
    }

    /// With a multicast group or unicast remote.
    #[must_use]
    pub fn group(mut self, group: IpAddr) -> Self {
        self.group = Some(group);
        self
    }

    fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut e = VniEntry::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                VXLAN_VNIFILTER_ENTRY_START => e.vni = a.u32()?,
                VXLAN_VNIFILTER_ENTRY_END => e.vni_end = Some(a.u32()?),
                VXLAN_VNIFILTER_ENTRY_GROUP | VXLAN_VNIFILTER_ENTRY_GROUP6 => {
                    e.group = Some(a.ip()?);
                }
                VXLAN_VNIFILTER_ENTRY_STATS => {
                    let mut s = VniStats::default();
                    for x in a.nested() {
                        let x = x?;
                        let slot = match x.ty() {
                            VNIFILTER_ENTRY_STATS_RX_BYTES => &mut s.rx_bytes,
                            VNIFILTER_ENTRY_STATS_RX_PKTS => &mut s.rx_packets,
                            VNIFILTER_ENTRY_STATS_RX_DROPS => &mut s.rx_drops,
                            VNIFILTER_ENTRY_STATS_RX_ERRORS => &mut s.rx_errors,
                            VNIFILTER_ENTRY_STATS_TX_BYTES => &mut s.tx_bytes,
                            VNIFILTER_ENTRY_STATS_TX_PKTS => &mut s.tx_packets,
                            VNIFILTER_ENTRY_STATS_TX_DROPS => &mut s.tx_drops,
                            VNIFILTER_ENTRY_STATS_TX_ERRORS => &mut s.tx_errors,
                            _ => continue,
                        };
                        *slot = x.u64()?;
                    }
                    e.stats = Some(s);
                }
                _ => {}
            }
        }
        // An unset group reads as none (the kernel may send zeros).
        if e.group.is_some_and(|g| g.is_unspecified()) {
            e.group = None;
        }
        Ok(e)
    }
}

/// The VNI filter of one device (`RTM_NEWTUNNEL`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VniFilter {
    /// The VXLAN device.
    pub ifindex: u32,
    /// Its VNIs, in the kernel's order.
    pub entries: Vec<VniEntry>,
}

/// The `struct tunnel_msg` of a request.
fn tunnel_msg(m: &mut MsgBuilder<'_>, flags: u8, ifindex: u32) {
    m.header(&TunnelMsg {
        family: crate::AF_BRIDGE,
        flags,
        ifindex: ifindex.into(),
        ..TunnelMsg::default()
    });
}

/// Writes `bridge vni add` (`add`) or `bridge vni del` of `entry` on
/// device `ifindex`.
pub fn write_vni(buf: &mut Vec<u8>, ifindex: u32, entry: &VniEntry, add: bool) -> Result<()> {
    if ifindex == 0 {
        return Err(Error::invalid("dev", "a VNI filter belongs to a device"));
    }
    let end = entry.vni_end.unwrap_or(entry.vni);
    if entry.vni == 0 || entry.vni > VNI_MAX || end < entry.vni || end > VNI_MAX {
        return Err(Error::invalid(
            "vni",
            "must be 1..=16777215, range start <= end",
        ));
    }
    let ty = if add { RTM_NEWTUNNEL } else { RTM_DELTUNNEL };
    let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK);
    tunnel_msg(&mut m, 0, ifindex);
    m.nest(VXLAN_VNIFILTER_ENTRY | NLA_F_NESTED, |m| {
        m.put_u32(VXLAN_VNIFILTER_ENTRY_START, entry.vni);
        if let Some(end) = entry.vni_end {
            m.put_u32(VXLAN_VNIFILTER_ENTRY_END, end);
        }
        match entry.group {
            Some(IpAddr::V4(g)) => {
                m.put_ipv4(VXLAN_VNIFILTER_ENTRY_GROUP, g);
            }
            Some(IpAddr::V6(g)) => {
                m.put_ipv6(VXLAN_VNIFILTER_ENTRY_GROUP6, g);
            }
            None => {}
        }
    });
    m.finish().map_err(Error::Build)?;
    Ok(())
}

impl VniFilter {
    /// Writes the dump request (`bridge vni show [dev X]`), with counters
    /// when `stats`.
    pub fn write_dump(buf: &mut Vec<u8>, ifindex: Option<u32>, stats: bool) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETTUNNEL, NLM_F_REQUEST | NLM_F_DUMP);
        let flags = if stats { TUNNEL_MSG_FLAG_STATS } else { 0 };
        tunnel_msg(&mut m, flags, ifindex.unwrap_or(0));
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether `msg` is a VNI filter message.
    pub fn is(msg: &Msg<'_>) -> bool {
        msg.ty() == RTM_NEWTUNNEL
    }

    /// Reads one `RTM_NEWTUNNEL`.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || {
            let hdr: TunnelMsg = msg.family_header();
            let mut f = VniFilter {
                ifindex: hdr.ifindex.get(),
                entries: Vec::new(),
            };
            for a in msg.attrs::<TunnelMsg>() {
                let a = a?;
                if a.ty() == VXLAN_VNIFILTER_ENTRY {
                    f.entries.push(VniEntry::parse(a.nested())?);
                }
            }
            Ok(f)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_back_and_bad_vnis_are_refused() {
        let mut buf = Vec::new();
        let e = VniEntry::range(200, 210).group("239.1.1.1".parse().unwrap());
        write_vni(&mut buf, 4, &e, true).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        assert_eq!(msg.ty(), RTM_NEWTUNNEL);
        let f = VniFilter::parse(&msg).unwrap();
        assert_eq!((f.ifindex, f.entries.as_slice()), (4, [e].as_slice()));
        for bad in [
            VniEntry::new(0),
            VniEntry::new(1 << 24),
            VniEntry::range(9, 8),
        ] {
            assert!(write_vni(&mut buf, 4, &bad, true).is_err());
        }
        assert!(write_vni(&mut buf, 0, &VniEntry::new(5), true).is_err());
    }
}
