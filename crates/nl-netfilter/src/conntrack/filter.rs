//! [`Filter`]: which entries a listing or a deletion is about — the Go
//! library's `ConntrackFilter` (addresses or networks of either
//! direction, ports, protocol, labels, status, zone) plus the mark.
//!
//! The kernel filters dumps by family, mark under a mask, zone and status
//! (`CTA_MARK`/`CTA_MARK_MASK`, `CTA_ZONE`, `CTA_STATUS`/`CTA_STATUS_MASK`)
//! and, since 5.8, by exact tuple fields (`CTA_FILTER`: addresses,
//! protocol, ports). [`Filter::write_dump`] sends what the kernel can
//! check; [`Filter::matches`] checks everything again on each entry, so
//! networks, "either reply address", labels and kernels that ignore an
//! attribute give the same answer.

use std::net::IpAddr;

use ipnet::IpNet;
use nl_wire::MsgBuilder;
use nl_wire::netlink::{NLA_F_NESTED, NLM_F_DUMP};

use super::ctnl_request;
use super::entry::{Entry, Labels, Status};
use super::tuple::{AF_INET, AF_INET6, Tuple, has_ports, proto_name};
use crate::uapi::newer::*;
use crate::uapi::nfnetlink_conntrack::*;
use crate::{Error, Result};

/// A mark match: `entry.mark & mask == value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MarkMatch {
    /// The value, after the mask.
    pub value: u32,
    /// The bits compared.
    pub mask: u32,
}

/// Which entries to list or delete. Every criterion set must hold (and);
/// [`Filter::default`] sets none.
///
/// ```
/// use nl_netfilter::conntrack::{Filter, Status};
/// let f = Filter::new()
///     .proto(6)
///     .orig_dst("192.0.2.0/24".parse::<ipnet::IpNet>().unwrap())
///     .orig_dst_port(443)
///     .status(Status::ASSURED);
/// assert!(!f.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Source of the original direction in this network
    /// (`ConntrackOrigSrcIP`).
    pub orig_src: Option<IpNet>,
    /// Destination of the original direction (`ConntrackOrigDstIP`).
    pub orig_dst: Option<IpNet>,
    /// Source of the reply direction (`ConntrackReplySrcIP`; after
    /// destination NAT, the real server).
    pub reply_src: Option<IpNet>,
    /// Destination of the reply direction (`ConntrackReplyDstIP`; after
    /// source NAT, the translated address).
    pub reply_dst: Option<IpNet>,
    /// Either address of the reply direction (`ConntrackReplyAnyIP`).
    pub reply_any: Option<IpNet>,
    /// Source port of the original direction (needs [`Filter::proto`]).
    pub orig_src_port: Option<u16>,
    /// Destination port of the original direction (needs
    /// [`Filter::proto`]).
    pub orig_dst_port: Option<u16>,
    /// Layer 4 protocol.
    pub proto: Option<u8>,
    /// Status bits that must all be set (`ConntrackMatchStatus`).
    pub status: Status,
    /// Status bits of which none may be set (`ConntrackUnmatchStatus`).
    pub status_unset: Status,
    /// Labels that must all be set (`ConntrackMatchLabels`); an entry
    /// without labels never matches a label criterion.
    pub labels: Option<Labels>,
    /// Labels of which none may be set (`ConntrackUnmatchLabels`).
    pub labels_unset: Option<Labels>,
    /// Zone.
    pub zone: Option<u16>,
    /// Mark under a mask.
    pub mark: Option<MarkMatch>,
}

/// Whether `net` holds `ip` (never across families).
fn holds(net: &IpNet, ip: &IpAddr) -> bool {
    net.contains(ip)
}

/// The address of a single-address network of `family`.
fn host_of(net: Option<&IpNet>, family: u8) -> Option<IpAddr> {
    let net = net?;
    let fam = if net.addr().is_ipv6() {
        AF_INET6
    } else {
        AF_INET
    };
    (fam == family && net.prefix_len() == net.max_prefix_len()).then(|| net.addr())
}

impl Filter {
    /// A filter with no criterion.
    pub fn new() -> Self {
        Filter::default()
    }

    /// Original source in `net` (an address converts to a host network).
    #[must_use]
    pub fn orig_src(mut self, net: impl Into<IpNet>) -> Self {
        self.orig_src = Some(net.into());
        self
    }

    /// Original destination in `net`.
    #[must_use]
    pub fn orig_dst(mut self, net: impl Into<IpNet>) -> Self {
        self.orig_dst = Some(net.into());
        self
    }

