//! Link kinds: `IFLA_LINKINFO` with `IFLA_INFO_KIND` and `IFLA_INFO_DATA`
//! (and, for enslaved links, `IFLA_INFO_SLAVE_KIND` / `_SLAVE_DATA`).
//!
//! Every kind is a struct of optional settings in its own module, parsed
//! from and written to its `IFLA_INFO_DATA` nest. Kinds the library does
//! not know are kept as [`LinkKind::Other`] with their raw data, never
//! dropped.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nl_wire::{Attrs, MsgBuilder};

use crate::error::{Result, WireContext};
use crate::port::BridgePort;
use crate::uapi::if_link::{
    IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND,
};

/// Declares a kernel enum: its variants with their values and the words
/// `ip` uses for them, plus `Other(..)` for values this library does not
/// know. Generates `From` both ways, `Display` (the word), `FromStr` (the
/// word, any case, or a number as `ip` also takes) and the attribute codec.
macro_rules! kernel_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ty, $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr => $word:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this library does not know.
            Other($repr),
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                match v {
                    $( x if x == $value => $name::$variant, )*
                    other => $name::Other(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$variant => $value, )*
                    $name::Other(other) => other,
                }
            }
        }

        impl std::fmt::Display for $name {
            /// The word `ip` uses.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $( $name::$variant => f.write_str($word), )*
                    $name::Other(other) => write!(f, "{other}"),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                $( if s.eq_ignore_ascii_case($word) {
                    return Ok($name::$variant);
                } )*
                s.parse::<$repr>().map($name::from).map_err(|_| {
                    $crate::Error::invalid($field, concat!("not a number or one of:", $(" ", $word,)*))
                })
            }
        }

        impl $crate::attrs::Codec<$name> for $crate::attrs::Native {
            fn read(a: &nl_wire::Attr<'_>) -> nl_wire::Result<$name> {
                <$crate::attrs::Native as $crate::attrs::Codec<$repr>>::read(a).map($name::from)
            }
            fn write(v: &$name, m: &mut nl_wire::MsgBuilder<'_>, kind: u16) {
                <$crate::attrs::Native as $crate::attrs::Codec<$repr>>::write(&(*v).into(), m, kind);
            }
        }
    };
}

pub mod bond;
pub mod bridge;
pub mod geneve;
pub mod gre;
pub mod gtp;
pub mod iptun;
pub mod ipvlan;
pub mod macsec;
pub mod macvlan;
pub mod netkit;
pub mod tun;
pub mod veth;
pub mod vlan;
pub mod vrf;
pub mod vxlan;
pub mod xfrm;

pub use bond::{
    AdSelect, ArpAllTargets, ArpValidate, Bond, BondAdInfo, BondMode, BondSlave, BondSlaveState,
    FailOverMac, LacpRate, MiiStatus, PrimaryReselect, XmitHashPolicy,
};
pub use bridge::{BoolOpts, Bridge, BridgeInfo};
pub use geneve::{Geneve, GeneveDf};
pub use gre::{ErspanDir, Gre, GreFlags};
pub use gtp::{Gtp, GtpRole};
pub use iptun::{EncapType, Ip6Tunnel, Ip6TunnelFlags, IpTunnel, TunnelEncapFlags};
pub use ipvlan::{Ipvlan, IpvlanFlags, IpvlanMode};
pub use macsec::{Macsec, MacsecCipher, MacsecOffload, MacsecValidation};
pub use macvlan::{Macvlan, MacvlanMode};
pub use netkit::{Netkit, NetkitMode, NetkitPolicy, NetkitScrub};
pub use tun::{Tun, TunType};
pub use veth::{PeerDefaults, Veth};
pub use vlan::{QosMapping, Vlan, VlanFlags, VlanProtocol};
pub use vrf::{Vrf, VrfSlave};
pub use vxlan::{PortRange, Vxlan};
pub use xfrm::Xfrm;

