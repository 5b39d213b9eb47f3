//! Nexthop objects: RTM_NEWNEXTHOP / DELNEXTHOP / GETNEXTHOP.
//!
//! A [`Nexthop`] is either a single path (gateway and/or device, or a
//! blackhole) or a group of other nexthops with weights; routes refer to
//! one by id (`RTA_NH_ID`, `ip route add ... nhid N`). [`NexthopDump`]
//! lists them with the kernel's own filters.

use std::net::IpAddr;

use nl_wire::netlink::{
    NLA_F_NESTED, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST,
};
use nl_wire::{Attr, Attrs, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::route::encap::EncapAttrs;
use crate::route::{Encap, RouteFlags, RouteProtocol};
use crate::scope::Scope;
use crate::uapi::nexthop::*;
use crate::uapi::rtnetlink::{RTM_DELNEXTHOP, RTM_GETNEXTHOP, RTM_NEWNEXTHOP};
use crate::uapi::types::{NexthopGrp, NhMsg};
use crate::{AF_INET, AF_INET6, AF_UNSPEC};

/// One member of a group (`group 1,2/3` in `ip nexthop`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupMember {
    /// The member nexthop's id.
    pub id: u32,
    /// Weight, 1..=256 (up to 65536 since Linux 6.12).
    pub weight: u32,
}

impl GroupMember {
    /// Member `id` with weight 1.
    pub fn new(id: u32) -> Self {
        GroupMember { id, weight: 1 }
    }
}

nl_wire::kernel_enum! {
    /// `NEXTHOP_GRP_TYPE_*`, with the words `ip nexthop` uses.
    #[derive(Default)]
    pub enum GroupType: u16, "type", Error {
        /// Hash-threshold multipath (the default).
        #[default]
        Mpath = NEXTHOP_GRP_TYPE_MPATH => "mpath",
        /// Resilient hashing over buckets.
        Resilient = NEXTHOP_GRP_TYPE_RES => "resilient",
    }
}

/// `NHA_RES_GROUP`: parameters of a resilient group. Timers are in clock
/// ticks (`USER_HZ`, 100 a second), as the kernel reports them; `ip`
/// takes and prints seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResilientGroup {
    /// Number of buckets.
    pub buckets: Option<u16>,
    /// Idle time before a bucket may move.
    pub idle_timer: Option<u32>,
    /// How long the group may stay unbalanced before buckets move anyway.
    pub unbalanced_timer: Option<u32>,
    /// How long the group has been unbalanced (reported).
    pub unbalanced_time: Option<u64>,
}

/// A nexthop object.
///
/// ```
/// use nl_route::nexthop::{Nexthop, GroupMember};
/// let g = Nexthop::group(10, vec![GroupMember::new(1), GroupMember { id: 2, weight: 5 }]);
/// let mut buf = Vec::new();
/// g.write_add(&mut buf)?;
/// let back = Nexthop::parse(&nl_wire::Msg::parse(&buf).unwrap().0)?;
/// assert_eq!(back.group, g.group);
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nexthop {
    /// `NHA_ID`; 0 on add lets the kernel choose.
    pub id: u32,
    /// `AF_INET` / `AF_INET6` for a single path, `AF_UNSPEC` for groups
    /// (0 on write: from the gateway, else `AF_INET`, `AF_UNSPEC` for groups).
    pub family: u8,
    /// Scope the kernel computed (link for gateways, host for devices);
    /// requests always send 0, as the kernel wants.
    pub scope: Scope,
    /// `nh_protocol`.
    pub protocol: RouteProtocol,
    /// `RTNH_F_*`; requests send only `ONLINK`, the one flag a user sets.
    pub flags: RouteFlags,
    /// `NHA_GATEWAY`.
    pub gateway: Option<IpAddr>,
    /// `NHA_OIF`: output device.
    pub oif: Option<u32>,
    /// `NHA_BLACKHOLE`.
    pub blackhole: bool,
    /// `NHA_GROUP`: the members of a group.
    pub group: Vec<GroupMember>,
    /// `NHA_GROUP_TYPE` (groups only).
    pub group_type: Option<GroupType>,
    /// `NHA_RES_GROUP` (resilient groups).
    pub resilient: Option<ResilientGroup>,
    /// `NHA_FDB`: usable by VXLAN FDB entries only.
    pub fdb: bool,
    /// Encapsulation of a single path.
    pub encap: Option<Box<Encap>>,
}

fn family_of(a: &IpAddr) -> u8 {
    if a.is_ipv4() { AF_INET } else { AF_INET6 }
}

const GRP_LEN: usize = core::mem::size_of::<NexthopGrp>();

impl Nexthop {
    /// A single path through `gateway` (`ip nexthop add id ID via GW`).
    pub fn via(id: u32, gateway: IpAddr) -> Self {
        Nexthop {
            id,
            family: family_of(&gateway),
            gateway: Some(gateway),
            ..Nexthop::default()
        }
    }

