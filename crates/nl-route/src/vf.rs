//! SR-IOV virtual functions: what a physical function reports about each
//! VF (`IFLA_VFINFO_LIST`, `IFLA_VF_PORTS`) and the changes `ip link set
//! DEV vf N ...` makes (Go's `LinkSetVf*` calls).
//!
//! A change is a [`VfSettings`] given to [`LinkSet::vf`](crate::LinkSet::vf):
//! every setting of one VF goes in one `IFLA_VF_INFO` nest of an
//! RTM_NEWLINK, in the layout iproute2 sends.
//!
//! ```
//! use nl_route::{LinkSet, VfLinkState, VfSettings};
//! use nl_wire::HwAddr;
//! let change = LinkSet::new(4u32).vf(
//!     0,
//!     VfSettings::new()
//!         .mac(HwAddr::from([0x02, 0, 0, 0, 0, 1]))
//!         .vlan(10, 3, None)
//!         .link_state(VfLinkState::Enable),
//! );
//! let mut buf = Vec::new();
//! change.write(&mut buf)?;
//! # Ok::<(), nl_route::Error>(())
//! ```

use nl_wire::{Attr, Attrs, HwAddr, MsgBuilder};

use crate::uapi::if_ether::ETH_P_8021Q;
use crate::uapi::if_link::{
    IFLA_PORT_HOST_UUID, IFLA_PORT_INSTANCE_UUID, IFLA_PORT_PROFILE, IFLA_PORT_REQUEST,
    IFLA_PORT_RESPONSE, IFLA_PORT_VF, IFLA_PORT_VSI_TYPE, IFLA_VF_BROADCAST, IFLA_VF_IB_NODE_GUID,
    IFLA_VF_IB_PORT_GUID, IFLA_VF_INFO, IFLA_VF_LINK_STATE, IFLA_VF_LINK_STATE_AUTO,
    IFLA_VF_LINK_STATE_DISABLE, IFLA_VF_LINK_STATE_ENABLE, IFLA_VF_MAC, IFLA_VF_RATE,
    IFLA_VF_RSS_QUERY_EN, IFLA_VF_SPOOFCHK, IFLA_VF_STATS, IFLA_VF_STATS_BROADCAST,
    IFLA_VF_STATS_MULTICAST, IFLA_VF_STATS_RX_BYTES, IFLA_VF_STATS_RX_DROPPED,
    IFLA_VF_STATS_RX_PACKETS, IFLA_VF_STATS_TX_BYTES, IFLA_VF_STATS_TX_DROPPED,
    IFLA_VF_STATS_TX_PACKETS, IFLA_VF_TRUST, IFLA_VF_TX_RATE, IFLA_VF_VLAN, IFLA_VF_VLAN_INFO,
    IFLA_VF_VLAN_LIST, IFLA_VFINFO_LIST,
};

/// `struct ifla_vf_mac`'s address field: 32 bytes, the address first.
const VF_MAC_LEN: usize = 32;

nl_wire::kernel_enum! {
    /// `IFLA_VF_LINK_STATE_*`: the VF's link as its driver reports it.
    pub enum VfLinkState: u32, "vf link state", crate::Error {
        /// Follows the physical function's link.
        Auto = u32::from(IFLA_VF_LINK_STATE_AUTO) => "auto",
        /// Always up.
        Enable = u32::from(IFLA_VF_LINK_STATE_ENABLE) => "enable",
        /// Always down.
        Disable = u32::from(IFLA_VF_LINK_STATE_DISABLE) => "disable",
    }
}