/// A link's kind and its kind-specific settings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // built rarely; boxing would cost every caller a Box::new
pub enum LinkKind {
    /// Virtual Ethernet pair.
    Veth(Veth),
    /// Ethernet bridge.
    Bridge(Bridge),
    /// VXLAN tunnel.
    Vxlan(Vxlan),
    /// MAC-based VLAN on a lower device.
    Macvlan(Macvlan),
    /// macvlan with a tap character device.
    Macvtap(Macvlan),
    /// Dummy device: no settings.
    Dummy,
    /// Intermediate functional block: no settings.
    Ifb,
    /// 802.1Q / 802.1ad VLAN on a lower device.
    Vlan(Vlan),
    /// Bonding (link aggregation) master.
    Bond(Bond),
    /// VRF: an L3 master device bound to a routing table.
    Vrf(Vrf),
    /// IP-address-based VLAN on a lower device.
    Ipvlan(Ipvlan),
    /// ipvlan with a tap character device.
    Ipvtap(Ipvlan),
    /// GRE over IPv4 (layer 3).
    Gre(Gre),
    /// GRE over IPv4 carrying Ethernet.
    GreTap(Gre),
    /// GRE over IPv6 (layer 3).
    Ip6Gre(Gre),
    /// GRE over IPv6 carrying Ethernet.
    Ip6GreTap(Gre),
    /// ERSPAN over IPv4.
    Erspan(Gre),
    /// ERSPAN over IPv6.
    Ip6Erspan(Gre),
    /// IPv4 in IPv4 (or MPLS in IPv4).
    Ipip(IpTunnel),
    /// IPv6 in IPv4 (SIT, 6rd, ISATAP).
    Sit(IpTunnel),
    /// IPv4 or IPv6 in IPv6.
    Ip6Tnl(Ip6Tunnel),
    /// Geneve tunnel.
    Geneve(Geneve),
    /// WireGuard: created here, configured over generic netlink (no settings).
    Wireguard,
    /// XFRM (IPsec) interface.
    Xfrm(Xfrm),
    /// tun/tap device. Created through `/dev/net/tun`, not netlink: the
    /// kernel only reports these settings; see the facade's `link_add`.
    Tun(Tun),
    /// netkit pair (Linux 6.7+), programmed with BPF.
    Netkit(Netkit),
    /// MACsec (802.1AE) on a lower device; channels and keys over genl.
    Macsec(Macsec),
    /// GTP-U tunnel device; PDP contexts over genl.
    Gtp(Gtp),
    /// A kind this library does not model: its name and raw data.
    Other(OtherKind),
}

/// A kind the library does not model, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherKind {
    /// `IFLA_INFO_KIND` (or `IFLA_INFO_SLAVE_KIND`).
    pub kind: String,
    /// The payload of `IFLA_INFO_DATA` (or `_SLAVE_DATA`), if any.
    pub data: Option<Vec<u8>>,
}

