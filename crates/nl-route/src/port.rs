//! Bridge ports: `IFLA_BRPORT_*` settings (the Go library's "protinfo")
//! and per-port VLANs (`IFLA_AF_SPEC` / `IFLA_BRIDGE_VLAN_INFO`).
//!
//! The same settings arrive two ways: as `IFLA_PROTINFO` in `AF_BRIDGE`
//! link messages (`bridge link show`), and as the slave data of a link
//! enslaved to a bridge (`ip -d link show`).

use std::fmt;

use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_REQUEST};
use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::attrs::{Codec, Native, attr_struct};
use crate::error::{Error, Result};
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::if_bridge::{
    BR_STATE_BLOCKING, BR_STATE_DISABLED, BR_STATE_FORWARDING, BR_STATE_LEARNING,
    BR_STATE_LISTENING, BRIDGE_FLAGS_MASTER, BRIDGE_FLAGS_SELF, BRIDGE_VLAN_INFO_PVID,
    BRIDGE_VLAN_INFO_RANGE_BEGIN, BRIDGE_VLAN_INFO_RANGE_END, BRIDGE_VLAN_INFO_UNTAGGED,
    IFLA_BRIDGE_FLAGS, IFLA_BRIDGE_VLAN_INFO, IFLA_BRIDGE_VLAN_TUNNEL_FLAGS,
    IFLA_BRIDGE_VLAN_TUNNEL_ID, IFLA_BRIDGE_VLAN_TUNNEL_INFO, IFLA_BRIDGE_VLAN_TUNNEL_VID,
};
use crate::uapi::if_link::*;
use crate::uapi::newer::{
    IFLA_BRPORT_BACKUP_NHID, IFLA_BRPORT_MAB, IFLA_BRPORT_MCAST_MAX_GROUPS,
    IFLA_BRPORT_MCAST_N_GROUPS, IFLA_BRPORT_NEIGH_VLAN_SUPPRESS,
};
use crate::uapi::rtnetlink::{RTM_DELLINK, RTM_SETLINK};
use crate::uapi::types::{BridgeVlanInfo, IfInfoMsg, IflaBridgeId};

/// A bridge or port identifier (`struct ifla_bridge_id`): priority and
/// address, printed like `ip -d link`: `8000.2:0:0:0:0:1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BridgeId {
    /// Priority (network order on the wire).
    pub priority: u16,
    /// MAC address.
    pub addr: [u8; 6],
}

impl Codec<BridgeId> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<BridgeId> {
        let id: IflaBridgeId = a.read();
        Ok(BridgeId {
            priority: id.prio.get(),
            addr: id.addr,
        })
    }
    fn write(v: &BridgeId, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put(
            ty,
            &IflaBridgeId {
                prio: v.priority.into(),
                addr: v.addr,
            },
        );
    }
}

impl fmt::Display for BridgeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [p0, p1] = self.priority.to_be_bytes();
        write!(f, "{p0:02x}{p1:02x}.")?;
        for (i, b) in self.addr.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:x}")?;
        }
        Ok(())
    }
}

nl_wire::kernel_enum! {
    /// `BR_STATE_*`: STP port state, with the words `bridge link` prints.
    pub enum PortState: u8, "state", Error {
        /// Disabled.
        Disabled = BR_STATE_DISABLED => "disabled",
        /// Listening.
        Listening = BR_STATE_LISTENING => "listening",
        /// Learning.
        Learning = BR_STATE_LEARNING => "learning",
        /// Forwarding.
        Forwarding = BR_STATE_FORWARDING => "forwarding",
        /// Blocking.
        Blocking = BR_STATE_BLOCKING => "blocking",
    }
}

