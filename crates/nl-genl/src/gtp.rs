//! GTP tunnels' PDP contexts (genl family `"gtp"`): the Go library's
//! `GTPPDPAdd`, `GTPPDPDel`, `GTPPDPList`, `GTPPDPByTID`, `GTPPDPByITEI`,
//! `GTPPDPByMSAddress`; libgtpnl's `gtp-tunnel add|del|list`.
//!
//! A gtp link (created over rtnetlink, `ip link add NAME type gtp role
//! ggsn`) carries user traffic of mobile stations; each PDP context maps a
//! mobile station's address to the tunnel that reaches it: the peer GSN's
//! address and the tunnel ids, a TID for GTPv0 or an input and an output
//! TEI for GTPv1.
//!
//! ```text
//! LINK u32 | VERSION u32 | PEER_ADDRESS be32 or PEER_ADDR6 [16]
//!          | MS_ADDRESS be32 or MS_ADDR6 [16] | [FAMILY u8]
//!          | v0: TID u64, FLOW u16 | v1: I_TEI u32, O_TEI u32 | [NET_NS_FD u32]
//! ```
//!
//! IPv6 contexts (`PEER_ADDR6`, `MS_ADDR6`, `FAMILY`) need Linux 6.11.
//! The kernel announces new and deleted contexts to the `"gtp"`
//! multicast group; [`Pdp::parse`] reads those notifications too.

use core::fmt;
use std::net::IpAddr;

use nl_wire::MsgBuilder;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_EXCL};

use crate::error::{Error, Result};
use crate::uapi::gtp::*;
use crate::uapi::newer::{
    GTP_GENL_MCGRP_NAME, GTP_GENL_NAME, GTP_GENL_VERSION, GTPA_FAMILY, GTPA_MS_ADDR6,
    GTPA_PEER_ADDR6,
};
use crate::{GenlMsg, request};

/// The family's name.
pub const FAMILY: &str = GTP_GENL_NAME;
/// The multicast group of PDP context notifications.
pub const GROUP: &str = GTP_GENL_MCGRP_NAME;

/// `AF_INET6`, as `GTPA_FAMILY` says it.
const AF_INET6: u8 = 10;

/// The GTP version of a context and its tunnel ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GtpTunnel {
    /// GTPv0: one tunnel id and a flow label.
    V0 {
        /// Tunnel id (`GTPA_TID`).
        tid: u64,
        /// Flow label (`GTPA_FLOW`).
        flow: u16,
    },
    /// GTPv1: the TEI packets arrive with and the TEI they leave with.
    V1 {
        /// Input tunnel endpoint id (`GTPA_I_TEI`).
        i_tei: u32,
        /// Output tunnel endpoint id (`GTPA_O_TEI`).
        o_tei: u32,
    },
    /// A version this library does not know (kept, never written).
    Unknown(u32),
}

impl GtpTunnel {
    /// The GTP version number (`GTPA_VERSION`).
    pub fn version(&self) -> u32 {
        match self {
            GtpTunnel::V0 { .. } => GTP_V0,
            GtpTunnel::V1 { .. } => GTP_V1,
            GtpTunnel::Unknown(v) => *v,
        }
    }
}

/// A PDP context: which mobile station is reached through which tunnel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pdp {
    /// The gtp link, by index (`GTPA_LINK`).
    pub link: u32,
    /// The peer GSN: the SGSN seen from a GGSN, the GGSN seen from an SGSN.
    pub peer: IpAddr,
    /// The mobile station's address.
    pub ms: IpAddr,
    /// The version and tunnel ids.
    pub tunnel: GtpTunnel,
    /// In requests: the link is in the namespace of this file descriptor
    /// (`GTPA_NET_NS_FD`), not the socket's.
    pub net_ns_fd: Option<u32>,
}

/// How [`Pdp::write_get`] finds a context on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdpKey {
    /// A GTPv0 context by tunnel id (Go's `GTPPDPByTID`).
    Tid(u64),
    /// A GTPv1 context by input TEI (Go's `GTPPDPByITEI`).
    ITei(u32),
    /// Any context by mobile station address (Go's `GTPPDPByMSAddress`).
    MsAddress(IpAddr),
}

impl fmt::Display for PdpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdpKey::Tid(t) => write!(f, "tid {t}"),
            PdpKey::ITei(t) => write!(f, "i_tei {t}"),
            PdpKey::MsAddress(a) => write!(f, "ms_addr {a}"),
        }
    }
}