impl LinkKind {
    /// The kind's name, as `ip link add ... type NAME` spells it.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Veth(_) => "veth",
            LinkKind::Bridge(_) => "bridge",
            LinkKind::Vxlan(_) => "vxlan",
            LinkKind::Macvlan(_) => "macvlan",
            LinkKind::Macvtap(_) => "macvtap",
            LinkKind::Dummy => "dummy",
            LinkKind::Ifb => "ifb",
            LinkKind::Vlan(_) => "vlan",
            LinkKind::Bond(_) => "bond",
            LinkKind::Vrf(_) => "vrf",
            LinkKind::Ipvlan(_) => "ipvlan",
            LinkKind::Ipvtap(_) => "ipvtap",
            LinkKind::Gre(_) => "gre",
            LinkKind::GreTap(_) => "gretap",
            LinkKind::Ip6Gre(_) => "ip6gre",
            LinkKind::Ip6GreTap(_) => "ip6gretap",
            LinkKind::Erspan(_) => "erspan",
            LinkKind::Ip6Erspan(_) => "ip6erspan",
            LinkKind::Ipip(_) => "ipip",
            LinkKind::Sit(_) => "sit",
            LinkKind::Ip6Tnl(_) => "ip6tnl",
            LinkKind::Geneve(_) => "geneve",
            LinkKind::Wireguard => "wireguard",
            LinkKind::Xfrm(_) => "xfrm",
            LinkKind::Tun(_) => "tun",
            LinkKind::Netkit(_) => "netkit",
            LinkKind::Macsec(_) => "macsec",
            LinkKind::Gtp(_) => "gtp",
            LinkKind::Other(o) => &o.kind,
        }
    }

    /// A bridge with kernel defaults.
    pub fn bridge() -> Self {
        LinkKind::Bridge(Bridge::default())
    }

    /// A veth pair whose peer is named `peer`.
    pub fn veth(peer: impl Into<String>) -> Self {
        LinkKind::Veth(Veth::with_peer(crate::Link::new(peer)))
    }

    /// A VXLAN with network identifier `vni`.
    pub fn vxlan(vni: u32) -> Self {
        LinkKind::Vxlan(Vxlan {
            id: Some(vni),
            ..Vxlan::default()
        })
    }

    /// A macvlan in `mode` (the lower device goes in [`crate::Link::parent`]).
    pub fn macvlan(mode: MacvlanMode) -> Self {
        LinkKind::Macvlan(Macvlan {
            mode: Some(mode),
            ..Macvlan::default()
        })
    }

    /// An 802.1Q VLAN with id `id` (the lower device goes in
    /// [`crate::Link::parent`]).
    pub fn vlan(id: u16) -> Self {
        LinkKind::Vlan(Vlan {
            id: Some(id),
            ..Vlan::default()
        })
    }

    /// An 802.1ad (QinQ service) VLAN with id `id`.
    pub fn vlan_8021ad(id: u16) -> Self {
        LinkKind::Vlan(Vlan {
            id: Some(id),
            protocol: Some(VlanProtocol::Dot1Ad),
            ..Vlan::default()
        })
    }

    /// A bond in `mode`.
    pub fn bond(mode: BondMode) -> Self {
        LinkKind::Bond(Bond {
            mode: Some(mode),
            ..Bond::default()
        })
    }

    /// A VRF bound to routing table `table`.
    pub fn vrf(table: u32) -> Self {
        LinkKind::Vrf(Vrf { table: Some(table) })
    }

    /// An ipvlan in `mode` (the lower device goes in [`crate::Link::parent`]).
    pub fn ipvlan(mode: IpvlanMode) -> Self {
        LinkKind::Ipvlan(Ipvlan {
            mode: Some(mode),
            ..Ipvlan::default()
        })
    }

    /// A layer-3 GRE tunnel between `local` and `remote`: `gre` for IPv4
    /// addresses, `ip6gre` for IPv6 ones.
    pub fn gre(local: IpAddr, remote: IpAddr) -> Self {
        let gre = Gre::between(local, remote);
        if remote.is_ipv6() {
            LinkKind::Ip6Gre(gre)
        } else {
            LinkKind::Gre(gre)
        }
    }

    /// An Ethernet GRE tunnel between `local` and `remote`: `gretap` for
    /// IPv4 addresses, `ip6gretap` for IPv6 ones.
    pub fn gretap(local: IpAddr, remote: IpAddr) -> Self {
        let gre = Gre::between(local, remote);
        if remote.is_ipv6() {
            LinkKind::Ip6GreTap(gre)
        } else {
            LinkKind::GreTap(gre)
        }
    }

    /// An IPv4-in-IPv4 tunnel between `local` and `remote`.
    pub fn ipip(local: Ipv4Addr, remote: Ipv4Addr) -> Self {
        LinkKind::Ipip(IpTunnel::between(local, remote))
    }

    /// An IPv6-in-IPv4 (SIT) tunnel between `local` and `remote`.
    pub fn sit(local: Ipv4Addr, remote: Ipv4Addr) -> Self {
        LinkKind::Sit(IpTunnel::between(local, remote))
    }

    /// An IPv6 tunnel (`ip6tnl`) between `local` and `remote`.
    pub fn ip6tnl(local: Ipv6Addr, remote: Ipv6Addr) -> Self {
        LinkKind::Ip6Tnl(Ip6Tunnel {
            local: Some(local),
            remote: Some(remote),
            ..Ip6Tunnel::default()
        })
    }

    /// A Geneve tunnel with network identifier `vni` to `remote`.
    pub fn geneve(vni: u32, remote: IpAddr) -> Self {
        LinkKind::Geneve(Geneve {
            id: Some(vni),
            remote: Some(remote),
            ..Geneve::default()
        })
    }

    /// An XFRM interface whose policies and states carry `if_id`.
    pub fn xfrm(if_id: u32) -> Self {
        LinkKind::Xfrm(Xfrm {
            if_id: Some(if_id),
            ..Xfrm::default()
        })
    }

    /// A layer-3 tun device (no packet information header, as most users want).
    pub fn tun() -> Self {
        LinkKind::Tun(Tun {
            tun_type: Some(TunType::Tun),
            pi: Some(false),
            ..Tun::default()
        })
    }

    /// An Ethernet tap device (no packet information header).
    pub fn tap() -> Self {
        LinkKind::Tun(Tun {
            tun_type: Some(TunType::Tap),
            pi: Some(false),
            ..Tun::default()
        })
    }

    /// A netkit pair whose peer is named `peer`.
    pub fn netkit(peer: impl Into<String>) -> Self {
        LinkKind::Netkit(Netkit::with_peer(crate::Link::new(peer)))
    }

    pub(crate) fn parse(kind: &str, data: Option<Attrs<'_>>, ty: u16) -> Result<Self> {
        let data_or_empty = || data.clone().unwrap_or_else(Attrs::empty);
        Ok(match kind {
            "veth" => LinkKind::Veth(Veth::parse(data_or_empty(), ty)?),
            "bridge" => LinkKind::Bridge(Bridge::parse(data_or_empty(), ty)?),
            "vxlan" => LinkKind::Vxlan(Vxlan::parse(data_or_empty(), ty)?),
            "macvlan" => LinkKind::Macvlan(Macvlan::parse(data_or_empty(), ty)?),
            "macvtap" => LinkKind::Macvtap(Macvlan::parse(data_or_empty(), ty)?),
            "dummy" => LinkKind::Dummy,
            "ifb" => LinkKind::Ifb,
            "vlan" => LinkKind::Vlan(Vlan::parse(data_or_empty(), ty)?),
            "bond" => LinkKind::Bond(Bond::parse(data_or_empty(), ty)?),
            "vrf" => LinkKind::Vrf(Vrf::parse(data_or_empty(), ty)?),
            "ipvlan" => LinkKind::Ipvlan(Ipvlan::parse(data_or_empty(), ty)?),
            "ipvtap" => LinkKind::Ipvtap(Ipvlan::parse(data_or_empty(), ty)?),
            "gre" => LinkKind::Gre(Gre::parse(data_or_empty(), ty)?),
            "gretap" => LinkKind::GreTap(Gre::parse(data_or_empty(), ty)?),
            "ip6gre" => LinkKind::Ip6Gre(Gre::parse(data_or_empty(), ty)?),
            "ip6gretap" => LinkKind::Ip6GreTap(Gre::parse(data_or_empty(), ty)?),
            "erspan" => LinkKind::Erspan(Gre::parse(data_or_empty(), ty)?),
            "ip6erspan" => LinkKind::Ip6Erspan(Gre::parse(data_or_empty(), ty)?),
            "ipip" => LinkKind::Ipip(IpTunnel::parse(data_or_empty(), ty)?),
            "sit" => LinkKind::Sit(IpTunnel::parse(data_or_empty(), ty)?),
            "ip6tnl" => LinkKind::Ip6Tnl(Ip6Tunnel::parse(data_or_empty(), ty)?),
            "geneve" => LinkKind::Geneve(Geneve::parse(data_or_empty(), ty)?),
            "wireguard" => LinkKind::Wireguard,
            "xfrm" => LinkKind::Xfrm(Xfrm::parse(data_or_empty(), ty)?),
            "tun" => LinkKind::Tun(Tun::parse(data_or_empty(), ty)?),
            "netkit" => LinkKind::Netkit(Netkit::parse(data_or_empty(), ty)?),
            "macsec" => LinkKind::Macsec(Macsec::parse(data_or_empty(), ty)?),
            "gtp" => LinkKind::Gtp(Gtp::parse(data_or_empty(), ty)?),
            other => LinkKind::Other(OtherKind {
                kind: other.to_string(),
                data: data.map(|d| d.bytes().to_vec()),
            }),
        })
    }

    /// Writes `IFLA_INFO_KIND` and, if there are settings, `IFLA_INFO_DATA`
    /// (`link` is the link of this kind: a veth peer takes settings from it).
    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>, link: &crate::Link) -> Result<()> {
        m.put_str(IFLA_INFO_KIND, self.name());
        let nest = m.nest_start(IFLA_INFO_DATA);
        let before = m.len();
        match self {
            LinkKind::Veth(v) => v.write(m, link)?,
            LinkKind::Bridge(b) => b.write(m),
            LinkKind::Vxlan(v) => v.write(m),
            LinkKind::Macvlan(v) | LinkKind::Macvtap(v) => v.write(m),
            LinkKind::Dummy | LinkKind::Ifb | LinkKind::Wireguard => {}
            LinkKind::Vlan(v) => v.write(m),
            LinkKind::Bond(b) => b.write(m),
            LinkKind::Vrf(v) => v.write_attrs(m),
            LinkKind::Ipvlan(v) | LinkKind::Ipvtap(v) => v.write_attrs(m),
            LinkKind::Gre(g) | LinkKind::GreTap(g) | LinkKind::Erspan(g) => g.write(m, false)?,
            LinkKind::Ip6Gre(g) | LinkKind::Ip6GreTap(g) | LinkKind::Ip6Erspan(g) => {
                g.write(m, true)?;
            }
            LinkKind::Ipip(t) | LinkKind::Sit(t) => t.write_attrs(m),
            LinkKind::Ip6Tnl(t) => t.write_attrs(m),
            LinkKind::Geneve(g) => g.write(m),
            LinkKind::Xfrm(x) => x.write_attrs(m),
            LinkKind::Tun(t) => t.write_attrs(m),
            LinkKind::Netkit(n) => n.write(m)?,
            LinkKind::Macsec(v) => v.write_attrs(m),
            LinkKind::Gtp(v) => v.write_attrs(m),
            LinkKind::Other(o) => {
                if let Some(d) = &o.data {
                    m.header(&d[..]);
                }
            }
        }
        if m.len() == before {
            // Nothing inside: leave the nest out, as iproute2 does. (`before`
            // already counts the nest's own header, so a lone flag attribute
            // inside is content, not emptiness.)
            m.nest_cancel(nest);
        } else {
            m.nest_end(nest);
        }
        Ok(())
    }
}

