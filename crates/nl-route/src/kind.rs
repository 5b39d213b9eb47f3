//! Link kinds: `IFLA_LINKINFO` with `IFLA_INFO_KIND` and `IFLA_INFO_DATA`
//! (and, for enslaved links, `IFLA_INFO_SLAVE_KIND` / `_SLAVE_DATA`).
//!
//! Every kind is a struct of optional settings in a file of its own,
//! parsed from and written to its `IFLA_INFO_DATA` nest through the
//! [`LinkData`] trait. Kinds the library does not know are kept as
//! [`LinkKind::Other`] with their raw data, never dropped, and written
//! back unchanged.
//!
//! # Adding a kind
//!
//! One new file and one line in the table:
//!
//! 1. `kind/foo.rs`: the settings (usually an `attr_struct!` of optional
//!    fields, one line per `IFLA_FOO_*` attribute) and
//!    `impl LinkData for Foo` (`parse` reads the nest, `write` writes it);
//!    unit tests beside it. A kind without settings needs no file.
//! 2. In this file, `mod foo;` next to the others (and its `pub use`), and
//!    one line in the [`LinkKind`] table below: `Foo(Foo) = "foo",` (or
//!    `Foo = "foo",` without settings).
//!
//! The table makes the variant, the name both ways and the dispatch; a
//! settings type can serve several kinds (`gre`, `gretap`, `ip6gre` ...
//! share [`Gre`], which reads its kind's name in `write`). Slave kinds
//! (the settings a port has in its master) register the same way in the
//! [`SlaveInfo`] table.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::link::Link;
use crate::port::BridgePort;
use crate::registry::kind_table;
use crate::text::{Dev, LinkNames};
use crate::uapi::if_link::{
    IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND,
};

pub mod amt;
pub mod bareudp;
pub mod batadv;
pub mod bond;
pub mod bridge;
pub mod can;
pub mod dsa;
pub mod geneve;
pub mod gre;
pub mod gtp;
pub mod hsr;
pub mod ipoib;
pub mod iptun;
pub mod ipvlan;
pub mod macsec;
pub mod macvlan;
pub mod netkit;
pub mod rmnet;
pub mod tun;
pub mod veth;
pub mod vlan;
pub mod vrf;
pub mod vti;
pub mod vxlan;
pub mod wwan;
pub mod xfrm;

pub use amt::{Amt, AmtMode};
pub use bareudp::Bareudp;
pub use batadv::Batadv;
pub use bond::{
    AdSelect, ArpAllTargets, ArpValidate, Bond, BondAdInfo, BondMode, BondSlave, BondSlaveState,
    FailOverMac, LacpRate, MiiStatus, PrimaryReselect, XmitHashPolicy,
};
pub use bridge::{BoolOpts, Bridge, BridgeInfo};
pub use can::{
    Can, CanBerrCounter, CanBittiming, CanBittimingConst, CanCtrlMode, CanCtrlModeFlags, CanState,
    CanTdc,
};
pub use dsa::Dsa;
pub use geneve::{Geneve, GeneveDf};
pub use gre::{ErspanDir, Gre, GreFlags};
pub use gtp::{Gtp, GtpRole};
pub use hsr::{Hsr, HsrProtocol};
pub use ipoib::{Ipoib, IpoibMode};
pub use iptun::{EncapType, Ip6Tunnel, Ip6TunnelFlags, IpTunnel, TunnelEncapFlags};
pub use ipvlan::{Ipvlan, IpvlanFlags, IpvlanMode};
pub use macsec::{Macsec, MacsecCipher, MacsecOffload, MacsecValidation};
pub use macvlan::{Macvlan, MacvlanMode};
pub use netkit::{Netkit, NetkitMode, NetkitPolicy, NetkitScrub};
pub use rmnet::{Rmnet, RmnetFlagBits, RmnetFlags};
pub use tun::{Tun, TunType};
pub use veth::{PeerDefaults, Veth};
pub use vlan::{QosMapping, Vlan, VlanFlags, VlanProtocol};
pub use vrf::{Vrf, VrfSlave};
pub use vti::Vti;
pub use vxlan::{PortRange, Vxlan};
pub use wwan::Wwan;
pub use xfrm::Xfrm;