/// Changes to one virtual function; unset fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VfSettings {
    /// `mac`: the VF's MAC address.
    pub mac: Option<HwAddr>,
    /// `vlan VLAN qos QOS [proto PROTO]`: the port VLAN (0 turns it off),
    /// its priority and, when given, its protocol (`ETH_P_8021Q` or
    /// `ETH_P_8021AD`; 802.1ad is sent as `IFLA_VF_VLAN_LIST`, as ip
    /// does).
    pub vlan: Option<(u32, u32, Option<u16>)>,
    /// `rate`: the maximum transmit rate in Mbit/s (the older attribute).
    pub tx_rate: Option<u32>,
    /// `min_tx_rate` and `max_tx_rate` in Mbit/s (0: no limit).
    pub rate: Option<(u32, u32)>,
    /// `spoofchk on|off`.
    pub spoofchk: Option<bool>,
    /// `trust on|off`.
    pub trust: Option<bool>,
    /// `state auto|enable|disable`.
    pub link_state: Option<VfLinkState>,
    /// `query_rss on|off`.
    pub rss_query: Option<bool>,
    /// `node_guid`: the InfiniBand node GUID.
    pub node_guid: Option<u64>,
    /// `port_guid`: the InfiniBand port GUID.
    pub port_guid: Option<u64>,
}

impl VfSettings {
    /// No change yet.
    pub fn new() -> Self {
        VfSettings::default()
    }

    /// Sets the MAC address.
    #[must_use]
    pub fn mac(mut self, mac: HwAddr) -> Self {
        self.mac = Some(mac);
        self
    }

    /// Sets the port VLAN, its QoS and optionally its protocol.
    #[must_use]
    pub fn vlan(mut self, vlan: u32, qos: u32, proto: Option<u16>) -> Self {
        self.vlan = Some((vlan, qos, proto));
        self
    }

    /// Sets the maximum transmit rate (Mbit/s) with the older attribute.
    #[must_use]
    pub fn tx_rate(mut self, mbit: u32) -> Self {
        self.tx_rate = Some(mbit);
        self
    }

    /// Sets the minimum and maximum transmit rates (Mbit/s).
    #[must_use]
    pub fn rate(mut self, min: u32, max: u32) -> Self {
        self.rate = Some((min, max));
        self
    }

    /// Turns spoof checking on or off.
    #[must_use]
    pub fn spoofchk(mut self, on: bool) -> Self {
        self.spoofchk = Some(on);
        self
    }

    /// Trusts the VF (promiscuous mode, MAC changes) or not.
    #[must_use]
    pub fn trust(mut self, on: bool) -> Self {
        self.trust = Some(on);
        self
    }

    /// Sets the VF's link state.
    #[must_use]
    pub fn link_state(mut self, state: VfLinkState) -> Self {
        self.link_state = Some(state);
        self
    }

    /// Lets the VF query the RSS configuration or not.
    #[must_use]
    pub fn rss_query(mut self, on: bool) -> Self {
        self.rss_query = Some(on);
        self
    }

    /// Sets the InfiniBand node GUID.
    #[must_use]
    pub fn node_guid(mut self, guid: u64) -> Self {
        self.node_guid = Some(guid);
        self
    }

    /// Sets the InfiniBand port GUID.
    #[must_use]
    pub fn port_guid(mut self, guid: u64) -> Self {
        self.port_guid = Some(guid);
        self
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        *self == VfSettings::default()
    }