/// The settings a link has as the port of its master.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SlaveInfo {
    /// A bridge port (`IFLA_INFO_SLAVE_KIND` "bridge").
    Bridge(BridgePort),
    /// A bond slave (`IFLA_INFO_SLAVE_KIND` "bond").
    Bond(BondSlave),
    /// A VRF port (`IFLA_INFO_SLAVE_KIND` "vrf").
    Vrf(VrfSlave),
    /// A slave kind the library does not model, kept raw.
    Other(OtherKind),
}

impl SlaveInfo {
    /// The slave kind's name (`"bridge"`, `"bond"` ...).
    pub fn name(&self) -> &str {
        match self {
            SlaveInfo::Bridge(_) => "bridge",
            SlaveInfo::Bond(_) => "bond",
            SlaveInfo::Vrf(_) => "vrf",
            SlaveInfo::Other(o) => &o.kind,
        }
    }

    fn parse(kind: &str, data: Option<Attrs<'_>>, ty: u16) -> Result<Self> {
        Ok(match kind {
            "bridge" => {
                SlaveInfo::Bridge(BridgePort::parse(data.unwrap_or_else(Attrs::empty), ty)?)
            }
            "bond" => SlaveInfo::Bond(BondSlave::parse(data.unwrap_or_else(Attrs::empty), ty)?),
            "vrf" => SlaveInfo::Vrf(VrfSlave::parse(data.unwrap_or_else(Attrs::empty), ty)?),
            other => SlaveInfo::Other(OtherKind {
                kind: other.to_string(),
                data: data.map(|d| d.bytes().to_vec()),
            }),
        })
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        m.put_str(IFLA_INFO_SLAVE_KIND, self.name());
        let nest = m.nest_start(IFLA_INFO_SLAVE_DATA);
        match self {
            SlaveInfo::Bridge(p) => p.write(m),
            SlaveInfo::Bond(b) => b.write_attrs(m),
            SlaveInfo::Vrf(v) => v.write_attrs(m),
            SlaveInfo::Other(o) => {
                if let Some(d) = &o.data {
                    m.header(&d[..]);
                }
            }
        }
        m.nest_end(nest);
        Ok(())
    }
}