/// The settings of a link kind (or slave kind), as its table line
/// registers them: read from and written to the kind's `IFLA_INFO_DATA`
/// (or `IFLA_INFO_SLAVE_DATA`) nest.
pub trait LinkData {
    /// Reads the nest; an empty stream when the kernel sent none.
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self>
    where
        Self: Sized;

    /// Writes the nest's content. `kind` is the kind's name (one settings
    /// type can serve several kinds); `link` is the link being written
    /// (a veth peer takes its defaults from it).
    fn write(&self, m: &mut MsgBuilder<'_>, kind: &str, link: &Link) -> Result<()>;

    /// The settings as `ip -d link show` prints them, in its order (see
    /// [`LinkKind::details`]); none by default.
    fn details(&self, _kind: &str, _names: &dyn LinkNames) -> Vec<Detail> {
        Vec::new()
    }
}

/// One setting of a kind as `ip -d link show` prints it: iproute2's
/// `print_*(PRINT_ANY, key, fmt, value)`, a JSON key and value and the
/// words of the text output, so one list serves `-j` and text alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// The key in `info_data` of `ip -j`; `None` for text only.
    pub key: Option<&'static str>,
    /// The value under `key`.
    pub value: DetailValue,
    /// The text words, each followed by a space as `ip` prints them;
    /// `None` for JSON only.
    pub text: Option<String>,
}

/// The JSON value of a [`Detail`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DetailValue {
    /// A string.
    Str(String),
    /// An unsigned number.
    Uint(u64),
    /// A signed number.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// `null` (iproute2's `print_null`).
    Null,
}

impl Detail {
    /// A string printed `word VALUE ` in text, `"key": "VALUE"` in JSON.
    pub fn str(key: &'static str, word: &str, v: impl Into<String>) -> Detail {
        let v = v.into();
        Detail {
            key: Some(key),
            text: Some(format!("{word} {v} ")),
            value: DetailValue::Str(v),
        }
    }

    /// A number printed `word VALUE ` in text, `"key": VALUE` in JSON.
    pub fn uint(key: &'static str, word: &str, v: impl Into<u64>) -> Detail {
        let v = v.into();
        Detail {
            key: Some(key),
            text: Some(format!("{word} {v} ")),
            value: DetailValue::Uint(v),
        }
    }

    /// Any value, with its own text (`None`: JSON only).
    pub fn new(key: &'static str, value: DetailValue, text: Option<String>) -> Detail {
        Detail {
            key: Some(key),
            value,
            text,
        }
    }

    /// A link index as `ip` names it (`ll_index_to_name`: its name, or
    /// `if{index}`), printed `word NAME `.
    pub fn dev(key: &'static str, word: &str, index: u32, names: &dyn LinkNames) -> Detail {
        Detail::str(key, word, Dev(names, index).to_string())
    }
}

/// [`LinkData`] for settings that are only an `attr_struct!`: every
/// attribute a field, nothing else to read or write.
macro_rules! plain_link_data {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::kind::LinkData for $t {
            fn parse(data: nl_wire::Attrs<'_>) -> nl_wire::Result<Self> {
                Self::from_attrs(data)
            }
            fn write(
                &self,
                m: &mut nl_wire::MsgBuilder<'_>,
                _kind: &str,
                _link: &$crate::Link,
            ) -> $crate::Result<()> {
                self.write_attrs(m);
                Ok(())
            }
        }
    )*};
}
pub(crate) use plain_link_data;