    /// Writes `IFLA_VF_INFO` for VF `vf` (each `ifla_vf_*` struct starts
    /// with the VF number; 64-bit ones are padded after it).
    fn write(&self, vf: u32, m: &mut MsgBuilder<'_>) {
        let words = |m: &mut MsgBuilder<'_>, ty: u16, rest: &[u32]| {
            let mut p = vf.to_ne_bytes().to_vec();
            for w in rest {
                p.extend_from_slice(&w.to_ne_bytes());
            }
            m.put_bytes(ty, &p);
        };
        m.nest(IFLA_VF_INFO, |m| {
            if let Some(mac) = &self.mac {
                let mut p = vf.to_ne_bytes().to_vec();
                let mut addr = [0u8; VF_MAC_LEN];
                for (d, s) in addr.iter_mut().zip(mac.as_bytes()) {
                    *d = *s;
                }
                p.extend_from_slice(&addr);
                m.put_bytes(IFLA_VF_MAC, &p);
            }
            match self.vlan {
                // 802.1Q is what the older attribute means: ip sends it so.
                Some((vlan, qos, None | Some(ETH_P_8021Q))) => words(m, IFLA_VF_VLAN, &[vlan, qos]),
                Some((vlan, qos, Some(proto))) => {
                    // struct ifla_vf_vlan_info: vf, vlan, qos, __be16 proto (+2 padding).
                    let mut p = vf.to_ne_bytes().to_vec();
                    p.extend_from_slice(&vlan.to_ne_bytes());
                    p.extend_from_slice(&qos.to_ne_bytes());
                    p.extend_from_slice(&proto.to_be_bytes());
                    p.extend_from_slice(&[0, 0]);
                    m.nest(IFLA_VF_VLAN_LIST, |m| {
                        m.put_bytes(IFLA_VF_VLAN_INFO, &p);
                    });
                }
                None => {}
            }
            if let Some(rate) = self.tx_rate {
                words(m, IFLA_VF_TX_RATE, &[rate]);
            }
            if let Some((min, max)) = self.rate {
                words(m, IFLA_VF_RATE, &[min, max]);
            }
            if let Some(on) = self.spoofchk {
                words(m, IFLA_VF_SPOOFCHK, &[u32::from(on)]);
            }
            if let Some(on) = self.trust {
                words(m, IFLA_VF_TRUST, &[u32::from(on)]);
            }
            if let Some(state) = self.link_state {
                words(m, IFLA_VF_LINK_STATE, &[state.into()]);
            }
            if let Some(on) = self.rss_query {
                words(m, IFLA_VF_RSS_QUERY_EN, &[u32::from(on)]);
            }
            for (ty, guid) in [
                (IFLA_VF_IB_NODE_GUID, self.node_guid),
                (IFLA_VF_IB_PORT_GUID, self.port_guid),
            ] {
                if let Some(guid) = guid {
                    // struct ifla_vf_guid: vf, 4 bytes of padding, __u64 guid.
                    let mut p = vf.to_ne_bytes().to_vec();
                    p.extend_from_slice(&[0; 4]);
                    p.extend_from_slice(&guid.to_ne_bytes());
                    m.put_bytes(ty, &p);
                }
            }
        });
    }
}

/// Writes `IFLA_VFINFO_LIST` with one `IFLA_VF_INFO` per VF.
pub(crate) fn write_list(vfs: &[(u32, VfSettings)], m: &mut MsgBuilder<'_>) {
    if vfs.is_empty() {
        return;
    }
    m.nest(IFLA_VFINFO_LIST, |m| {
        for (vf, s) in vfs {
            s.write(*vf, m);
        }
    });
}

/// A VF's traffic counters (`IFLA_VF_STATS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VfStats {
    /// Packets received.
    pub rx_packets: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Broadcast packets received.
    pub broadcast: u64,
    /// Multicast packets received.
    pub multicast: u64,
    /// Received packets dropped.
    pub rx_dropped: u64,
    /// Packets dropped on sending.
    pub tx_dropped: u64,
}

impl VfStats {
    fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut s = VfStats::default();
        for a in attrs {
            let a = a?;
            let slot = match a.ty() {
                IFLA_VF_STATS_RX_PACKETS => &mut s.rx_packets,
                IFLA_VF_STATS_TX_PACKETS => &mut s.tx_packets,
                IFLA_VF_STATS_RX_BYTES => &mut s.rx_bytes,
                IFLA_VF_STATS_TX_BYTES => &mut s.tx_bytes,
                IFLA_VF_STATS_BROADCAST => &mut s.broadcast,
                IFLA_VF_STATS_MULTICAST => &mut s.multicast,
                IFLA_VF_STATS_RX_DROPPED => &mut s.rx_dropped,
                IFLA_VF_STATS_TX_DROPPED => &mut s.tx_dropped,
                _ => continue,
            };
            *slot = a.u64()?;
        }
        Ok(s)
    }
}

