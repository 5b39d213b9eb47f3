//! Foo-over-UDP receive ports (genl family `"fou"`): `ip fou add|del|show`,
//! the Go library's `FouAdd`, `FouDel`, `FouList`.
//!
//! A FOU port is a UDP socket the kernel listens on and whose payload it
//! hands to an IP protocol handler: directly (`ipproto N`, the payload is
//! that protocol's packet) or through a GUE header (`gue`, the header
//! says the protocol). Tunnels (`ipip`, `gre`, `sit` ... with `encap fou`)
//! send into such ports; this family only opens and closes them.
//!
//! ```text
//! PORT be16 | AF u8 | TYPE u8 | IPPROTO u8 | [LOCAL_V4 be32 | LOCAL_V6 [16]]
//!           | [PEER_V4 | PEER_V6] | [PEER_PORT be16] | [IFINDEX s32] | [REMCSUM_NOPARTIAL flag]
//! ```
//!
//! Ports travel in network byte order; the kernel's replies carry every
//! attribute, unset addresses and ports as zeros, which [`Fou::parse`]
//! reads as `None`.

use core::fmt;
use std::net::IpAddr;

use nl_wire::MsgBuilder;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP};

use crate::error::{Error, Result};
use crate::uapi::fou::*;
use crate::uapi::newer::FOU_GENL_NAME;
use crate::{GenlMsg, request};

/// The family's name.
pub const FAMILY: &str = FOU_GENL_NAME;

/// `AF_INET`, as `FOU_ATTR_AF` says it.
pub const AF_INET: u8 = 2;
/// `AF_INET6`, as `FOU_ATTR_AF` says it.
pub const AF_INET6: u8 = 10;

/// How a port's payload reaches its protocol handler (`FOU_ENCAP_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FouEncap {
    /// The payload is a packet of [`Fou::ipproto`] (`ipproto N`).
    #[default]
    Direct,
    /// Generic UDP Encapsulation: a GUE header names the protocol (`gue`).
    Gue,
    /// A value this library does not know.
    Other(u8),
}

impl From<u8> for FouEncap {
    fn from(v: u8) -> Self {
        match v {
            FOU_ENCAP_DIRECT => FouEncap::Direct,
            FOU_ENCAP_GUE => FouEncap::Gue,
            other => FouEncap::Other(other),
        }
    }
}

impl From<FouEncap> for u8 {
    fn from(v: FouEncap) -> u8 {
        match v {
            FouEncap::Direct => FOU_ENCAP_DIRECT,
            FouEncap::Gue => FOU_ENCAP_GUE,
            FouEncap::Other(other) => other,
        }
    }
}

/// A FOU receive port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fou {
    /// The socket's address family: [`AF_INET`] or [`AF_INET6`] (`-6`).
    pub family: u8,
    /// The UDP port (host order here; network order on the wire).
    pub port: u16,
    /// Direct or GUE.
    pub encap: FouEncap,
    /// The IP protocol of a direct port (4 for IPIP, 47 for GRE ...); 0 for GUE.
    pub ipproto: u8,
    /// The local address the socket is bound to (`local`).
    pub local: Option<IpAddr>,
    /// The peer the socket is connected to (`peer`).
    pub peer: Option<IpAddr>,
    /// The peer's port (`peer_port`; set with `peer`).
    pub peer_port: Option<u16>,
    /// The device the socket is bound to (`dev`), by index.
    pub ifindex: Option<i32>,
    /// Remote checksum offload without partial checksums (kernel flag;
    /// `ip fou` has no word for it).
    pub remcsum_nopartial: bool,
}

impl Default for Fou {
    fn default() -> Self {
        Fou {
            family: AF_INET,
            port: 0,
            encap: FouEncap::Direct,
            ipproto: 0,
            local: None,
            peer: None,
            peer_port: None,
            ifindex: None,
            remcsum_nopartial: false,
        }
    }
}