    /// A path straight out of device `oif` (`ip nexthop add id ID dev X`).
    pub fn dev(id: u32, oif: u32) -> Self {
        Nexthop {
            id,
            oif: Some(oif),
            ..Nexthop::default()
        }
    }

    /// A blackhole (`ip nexthop add id ID blackhole`).
    pub fn blackhole(id: u32) -> Self {
        Nexthop {
            id,
            blackhole: true,
            ..Nexthop::default()
        }
    }

    /// A multipath group (`ip nexthop add id ID group A,W/B`).
    pub fn group(id: u32, members: Vec<GroupMember>) -> Self {
        Nexthop {
            id,
            group: members,
            ..Nexthop::default()
        }
    }

    /// Sets the output device ([`Nexthop::oif`], `dev D` of a nexthop
    /// with a gateway; the word `dev` names the constructor).
    #[must_use]
    pub fn oif(mut self, oif: u32) -> Self {
        self.oif = Some(oif);
        self
    }

    /// The former name of [`Nexthop::oif`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods are named after what they set: use `oif()`"
    )]
    #[must_use]
    pub fn with_dev(self, oif: u32) -> Self {
        self.oif(oif)
    }

    /// Whether this is a group.
    pub fn is_group(&self) -> bool {
        !self.group.is_empty()
    }

    /// Parses an RTM_NEWNEXTHOP (or RTM_DELNEXTHOP) message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let hdr: NhMsg = msg.family_header();
        let mut n = Nexthop {
            family: hdr.nh_family,
            scope: Scope::from(hdr.nh_scope),
            protocol: RouteProtocol(hdr.nh_protocol),
            flags: RouteFlags::from_bits_retain(hdr.nh_flags.get()),
            ..Nexthop::default()
        };
        parse_msg(msg, || {
            let mut encap = EncapAttrs::default();
            msg.attrs::<NhMsg>()
                .decode(|a| n.parse_attr(&a, &mut encap))?;
            n.encap = encap.parse()?;
            Ok(n)
        })
    }

    fn parse_attr<'a>(&mut self, a: &Attr<'a>, encap: &mut EncapAttrs<'a>) -> nl_wire::Result<()> {
        match a.ty() {
            NHA_ID => self.id = a.u32()?,
            NHA_GATEWAY => self.gateway = Some(a.ip()?),
            NHA_OIF => self.oif = Some(a.u32()?),
            NHA_BLACKHOLE => self.blackhole = true,
            NHA_FDB => self.fdb = true,
            NHA_GROUP_TYPE => self.group_type = Some(GroupType::from(a.u16()?)),
            NHA_GROUP => {
                let p = a.payload();
                if p.len() % GRP_LEN != 0 {
                    return Err(nl_wire::Error::Invalid { ty: NHA_GROUP });
                }
                self.group = p
                    .chunks_exact(GRP_LEN)
                    .map(|c| {
                        let g: NexthopGrp = crate::uapi::types::read_struct(c);
                        GroupMember {
                            id: g.id.get(),
                            weight: ((u32::from(g.weight_high) << 8) | u32::from(g.weight)) + 1,
                        }
                    })
                    .collect();
            }
            NHA_RES_GROUP => self.resilient = Some(parse_res_group(a.nested())?),
            NHA_ENCAP_TYPE => encap.set_type(a)?,
            NHA_ENCAP => encap.set_nest(a),
            _ => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        let single = self.gateway.is_some() || self.oif.is_some() || self.encap.is_some();
        if self.is_group() && (single || self.blackhole) {
            return Err(Error::invalid(
                "group",
                "a group has no gateway, device or blackhole",
            ));
        }
        if self.blackhole && (self.gateway.is_some() || self.encap.is_some()) {
            return Err(Error::invalid(
                "blackhole",
                "a blackhole has no gateway or encap",
            ));
        }
        if !self.is_group() && !self.blackhole && !single {
            return Err(Error::invalid(
                "nexthop",
                "needs a gateway, a device, a group or blackhole",
            ));
        }
        if self.group.iter().any(|m| m.weight == 0 || m.weight > 65536) {
            return Err(Error::invalid("weight", "must be 1..=65536"));
        }
        if let (Some(g), AF_INET | AF_INET6) = (&self.gateway, self.family) {
            if family_of(g) != self.family {
                return Err(Error::invalid("gateway", "of another address family"));
            }
        }
        if (self.group_type.is_some() || self.resilient.is_some()) && !self.is_group() {
            return Err(Error::invalid("type", "only groups have a group type"));
        }
        Ok(())
    }

    fn request_family(&self) -> u8 {
        match (self.family, &self.gateway) {
            (AF_UNSPEC, Some(g)) => family_of(g),
            (AF_UNSPEC, None) if self.is_group() => AF_UNSPEC,
            (AF_UNSPEC, None) => AF_INET,
            (f, _) => f,
        }
    }

    fn write(&self, buf: &mut Vec<u8>, flags: u16) -> Result<()> {
        self.validate()?;
        let mut m = MsgBuilder::new(buf, RTM_NEWNEXTHOP, NLM_F_REQUEST | NLM_F_ACK | flags);
        m.header(&NhMsg {
            nh_family: self.request_family(),
            nh_protocol: self.protocol.0,
            nh_flags: (self.flags & RouteFlags::ONLINK).bits().into(),
            ..NhMsg::default()
        });
        if self.id != 0 {
            m.put_u32(NHA_ID, self.id);
        }
        if !self.group.is_empty() {
            let mut arr = Vec::with_capacity(self.group.len() * GRP_LEN);
            for g in &self.group {
                let w = g.weight - 1;
                let grp = NexthopGrp {
                    id: g.id.into(),
                    weight: (w & 0xff) as u8,
                    weight_high: (w >> 8) as u8,
                    resvd2: 0.into(),
                };
                arr.extend_from_slice(zerocopy::IntoBytes::as_bytes(&grp));
            }
            m.put_bytes(NHA_GROUP, &arr);
        }
        if let Some(t) = self.group_type {
            m.put_u16(NHA_GROUP_TYPE, t.into());
        }
        if let Some(r) = &self.resilient {
            // The nexthop policy is strict: nests must say they are nests.
            m.nest(NHA_RES_GROUP | NLA_F_NESTED, |m| {
                if let Some(v) = r.buckets {
                    m.put_u16(NHA_RES_GROUP_BUCKETS, v);
                }
                if let Some(v) = r.idle_timer {
                    m.put_u32(NHA_RES_GROUP_IDLE_TIMER, v);
                }
                if let Some(v) = r.unbalanced_timer {
                    m.put_u32(NHA_RES_GROUP_UNBALANCED_TIMER, v);
                }
                if let Some(v) = r.unbalanced_time {
                    m.put_u64(NHA_RES_GROUP_UNBALANCED_TIME, v);
                }
            });
        }
        if self.blackhole {
            m.put_flag(NHA_BLACKHOLE);
        }
        if let Some(v) = self.oif {
            m.put_u32(NHA_OIF, v);
        }
        if let Some(g) = self.gateway {
            m.put_ip(NHA_GATEWAY, g);
        }
        if self.fdb {
            m.put_flag(NHA_FDB);
        }
        if let Some(e) = &self.encap {
            e.write_as(&mut m, NHA_ENCAP_TYPE, NHA_ENCAP | NLA_F_NESTED)?;
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// `ip nexthop add`: fails if the id exists.
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// `ip nexthop replace`: adds or replaces the nexthop with this id.
    pub fn write_replace(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, NLM_F_CREATE | NLM_F_REPLACE)
    }

    /// `ip nexthop del id ID`.
    pub fn write_del(id: u32, buf: &mut Vec<u8>) -> Result<()> {
        write_id(buf, RTM_DELNEXTHOP, NLM_F_REQUEST | NLM_F_ACK, id)
    }

    /// `ip nexthop get id ID`: the reply is one RTM_NEWNEXTHOP.
    pub fn write_get(id: u32, buf: &mut Vec<u8>) -> Result<()> {
        write_id(buf, RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_ACK, id)
    }
}