/// One SR-IOV virtual function as its physical function reports it
/// (`IFLA_VF_INFO`), read only when asked ([`LinkDump::vf`](crate::LinkDump),
/// [`write_get`](crate::link::write_get) with `vf`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VfInfo {
    /// VF number.
    pub vf: u32,
    /// MAC address.
    pub mac: Option<HwAddr>,
    /// Broadcast address.
    pub broadcast: Option<HwAddr>,
    /// VLAN id and QoS.
    pub vlan: Option<(u32, u32)>,
    /// The VLAN protocol (`IFLA_VF_VLAN_LIST`; `ETH_P_8021Q` or
    /// `ETH_P_8021AD`).
    pub vlan_proto: Option<u16>,
    /// Maximum tx rate (Mbit/s), the older attribute.
    pub tx_rate: Option<u32>,
    /// Min and max tx rate (Mbit/s).
    pub rate: Option<(u32, u32)>,
    /// Spoof checking on.
    pub spoofchk: Option<bool>,
    /// Trusted.
    pub trust: Option<bool>,
    /// The VF's link state (`IFLA_VF_LINK_STATE_*`: 0 auto, 1 enable,
    /// 2 disable; read it with [`VfLinkState::from`]).
    pub link_state: Option<u32>,
    /// May query the RSS configuration.
    pub rss_query: Option<bool>,
    /// Counters.
    pub stats: Option<VfStats>,
}

impl VfInfo {
    pub(crate) fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut v = VfInfo::default();
        for a in attrs {
            let a = a?;
            let p = a.payload();
            match a.ty() {
                IFLA_VF_MAC => {
                    v.vf = vf_words(&a)?.0;
                    // struct ifla_vf_mac { __u32 vf; __u8 mac[32]; }: trailing zeros are padding.
                    v.mac = p.get(4..10).and_then(HwAddr::new);
                }
                IFLA_VF_BROADCAST => {
                    // struct ifla_vf_broadcast { __u8 broadcast[32]; }
                    v.broadcast = p.get(..6).and_then(HwAddr::new);
                }
                IFLA_VF_VLAN => {
                    let (_, vlan, qos) = vf_words(&a)?;
                    v.vlan = Some((vlan, qos));
                }
                IFLA_VF_VLAN_LIST => {
                    for info in a.nested() {
                        let info = info?;
                        if info.ty() == IFLA_VF_VLAN_INFO {
                            let (_, vlan, qos) = vf_words(&info)?;
                            v.vlan = Some((vlan, qos));
                            v.vlan_proto = info
                                .payload()
                                .get(12..14)
                                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                                .map(u16::from_be_bytes);
                        }
                    }
                }
                IFLA_VF_TX_RATE => v.tx_rate = Some(vf_words(&a)?.1),
                IFLA_VF_RATE => {
                    let (_, min, max) = vf_words(&a)?;
                    v.rate = Some((min, max));
                }
                IFLA_VF_SPOOFCHK => v.spoofchk = Some(vf_words(&a)?.1 != 0),
                IFLA_VF_TRUST => v.trust = Some(vf_words(&a)?.1 != 0),
                IFLA_VF_LINK_STATE => v.link_state = Some(vf_words(&a)?.1),
                IFLA_VF_RSS_QUERY_EN => v.rss_query = Some(vf_words(&a)?.1 != 0),
                IFLA_VF_STATS => v.stats = Some(VfStats::parse(a.nested())?),
                _ => {}
            }
        }
        Ok(v)
    }
}

/// The first three `u32`s of an `IFLA_VF_*` struct (every one starts with
/// `__u32 vf`); the third is 0 when the struct has only two.
fn vf_words(a: &Attr<'_>) -> nl_wire::Result<(u32, u32, u32)> {
    let p = a.payload();
    let word = |i: usize| {
        p.get(i * 4..i * 4 + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_ne_bytes)
            .ok_or(nl_wire::Error::PayloadLen {
                ty: a.ty(),
                need: 8,
                have: p.len(),
                offset: a.offset(),
            })
    };
    Ok((word(0)?, word(1)?, word(2).unwrap_or(0)))
}