impl Fou {
    /// An IPv4 port handing its payload to IP protocol `ipproto`
    /// (`ip fou add port PORT ipproto N`).
    pub fn direct(port: u16, ipproto: u8) -> Fou {
        Fou {
            port,
            ipproto,
            ..Fou::default()
        }
    }

    /// An IPv4 GUE port (`ip fou add port PORT gue`).
    pub fn gue(port: u16) -> Fou {
        Fou {
            port,
            encap: FouEncap::Gue,
            ..Fou::default()
        }
    }

    /// The same port on an IPv6 socket (`-6`).
    pub fn ipv6(self) -> Fou {
        Fou {
            family: AF_INET6,
            ..self
        }
    }

    /// Checks what the kernel would refuse less clearly (or accept and
    /// misuse): no port, GUE with a protocol, a direct port without one,
    /// addresses of the other family, a peer without its port.
    fn check(&self, adding: bool) -> Result<()> {
        if self.port == 0 {
            return Err(Error::invalid("fou port", "a FOU port needs a port number"));
        }
        if self.family != AF_INET && self.family != AF_INET6 {
            return Err(Error::invalid(
                "fou family",
                format!("{} is neither AF_INET nor AF_INET6", self.family),
            ));
        }
        if adding {
            match self.encap {
                FouEncap::Gue if self.ipproto != 0 => {
                    return Err(Error::invalid(
                        "fou ipproto",
                        "GUE encapsulation doesn't specify an IP protocol",
                    ));
                }
                FouEncap::Direct if self.ipproto == 0 => {
                    return Err(Error::invalid(
                        "fou ipproto",
                        "a direct FOU port needs an IP protocol",
                    ));
                }
                _ => {}
            }
        }
        let v6 = self.family == AF_INET6;
        for a in [self.local, self.peer].into_iter().flatten() {
            if a.is_ipv6() != v6 {
                return Err(Error::invalid(
                    "fou address",
                    format!("{a} is not of the port's family (use .ipv6() for IPv6)"),
                ));
            }
        }
        if self.peer.is_some() != self.peer_port.is_some() {
            return Err(Error::invalid(
                "fou peer",
                "both peer and peer port must be set",
            ));
        }
        Ok(())
    }

    /// The attributes that name a port, in iproute2's order (port, type,
    /// family, protocol, addresses, device).
    fn put(&self, m: &mut MsgBuilder<'_>, with_type: bool) {
        m.put_be16(FOU_ATTR_PORT, self.port);
        if with_type {
            m.put_u8(FOU_ATTR_TYPE, self.encap.into());
        }
        m.put_u8(FOU_ATTR_AF, self.family);
        if with_type && self.ipproto != 0 {
            m.put_u8(FOU_ATTR_IPPROTO, self.ipproto);
        }
        match self.local {
            Some(IpAddr::V4(a)) => {
                m.put_ipv4(FOU_ATTR_LOCAL_V4, a);
            }
            Some(IpAddr::V6(a)) => {
                m.put_ipv6(FOU_ATTR_LOCAL_V6, a);
            }
            None => {}
        }
        match self.peer {
            Some(IpAddr::V4(a)) => {
                m.put_ipv4(FOU_ATTR_PEER_V4, a);
            }
            Some(IpAddr::V6(a)) => {
                m.put_ipv6(FOU_ATTR_PEER_V6, a);
            }
            None => {}
        }
        if let Some(p) = self.peer_port {
            m.put_be16(FOU_ATTR_PEER_PORT, p);
        }
        if let Some(i) = self.ifindex {
            m.put_i32(FOU_ATTR_IFINDEX, i);
        }
        if with_type && self.remcsum_nopartial {
            m.put_flag(FOU_ATTR_REMCSUM_NOPARTIAL);
        }
    }

    /// Writes `FOU_CMD_ADD` (`ip fou add`).
    pub fn write_add(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        self.check(true)?;
        let mut m = request(buf, family, FOU_CMD_ADD, FOU_GENL_VERSION, NLM_F_ACK);
        self.put(&mut m, true);
        finish(m)
    }