/// Parses an `IFLA_LINKINFO` nest.
pub(crate) fn parse_linkinfo(
    attrs: Attrs<'_>,
    ty: u16,
) -> Result<(Option<LinkKind>, Option<SlaveInfo>)> {
    let (mut kind, mut data, mut slave_kind, mut slave_data) = (None, None, None, None);
    for a in attrs {
        let a = a.ctx(ty)?;
        match a.kind() {
            IFLA_INFO_KIND => kind = Some(a.str().ctx(ty)?),
            IFLA_INFO_DATA => data = Some(a.nested()),
            IFLA_INFO_SLAVE_KIND => slave_kind = Some(a.str().ctx(ty)?),
            IFLA_INFO_SLAVE_DATA => slave_data = Some(a.nested()),
            _ => {}
        }
    }
    let kind = kind.map(|k| LinkKind::parse(k, data, ty)).transpose()?;
    let slave = slave_kind
        .map(|k| SlaveInfo::parse(k, slave_data, ty))
        .transpose()?;
    Ok((kind, slave))
}

#[cfg(test)]
pub(crate) mod tests {
    use nl_wire::Msg;

    use super::*;
    use crate::Link;
    use crate::uapi::if_link::IFLA_LINKINFO;
    use crate::uapi::types::IfInfoMsg;