impl Pdp {
    /// A GTPv1 context on `link` for mobile station `ms` behind `peer`.
    pub fn v1(link: u32, peer: IpAddr, ms: IpAddr, i_tei: u32, o_tei: u32) -> Pdp {
        Pdp {
            link,
            peer,
            ms,
            tunnel: GtpTunnel::V1 { i_tei, o_tei },
            net_ns_fd: None,
        }
    }

    /// A GTPv0 context on `link` for mobile station `ms` behind `peer`.
    pub fn v0(link: u32, peer: IpAddr, ms: IpAddr, tid: u64, flow: u16) -> Pdp {
        Pdp {
            link,
            peer,
            ms,
            tunnel: GtpTunnel::V0 { tid, flow },
            net_ns_fd: None,
        }
    }

    /// The version and link (and namespace, family) every request starts with.
    fn put_head(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        if self.link == 0 {
            return Err(Error::invalid(
                "gtp link",
                "a PDP context needs its gtp link",
            ));
        }
        if let GtpTunnel::Unknown(v) = self.tunnel {
            return Err(Error::invalid(
                "gtp version",
                format!("unsupported GTP version: {v}"),
            ));
        }
        m.put_u32(GTPA_VERSION, self.tunnel.version())
            .put_u32(GTPA_LINK, self.link);
        if let Some(fd) = self.net_ns_fd {
            m.put_u32(GTPA_NET_NS_FD, fd);
        }
        // The kernel keeps IPv6 contexts apart (6.11); without the
        // attribute it assumes IPv4.
        if self.ms.is_ipv6() {
            m.put_u8(GTPA_FAMILY, AF_INET6);
        }
        Ok(())
    }

    /// Writes `GTP_CMD_NEWPDP` with `NLM_F_EXCL` (Go's `GTPPDPAdd`, in its
    /// order): an existing context with the same ids is an error, not
    /// replaced.
    pub fn write_add(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(
            buf,
            family,
            GTP_CMD_NEWPDP,
            GTP_GENL_VERSION,
            NLM_F_EXCL | NLM_F_ACK,
        );
        self.put_head(&mut m)?;
        match self.peer {
            IpAddr::V4(a) => m.put_ipv4(GTPA_PEER_ADDRESS, a),
            IpAddr::V6(a) => m.put_ipv6(GTPA_PEER_ADDR6, a),
        };
        match self.ms {
            IpAddr::V4(a) => m.put_ipv4(GTPA_MS_ADDRESS, a),
            IpAddr::V6(a) => m.put_ipv6(GTPA_MS_ADDR6, a),
        };
        match self.tunnel {
            GtpTunnel::V0 { tid, flow } => {
                m.put_u64(GTPA_TID, tid).put_u16(GTPA_FLOW, flow);
            }
            GtpTunnel::V1 { i_tei, o_tei } => {
                m.put_u32(GTPA_I_TEI, i_tei).put_u32(GTPA_O_TEI, o_tei);
            }
            GtpTunnel::Unknown(_) => {}
        }
        finish(m)
    }

    /// Writes `GTP_CMD_DELPDP` for this context (Go's `GTPPDPDel`): it is
    /// found by link, version and TID or input TEI.
    pub fn write_del(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(
            buf,
            family,
            GTP_CMD_DELPDP,
            GTP_GENL_VERSION,
            NLM_F_EXCL | NLM_F_ACK,
        );
        self.put_head(&mut m)?;
        match self.tunnel {
            GtpTunnel::V0 { tid, .. } => {
                m.put_u64(GTPA_TID, tid);
            }
            GtpTunnel::V1 { i_tei, .. } => {
                m.put_u32(GTPA_I_TEI, i_tei);
            }
            GtpTunnel::Unknown(_) => {}
        }
        finish(m)
    }

    /// Writes `GTP_CMD_GETPDP` for the context of `link` that `key` names.
    pub fn write_get(family: u16, link: u32, key: PdpKey, buf: &mut Vec<u8>) -> Result<()> {
        if link == 0 {
            return Err(Error::invalid(
                "gtp link",
                "a PDP context needs its gtp link",
            ));
        }
        let mut m = request(buf, family, GTP_CMD_GETPDP, GTP_GENL_VERSION, 0);
        match key {
            PdpKey::Tid(tid) => {
                m.put_u32(GTPA_VERSION, GTP_V0)
                    .put_u32(GTPA_LINK, link)
                    .put_u64(GTPA_TID, tid);
            }
            PdpKey::ITei(tei) => {
                m.put_u32(GTPA_VERSION, GTP_V1)
                    .put_u32(GTPA_LINK, link)
                    .put_u32(GTPA_I_TEI, tei);
            }
            // The kernel looks the address up before it reads a version.
            PdpKey::MsAddress(IpAddr::V4(a)) => {
                m.put_u32(GTPA_VERSION, GTP_V0)
                    .put_u32(GTPA_LINK, link)
                    .put_ipv4(GTPA_MS_ADDRESS, a);
            }
            PdpKey::MsAddress(IpAddr::V6(a)) => {
                m.put_u32(GTPA_VERSION, GTP_V0)
                    .put_u32(GTPA_LINK, link)
                    .put_u8(GTPA_FAMILY, AF_INET6)
                    .put_ipv6(GTPA_MS_ADDR6, a);
            }
        }
        finish(m)
    }