attr_struct! {
    /// Settings of a bridge port (`IFLA_BRPORT_*`), all settable; what the
    /// kernel only reports is in [`BridgePort::info`].
    pub struct BridgePort {
        /// STP state.
        state: PortState = IFLA_BRPORT_STATE => Enum,
        /// STP port priority.
        priority: u16 = IFLA_BRPORT_PRIORITY,
        /// STP path cost.
        cost: u32 = IFLA_BRPORT_COST,
        /// Hairpin mode: send frames back out the port they came in on.
        hairpin: bool = IFLA_BRPORT_MODE => Bool8,
        /// BPDU guard: disable the port on a received BPDU.
        guard: bool = IFLA_BRPORT_GUARD => Bool8,
        /// Root block: the port never becomes root port.
        root_block: bool = IFLA_BRPORT_PROTECT => Bool8,
        /// Multicast fast leave.
        fast_leave: bool = IFLA_BRPORT_FAST_LEAVE => Bool8,
        /// Learn source MACs.
        learning: bool = IFLA_BRPORT_LEARNING => Bool8,
        /// Flood unknown unicast.
        unicast_flood: bool = IFLA_BRPORT_UNICAST_FLOOD => Bool8,
        /// Proxy ARP.
        proxyarp: bool = IFLA_BRPORT_PROXYARP => Bool8,
        /// Sync learned addresses from the device.
        learning_sync: bool = IFLA_BRPORT_LEARNING_SYNC => Bool8,
        /// Proxy ARP for Wi-Fi.
        proxyarp_wifi: bool = IFLA_BRPORT_PROXYARP_WIFI => Bool8,
        /// Multicast router mode (0 disabled, 1 auto, 2 permanent, 3 temporary).
        multicast_router: u8 = IFLA_BRPORT_MULTICAST_ROUTER,
        /// Flood unknown multicast.
        mcast_flood: bool = IFLA_BRPORT_MCAST_FLOOD => Bool8,
        /// Multicast to unicast.
        mcast_to_ucast: bool = IFLA_BRPORT_MCAST_TO_UCAST => Bool8,
        /// VLAN tunnel mode.
        vlan_tunnel: bool = IFLA_BRPORT_VLAN_TUNNEL => Bool8,
        /// Flood broadcast.
        bcast_flood: bool = IFLA_BRPORT_BCAST_FLOOD => Bool8,
        /// Group forward mask.
        group_fwd_mask: u16 = IFLA_BRPORT_GROUP_FWD_MASK,
        /// ARP/ND suppression.
        neigh_suppress: bool = IFLA_BRPORT_NEIGH_SUPPRESS => Bool8,
        /// Isolated: no traffic to other isolated ports.
        isolated: bool = IFLA_BRPORT_ISOLATED => Bool8,
        /// Backup port index.
        backup_port: u32 = IFLA_BRPORT_BACKUP_PORT,
        /// MRP ring open.
        mrp_ring_open: bool = IFLA_BRPORT_MRP_RING_OPEN => Bool8,
        /// MRP in open.
        mrp_in_open: bool = IFLA_BRPORT_MRP_IN_OPEN => Bool8,
        /// Limit of EHT hosts.
        mcast_eht_hosts_limit: u32 = IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT,
        /// 802.1X locked port.
        locked: bool = IFLA_BRPORT_LOCKED => Bool8,
        /// MAC authentication bypass.
        mab: bool = IFLA_BRPORT_MAB => Bool8,
        /// Limit of multicast groups.
        mcast_max_groups: u32 = IFLA_BRPORT_MCAST_MAX_GROUPS,
        /// Per-VLAN neighbour suppression.
        neigh_vlan_suppress: bool = IFLA_BRPORT_NEIGH_VLAN_SUPPRESS => Bool8,
        /// Backup nexthop id.
        backup_nhid: u32 = IFLA_BRPORT_BACKUP_NHID,
    }
    extra {
        /// What the kernel reports but does not let you set.
        pub info: BridgePortInfo,
        /// Request only: flush the port's FDB entries (`IFLA_BRPORT_FLUSH`).
        pub flush: bool,
    }
}