    /// Writes `FOU_CMD_DEL` (`ip fou del`): the port is found by port,
    /// family, addresses and device, as it was added.
    pub fn write_del(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        self.check(false)?;
        let mut m = request(buf, family, FOU_CMD_DEL, FOU_GENL_VERSION, NLM_F_ACK);
        self.put(&mut m, false);
        finish(m)
    }

    /// Writes `FOU_CMD_GET` for the port that matches this one (port,
    /// family, addresses, device).
    pub fn write_get(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        self.check(false)?;
        let mut m = request(buf, family, FOU_CMD_GET, FOU_GENL_VERSION, 0);
        self.put(&mut m, false);
        finish(m)
    }

    /// Writes a dump of every port of the namespace (`ip fou show`).
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        finish(request(
            buf,
            family,
            FOU_CMD_GET,
            FOU_GENL_VERSION,
            NLM_F_DUMP,
        ))
    }

    /// Parses a `FOU_CMD_GET` reply or dump entry.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Fou> {
        let err = |e| msg.wire_error(FAMILY, e);
        let mut f = Fou::default();
        let mut port = None;
        for a in msg.attrs() {
            let a = a.map_err(err)?;
            let r = (|| -> nl_wire::Result<()> {
                match a.ty() {
                    FOU_ATTR_PORT => port = Some(a.be16()?),
                    FOU_ATTR_AF => f.family = a.u8()?,
                    FOU_ATTR_TYPE => f.encap = FouEncap::from(a.u8()?),
                    FOU_ATTR_IPPROTO => f.ipproto = a.u8()?,
                    FOU_ATTR_REMCSUM_NOPARTIAL => f.remcsum_nopartial = true,
                    // Unset addresses, ports and devices come as zeros.
                    FOU_ATTR_LOCAL_V4 | FOU_ATTR_LOCAL_V6 => {
                        f.local = Some(a.ip()?).filter(|ip| !ip.is_unspecified());
                    }
                    FOU_ATTR_PEER_V4 | FOU_ATTR_PEER_V6 => {
                        f.peer = Some(a.ip()?).filter(|ip| !ip.is_unspecified());
                    }
                    FOU_ATTR_PEER_PORT => f.peer_port = Some(a.be16()?).filter(|&p| p != 0),
                    FOU_ATTR_IFINDEX => f.ifindex = Some(a.i32()?).filter(|&i| i != 0),
                    _ => {}
                }
                Ok(())
            })();
            r.map_err(err)?;
        }
        f.port = port.ok_or(Error::Unexpected {
            what: "a FOU port (no FOU_ATTR_PORT)",
            msg_type: msg.family_id(),
        })?;
        Ok(f)
    }
}

impl fmt::Display for Fou {
    /// As `ip fou show` prints it, the device by index.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "port {}", self.port)?;
        match self.encap {
            FouEncap::Gue => write!(f, " gue")?,
            _ => write!(f, " ipproto {}", self.ipproto)?,
        }
        if self.family == AF_INET6 {
            write!(f, " -6")?;
        }
        if let Some(a) = self.local {
            write!(f, " local {a}")?;
        }
        if let Some(a) = self.peer {
            write!(f, " peer {a}")?;
        }
        if let Some(p) = self.peer_port {
            write!(f, " peer_port {p}")?;
        }
        if let Some(i) = self.ifindex {
            write!(f, " dev #{i}")?;
        }
        Ok(())
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
    use std::net::Ipv4Addr;

    const FAM: u16 = 0x1c;