/// [`LinkData`] for an `attr_struct!` whose type also has an inherent
/// `ip_details(&self, kind, names) -> Vec<Detail>`: what `ip -d` prints.
macro_rules! plain_link_data_with_details {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::kind::LinkData for $t {
            fn parse(data: nl_wire::Attrs<'_>) -> nl_wire::Result<Self> {
                Self::from_attrs(data)
            }
            fn write(
                &self,
                m: &mut nl_wire::MsgBuilder<'_>,
                _kind: &str,
                _link: &$crate::Link,
            ) -> $crate::Result<()> {
                self.write_attrs(m);
                Ok(())
            }
            fn details(
                &self,
                kind: &str,
                names: &dyn $crate::text::LinkNames,
            ) -> Vec<$crate::kind::Detail> {
                self.ip_details(kind, names)
            }
        }
    )*};
}
pub(crate) use plain_link_data_with_details;

kind_table! {
    /// A link's kind and its kind-specific settings.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    #[allow(clippy::large_enum_variant)] // built rarely; boxing would cost every caller a Box::new
    pub enum LinkKind: LinkData(data: Attrs<'_>) {
        /// Virtual Ethernet pair.
        Veth(Veth) = "veth",
        /// Ethernet bridge.
        Bridge(Bridge) = "bridge",
        /// VXLAN tunnel.
        Vxlan(Vxlan) = "vxlan",
        /// MAC-based VLAN on a lower device.
        Macvlan(Macvlan) = "macvlan",
        /// macvlan with a tap character device.
        Macvtap(Macvlan) = "macvtap",
        /// Dummy device: no settings.
        Dummy = "dummy",
        /// Intermediate functional block: no settings.
        Ifb = "ifb",
        /// 802.1Q / 802.1ad VLAN on a lower device.
        Vlan(Vlan) = "vlan",
        /// Bonding (link aggregation) master.
        Bond(Bond) = "bond",
        /// VRF: an L3 master device bound to a routing table.
        Vrf(Vrf) = "vrf",
        /// IP-address-based VLAN on a lower device.
        Ipvlan(Ipvlan) = "ipvlan",
        /// ipvlan with a tap character device.
        Ipvtap(Ipvlan) = "ipvtap",
        /// GRE over IPv4 (layer 3).
        Gre(Gre) = "gre",
        /// GRE over IPv4 carrying Ethernet.
        GreTap(Gre) = "gretap",
        /// GRE over IPv6 (layer 3).
        Ip6Gre(Gre) = "ip6gre",
        /// GRE over IPv6 carrying Ethernet.
        Ip6GreTap(Gre) = "ip6gretap",
        /// ERSPAN over IPv4.
        Erspan(Gre) = "erspan",
        /// ERSPAN over IPv6.
        Ip6Erspan(Gre) = "ip6erspan",
        /// IPv4 in IPv4 (or MPLS in IPv4).
        Ipip(IpTunnel) = "ipip",
        /// IPv6 in IPv4 (SIT, 6rd, ISATAP).
        Sit(IpTunnel) = "sit",
        /// IPv4 or IPv6 in IPv6.
        Ip6Tnl(Ip6Tunnel) = "ip6tnl",
        /// Geneve tunnel.
        Geneve(Geneve) = "geneve",
        /// WireGuard: created here, configured over generic netlink (no settings).
        Wireguard = "wireguard",
        /// XFRM (IPsec) interface.
        Xfrm(Xfrm) = "xfrm",
        /// tun/tap device. Created through `/dev/net/tun`, not netlink: the
        /// kernel only reports these settings; see the facade's `link_add`.
        Tun(Tun) = "tun",
        /// netkit pair (Linux 6.7+), programmed with BPF.
        Netkit(Netkit) = "netkit",
        /// MACsec (802.1AE) on a lower device; channels and keys over genl.
        Macsec(Macsec) = "macsec",
        /// GTP-U tunnel device; PDP contexts over genl.
        Gtp(Gtp) = "gtp",
        /// Virtual tunnel interface for route-based IPsec over IPv4.
        Vti(Vti) = "vti",
        /// Virtual tunnel interface for route-based IPsec over IPv6.
        Vti6(Vti) = "vti6",
        /// A UDP tunnel carrying one layer-3 protocol, no header of its own.
        Bareudp(Bareudp) = "bareudp",
        /// IP over InfiniBand child interface on a partition key.
        Ipoib(Ipoib) = "ipoib",
        /// CAN controller (hardware): bit timing, modes, state.
        Can(Can) = "can",
        /// Virtual CAN device: no settings.
        Vcan = "vcan",
        /// Virtual CAN tunnel: a pair, like veth (`VXCAN_INFO_PEER` is
        /// `VETH_INFO_PEER`'s number and layout).
        Vxcan(Veth) = "vxcan",
        /// Team (link aggregation) master; its modes and ports' options
        /// are set over generic netlink (teamd), not here.
        Team = "team",
        /// HSR or PRP redundancy device over two ports.
        Hsr(Hsr) = "hsr",
        /// Automatic Multicast Tunneling gateway or relay.
        Amt(Amt) = "amt",
        /// Netlink monitor: captures netlink traffic for packet sockets.
        Nlmon = "nlmon",
        /// Simulated Wi-Fi station over an Ethernet device (`link`): no settings.
        VirtWifi = "virt_wifi",
        /// B.A.T.M.A.N. advanced mesh interface.
        Batadv(Batadv) = "batadv",
        /// A WWAN modem's data session.
        Wwan(Wwan) = "wwan",
        /// A Qualcomm rmnet (MAP) channel of a modem.
        Rmnet(Rmnet) = "rmnet",
        /// A DSA switch's user port.
        Dsa(Dsa) = "dsa",
        /// A netdevsim port (created through sysfs, not netlink): no settings.
        Netdevsim = "netdevsim",
        /// vsock monitor: captures vsock traffic for packet sockets.
        Vsockmon = "vsockmon",
        /// An Open vSwitch datapath port (created over genl): no settings.
        Openvswitch = "openvswitch",
        /// 6LoWPAN over an IEEE 802.15.4 device (`link`): no settings.
        Lowpan = "lowpan",
    }
    other {
        /// A kind this library does not model: its name and raw data.
        Other(OtherKind),
    }
}