attr_struct! {
    /// Read-only state of a bridge port.
    pub struct BridgePortInfo {
        /// Root bridge id.
        root_id: BridgeId = IFLA_BRPORT_ROOT_ID,
        /// Designated bridge id.
        bridge_id: BridgeId = IFLA_BRPORT_BRIDGE_ID,
        /// Designated port.
        designated_port: u16 = IFLA_BRPORT_DESIGNATED_PORT,
        /// Designated cost.
        designated_cost: u16 = IFLA_BRPORT_DESIGNATED_COST,
        /// Port id.
        id: u16 = IFLA_BRPORT_ID,
        /// Port number.
        no: u16 = IFLA_BRPORT_NO,
        /// Topology change ack.
        topology_change_ack: u8 = IFLA_BRPORT_TOPOLOGY_CHANGE_ACK,
        /// Config pending.
        config_pending: u8 = IFLA_BRPORT_CONFIG_PENDING,
        /// Message age timer (centiseconds).
        message_age_timer: u64 = IFLA_BRPORT_MESSAGE_AGE_TIMER,
        /// Forward delay timer (centiseconds).
        forward_delay_timer: u64 = IFLA_BRPORT_FORWARD_DELAY_TIMER,
        /// Hold timer (centiseconds).
        hold_timer: u64 = IFLA_BRPORT_HOLD_TIMER,
        /// Number of EHT hosts.
        mcast_eht_hosts_cnt: u32 = IFLA_BRPORT_MCAST_EHT_HOSTS_CNT,
        /// Number of multicast groups.
        mcast_n_groups: u32 = IFLA_BRPORT_MCAST_N_GROUPS,
    }
}

/// As a slave kind ("bridge") and in `IFLA_PROTINFO`: the `IFLA_BRPORT_*`
/// attributes, settable ones and reported ones.
impl LinkData for BridgePort {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut port = BridgePort::default();
        for a in data {
            let a = a?;
            if !port.parse_attr(&a)? {
                port.info.parse_attr(&a)?;
            }
        }
        Ok(port)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_settable(m);
        Ok(())
    }
}

impl BridgePort {
    /// Writes the settable fields (inside whatever nest the caller opened).
    pub(crate) fn write_settable(&self, m: &mut MsgBuilder<'_>) {
        self.write_attrs(m);
        if self.flush {
            m.put_flag(IFLA_BRPORT_FLUSH);
        }
    }

    /// Writes `IFLA_PROTINFO` (nested, as `bridge link set` sends it).
    pub(crate) fn write_protinfo(&self, m: &mut MsgBuilder<'_>) {
        m.nest(IFLA_PROTINFO | NLA_F_NESTED, |m| self.write_settable(m));
    }
}

/// A VLAN (or a range of VLANs) on a bridge port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BridgeVlan {
    /// VLAN id (first of the range).
    pub vid: u16,
    /// Last VLAN id of the range (equal to `vid` for one VLAN).
    pub vid_end: u16,
    /// Port VLAN id: untagged ingress frames get it.
    pub pvid: bool,
    /// Egress untagged.
    pub untagged: bool,
}

impl BridgeVlan {
    /// One VLAN id.
    pub fn new(vid: u16) -> Self {
        BridgeVlan {
            vid,
            vid_end: vid,
            pvid: false,
            untagged: false,
        }
    }

    fn flags(&self) -> u16 {
        let mut f = 0;
        if self.pvid {
            f |= BRIDGE_VLAN_INFO_PVID;
        }
        if self.untagged {
            f |= BRIDGE_VLAN_INFO_UNTAGGED;
        }
        f
    }
}

/// Parses the VLAN entries of an `AF_BRIDGE` `IFLA_AF_SPEC`, joining
/// compressed ranges (`RANGE_BEGIN` ... `RANGE_END`).
pub(crate) fn parse_af_spec_vlans(attrs: Attrs<'_>) -> nl_wire::Result<Vec<BridgeVlan>> {
    let mut out = Vec::new();
    let mut begin: Option<BridgeVlan> = None;
    for a in attrs {
        let a = a?;
        if a.ty() != IFLA_BRIDGE_VLAN_INFO {
            continue;
        }
        let info: BridgeVlanInfo = a.read();
        let flags = info.flags.get();
        let vlan = BridgeVlan {
            vid: info.vid.get(),
            vid_end: info.vid.get(),
            pvid: flags & BRIDGE_VLAN_INFO_PVID != 0,
            untagged: flags & BRIDGE_VLAN_INFO_UNTAGGED != 0,
        };
        if flags & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 {
            begin = Some(vlan);
        } else if flags & BRIDGE_VLAN_INFO_RANGE_END != 0 {
            let start = begin.take().unwrap_or(vlan);
            out.push(BridgeVlan {
                vid_end: vlan.vid,
                ..start
            });
        } else {
            out.push(vlan);
        }
    }
    Ok(out)
}