fn write_id(buf: &mut Vec<u8>, ty: u16, flags: u16, id: u32) -> Result<()> {
    if id == 0 {
        return Err(Error::invalid("id", "nexthop ids start at 1"));
    }
    let mut m = MsgBuilder::new(buf, ty, flags);
    m.header(&NhMsg::default());
    m.put_u32(NHA_ID, id);
    m.finish().map_err(Error::Build)?;
    Ok(())
}

fn parse_res_group(attrs: Attrs<'_>) -> nl_wire::Result<ResilientGroup> {
    let mut r = ResilientGroup::default();
    for a in attrs {
        let a = a?;
        match a.ty() {
            NHA_RES_GROUP_BUCKETS => r.buckets = Some(a.u16()?),
            NHA_RES_GROUP_IDLE_TIMER => r.idle_timer = Some(a.u32()?),
            NHA_RES_GROUP_UNBALANCED_TIMER => r.unbalanced_timer = Some(a.u32()?),
            NHA_RES_GROUP_UNBALANCED_TIME => r.unbalanced_time = Some(a.u64()?),
            _ => {}
        }
    }
    Ok(r)
}

/// A nexthop dump request; the kernel applies every filter itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NexthopDump {
    /// Only nexthops of this family (0: all; checked by the library).
    pub family: u8,
    /// Only nexthops through this device (`dev X`).
    pub oif: Option<u32>,
    /// Only nexthops through ports of this master (`vrf X`).
    pub master: Option<u32>,
    /// Only groups (`groups`).
    pub groups: bool,
    /// Only FDB nexthops (`fdb`).
    pub fdb: bool,
}