    /// Writes a dump of every context of the namespace's gtp links (Go's
    /// `GTPPDPList`, `gtp-tunnel list`).
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        finish(request(
            buf,
            family,
            GTP_CMD_GETPDP,
            GTP_GENL_VERSION,
            NLM_F_DUMP,
        ))
    }

    /// Parses a `GTP_CMD_GETPDP` reply or dump entry, or a notification of
    /// the `"gtp"` group.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Pdp> {
        let err = |e| msg.wire_error(FAMILY, e);
        let (mut link, mut version, mut peer, mut ms) = (0, None, None, None);
        let (mut tid, mut flow, mut i_tei, mut o_tei) = (0, 0, 0, 0);
        for a in msg.attrs() {
            let a = a.map_err(err)?;
            let r = (|| -> nl_wire::Result<()> {
                match a.ty() {
                    GTPA_LINK => link = a.u32()?,
                    GTPA_VERSION => version = Some(a.u32()?),
                    GTPA_PEER_ADDRESS => peer = Some(IpAddr::V4(a.ipv4()?)),
                    GTPA_PEER_ADDR6 => peer = Some(IpAddr::V6(a.ipv6()?)),
                    GTPA_MS_ADDRESS => ms = Some(IpAddr::V4(a.ipv4()?)),
                    GTPA_MS_ADDR6 => ms = Some(IpAddr::V6(a.ipv6()?)),
                    GTPA_TID => tid = a.u64()?,
                    GTPA_FLOW => flow = a.u16()?,
                    GTPA_I_TEI => i_tei = a.u32()?,
                    GTPA_O_TEI => o_tei = a.u32()?,
                    _ => {}
                }
                Ok(())
            })();
            r.map_err(err)?;
        }
        let missing = |what| Error::Unexpected {
            what,
            msg_type: msg.family_id(),
        };
        let tunnel = match version.ok_or_else(|| missing("a PDP context (no GTPA_VERSION)"))? {
            GTP_V0 => GtpTunnel::V0 { tid, flow },
            GTP_V1 => GtpTunnel::V1 { i_tei, o_tei },
            other => GtpTunnel::Unknown(other),
        };
        Ok(Pdp {
            link,
            peer: peer.ok_or_else(|| missing("a PDP context (no peer address)"))?,
            ms: ms.ok_or_else(|| missing("a PDP context (no MS address)"))?,
            tunnel,
            net_ns_fd: None,
        })
    }
}