/// Writes an RTM_SETLINK (`add`) or RTM_DELLINK for `AF_BRIDGE` that adds
/// or removes VLANs on bridge port `index` (`bridge vlan add|del dev X vid
/// N [pvid] [untagged] [self|master]`). `self_` targets the device itself
/// (`BRIDGE_FLAGS_SELF`) rather than its master.
pub fn write_vlans(
    buf: &mut Vec<u8>,
    index: u32,
    vlans: &[BridgeVlan],
    add: bool,
    self_: bool,
) -> Result<()> {
    if vlans.is_empty() {
        return Err(Error::invalid("vlans", "empty"));
    }
    for v in vlans {
        if v.vid == 0 || v.vid > 4094 || v.vid_end < v.vid || v.vid_end > 4094 {
            return Err(Error::invalid(
                "vid",
                "must be 1..=4094, range start <= end",
            ));
        }
    }
    let ty = if add { RTM_SETLINK } else { RTM_DELLINK };
    let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK);
    m.header(&IfInfoMsg {
        ifi_family: crate::AF_BRIDGE,
        ifi_index: i32::try_from(index)
            .map_err(|_| Error::invalid("index", "above i32::MAX"))?
            .into(),
        ..IfInfoMsg::default()
    });
    m.nest(IFLA_AF_SPEC, |m| {
        m.put_u16(
            IFLA_BRIDGE_FLAGS,
            if self_ {
                BRIDGE_FLAGS_SELF
            } else {
                BRIDGE_FLAGS_MASTER
            },
        );
        for v in vlans {
            let flags = v.flags();
            if v.vid_end == v.vid {
                m.put(
                    IFLA_BRIDGE_VLAN_INFO,
                    &BridgeVlanInfo {
                        flags: flags.into(),
                        vid: v.vid.into(),
                    },
                );
            } else {
                m.put(
                    IFLA_BRIDGE_VLAN_INFO,
                    &BridgeVlanInfo {
                        flags: (flags | BRIDGE_VLAN_INFO_RANGE_BEGIN).into(),
                        vid: v.vid.into(),
                    },
                );
                m.put(
                    IFLA_BRIDGE_VLAN_INFO,
                    &BridgeVlanInfo {
                        flags: (flags | BRIDGE_VLAN_INFO_RANGE_END).into(),
                        vid: v.vid_end.into(),
                    },
                );
            }
        }
    });
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// A VLAN-to-tunnel-id mapping of a bridge port (`bridge vlan add dev
/// vx0 vid 100 tunnel_info id 1000`): frames of VLAN `vid` leave through
/// a metadata-mode VXLAN port with tunnel id `tunid`. Ranges map one to
/// one (`vid..=vid_end` to `tunid..=tunid_end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VlanTunnel {
    /// VLAN id (first of the range).
    pub vid: u16,
    /// Last VLAN id of the range (equal to `vid` for one).
    pub vid_end: u16,
    /// Tunnel id (first of the range).
    pub tunid: u32,
    /// Last tunnel id of the range (equal to `tunid` for one).
    pub tunid_end: u32,
}

impl VlanTunnel {
    /// VLAN `vid` to tunnel `tunid`.
    pub fn new(vid: u16, tunid: u32) -> Self {
        VlanTunnel {
            vid,
            vid_end: vid,
            tunid,
            tunid_end: tunid,
        }
    }