    /// Reply source in `net`.
    #[must_use]
    pub fn reply_src(mut self, net: impl Into<IpNet>) -> Self {
        self.reply_src = Some(net.into());
        self
    }

    /// Reply destination in `net`.
    #[must_use]
    pub fn reply_dst(mut self, net: impl Into<IpNet>) -> Self {
        self.reply_dst = Some(net.into());
        self
    }

    /// Either reply address in `net`.
    #[must_use]
    pub fn reply_any(mut self, net: impl Into<IpNet>) -> Self {
        self.reply_any = Some(net.into());
        self
    }

    /// Original source port.
    #[must_use]
    pub fn orig_src_port(mut self, port: u16) -> Self {
        self.orig_src_port = Some(port);
        self
    }

    /// Original destination port.
    #[must_use]
    pub fn orig_dst_port(mut self, port: u16) -> Self {
        self.orig_dst_port = Some(port);
        self
    }

    /// Layer 4 protocol.
    #[must_use]
    pub fn proto(mut self, proto: u8) -> Self {
        self.proto = Some(proto);
        self
    }

    /// Status bits that must be set.
    #[must_use]
    pub fn status(mut self, bits: Status) -> Self {
        self.status |= bits;
        self
    }

    /// Status bits that must not be set.
    #[must_use]
    pub fn status_unset(mut self, bits: Status) -> Self {
        self.status_unset |= bits;
        self
    }

    /// Labels that must be set.
    #[must_use]
    pub fn labels(mut self, labels: Labels) -> Self {
        self.labels = Some(labels);
        self
    }

    /// Labels that must not be set.
    #[must_use]
    pub fn labels_unset(mut self, labels: Labels) -> Self {
        self.labels_unset = Some(labels);
        self
    }

    /// Zone.
    #[must_use]
    pub fn zone(mut self, zone: u16) -> Self {
        self.zone = Some(zone);
        self
    }

    /// Mark: `mark & mask == value`.
    #[must_use]
    pub fn mark(mut self, value: u32, mask: u32) -> Self {
        self.mark = Some(MarkMatch { value, mask });
        self
    }