/// A VF's port profile (`IFLA_VF_PORT`, 802.1Qbg/bh), or the physical
/// function's own (`IFLA_PORT_SELF`, with no `vf`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VfPort {
    /// VF number (`IFLA_PORT_VF`).
    pub vf: Option<u32>,
    /// Port profile name.
    pub profile: Option<String>,
    /// `struct ifla_port_vsi`: manager id, type id (3 bytes), version.
    pub vsi_type: Option<Vec<u8>>,
    /// Instance UUID.
    pub instance_uuid: Option<[u8; 16]>,
    /// Host UUID.
    pub host_uuid: Option<[u8; 16]>,
    /// `PORT_REQUEST_*`.
    pub request: Option<u8>,
    /// `PORT_VDP_RESPONSE_*` / `PORT_PROFILE_RESPONSE_*`.
    pub response: Option<u16>,
}

impl VfPort {
    pub(crate) fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut port = VfPort::default();
        let uuid = |a: &Attr<'_>| <[u8; 16]>::try_from(a.payload()).ok();
        for a in attrs {
            let a = a?;
            match a.ty() {
                IFLA_PORT_VF => port.vf = Some(a.u32()?),
                IFLA_PORT_PROFILE => port.profile = Some(a.str()?.to_string()),
                IFLA_PORT_VSI_TYPE => port.vsi_type = Some(a.payload().to_vec()),
                IFLA_PORT_INSTANCE_UUID => port.instance_uuid = uuid(&a),
                IFLA_PORT_HOST_UUID => port.host_uuid = uuid(&a),
                IFLA_PORT_REQUEST => port.request = Some(a.u8()?),
                IFLA_PORT_RESPONSE => port.response = Some(a.u16()?),
                _ => {}
            }
        }
        Ok(port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::{Msg, MsgBuilder};

    fn info_of(s: &VfSettings, vf: u32) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        write_list(&[(vf, s.clone())], &mut m);
        m.finish().unwrap();
        buf
    }

    #[test]
    fn settings_read_back_as_the_kernel_reports_them() {
        let s = VfSettings::new()
            .mac(HwAddr::from([2, 0, 0, 0, 0, 9]))
            .vlan(10, 3, Some(0x88a8))
            .rate(10, 100)
            .spoofchk(true)
            .trust(false)
            .link_state(VfLinkState::Disable)
            .rss_query(true);
        let buf = info_of(&s, 7);
        let (msg, _) = Msg::parse(&buf).unwrap();
        let list = msg.attrs_after(0).next().unwrap().unwrap();
        let info = list.nested().next().unwrap().unwrap();
        let v = VfInfo::parse(info.nested()).unwrap();
        assert_eq!(v.vf, 7);
        assert_eq!(v.mac, Some(HwAddr::from([2, 0, 0, 0, 0, 9])));
        assert_eq!((v.vlan, v.vlan_proto), (Some((10, 3)), Some(0x88a8)));
        assert_eq!(v.rate, Some((10, 100)));
        assert_eq!((v.spoofchk, v.trust), (Some(true), Some(false)));
        assert_eq!(
            v.link_state.map(VfLinkState::from),
            Some(VfLinkState::Disable)
        );
        assert_eq!(v.rss_query, Some(true));
    }

    #[test]
    fn short_structs_are_errors_not_panics() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.nest(IFLA_VF_INFO, |m| {
            m.put_bytes(IFLA_VF_RATE, &[1, 2, 3]);
        });
        m.finish().unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let info = msg.attrs_after(0).next().unwrap().unwrap();
        assert!(VfInfo::parse(info.nested()).is_err());
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, 16, 0);
        m.nest(IFLA_VF_INFO, |m| {
            m.nest(IFLA_VF_VLAN_LIST, |m| {
                m.put_bytes(IFLA_VF_VLAN_INFO, &[0; 9]);
            });
        });
        m.finish().unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let info = msg.attrs_after(0).next().unwrap().unwrap();
        let v = VfInfo::parse(info.nested()).unwrap();
        assert_eq!((v.vlan, v.vlan_proto), (Some((0, 0)), None));
    }
}