impl NexthopDump {
    /// Writes the RTM_GETNEXTHOP dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&NhMsg {
            nh_family: self.family,
            ..NhMsg::default()
        });
        if let Some(v) = self.oif {
            m.put_u32(NHA_OIF, v);
        }
        if let Some(v) = self.master {
            m.put_u32(NHA_MASTER, v);
        }
        if self.groups {
            m.put_flag(NHA_GROUPS);
        }
        if self.fdb {
            m.put_flag(NHA_FDB);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed nexthop passes the filters (the master filter
    /// needs link data and is left to the kernel).
    pub fn matches(&self, n: &Nexthop) -> bool {
        (self.family == 0 || n.family == self.family)
            && self.oif.is_none_or(|o| n.oif == Some(o))
            && (!self.groups || n.is_group())
            && (!self.fdb || n.fdb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::MplsLabel;

    fn round_trip(n: &Nexthop) -> Nexthop {
        let mut buf = Vec::new();
        n.write_add(&mut buf).unwrap();
        Nexthop::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn kinds_round_trip() {
        let mut n = Nexthop::via(1, "192.0.2.2".parse().unwrap()).oif(3);
        n.flags = RouteFlags::ONLINK;
        n.protocol = RouteProtocol::STATIC;
        n.encap = Some(Box::new(Encap::Mpls {
            labels: vec![MplsLabel::new(100)],
            ttl: None,
        }));
        assert_eq!(round_trip(&n), n);
        let mut b = Nexthop::blackhole(2);
        b.family = AF_INET6;
        assert_eq!(round_trip(&b), b);
        let mut g = Nexthop::group(
            10,
            vec![GroupMember::new(1), GroupMember { id: 3, weight: 300 }],
        );
        g.group_type = Some(GroupType::Resilient);
        g.resilient = Some(ResilientGroup {
            buckets: Some(8),
            idle_timer: Some(1000),
            unbalanced_timer: Some(0),
            unbalanced_time: None,
        });
        assert_eq!(round_trip(&g), g);
        let mut f = Nexthop::via(5, "2001:db8::1".parse().unwrap());
        f.fdb = true;
        assert_eq!(round_trip(&f), f);
    }

    #[test]
    fn group_wire_weights() {
        let g = Nexthop::group(10, vec![GroupMember { id: 3, weight: 5 }]);
        let mut buf = Vec::new();
        g.write_add(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        let a = m.attrs::<NhMsg>().get(NHA_GROUP).unwrap().unwrap();
        assert_eq!(a.payload(), &[3, 0, 0, 0, 4, 0, 0, 0]);
        let h: NhMsg = m.family_header();
        assert_eq!(h.nh_family, AF_UNSPEC);
    }

    #[test]
    fn bad_requests_are_refused() {
        assert!(Nexthop::default().write_add(&mut Vec::new()).is_err());
        let mut g = Nexthop::group(1, vec![GroupMember { id: 2, weight: 0 }]);
        assert!(g.write_add(&mut Vec::new()).is_err());
        g.group = vec![GroupMember::new(2)];
        g.blackhole = true;
        assert!(g.write_add(&mut Vec::new()).is_err());
        assert!(Nexthop::write_del(0, &mut Vec::new()).is_err());
        let mut n = Nexthop::via(1, "192.0.2.1".parse().unwrap());
        n.family = AF_INET6;
        assert!(n.write_add(&mut Vec::new()).is_err());
    }

    #[test]
    fn bad_group_length_is_an_error() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWNEXTHOP, 0);
        m.header(&NhMsg::default());
        m.put_bytes(NHA_GROUP, &[1, 0, 0, 0, 0]);
        m.finish().unwrap();
        assert!(Nexthop::parse(&Msg::parse(&buf).unwrap().0).is_err());
    }

    #[test]
    fn display_and_dump() {
        let g = Nexthop::group(
            10,
            vec![GroupMember::new(1), GroupMember { id: 3, weight: 5 }],
        );
        assert_eq!(g.to_string(), "id 10 group 1/3,5");
        let d = NexthopDump {
            groups: true,
            ..NexthopDump::default()
        };
        assert!(d.matches(&g));
        assert!(!d.matches(&Nexthop::blackhole(1)));
        let mut buf = Vec::new();
        d.write(&mut buf).unwrap();
        let (m, _) = Msg::parse(&buf).unwrap();
        assert!(m.attrs::<NhMsg>().get(NHA_GROUPS).unwrap().is_some());
    }
}