    fn genl(buf: &[u8]) -> GenlMsg<'_> {
        let (msg, _) = Msg::parse(buf).unwrap();
        GenlMsg::parse(&msg, 0).unwrap()
    }

    /// `ip fou add port 5555 ipproto 4` in the order iproute2's ipfou.c
    /// writes it: port (be16), type, family, protocol.
    #[test]
    fn add_is_what_ip_sends() {
        let mut buf = Vec::new();
        Fou::direct(5555, 4).write_add(FAM, &mut buf).unwrap();
        assert_eq!(&buf[16..20], &[FOU_CMD_ADD, 1, 0, 0]);
        #[rustfmt::skip]
        let attrs: &[u8] = &[
            6, 0, 1, 0, 0x15, 0xb3, 0, 0,
            5, 0, 4, 0, 1, 0, 0, 0,
            5, 0, 2, 0, 2, 0, 0, 0,
            5, 0, 3, 0, 4, 0, 0, 0,
        ];
        assert_eq!(&buf[20..], attrs);
        // Deleting names the port by port and family, as Go's FouDel does.
        let mut buf = Vec::new();
        Fou::direct(5555, 4).write_del(FAM, &mut buf).unwrap();
        assert_eq!(
            &buf[16..],
            &[
                FOU_CMD_DEL,
                1,
                0,
                0,
                6,
                0,
                1,
                0,
                0x15,
                0xb3,
                0,
                0,
                5,
                0,
                2,
                0,
                2,
                0,
                0,
                0
            ]
        );
    }

    /// A dump entry as the kernel fills it: every attribute, zeros for
    /// what is unset.
    #[test]
    fn kernel_reply_reads_like_ip_fou_show() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr {
            cmd: FOU_CMD_GET,
            version: 1,
            reserved: [0; 2],
        });
        m.put_u8(FOU_ATTR_AF, AF_INET)
            .put_be16(FOU_ATTR_PORT, 7777)
            .put_be16(FOU_ATTR_PEER_PORT, 0)
            .put_u8(FOU_ATTR_IPPROTO, 0)
            .put_u8(FOU_ATTR_TYPE, FOU_ENCAP_GUE)
            .put_i32(FOU_ATTR_IFINDEX, 0)
            .put_ipv4(FOU_ATTR_LOCAL_V4, Ipv4Addr::UNSPECIFIED)
            .put_ipv4(FOU_ATTR_PEER_V4, Ipv4Addr::UNSPECIFIED);
        m.finish().unwrap();
        let f = Fou::parse(&genl(&buf)).unwrap();
        assert_eq!(f, Fou::gue(7777));
        assert_eq!(f.to_string(), "port 7777 gue");
    }

    #[test]
    fn connected_v6_port_round_trips() {
        let f = Fou {
            local: Some("2001:db8::1".parse().unwrap()),
            peer: Some("2001:db8::2".parse().unwrap()),
            peer_port: Some(6000),
            ifindex: Some(3),
            remcsum_nopartial: true,
            ..Fou::direct(5555, 41).ipv6()
        };
        let mut buf = Vec::new();
        f.write_add(FAM, &mut buf).unwrap();
        let back = Fou::parse(&genl(&buf)).unwrap();
        assert_eq!(back, f);
        assert_eq!(
            back.to_string(),
            "port 5555 ipproto 41 -6 local 2001:db8::1 peer 2001:db8::2 peer_port 6000 dev #3"
        );
    }

    #[test]
    fn requests_the_kernel_would_refuse_are_not_built() {
        let mut buf = Vec::new();
        let gue_with_proto = Fou {
            ipproto: 4,
            ..Fou::gue(1)
        };
        for bad in [
            Fou::direct(0, 4),
            Fou::direct(1, 0),
            gue_with_proto,
            Fou {
                local: Some("2001:db8::1".parse().unwrap()),
                ..Fou::direct(1, 4)
            },
            Fou {
                peer: Some("192.0.2.1".parse().unwrap()),
                ..Fou::direct(1, 4)
            },
        ] {
            let e = bad.write_add(FAM, &mut buf).unwrap_err();
            assert!(matches!(e, Error::Invalid { .. }), "{bad:?}: {e}");
        }
        assert!(buf.is_empty());
        // A reply without a port is an error, not port 0.
        let mut buf = Vec::new();
        Fou::write_dump(FAM, &mut buf).unwrap();
        assert!(Fou::parse(&genl(&buf)).is_err());
        assert_eq!(FouEncap::from(9), FouEncap::Other(9));
        assert_eq!(u8::from(FouEncap::Other(9)), 9);
    }
}