// vxcan's peer nest is veth's, which is why [`LinkKind::Vxcan`] reuses [`Veth`].
const _: () = assert!(crate::uapi::can_vxcan::VXCAN_INFO_PEER == crate::uapi::veth::VETH_INFO_PEER);

/// A kind the library does not model, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherKind {
    /// `IFLA_INFO_KIND` (or `IFLA_INFO_SLAVE_KIND`).
    pub kind: String,
    /// The payload of `IFLA_INFO_DATA` (or `_SLAVE_DATA`), if any.
    pub data: Option<Vec<u8>>,
}

impl OtherKind {
    fn new(kind: &str, data: Option<Attrs<'_>>) -> Self {
        OtherKind {
            kind: kind.to_string(),
            data: data.map(|d| d.bytes().to_vec()),
        }
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        if let Some(d) = &self.data {
            m.header(&d[..]);
        }
    }
}

impl LinkKind {
    /// The kind's name, as `ip link add ... type NAME` spells it.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Other(o) => &o.kind,
            known => known.table_name(),
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

    /// A virtual tunnel interface between `local` and `remote` whose
    /// input and output keys are `key`: `vti` for IPv4 addresses, `vti6`
    /// for IPv6 ones.
    pub fn vti(local: IpAddr, remote: IpAddr, key: u32) -> Self {
        let vti = Vti::between(local, remote, key);
        if remote.is_ipv6() {
            LinkKind::Vti6(vti)
        } else {
            LinkKind::Vti(vti)
        }
    }

