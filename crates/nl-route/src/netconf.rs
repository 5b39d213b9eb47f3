//! Per-device IP configuration: RTM_NEWNETCONF / DELNETCONF / GETNETCONF
//! (`ip netconf`).
//!
//! The kernel reports, per family and per device (or for "all" and the
//! default of new devices), the sysctls that routing daemons watch:
//! forwarding, reverse-path filtering, multicast forwarding, proxy
//! neighbours, ignoring routes of down links. Notifications carry only the
//! values that changed; a dump carries them all.

use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::uapi::netconf::*;
use crate::uapi::rtnetlink::{RTM_DELNETCONF, RTM_GETNETCONF};

/// Which device a [`Netconf`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetconfDevice {
    /// One link, by index.
    Link(u32),
    /// `all` (`NETCONFA_IFINDEX_ALL`).
    All,
    /// `default`, for links created later (`NETCONFA_IFINDEX_DEFAULT`).
    Default,
    /// An index value this library does not know.
    Other(i32),
}

impl From<i32> for NetconfDevice {
    fn from(v: i32) -> Self {
        match v {
            NETCONFA_IFINDEX_ALL => NetconfDevice::All,
            NETCONFA_IFINDEX_DEFAULT => NetconfDevice::Default,
            i => u32::try_from(i).map_or(NetconfDevice::Other(i), NetconfDevice::Link),
        }
    }
}

/// One family's configuration of one device; `None` for values the
/// message did not carry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Netconf {
    /// `AF_INET`, `AF_INET6` or `AF_MPLS`.
    pub family: u8,
    /// The device.
    pub device: NetconfDevice,
    /// `forwarding`.
    pub forwarding: Option<i32>,
    /// `rp_filter` (0 off, 1 strict, 2 loose).
    pub rp_filter: Option<i32>,
    /// `mc_forwarding`.
    pub mc_forwarding: Option<i32>,
    /// `proxy_arp` / `proxy_ndp`.
    pub proxy_neigh: Option<i32>,
    /// `ignore_routes_with_linkdown`.
    pub ignore_routes_with_linkdown: Option<i32>,
    /// MPLS `input`.
    pub input: Option<i32>,
    /// `bc_forwarding`.
    pub bc_forwarding: Option<i32>,
}

impl Netconf {
    /// Parses an RTM_NEWNETCONF or RTM_DELNETCONF.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let family = msg.payload().first().copied().unwrap_or(0);
        let mut nc = Netconf {
            family,
            device: NetconfDevice::Other(0),
            forwarding: None,
            rp_filter: None,
            mc_forwarding: None,
            proxy_neigh: None,
            ignore_routes_with_linkdown: None,
            input: None,
            bc_forwarding: None,
        };
        // struct netconfmsg is one byte, padded to four.
        parse_msg(msg, || {
            msg.attrs_after(1).decode(|a| {
                match a.ty() {
                    NETCONFA_IFINDEX => nc.device = a.i32()?.into(),
                    NETCONFA_FORWARDING => nc.forwarding = Some(a.i32()?),
                    NETCONFA_RP_FILTER => nc.rp_filter = Some(a.i32()?),
                    NETCONFA_MC_FORWARDING => nc.mc_forwarding = Some(a.i32()?),
                    NETCONFA_PROXY_NEIGH => nc.proxy_neigh = Some(a.i32()?),
                    NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN => {
                        nc.ignore_routes_with_linkdown = Some(a.i32()?);
                    }
                    NETCONFA_INPUT => nc.input = Some(a.i32()?),
                    NETCONFA_BC_FORWARDING => nc.bc_forwarding = Some(a.i32()?),
                    _ => {}
                }
                Ok(())
            })?;
            Ok(nc)
        })
    }

    /// Whether this came from an RTM_DELNETCONF (the device went away).
    pub fn is_delete(msg: &Msg<'_>) -> bool {
        msg.ty() == RTM_DELNETCONF
    }

    /// Writes an RTM_GETNETCONF dump of `family` (`ip netconf show`; the
    /// kernel dumps one family at a time).
    pub fn write_dump(family: u8, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETNETCONF, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&[family, 0, 0, 0]);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes an RTM_GETNETCONF for one device of `family`
    /// (`ip netconf show dev X`).
    pub fn write_get(family: u8, device: NetconfDevice, buf: &mut Vec<u8>) -> Result<()> {
        let index = match device {
            NetconfDevice::Link(i) => {
                i32::try_from(i).map_err(|_| Error::invalid("device", "index out of range"))?
            }
            NetconfDevice::All => NETCONFA_IFINDEX_ALL,
            NetconfDevice::Default => NETCONFA_IFINDEX_DEFAULT,
            NetconfDevice::Other(i) => i,
        };
        let mut m = MsgBuilder::new(buf, RTM_GETNETCONF, NLM_F_REQUEST);
        m.header(&[family, 0, 0, 0])
            .put_i32(NETCONFA_IFINDEX, index);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::rtnetlink::RTM_NEWNETCONF;

    #[test]
    fn parses_what_the_kernel_sends() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWNETCONF, 0);
        m.header(&[2u8, 0, 0, 0])
            .put_i32(NETCONFA_IFINDEX, -2)
            .put_i32(NETCONFA_FORWARDING, 1)
            .put_i32(NETCONFA_RP_FILTER, 2)
            .put_i32(99, 7);
        m.finish().unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let nc = Netconf::parse(&msg).unwrap();
        assert_eq!(nc.family, 2);
        assert_eq!(nc.device, NetconfDevice::Default);
        assert_eq!(
            (nc.forwarding, nc.rp_filter, nc.proxy_neigh),
            (Some(1), Some(2), None)
        );
        // A truncated value is an error, not a panic.
        let mut bad = buf.clone();
        bad.truncate(buf.len() - 10);
        let len = u32::try_from(bad.len()).unwrap();
        bad[..4].copy_from_slice(&len.to_ne_bytes());
        let (msg, _) = Msg::parse(&bad).unwrap();
        assert!(Netconf::parse(&msg).is_err());
    }
}
