//! The fixed-size kernel structs NETLINK_ROUTE uses, as zerocopy types.
//!
//! Host byte order unless a field says `network_endian`; every struct is
//! `Unaligned` (views point into unaligned receive buffers) and pinned to
//! its UAPI size.
#![allow(missing_docs)]

use zerocopy::byteorder::native_endian::{I32, U16, U32, U64};
use zerocopy::byteorder::network_endian;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

macro_rules! wire_struct {
    ($(#[$m:meta])* $name:ident, $size:expr, { $($(#[$fm:meta])* pub $f:ident: $t:ty,)* }) => {
        $(#[$m])*
        #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy, Debug, Default, PartialEq, Eq)]
        #[repr(C)]
        pub struct $name { $($(#[$fm])* pub $f: $t,)* }
        const _: () = assert!(core::mem::size_of::<$name>() == $size);
    };
}

wire_struct!(
    /// `struct ifinfomsg`: family header of RTM_*LINK.
    IfInfoMsg, 16, {
    pub ifi_family: u8,
    pub __ifi_pad: u8,
    /// `ARPHRD_*`.
    pub ifi_type: U16,
    pub ifi_index: I32,
    /// `IFF_*` flags.
    pub ifi_flags: U32,
    /// Which flags a request changes.
    pub ifi_change: U32,
});

wire_struct!(
    /// `struct ifaddrmsg`: family header of RTM_*ADDR.
    IfAddrMsg, 8, {
    pub ifa_family: u8,
    pub ifa_prefixlen: u8,
    /// Low 8 bits of the flags (the rest in `IFA_FLAGS`).
    pub ifa_flags: u8,
    pub ifa_scope: u8,
    pub ifa_index: U32,
});

wire_struct!(
    /// `struct ifa_cacheinfo` (`IFA_CACHEINFO`).
    IfaCacheinfo, 16, {
    pub ifa_prefered: U32,
    pub ifa_valid: U32,
    /// Created, hundredths of seconds since boot.
    pub cstamp: U32,
    /// Updated, hundredths of seconds since boot.
    pub tstamp: U32,
});

wire_struct!(
    /// `struct rtnl_link_stats64` (`IFLA_STATS64`), as of Linux 6.1;
    /// read tolerantly, so newer kernels' longer struct is fine.
    RtnlLinkStats64, 200, {
    pub rx_packets: U64,
    pub tx_packets: U64,
    pub rx_bytes: U64,
    pub tx_bytes: U64,
    pub rx_errors: U64,
    pub tx_errors: U64,
    pub rx_dropped: U64,
    pub tx_dropped: U64,
    pub multicast: U64,
    pub collisions: U64,
    pub rx_length_errors: U64,
    pub rx_over_errors: U64,
    pub rx_crc_errors: U64,
    pub rx_frame_errors: U64,
    pub rx_fifo_errors: U64,
    pub rx_missed_errors: U64,
    pub tx_aborted_errors: U64,
    pub tx_carrier_errors: U64,
    pub tx_fifo_errors: U64,
    pub tx_heartbeat_errors: U64,
    pub tx_window_errors: U64,
    pub rx_compressed: U64,
    pub tx_compressed: U64,
    pub rx_nohandler: U64,
    pub rx_otherhost_dropped: U64,
});

wire_struct!(
    /// `struct ifla_vlan_flags` (`IFLA_VLAN_FLAGS`).
    IflaVlanFlags, 8, {
    pub flags: U32,
    pub mask: U32,
});

wire_struct!(
    /// `struct ifla_vlan_qos_mapping` (`IFLA_VLAN_QOS_MAPPING`).
    IflaVlanQosMapping, 8, {
    pub from: U32,
    pub to: U32,
});

wire_struct!(
    /// `struct ifla_vxlan_port_range` (`IFLA_VXLAN_PORT_RANGE`), network order.
    IflaVxlanPortRange, 4, {
    pub low: network_endian::U16,
    pub high: network_endian::U16,
});

wire_struct!(
    /// `struct ifla_bridge_id`: priority (network order) and address.
    IflaBridgeId, 8, {
    pub prio: network_endian::U16,
    pub addr: [u8; 6],
});

wire_struct!(
    /// `struct bridge_vlan_info` (`IFLA_BRIDGE_VLAN_INFO`).
    BridgeVlanInfo, 4, {
    pub flags: U16,
    pub vid: U16,
});

wire_struct!(
    /// `struct ifla_cacheinfo` (IPv6 `IFLA_INET6_CACHEINFO`).
    IflaCacheinfo, 16, {
    pub max_reasm_len: U32,
    pub tstamp: U32,
    pub reachable_time: U32,
    pub retrans_time: U32,
});