    /// An HSR device over ports `slave1` and `slave2` (link indexes).
    pub fn hsr(slave1: u32, slave2: u32) -> Self {
        LinkKind::Hsr(Hsr::new(slave1, slave2, HsrProtocol::Hsr))
    }

    /// A PRP device (hsr with protocol 1) over ports `slave1` and `slave2`.
    pub fn prp(slave1: u32, slave2: u32) -> Self {
        LinkKind::Hsr(Hsr::new(slave1, slave2, HsrProtocol::Prp))
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

    /// The settings as `ip -d link show` prints them after the kind's
    /// name, in its order, for text and JSON (`names` names links by
    /// index). Empty for kinds without settings, and for kinds whose
    /// printer lives elsewhere (bridge, vxlan, macvlan: the tools' own).
    pub fn details(&self, names: &dyn LinkNames) -> Vec<Detail> {
        self.table_settings()
            .map(|d| d.details(self.name(), names))
            .unwrap_or_default()
    }

    pub(crate) fn parse(kind: &str, data: Option<Attrs<'_>>) -> nl_wire::Result<Self> {
        let attrs = data.clone().unwrap_or_else(Attrs::empty);
        Ok(LinkKind::parse_table(kind, attrs)?
            .unwrap_or_else(|| LinkKind::Other(OtherKind::new(kind, data))))
    }

    /// Writes `IFLA_INFO_KIND` and, if there are settings, `IFLA_INFO_DATA`
    /// (`link` is the link of this kind: a veth peer takes settings from it).
    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>, link: &Link) -> Result<()> {
        m.put_str(IFLA_INFO_KIND, self.name());
        let nest = m.nest_start(IFLA_INFO_DATA);
        let before = m.len();
        match self {
            LinkKind::Other(o) => o.write(m),
            known => {
                if let Some(data) = known.table_settings() {
                    data.write(m, self.name(), link)?;
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

kind_table! {
    /// The settings a link has as the port of its master.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub enum SlaveInfo: LinkData(data: Attrs<'_>) {
        /// A bridge port (`IFLA_INFO_SLAVE_KIND` "bridge").
        Bridge(BridgePort) = "bridge",
        /// A bond slave (`IFLA_INFO_SLAVE_KIND` "bond").
        Bond(BondSlave) = "bond",
        /// A VRF port (`IFLA_INFO_SLAVE_KIND` "vrf").
        Vrf(VrfSlave) = "vrf",
        /// A team port (`IFLA_INFO_SLAVE_KIND` "team"): the kernel names
        /// the master's kind only; port options are team's genl.
        Team = "team",
    }
    other {
        /// A slave kind the library does not model, kept raw.
        Other(OtherKind),
    }
}

impl SlaveInfo {
    /// The slave kind's name (`"bridge"`, `"bond"` ...).
    pub fn name(&self) -> &str {
        match self {
            SlaveInfo::Other(o) => &o.kind,
            known => known.table_name(),
        }
    }

    fn parse(kind: &str, data: Option<Attrs<'_>>) -> nl_wire::Result<Self> {
        let attrs = data.clone().unwrap_or_else(Attrs::empty);
        Ok(SlaveInfo::parse_table(kind, attrs)?
            .unwrap_or_else(|| SlaveInfo::Other(OtherKind::new(kind, data))))
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>, link: &Link) -> Result<()> {
        m.put_str(IFLA_INFO_SLAVE_KIND, self.name());
        let nest = m.nest_start(IFLA_INFO_SLAVE_DATA);
        match self {
            SlaveInfo::Other(o) => o.write(m),
            known => {
                if let Some(data) = known.table_settings() {
                    data.write(m, self.name(), link)?;
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
) -> nl_wire::Result<(Option<LinkKind>, Option<SlaveInfo>)> {
    let (mut kind, mut data, mut slave_kind, mut slave_data) = (None, None, None, None);
    for a in attrs {
        let a = a?;
        match a.ty() {
            IFLA_INFO_KIND => kind = Some(a.str()?),
            IFLA_INFO_DATA => data = Some(a.nested()),
            IFLA_INFO_SLAVE_KIND => slave_kind = Some(a.str()?),
            IFLA_INFO_SLAVE_DATA => slave_data = Some(a.nested()),
            _ => {}
        }
    }
    let kind = kind.map(|k| LinkKind::parse(k, data)).transpose()?;
    let slave = slave_kind
        .map(|k| SlaveInfo::parse(k, slave_data))
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
            if a.ty() == IFLA_LINKINFO {
                for i in a.nested() {
                    let i = i.unwrap();
                    if i.ty() == IFLA_INFO_DATA {
                        return Some(i.payload().to_vec());
                    }
                }
            }
        }
        None
    }

    #[test]
    fn kinds_without_settings_write_no_data() {
        for kind in [
            LinkKind::Dummy,
            LinkKind::Ifb,
            LinkKind::Wireguard,
            LinkKind::Vcan,
            LinkKind::Team,
            LinkKind::Nlmon,
            LinkKind::VirtWifi,
            LinkKind::Netdevsim,
            LinkKind::Vsockmon,
            LinkKind::Openvswitch,
            LinkKind::Lowpan,
        ] {
            let link = Link::new("x0").kind(kind.clone());
            assert_eq!(round_trip(&link), link, "{}", kind.name());
            assert_eq!(info_data(&link), None, "no empty IFLA_INFO_DATA");
        }
        // A lone flag is content: the nest stays.
        let flag_only = Link::new("x0").kind(LinkKind::Xfrm(Xfrm {
            collect_metadata: Some(true),
            ..Xfrm::default()
        }));
        assert_eq!(info_data(&flag_only).map(|d| d.len()), Some(4));
        assert_eq!(LinkKind::Wireguard.name(), "wireguard");
        assert_eq!(LinkKind::VirtWifi.name(), "virt_wifi");
        assert!(LinkKind::Team.details(&crate::NoNames).is_empty());
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
            (
                LinkKind::Vxcan(Veth::with_peer(Link::new("vxcan1"))),
                "vxcan",
            ),
            (LinkKind::Vti6(Vti::default()), "vti6"),
            (
                LinkKind::vti(
                    IpAddr::V4(Ipv4Addr::LOCALHOST),
                    IpAddr::V4(Ipv4Addr::LOCALHOST),
                    1,
                ),
                "vti",
            ),
            (
                LinkKind::vti(
                    IpAddr::V6(Ipv6Addr::LOCALHOST),
                    IpAddr::V6(Ipv6Addr::LOCALHOST),
                    1,
                ),
                "vti6",
            ),
            (LinkKind::prp(2, 3), "hsr"),
            (LinkKind::hsr(2, 3), "hsr"),
            (LinkKind::Batadv(Batadv::default()), "batadv"),
        ];
        for (kind, name) in kinds {
            assert_eq!(kind.name(), name);
            let link = Link::new("x0").kind(kind);
            let back = round_trip(&link);
            assert_eq!(back.kind_name(), Some(name));
            assert_eq!(back, link);
        }
    }

    #[test]
    fn team_ports_name_their_master_kind() {
        let link = Link {
            slave: Some(SlaveInfo::Team),
            ..Link::new("tp0")
        };
        let back = round_trip(&link);
        assert_eq!(back.slave, Some(SlaveInfo::Team));
        assert_eq!(SlaveInfo::Team.name(), "team");
    }

    #[test]
    fn unknown_slave_kinds_are_kept_raw() {
        let link = Link {
            slave: Some(SlaveInfo::Other(OtherKind {
                kind: "future".into(),
                data: Some(vec![8, 0, 1, 0, 1, 0, 0, 0]),
            })),
            ..Link::new("x0")
        };
        assert_eq!(round_trip(&link), link);
    }
}
