//! vxlan: VXLAN tunnel devices (`IFLA_VXLAN_*`).

use std::net::IpAddr;

use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::attrs::{Codec, Native, attr_struct};
use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::if_link::*;
use crate::uapi::newer::IFLA_VXLAN_LOCALBYPASS;
use crate::uapi::types::IflaVxlanPortRange;

/// UDP source port range (`struct ifla_vxlan_port_range`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PortRange {
    /// Lowest port.
    pub low: u16,
    /// Highest port.
    pub high: u16,
}

impl Codec<PortRange> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<PortRange> {
        let r: IflaVxlanPortRange = a.read();
        Ok(PortRange {
            low: r.low.get(),
            high: r.high.get(),
        })
    }
    fn write(v: &PortRange, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put(
            ty,
            &IflaVxlanPortRange {
                low: v.low.into(),
                high: v.high.into(),
            },
        );
    }
}

attr_struct! {
    /// VXLAN settings. The remote or multicast group and the local address
    /// are IPv4 or IPv6 (`IFLA_VXLAN_GROUP`/`GROUP6`, `LOCAL`/`LOCAL6`).
    pub struct Vxlan {
        /// VXLAN network identifier.
        id: u32 = IFLA_VXLAN_ID,
        /// Lower device index for the underlay.
        link: u32 = IFLA_VXLAN_LINK,
        /// TTL (0: inherit from the inner packet when `ttl_inherit`).
        ttl: u8 = IFLA_VXLAN_TTL,
        /// TOS (1: inherit).
        tos: u8 = IFLA_VXLAN_TOS,
        /// Learn remote addresses.
        learning: bool = IFLA_VXLAN_LEARNING => Bool8,
        /// FDB ageing (seconds).
        ageing: u32 = IFLA_VXLAN_AGEING,
        /// Maximum FDB entries.
        limit: u32 = IFLA_VXLAN_LIMIT,
        /// UDP source port range.
        port_range: PortRange = IFLA_VXLAN_PORT_RANGE,
        /// ARP proxy.
        proxy: bool = IFLA_VXLAN_PROXY => Bool8,
        /// Route short circuit.
        rsc: bool = IFLA_VXLAN_RSC => Bool8,
        /// L2 miss notifications.
        l2miss: bool = IFLA_VXLAN_L2MISS => Bool8,
        /// L3 miss notifications.
        l3miss: bool = IFLA_VXLAN_L3MISS => Bool8,
        /// UDP destination port (4789 is IANA's).
        port: u16 = IFLA_VXLAN_PORT => Be16,
        /// UDP checksums over IPv4.
        udp_csum: bool = IFLA_VXLAN_UDP_CSUM => Bool8,
        /// Zero UDP checksums when sending over IPv6.
        udp_zero_csum6_tx: bool = IFLA_VXLAN_UDP_ZERO_CSUM6_TX => Bool8,
        /// Accept zero UDP checksums over IPv6.
        udp_zero_csum6_rx: bool = IFLA_VXLAN_UDP_ZERO_CSUM6_RX => Bool8,
        /// Remote checksum offload, transmit.
        remcsum_tx: bool = IFLA_VXLAN_REMCSUM_TX => Bool8,
        /// Remote checksum offload, receive.
        remcsum_rx: bool = IFLA_VXLAN_REMCSUM_RX => Bool8,
        /// Group policy extension.
        gbp: bool = IFLA_VXLAN_GBP => Flag,
        /// No partial remote checksum offload.
        remcsum_nopartial: bool = IFLA_VXLAN_REMCSUM_NOPARTIAL => Flag,
        /// External control plane (collect metadata, `external`).
        collect_metadata: bool = IFLA_VXLAN_COLLECT_METADATA => Bool8,
        /// IPv6 flow label.
        label: u32 = IFLA_VXLAN_LABEL => Be32,
        /// Generic protocol extension.
        gpe: bool = IFLA_VXLAN_GPE => Flag,
        /// Inherit TTL from the inner packet.
        ttl_inherit: bool = IFLA_VXLAN_TTL_INHERIT => FlagU8,
        /// Don't-fragment: 0 unset, 1 set, 2 inherit.
        df: u8 = IFLA_VXLAN_DF,
        /// VNI filtering (`vnifilter`).
        vnifilter: bool = IFLA_VXLAN_VNIFILTER => Bool8,
        /// Bypass the local-address check.
        localbypass: bool = IFLA_VXLAN_LOCALBYPASS => Bool8,
    }
    extra {
        /// Remote (unicast) or multicast group address.
        pub group: Option<IpAddr>,
        /// Local address.
        pub local: Option<IpAddr>,
    }
}

impl LinkData for Vxlan {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut v = Vxlan::default();
        for a in data {
            let a = a?;
            match a.ty() {
                IFLA_VXLAN_GROUP => v.group = Some(IpAddr::V4(a.ipv4()?)),
                IFLA_VXLAN_GROUP6 => v.group = Some(IpAddr::V6(a.ipv6()?)),
                IFLA_VXLAN_LOCAL => v.local = Some(IpAddr::V4(a.ipv4()?)),
                IFLA_VXLAN_LOCAL6 => v.local = Some(IpAddr::V6(a.ipv6()?)),
                _ => {
                    v.parse_attr(&a)?;
                }
            }
        }
        Ok(v)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        match self.group {
            Some(IpAddr::V4(a)) => drop(m.put_ipv4(IFLA_VXLAN_GROUP, a)),
            Some(IpAddr::V6(a)) => drop(m.put_ipv6(IFLA_VXLAN_GROUP6, a)),
            None => {}
        }
        match self.local {
            Some(IpAddr::V4(a)) => drop(m.put_ipv4(IFLA_VXLAN_LOCAL, a)),
            Some(IpAddr::V6(a)) => drop(m.put_ipv6(IFLA_VXLAN_LOCAL6, a)),
            None => {}
        }
        Ok(())
    }
}