impl fmt::Display for Pdp {
    /// As libgtpnl's `gtp-tunnel list` prints a context, the link by index.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dev #{} version {} ", self.link, self.tunnel.version())?;
        match self.tunnel {
            GtpTunnel::V0 { tid, flow } => write!(f, "tid {tid} flow {flow} ")?,
            GtpTunnel::V1 { i_tei, o_tei } => write!(f, "tei {i_tei}/{o_tei} ")?,
            GtpTunnel::Unknown(_) => {}
        }
        write!(f, "ms_addr {} sgsn_addr {}", self.ms, self.peer)
    }
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map_err(Error::Build)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msg;

    const FAM: u16 = 0x21;

    fn genl(buf: &[u8]) -> GenlMsg<'_> {
        let (msg, _) = Msg::parse(buf).unwrap();
        GenlMsg::parse(&msg, 0).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    /// Go's `GTPPDPAdd` of a v1 context: version, link, peer, MS, TEIs,
    /// with `NLM_F_EXCL | NLM_F_ACK`.
    #[test]
    fn v1_add_is_what_go_sends() {
        let pdp = Pdp::v1(7, ip("198.51.100.1"), ip("192.0.2.10"), 100, 200);
        let mut buf = Vec::new();
        pdp.write_add(FAM, &mut buf).unwrap();
        let flags = u16::from_ne_bytes([buf[6], buf[7]]);
        assert_eq!(
            flags,
            nl_wire::netlink::NLM_F_REQUEST | NLM_F_EXCL | NLM_F_ACK
        );
        assert_eq!(&buf[16..20], &[GTP_CMD_NEWPDP, 0, 0, 0]);
        #[rustfmt::skip]
        let attrs: &[u8] = &[
            8, 0, 2, 0, 1, 0, 0, 0,
            8, 0, 1, 0, 7, 0, 0, 0,
            8, 0, 4, 0, 198, 51, 100, 1,
            8, 0, 5, 0, 192, 0, 2, 10,
            8, 0, 8, 0, 100, 0, 0, 0,
            8, 0, 9, 0, 200, 0, 0, 0,
        ];
        assert_eq!(&buf[20..], attrs);
        let back = Pdp::parse(&genl(&buf)).unwrap();
        assert_eq!(back, pdp);
        assert_eq!(
            back.to_string(),
            "dev #7 version 1 tei 100/200 ms_addr 192.0.2.10 sgsn_addr 198.51.100.1"
        );
    }

    #[test]
    fn v0_and_v6_round_trip() {
        let v0 = Pdp::v0(3, ip("198.51.100.1"), ip("192.0.2.11"), 0x1_0000_0001, 9);
        let v6 = Pdp::v1(3, ip("2001:db8::1"), ip("2001:db8:1::10"), 1, 2);
        for pdp in [v0, v6] {
            let mut buf = Vec::new();
            pdp.write_add(FAM, &mut buf).unwrap();
            assert_eq!(Pdp::parse(&genl(&buf)).unwrap(), pdp);
            // Deleting names the context by its ids only.
            let mut buf = Vec::new();
            pdp.write_del(FAM, &mut buf).unwrap();
            let attrs = genl(&buf).attrs();
            assert!(attrs.get(GTPA_PEER_ADDRESS).unwrap().is_none());
            assert!(attrs.get(GTPA_LINK).unwrap().is_some());
            assert_eq!(
                attrs.get(GTPA_FAMILY).unwrap().map(|a| a.u8().unwrap()),
                pdp.ms.is_ipv6().then_some(AF_INET6)
            );
        }
    }

    #[test]
    fn lookups_send_what_the_kernel_reads() {
        let cases = [
            (PdpKey::Tid(5), GTPA_TID, GTP_V0),
            (PdpKey::ITei(6), GTPA_I_TEI, GTP_V1),
            (PdpKey::MsAddress(ip("192.0.2.1")), GTPA_MS_ADDRESS, GTP_V0),
            (PdpKey::MsAddress(ip("2001:db8::1")), GTPA_MS_ADDR6, GTP_V0),
        ];
        for (key, attr, version) in cases {
            let mut buf = Vec::new();
            Pdp::write_get(FAM, 4, key, &mut buf).unwrap();
            let g = genl(&buf);
            assert_eq!(g.cmd(), GTP_CMD_GETPDP);
            let attrs = g.attrs();
            assert!(attrs.get(attr).unwrap().is_some(), "{key}");
            assert_eq!(
                attrs.get(GTPA_VERSION).unwrap().unwrap().u32().unwrap(),
                version
            );
            assert_eq!(attrs.get(GTPA_LINK).unwrap().unwrap().u32().unwrap(), 4);
        }
        assert!(Pdp::write_get(FAM, 0, PdpKey::Tid(1), &mut Vec::new()).is_err());
    }

    #[test]
    fn incomplete_or_unknown_contexts() {
        let mut pdp = Pdp::v1(0, ip("198.51.100.1"), ip("192.0.2.10"), 1, 2);
        assert!(pdp.write_add(FAM, &mut Vec::new()).is_err(), "no link");
        pdp.link = 1;
        pdp.tunnel = GtpTunnel::Unknown(7);
        assert!(
            pdp.write_add(FAM, &mut Vec::new()).is_err(),
            "unknown version"
        );
        // A context of a version this library does not know still parses.
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr {
            cmd: GTP_CMD_NEWPDP,
            version: 0,
            reserved: [0; 2],
        });
        m.put_u32(GTPA_VERSION, 7)
            .put_ipv4(GTPA_PEER_ADDRESS, "198.51.100.1".parse().unwrap())
            .put_ipv4(GTPA_MS_ADDRESS, "192.0.2.1".parse().unwrap());
        m.finish().unwrap();
        assert_eq!(
            Pdp::parse(&genl(&buf)).unwrap().tunnel,
            GtpTunnel::Unknown(7)
        );
        // No addresses: an error, not a default.
        let mut buf = Vec::new();
        Pdp::write_dump(FAM, &mut buf).unwrap();
        assert!(Pdp::parse(&genl(&buf)).is_err());
    }
}