    /// VLANs `vid..=vid_end` to tunnels from `tunid` on.
    pub fn range(vid: u16, vid_end: u16, tunid: u32) -> Self {
        VlanTunnel {
            vid,
            vid_end,
            tunid,
            tunid_end: tunid.saturating_add(u32::from(vid_end.saturating_sub(vid))),
        }
    }
}

/// Parses the tunnel mappings of an `AF_BRIDGE` `IFLA_AF_SPEC`, joining
/// ranges (`RANGE_BEGIN` ... `RANGE_END`).
pub(crate) fn parse_af_spec_tunnels(attrs: Attrs<'_>) -> nl_wire::Result<Vec<VlanTunnel>> {
    let mut out = Vec::new();
    let mut begin: Option<VlanTunnel> = None;
    for a in attrs {
        let a = a?;
        if a.ty() != IFLA_BRIDGE_VLAN_TUNNEL_INFO {
            continue;
        }
        let (mut vid, mut tunid, mut flags) = (None, 0, 0);
        for x in a.nested() {
            let x = x?;
            match x.ty() {
                IFLA_BRIDGE_VLAN_TUNNEL_VID => vid = Some(x.u16()?),
                IFLA_BRIDGE_VLAN_TUNNEL_ID => tunid = x.u32()?,
                IFLA_BRIDGE_VLAN_TUNNEL_FLAGS => flags = x.u16()?,
                _ => {}
            }
        }
        let Some(vid) = vid else { continue };
        let t = VlanTunnel::new(vid, tunid);
        if flags & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 {
            begin = Some(t);
        } else if flags & BRIDGE_VLAN_INFO_RANGE_END != 0 {
            let start = begin.take().unwrap_or(t);
            out.push(VlanTunnel {
                vid_end: vid,
                tunid_end: tunid,
                ..start
            });
        } else {
            out.push(t);
        }
    }
    Ok(out)
}