    /// Writes `link` as an RTM_NEWLINK and parses it back.
    pub(crate) fn round_trip(link: &Link) -> Link {
        let mut buf = Vec::new();
        link.write_add(&mut buf).unwrap();
        let (msg, rest) = Msg::parse(&buf).unwrap();
        assert!(rest.is_empty());
        Link::parse(&msg).unwrap()
    }

    /// The `IFLA_INFO_DATA` payload `link` is written with.
    pub(crate) fn data_of(link: &Link) -> Vec<u8> {
        info_data(link).unwrap_or_default()
    }

    /// The `IFLA_INFO_DATA` payload, if the attribute is written at all.
    pub(crate) fn info_data(link: &Link) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        link.write_add(&mut buf).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        for a in msg.attrs::<IfInfoMsg>() {
            let a = a.unwrap();
            if a.kind() == IFLA_LINKINFO {
                for i in a.nested() {
                    let i = i.unwrap();
                    if i.kind() == IFLA_INFO_DATA {
                        return Some(i.payload().to_vec());
                    }
                }
            }
        }
        None
    }

    #[test]
    fn kinds_without_settings_write_no_data() {
        for kind in [LinkKind::Dummy, LinkKind::Ifb, LinkKind::Wireguard] {
            let link = Link::new("x0").with_kind(kind.clone());
            assert_eq!(round_trip(&link), link, "{}", kind.name());
            assert_eq!(info_data(&link), None, "no empty IFLA_INFO_DATA");
        }
        // A lone flag is content: the nest stays.
        let flag_only = Link::new("x0").with_kind(LinkKind::Xfrm(Xfrm {
            collect_metadata: Some(true),
            ..Xfrm::default()
        }));
        assert_eq!(info_data(&flag_only).map(|d| d.len()), Some(4));
        assert_eq!(LinkKind::Wireguard.name(), "wireguard");
    }

    #[test]
    fn every_kind_has_its_name() {
        let kinds = [
            (LinkKind::vlan(1), "vlan"),
            (LinkKind::bond(BondMode::ActiveBackup), "bond"),
            (LinkKind::vrf(10), "vrf"),
            (LinkKind::ipvlan(IpvlanMode::L2), "ipvlan"),
            (LinkKind::Ipvtap(Ipvlan::default()), "ipvtap"),
            (LinkKind::Erspan(Gre::default()), "erspan"),
            (LinkKind::Ip6Erspan(Gre::default()), "ip6erspan"),
            (
                LinkKind::ipip(Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST),
                "ipip",
            ),
            (
                LinkKind::sit(Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST),
                "sit",
            ),
            (
                LinkKind::ip6tnl(Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST),
                "ip6tnl",
            ),
            (
                LinkKind::geneve(1, IpAddr::V4(Ipv4Addr::LOCALHOST)),
                "geneve",
            ),
            (LinkKind::xfrm(1), "xfrm"),
            (LinkKind::tun(), "tun"),
            (LinkKind::tap(), "tun"),
            (LinkKind::netkit("nk1"), "netkit"),
        ];
        for (kind, name) in kinds {
            assert_eq!(kind.name(), name);
            let link = Link::new("x0").with_kind(kind);
            let back = round_trip(&link);
            assert_eq!(back.kind_name(), Some(name));
            assert_eq!(back, link);
        }
    }

    #[test]
    fn unknown_slave_kinds_are_kept_raw() {
        let link = Link {
            slave: Some(SlaveInfo::Other(OtherKind {
                kind: "team".into(),
                data: Some(vec![8, 0, 1, 0, 1, 0, 0, 0]),
            })),
            ..Link::new("x0")
        };
        assert_eq!(round_trip(&link), link);
    }
}