    /// Whether no criterion is set. An empty filter matches every entry
    /// in a listing, and none in a deletion (the Go library's rule: a
    /// forgotten criterion must not flush the table).
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Refuses what cannot mean anything: ports without a protocol that
    /// has them (the Go library's `AddPort` rule).
    pub fn check(&self) -> Result<()> {
        if self.orig_src_port.is_some() || self.orig_dst_port.is_some() {
            match self.proto {
                Some(p) if has_ports(p) => {}
                Some(p) => {
                    return Err(Error::invalid(
                        "filter",
                        format!("{} has no ports to match", proto_name(p)),
                    ));
                }
                None => {
                    return Err(Error::invalid(
                        "filter",
                        "a port needs a protocol with ports (tcp, udp, udplite, sctp, dccp)",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether `e` meets every criterion (an empty filter: yes).
    pub fn matches(&self, e: &Entry) -> bool {
        if self.proto.is_some_and(|p| p != e.orig.proto)
            || self.zone.is_some_and(|z| z != e.zone_id())
            || self
                .mark
                .is_some_and(|m| e.mark.unwrap_or(0) & m.mask != m.value)
        {
            return false;
        }
        let status = e.status();
        if !status.contains(self.status) || status.intersects(self.status_unset) {
            return false;
        }
        let nets = [
            (&self.orig_src, &e.orig.src),
            (&self.orig_dst, &e.orig.dst),
            (&self.reply_src, &e.reply.src),
            (&self.reply_dst, &e.reply.dst),
        ];
        if nets
            .iter()
            .any(|(net, ip)| net.as_ref().is_some_and(|n| !holds(n, ip)))
        {
            return false;
        }
        if self
            .reply_any
            .is_some_and(|n| !holds(&n, &e.reply.src) && !holds(&n, &e.reply.dst))
        {
            return false;
        }
        if self.orig_src_port.is_some() && self.orig_src_port != e.orig.src_port
            || self.orig_dst_port.is_some() && self.orig_dst_port != e.orig.dst_port
        {
            return false;
        }
        if self.labels.is_some() || self.labels_unset.is_some() {
            let Some(have) = e.labels.filter(|l| !l.is_empty()) else {
                return false;
            };
            if self.labels.is_some_and(|l| !have.contains(&l))
                || self.labels_unset.is_some_and(|l| have.intersects(&l))
            {
                return false;
            }
        }
        true
    }

    /// Writes a dump of `family` (`AF_UNSPEC` for both) that asks the
    /// kernel to leave out what it can tell does not match (see the
    /// module docs); check each entry with [`Filter::matches`] still.
    pub fn write_dump(&self, family: u8, buf: &mut Vec<u8>) -> Result<()> {
        self.write_dump_command(IPCTNL_MSG_CT_GET, family, buf)
    }

    /// [`Filter::write_dump`] of `IPCTNL_MSG_CT_GET_CTRZERO`: the
    /// counters are read and zeroed.
    pub fn write_dump_zero(&self, family: u8, buf: &mut Vec<u8>) -> Result<()> {
        self.write_dump_command(IPCTNL_MSG_CT_GET_CTRZERO, family, buf)
    }

    fn write_dump_command(&self, command: u8, family: u8, buf: &mut Vec<u8>) -> Result<()> {
        self.check()?;
        let mut m = ctnl_request(buf, command, family, NLM_F_DUMP);
        self.write_kernel_part(&mut m, family);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    fn write_kernel_part(&self, m: &mut MsgBuilder<'_>, family: u8) {
        if let Some(mm) = self.mark {
            m.put_be32(CTA_MARK, mm.value);
            m.put_be32(CTA_MARK_MASK, mm.mask);
        }
        if let Some(z) = self.zone {
            m.put_be16(CTA_ZONE, z);
        }
        let mask = self.status | self.status_unset;
        if !mask.is_empty() {
            m.put_be32(CTA_STATUS, self.status.bits());
            m.put_be32(CTA_STATUS_MASK, mask.bits());
        }
        // Tuple filters need a family: the kernel compares addresses of
        // that family only (and refuses the others with EOPNOTSUPP).
        if family != AF_INET && family != AF_INET6 {
            return;
        }
        let orig_src = host_of(self.orig_src.as_ref(), family);
        let orig_dst = host_of(self.orig_dst.as_ref(), family);
        let reply_src = host_of(self.reply_src.as_ref(), family);
        let reply_dst = host_of(self.reply_dst.as_ref(), family);
        let unspec = if family == AF_INET6 {
            IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
        };
        let mut orig_flags = 0;
        let mut orig = Tuple::new(unspec, unspec, self.proto.unwrap_or(0));
        if let Some(ip) = orig_src {
            orig.src = ip;
            orig_flags |= CTA_FILTER_F_CTA_IP_SRC;
        }
        if let Some(ip) = orig_dst {
            orig.dst = ip;
            orig_flags |= CTA_FILTER_F_CTA_IP_DST;
        }
        if self.proto.is_some() {
            orig_flags |= CTA_FILTER_F_CTA_PROTO_NUM;
            if let Some(p) = self.orig_src_port {
                orig.src_port = Some(p);
                orig_flags |= CTA_FILTER_F_CTA_PROTO_SRC_PORT;
            }
            if let Some(p) = self.orig_dst_port {
                orig.dst_port = Some(p);
                orig_flags |= CTA_FILTER_F_CTA_PROTO_DST_PORT;
            }
        }
        let mut reply_flags = 0;
        let mut reply = Tuple::new(unspec, unspec, 0);
        if let Some(ip) = reply_src {
            reply.src = ip;
            reply_flags |= CTA_FILTER_F_CTA_IP_SRC;
        }
        if let Some(ip) = reply_dst {
            reply.dst = ip;
            reply_flags |= CTA_FILTER_F_CTA_IP_DST;
        }
        if orig_flags == 0 && reply_flags == 0 {
            return;
        }
        if orig_flags != 0 {
            write_filter_tuple(m, CTA_TUPLE_ORIG, &orig, orig_flags);
        }
        if reply_flags != 0 {
            write_filter_tuple(m, CTA_TUPLE_REPLY, &reply, reply_flags);
        }
        m.nest(CTA_FILTER | NLA_F_NESTED, |m| {
            if orig_flags != 0 {
                m.put_u32(CTA_FILTER_ORIG_FLAGS, orig_flags);
            }
            if reply_flags != 0 {
                m.put_u32(CTA_FILTER_REPLY_FLAGS, reply_flags);
            }
        });
    }
}

/// A filter tuple: only what `flags` names.
fn write_filter_tuple(m: &mut MsgBuilder<'_>, kind: u16, t: &Tuple, flags: u32) {
    let nest = m.nest_start(kind | NLA_F_NESTED);
    let src = flags & CTA_FILTER_F_CTA_IP_SRC != 0;
    let dst = flags & CTA_FILTER_F_CTA_IP_DST != 0;
    if src || dst {
        t.write_ip(m, src, dst);
    }
    if flags & CTA_FILTER_F_CTA_PROTO_NUM != 0 {
        t.write_proto(m, true);
    }
    m.nest_end(nest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::Entry;

    fn entry() -> Entry {
        let mut e = Entry::new(Tuple::tcp(
            "192.0.2.1:1000".parse().unwrap(),
            "198.51.100.7:80".parse().unwrap(),
        ));
        // Source NAT: the reply comes back to 203.0.113.1.
        e.reply.dst = "203.0.113.1".parse().unwrap();
        e.status = Some(Status::ASSURED | Status::SEEN_REPLY | Status::SRC_NAT);
        e.mark = Some(0x12);
        e.labels = Some(Labels::from_bits([3, 70]));
        e
    }

    #[test]
    fn go_rules() {
        let e = entry();
        assert!(Filter::new().matches(&e));
        assert!(Filter::new().proto(6).orig_dst_port(80).matches(&e));
        assert!(!Filter::new().proto(17).matches(&e));
        assert!(
            Filter::new()
                .orig_src("192.0.2.0/24".parse::<IpNet>().unwrap())
                .matches(&e)
        );
        assert!(
            !Filter::new()
                .orig_src("198.51.100.0/24".parse::<IpNet>().unwrap())
                .matches(&e)
        );
        let nat: IpAddr = "203.0.113.1".parse().unwrap();
        assert!(Filter::new().reply_dst(nat).matches(&e));
        assert!(Filter::new().reply_any(nat).matches(&e));
        assert!(!Filter::new().reply_src(nat).matches(&e));
        assert!(Filter::new().status(Status::ASSURED).matches(&e));
        assert!(!Filter::new().status_unset(Status::SRC_NAT).matches(&e));
        assert!(Filter::new().mark(0x10, 0xf0).matches(&e));
        assert!(!Filter::new().mark(0x20, 0xf0).matches(&e));
        assert!(Filter::new().labels(Labels::from_bits([70])).matches(&e));
        assert!(!Filter::new().labels(Labels::from_bits([4])).matches(&e));
        assert!(
            Filter::new()
                .labels_unset(Labels::from_bits([4]))
                .matches(&e)
        );
        let mut bare = entry();
        bare.labels = None;
        assert!(
            !Filter::new()
                .labels_unset(Labels::from_bits([4]))
                .matches(&bare)
        );
        assert!(Filter::new().orig_dst_port(80).check().is_err());
        assert!(Filter::new().proto(1).orig_dst_port(80).check().is_err());
    }

    #[test]
    fn kernel_part_only_exact_fields() {
        let mut buf = Vec::new();
        Filter::new()
            .proto(6)
            .orig_dst("192.0.2.0/24".parse::<IpNet>().unwrap())
            .orig_src("192.0.2.1".parse::<IpAddr>().unwrap())
            .orig_dst_port(80)
            .mark(1, 0xff)
            .write_dump(AF_INET, &mut buf)
            .unwrap();
        let (msg, _) = nl_wire::Msg::parse(&buf).unwrap();
        let nf = crate::NfMsg::parse(&msg, crate::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK).unwrap();
        let tb: nl_wire::AttrTable<'_, 32> = nf.attrs().table().unwrap();
        assert_eq!(tb.be32(CTA_MARK).unwrap(), Some(1));
        let filter: nl_wire::AttrTable<'_, 4> = tb.nested(CTA_FILTER).unwrap().table().unwrap();
        assert_eq!(
            filter.u32(CTA_FILTER_ORIG_FLAGS).unwrap(),
            Some(
                CTA_FILTER_F_CTA_IP_SRC
                    | CTA_FILTER_F_CTA_PROTO_NUM
                    | CTA_FILTER_F_CTA_PROTO_DST_PORT
            )
        );
        let t = Tuple::parse(tb.nested(CTA_TUPLE_ORIG).unwrap()).unwrap();
        assert_eq!(t.src, "192.0.2.1".parse::<IpAddr>().unwrap());
        assert_eq!((t.proto, t.dst_port, t.src_port), (6, Some(80), None));
        // Without a family, no tuple filter.
        buf.clear();
        Filter::new()
            .orig_src("192.0.2.1".parse::<IpAddr>().unwrap())
            .write_dump(0, &mut buf)
            .unwrap();
        let (msg, _) = nl_wire::Msg::parse(&buf).unwrap();
        assert_eq!(msg.payload().len(), 4);
    }
}