/// Writes an RTM_SETLINK (`add`) or RTM_DELLINK for `AF_BRIDGE` mapping
/// (or unmapping) VLANs to tunnel ids on bridge port `index` (`bridge vlan
/// add|del dev X vid N[-M] tunnel_info id T[-U] [self|master]`; Go's
/// `BridgeVlanAddTunnelInfo`). The port needs `vlan_tunnel on`.
pub fn write_vlan_tunnels(
    buf: &mut Vec<u8>,
    index: u32,
    tunnels: &[VlanTunnel],
    add: bool,
    self_: bool,
) -> Result<()> {
    if tunnels.is_empty() {
        return Err(Error::invalid("tunnel_info", "empty"));
    }
    for t in tunnels {
        if t.vid == 0 || t.vid > 4094 || t.vid_end < t.vid || t.vid_end > 4094 {
            return Err(Error::invalid(
                "vid",
                "must be 1..=4094, range start <= end",
            ));
        }
        if t.tunid_end < t.tunid || t.tunid_end - t.tunid != u32::from(t.vid_end - t.vid) {
            return Err(Error::invalid(
                "tunnel_info",
                "a VLAN range maps to a tunnel id range of the same size",
            ));
        }
    }
    let ty = if add { RTM_SETLINK } else { RTM_DELLINK };
    let mut m = MsgBuilder::new(buf, ty, NLM_F_REQUEST | NLM_F_ACK);
    m.header(&IfInfoMsg {
        ifi_family: crate::AF_BRIDGE,
        ifi_index: i32::try_from(index)
            .map_err(|_| Error::invalid("index", "above i32::MAX"))?
            .into(),
        ..IfInfoMsg::default()
    });
    m.nest(IFLA_AF_SPEC, |m| {
        m.put_u16(
            IFLA_BRIDGE_FLAGS,
            if self_ {
                BRIDGE_FLAGS_SELF
            } else {
                BRIDGE_FLAGS_MASTER
            },
        );
        let one = |m: &mut MsgBuilder<'_>, vid: u16, tunid: u32, flags: u16| {
            m.nest(IFLA_BRIDGE_VLAN_TUNNEL_INFO, |m| {
                m.put_u32(IFLA_BRIDGE_VLAN_TUNNEL_ID, tunid);
                m.put_u16(IFLA_BRIDGE_VLAN_TUNNEL_VID, vid);
                m.put_u16(IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, flags);
            });
        };
        for t in tunnels {
            if t.vid == t.vid_end {
                one(m, t.vid, t.tunid, 0);
            } else {
                one(m, t.vid, t.tunid, BRIDGE_VLAN_INFO_RANGE_BEGIN);
                one(m, t.vid_end, t.tunid_end, BRIDGE_VLAN_INFO_RANGE_END);
            }
        }
    });
    m.finish().map_err(Error::Build)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tunnel_ranges_read_back_joined() {
        let mut buf = Vec::new();
        let ts = [
            VlanTunnel::new(100, 1000),
            VlanTunnel::range(200, 210, 2000),
        ];
        write_vlan_tunnels(&mut buf, 4, &ts, true, false).unwrap();
        let (msg, _) = nl_wire::Msg::parse(&buf).unwrap();
        let spec = msg
            .attrs_after(16)
            .find(|a| a.as_ref().is_ok_and(|a| a.ty() == IFLA_AF_SPEC));
        let got = parse_af_spec_tunnels(spec.unwrap().unwrap().nested()).unwrap();
        assert_eq!(got, ts);
        assert_eq!(ts[1].tunid_end, 2010);
        let bad = VlanTunnel {
            tunid_end: 2001,
            ..ts[1]
        };
        assert!(write_vlan_tunnels(&mut buf, 4, &[bad], true, false).is_err());
        assert!(write_vlan_tunnels(&mut buf, 4, &[], true, false).is_err());
    }

    #[test]
    fn bridge_id_prints_like_ip() {
        let id = BridgeId {
            priority: 0x8000,
            addr: [2, 0, 0, 0, 0, 1],
        };
        assert_eq!(id.to_string(), "8000.2:0:0:0:0:1");
        let id = BridgeId {
            priority: 0x1000,
            addr: [0xaa, 0xbb, 0, 0, 0, 0x10],
        };
        assert_eq!(id.to_string(), "1000.aa:bb:0:0:0:10");
    }

    #[test]
    fn port_round_trip() {
        let port = BridgePort {
            state: Some(PortState::Forwarding),
            priority: Some(32),
            cost: Some(100),
            hairpin: Some(true),
            guard: Some(false),
            learning: Some(true),
            isolated: Some(true),
            neigh_suppress: Some(true),
            mcast_flood: Some(false),
            backup_port: Some(7),
            mab: Some(false),
            ..BridgePort::default()
        };
        let mut buf = Vec::new();
        let mut m = MsgBuilder::attrs_only(&mut buf);
        port.write_settable(&mut m);
        m.finish().unwrap();
        let back = <BridgePort as LinkData>::parse(Attrs::new(&buf)).unwrap();
        assert_eq!(back, port);
    }

    #[test]
    fn vlan_ranges_are_joined() {
        let mut buf = Vec::new();
        write_vlans(
            &mut buf,
            3,
            &[
                BridgeVlan {
                    pvid: true,
                    untagged: true,
                    ..BridgeVlan::new(1)
                },
                BridgeVlan {
                    vid: 10,
                    vid_end: 20,
                    pvid: false,
                    untagged: false,
                },
            ],
            true,
            false,
        )
        .unwrap();
        let (msg, _) = nl_wire::Msg::parse(&buf).unwrap();
        assert_eq!(msg.ty(), RTM_SETLINK);
        let spec = msg.attrs::<IfInfoMsg>().get(IFLA_AF_SPEC).unwrap().unwrap();
        let vlans = parse_af_spec_vlans(spec.nested()).unwrap();
        assert_eq!(vlans.len(), 2);
        assert!(vlans[0].pvid && vlans[0].untagged && vlans[0].vid == 1);
        assert_eq!((vlans[1].vid, vlans[1].vid_end), (10, 20));
        assert!(write_vlans(&mut buf, 3, &[BridgeVlan::new(4095)], true, false).is_err());
        assert!(write_vlans(&mut buf, 3, &[], true, false).is_err());
    }
}
