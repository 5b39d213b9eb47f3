//! Links (network interfaces): RTM_NEWLINK / DELLINK / GETLINK / SETLINK.
//!
//! [`Link`] is the owned object, parsed from RTM_NEWLINK with
//! [`Link::parse`] and written back as a request with [`Link::write_add`].
//! [`LinkSet`] changes an existing link the way `ip link set` does, and
//! [`LinkDump`] / [`write_get`] ask for links with kernel-side filters.

use std::os::fd::RawFd;

use bitflags::bitflags;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST};
use nl_wire::{Attr, Attrs, HwAddr, Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::kind::{LinkData, LinkKind, SlaveInfo};
use crate::port::{BridgePort, BridgeVlan};
use crate::uapi::r#if::*;
use crate::uapi::if_link::*;
use crate::uapi::netdevice::{
    NET_NAME_ENUM, NET_NAME_PREDICTABLE, NET_NAME_RENAMED, NET_NAME_UNKNOWN, NET_NAME_USER,
};
use crate::uapi::newer::{IFLA_GRO_IPV4_MAX_SIZE, IFLA_GSO_IPV4_MAX_SIZE};
use crate::uapi::rtnetlink::{
    RTEXT_FILTER_BRVLAN, RTEXT_FILTER_BRVLAN_COMPRESSED, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
    RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK,
};
use crate::uapi::types::{IfInfoMsg, RtnlLinkStats64};

/// `IFNAMSIZ - 1`: the longest interface name the kernel accepts.
pub const MAX_NAME_LEN: usize = 15;

bitflags! {
    /// `IFF_*` device flags (`<linux/if.h>`), as `ip link` prints them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct LinkFlags: u32 {
        /// Administratively up.
        const UP = 0x1;
        /// Broadcast address valid.
        const BROADCAST = 0x2;
        /// Debugging.
        const DEBUG = 0x4;
        /// Loopback.
        const LOOPBACK = 0x8;
        /// Point-to-point.
        const POINTOPOINT = 0x10;
        /// Avoid trailers.
        const NOTRAILERS = 0x20;
        /// Operationally running.
        const RUNNING = 0x40;
        /// No ARP.
        const NOARP = 0x80;
        /// Promiscuous (set by `ip link set promisc on`; packet sockets
        /// count in [`Link::promiscuity`] instead).
        const PROMISC = 0x100;
        /// Receive all multicast.
        const ALLMULTI = 0x200;
        /// Master of a load balancer.
        const MASTER = 0x400;
        /// Slave of a load balancer.
        const SLAVE = 0x800;
        /// Supports multicast.
        const MULTICAST = 0x1000;
        /// Can set media type.
        const PORTSEL = 0x2000;
        /// Auto media select.
        const AUTOMEDIA = 0x4000;
        /// Addresses are lost when the link goes down.
        const DYNAMIC = 0x8000;
        /// Driver signals L1 up.
        const LOWER_UP = 0x10000;
        /// Driver signals dormant.
        const DORMANT = 0x20000;
        /// Echoes sent packets.
        const ECHO = 0x40000;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

impl LinkFlags {
    /// The words `ip link` prints for these flags, in its order:
    /// `NO-CARRIER` (up without `RUNNING`) first, `RUNNING` itself never,
    /// bits without a name as hex at the end.
    pub fn names(&self) -> Vec<String> {
        const ORDER: [(LinkFlags, &str); 18] = [
            (LinkFlags::LOOPBACK, "LOOPBACK"),
            (LinkFlags::BROADCAST, "BROADCAST"),
            (LinkFlags::POINTOPOINT, "POINTOPOINT"),
            (LinkFlags::MULTICAST, "MULTICAST"),
            (LinkFlags::NOARP, "NOARP"),
            (LinkFlags::ALLMULTI, "ALLMULTI"),
            (LinkFlags::PROMISC, "PROMISC"),
            (LinkFlags::MASTER, "MASTER"),
            (LinkFlags::SLAVE, "SLAVE"),
            (LinkFlags::DEBUG, "DEBUG"),
            (LinkFlags::DYNAMIC, "DYNAMIC"),
            (LinkFlags::AUTOMEDIA, "AUTOMEDIA"),
            (LinkFlags::PORTSEL, "PORTSEL"),
            (LinkFlags::NOTRAILERS, "NOTRAILERS"),
            (LinkFlags::UP, "UP"),
            (LinkFlags::LOWER_UP, "LOWER_UP"),
            (LinkFlags::DORMANT, "DORMANT"),
            (LinkFlags::ECHO, "ECHO"),
        ];
        let mut out = Vec::new();
        if self.contains(LinkFlags::UP) && !self.contains(LinkFlags::RUNNING) {
            out.push("NO-CARRIER".to_string());
        }
        let mut rest = self.bits() & !LinkFlags::RUNNING.bits();
        for (f, name) in ORDER {
            if self.contains(f) {
                out.push(name.to_string());
                rest &= !f.bits();
            }
        }
        if rest != 0 {
            out.push(format!("{rest:x}"));
        }
        out
    }
}

nl_wire::kernel_enum! {
    /// `IN6_ADDR_GEN_MODE_*`: how the kernel makes the IPv6 link-local
    /// address (`ip link set X addrgenmode ...`).
    pub enum AddrGenMode: u8, "addrgenmode", Error {
        /// From the hardware address.
        Eui64 = IN6_ADDR_GEN_MODE_EUI64 => "eui64",
        /// None: no link-local address at all.
        None = IN6_ADDR_GEN_MODE_NONE => "none",
        /// RFC 7217 stable privacy.
        StableSecret = IN6_ADDR_GEN_MODE_STABLE_PRIVACY => "stable_secret",
        /// Random.
        Random = IN6_ADDR_GEN_MODE_RANDOM => "random",
    }
}

nl_wire::kernel_enum! {
    /// `IF_OPER_*`: RFC 2863 operational state (`IFLA_OPERSTATE`), with
    /// the words `ip link` prints after `state`.
    pub enum OperState: u8, "operstate", Error {
        /// State unknown (loopback, many virtual devices).
        Unknown = IF_OPER_UNKNOWN => "UNKNOWN",
        /// Some component is missing.
        NotPresent = IF_OPER_NOTPRESENT => "NOTPRESENT",
        /// Down.
        Down = IF_OPER_DOWN => "DOWN",
        /// Down because a lower device is.
        LowerLayerDown = IF_OPER_LOWERLAYERDOWN => "LOWERLAYERDOWN",
        /// In test mode.
        Testing = IF_OPER_TESTING => "TESTING",
        /// Waiting for an external event.
        Dormant = IF_OPER_DORMANT => "DORMANT",
        /// Up.
        Up = IF_OPER_UP => "UP",
    }
}

nl_wire::kernel_enum! {
    /// `IF_LINK_MODE_*` (`IFLA_LINKMODE`).
    pub enum LinkMode: u8, "mode", Error {
        /// Default.
        Default = IF_LINK_MODE_DEFAULT => "DEFAULT",
        /// Limit upward transition to dormant.
        Dormant = IF_LINK_MODE_DORMANT => "DORMANT",
        /// Limit upward transition to testing.
        Testing = IF_LINK_MODE_TESTING => "TESTING",
    }
}

nl_wire::kernel_enum! {
    /// `NET_NAME_*` (`<linux/netdevice.h>`): where a link's name came from,
    /// with the words the kernel's documentation uses for the sysfs values.
    ///
    /// The kernel keeps this for sysfs (`/sys/class/net/NAME/name_assign_type`)
    /// and does not report it over netlink; see [`Link::name_assign_type`].
    pub enum NameAssignType: u8, "name_assign_type", Error {
        /// Unknown origin (`NET_NAME_UNKNOWN`).
        Unknown = NET_NAME_UNKNOWN => "unknown",
        /// Numbered by the kernel from a template such as `veth%d`
        /// (`NET_NAME_ENUM`): what a link created without a name gets.
        Enum = NET_NAME_ENUM => "enum",
        /// Chosen by the kernel from stable properties (`NET_NAME_PREDICTABLE`).
        Predictable = NET_NAME_PREDICTABLE => "predictable",
        /// Given by user space (`NET_NAME_USER`), a template such as `foo%d` included.
        User = NET_NAME_USER => "user",
        /// Renamed by user space after creation (`NET_NAME_RENAMED`).
        Renamed = NET_NAME_RENAMED => "renamed",
    }
}

impl NameAssignType {
    /// What the kernel records for a link created with `name` in its
    /// RTM_NEWLINK: `Enum` when no name is sent, since the kernel then
    /// numbers the kind's template (`veth%d`); `User` otherwise, a
    /// template of the caller's (`foo%d`) included (`rtnl_newlink_create`).
    /// (A tun/tap, made through `TUNSETIFF`, is always `Unknown`.)
    pub fn at_creation(name: &str) -> Self {
        if name.is_empty() {
            NameAssignType::Enum
        } else {
            NameAssignType::User
        }
    }
}

/// Interface counters (`IFLA_STATS64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(missing_docs)]
pub struct LinkStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub multicast: u64,
    pub collisions: u64,
    pub rx_length_errors: u64,
    pub rx_over_errors: u64,
    pub rx_crc_errors: u64,
    pub rx_frame_errors: u64,
    pub rx_fifo_errors: u64,
    pub rx_missed_errors: u64,
    pub tx_aborted_errors: u64,
    pub tx_carrier_errors: u64,
    pub tx_fifo_errors: u64,
    pub tx_heartbeat_errors: u64,
    pub tx_window_errors: u64,
    pub rx_compressed: u64,
    pub tx_compressed: u64,
    pub rx_nohandler: u64,
    pub rx_otherhost_dropped: u64,
}

impl From<&RtnlLinkStats64> for LinkStats {
    fn from(s: &RtnlLinkStats64) -> Self {
        LinkStats {
            rx_packets: s.rx_packets.get(),
            tx_packets: s.tx_packets.get(),
            rx_bytes: s.rx_bytes.get(),
            tx_bytes: s.tx_bytes.get(),
            rx_errors: s.rx_errors.get(),
            tx_errors: s.tx_errors.get(),
            rx_dropped: s.rx_dropped.get(),
            tx_dropped: s.tx_dropped.get(),
            multicast: s.multicast.get(),
            collisions: s.collisions.get(),
            rx_length_errors: s.rx_length_errors.get(),
            rx_over_errors: s.rx_over_errors.get(),
            rx_crc_errors: s.rx_crc_errors.get(),
            rx_frame_errors: s.rx_frame_errors.get(),
            rx_fifo_errors: s.rx_fifo_errors.get(),
            rx_missed_errors: s.rx_missed_errors.get(),
            tx_aborted_errors: s.tx_aborted_errors.get(),
            tx_carrier_errors: s.tx_carrier_errors.get(),
            tx_fifo_errors: s.tx_fifo_errors.get(),
            tx_heartbeat_errors: s.tx_heartbeat_errors.get(),
            tx_window_errors: s.tx_window_errors.get(),
            rx_compressed: s.rx_compressed.get(),
            tx_compressed: s.tx_compressed.get(),
            rx_nohandler: s.rx_nohandler.get(),
            rx_otherhost_dropped: s.rx_otherhost_dropped.get(),
        }
    }
}

nl_wire::kernel_enum! {
    /// How an XDP program is attached (`XDP_ATTACHED_*`), with the words
    /// `ip link` prints for the mode.
    pub enum XdpAttached: u8, "xdp", Error {
        /// No program.
        None = XDP_ATTACHED_NONE => "none",
        /// In the driver.
        Driver = XDP_ATTACHED_DRV => "xdp" | "xdpdrv",
        /// Generic (skb) mode.
        Generic = XDP_ATTACHED_SKB => "xdpgeneric",
        /// Offloaded to hardware.
        Hardware = XDP_ATTACHED_HW => "xdpoffload",
        /// Several programs in several modes.
        Multi = XDP_ATTACHED_MULTI => "xdpmulti",
    }
}

/// XDP attachment state (`IFLA_XDP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Xdp {
    /// Attach mode, if the kernel said.
    pub attached: Option<XdpAttached>,
    /// `IFLA_XDP_PROG_ID`: the program, when one mode is attached.
    pub prog_id: Option<u32>,
    /// `IFLA_XDP_DRV_PROG_ID`.
    pub drv_prog_id: Option<u32>,
    /// `IFLA_XDP_SKB_PROG_ID`.
    pub skb_prog_id: Option<u32>,
    /// `IFLA_XDP_HW_PROG_ID`.
    pub hw_prog_id: Option<u32>,
    /// `IFLA_XDP_FLAGS` (`XDP_FLAGS_*`), when attaching.
    pub flags: Option<u32>,
}

impl Xdp {
    fn parse(attrs: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut x = Xdp::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                IFLA_XDP_ATTACHED => x.attached = Some(a.u8()?.into()),
                IFLA_XDP_PROG_ID => x.prog_id = Some(a.u32()?),
                IFLA_XDP_DRV_PROG_ID => x.drv_prog_id = Some(a.u32()?),
                IFLA_XDP_SKB_PROG_ID => x.skb_prog_id = Some(a.u32()?),
                IFLA_XDP_HW_PROG_ID => x.hw_prog_id = Some(a.u32()?),
                IFLA_XDP_FLAGS => x.flags = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(x)
    }
}

pub use crate::vf::{VfInfo, VfPort};

/// Where a link is created or moved to (`IFLA_NET_NS_FD` / `IFLA_NET_NS_PID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Netns {
    /// An open namespace file (`/var/run/netns/NAME`, `/proc/PID/ns/net`).
    Fd(RawFd),
    /// The namespace of a process.
    Pid(u32),
}

/// A link: the common attributes of every interface and its kind.
///
/// Every field is optional on the wire; `None` means "not reported" when
/// read and "not set, kernel default" when written. Build one with
/// [`Link::new`] and the kind constructors, or read one from the kernel.
///
/// ```
/// use nl_route::{Link, LinkKind};
/// let bridge = Link::new("br0").kind(LinkKind::bridge()).mtu(9000);
/// let mut buf = Vec::new();
/// bridge.write_add(&mut buf)?;
/// let parsed = Link::parse(&nl_wire::Msg::parse(&buf).unwrap().0)?;
/// assert_eq!(parsed.name, "br0");
/// assert_eq!(parsed.mtu, Some(9000));
/// assert_eq!(parsed.kind.unwrap().name(), "bridge");
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    /// `ifi_index` (0: let the kernel pick when creating).
    pub index: u32,
    /// `IFLA_IFNAME`. Empty in a request to create a link: the kernel
    /// names it from its kind's template (`veth0`, `ifb1` ...).
    pub name: String,
    /// Where the name came from. Netlink does not carry it (the kernel
    /// shows it in sysfs only), so a link read from the kernel has `None`;
    /// the facade's `link_add` fills it in from its request, as the kernel
    /// decides it ([`NameAssignType::at_creation`]). Never written.
    pub name_assign_type: Option<NameAssignType>,
    /// `IFLA_PROP_LIST` / `IFLA_ALT_IFNAME`: alternative names.
    pub alt_names: Vec<String>,
    /// `ifi_flags`.
    pub flags: LinkFlags,
    /// `ifi_type`: `ARPHRD_*` (1 = Ethernet, 772 = loopback ...).
    pub link_type: u16,
    /// `ifi_family` (`AF_UNSPEC`, or `AF_BRIDGE` for bridge port messages).
    pub family: u8,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_MIN_MTU`.
    pub min_mtu: Option<u32>,
    /// `IFLA_MAX_MTU`.
    pub max_mtu: Option<u32>,
    /// `IFLA_TXQLEN`.
    pub txqlen: Option<u32>,
    /// `IFLA_OPERSTATE`.
    pub operstate: Option<OperState>,
    /// `IFLA_LINKMODE`.
    pub link_mode: Option<LinkMode>,
    /// `IFLA_ADDRESS`: hardware address, any length.
    pub address: Option<HwAddr>,
    /// `IFLA_BROADCAST`.
    pub broadcast: Option<HwAddr>,
    /// `IFLA_PERM_ADDRESS`: the factory address.
    pub perm_address: Option<HwAddr>,
    /// `IFLA_MASTER`: index of the master (bridge, bond, vrf).
    pub master: Option<u32>,
    /// `IFLA_LINK`: index of the parent or peer link.
    pub parent: Option<u32>,
    /// `IFLA_LINK_NETNSID`: namespace id of the parent or peer.
    pub link_netnsid: Option<i32>,
    /// `IFLA_IFALIAS`.
    pub alias: Option<String>,
    /// `IFLA_GROUP`.
    pub group: Option<u32>,
    /// `IFLA_QDISC`: the root qdisc's kind.
    pub qdisc: Option<String>,
    /// `IFLA_NUM_TX_QUEUES`.
    pub num_tx_queues: Option<u32>,
    /// `IFLA_NUM_RX_QUEUES`.
    pub num_rx_queues: Option<u32>,
    /// `IFLA_GSO_MAX_SIZE`.
    pub gso_max_size: Option<u32>,
    /// `IFLA_GSO_MAX_SEGS`.
    pub gso_max_segs: Option<u32>,
    /// `IFLA_GRO_MAX_SIZE`.
    pub gro_max_size: Option<u32>,
    /// `IFLA_GSO_IPV4_MAX_SIZE`.
    pub gso_ipv4_max_size: Option<u32>,
    /// `IFLA_GRO_IPV4_MAX_SIZE`.
    pub gro_ipv4_max_size: Option<u32>,
    /// `IFLA_TSO_MAX_SIZE`.
    pub tso_max_size: Option<u32>,
    /// `IFLA_TSO_MAX_SEGS`.
    pub tso_max_segs: Option<u32>,
    /// `IFLA_CARRIER`.
    pub carrier: Option<bool>,
    /// `IFLA_CARRIER_CHANGES`.
    pub carrier_changes: Option<u32>,
    /// `IFLA_CARRIER_UP_COUNT`.
    pub carrier_up_count: Option<u32>,
    /// `IFLA_CARRIER_DOWN_COUNT`.
    pub carrier_down_count: Option<u32>,
    /// `IFLA_PROMISCUITY`: how many users want promiscuous mode (packet
    /// sockets such as tcpdump's count here, without `IFF_PROMISC`).
    pub promiscuity: Option<u32>,
    /// `IFLA_ALLMULTI`: how many users want all-multicast.
    pub allmulti: Option<u32>,
    /// `IFLA_STATS64`.
    pub stats: Option<LinkStats>,
    /// `IFLA_XDP`.
    pub xdp: Option<Xdp>,
    /// `IFLA_PROTO_DOWN`.
    pub protodown: Option<bool>,
    /// `IFLA_PHYS_PORT_ID`.
    pub phys_port_id: Option<Vec<u8>>,
    /// `IFLA_PHYS_PORT_NAME`.
    pub phys_port_name: Option<String>,
    /// `IFLA_PHYS_SWITCH_ID`.
    pub phys_switch_id: Option<Vec<u8>>,
    /// `IFLA_PARENT_DEV_NAME`: the parent device (sysfs), if any.
    pub parent_dev_name: Option<String>,
    /// `IFLA_PARENT_DEV_BUS_NAME`.
    pub parent_dev_bus_name: Option<String>,
    /// `IFLA_NUM_VF`.
    pub num_vf: Option<u32>,
    /// `IFLA_VFINFO_LIST`, only present when VF details were asked for.
    pub vfs: Vec<VfInfo>,
    /// `IFLA_VF_PORTS` and `IFLA_PORT_SELF`: port profiles (802.1Qbg/bh),
    /// only present when VF details were asked for.
    pub vf_ports: Vec<VfPort>,
    /// `IFLA_EVENT` (in notifications).
    pub event: Option<u32>,
    /// `IFLA_AF_SPEC` / `AF_INET6` / `IFLA_INET6_ADDR_GEN_MODE`.
    pub inet6_addr_gen_mode: Option<AddrGenMode>,
    /// `IFLA_LINKINFO` kind and data.
    pub kind: Option<LinkKind>,
    /// `IFLA_LINKINFO` slave kind and data (bond slave, bridge port ...).
    pub slave: Option<SlaveInfo>,
    /// `IFLA_PROTINFO` of an `AF_BRIDGE` message: bridge port settings.
    pub bridge_port: Option<BridgePort>,
    /// `IFLA_AF_SPEC` of an `AF_BRIDGE` message: the port's VLANs.
    pub bridge_vlans: Vec<BridgeVlan>,
    /// `IFLA_AF_SPEC` of an `AF_BRIDGE` message: the port's VLAN-to-tunnel
    /// mappings (ports with `vlan_tunnel on`).
    pub bridge_vlan_tunnels: Vec<crate::port::VlanTunnel>,
    /// Request only: create the link in (or for the peer: put it in) this namespace.
    pub netns: Option<Netns>,
    /// Request only: set the link up (`IFF_UP`) when creating it.
    pub up: bool,
}

fn check_name(name: &str, field: &'static str) -> Result<()> {
    if name.len() > MAX_NAME_LEN {
        return Err(Error::invalid(field, "longer than 15 bytes (IFNAMSIZ - 1)"));
    }
    if name.is_empty() || name == "." || name == ".." {
        return Err(Error::invalid(field, "empty, '.' or '..'"));
    }
    if name
        .bytes()
        .any(|b| b == b'/' || b == b':' || b.is_ascii_whitespace() || b == 0)
    {
        return Err(Error::invalid(
            field,
            "contains '/', ':', NUL or whitespace",
        ));
    }
    Ok(())
}

/// Checks an interface name as the kernel's `dev_valid_name` would, so a
/// bad name is refused before any syscall.
pub fn validate_name(name: &str) -> Result<()> {
    check_name(name, "name")
}

impl Link {
    /// A link with only a name set (add a kind with [`Link::kind`]).
    pub fn new(name: impl Into<String>) -> Self {
        Link {
            name: name.into(),
            ..Link::default()
        }
    }

    /// `type KIND`: sets the kind and its settings.
    #[must_use]
    pub fn kind(mut self, kind: LinkKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// `mtu N`.
    #[must_use]
    pub fn mtu(mut self, mtu: u32) -> Self {
        self.mtu = Some(mtu);
        self
    }

    /// `address MAC`: the hardware address.
    #[must_use]
    pub fn address(mut self, addr: HwAddr) -> Self {
        self.address = Some(addr);
        self
    }

    /// `master M`: the master (bridge, bond, vrf) by index.
    #[must_use]
    pub fn master(mut self, index: u32) -> Self {
        self.master = Some(index);
        self
    }

    /// `link DEV`: the parent link by index ([`Link::parent`], `IFLA_LINK`:
    /// the lower device of a vlan, macvlan, ipvlan ...).
    #[must_use]
    pub fn link(mut self, index: u32) -> Self {
        self.parent = Some(index);
        self
    }

    /// `netns NS`: creates the link in another namespace.
    #[must_use]
    pub fn netns(mut self, netns: Netns) -> Self {
        self.netns = Some(netns);
        self
    }

    /// `up`: brings the link up as it is created.
    #[must_use]
    pub fn up(mut self) -> Self {
        self.up = true;
        self
    }

    /// The former name of [`Link::kind`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `kind()`"
    )]
    #[must_use]
    pub fn with_kind(self, kind: LinkKind) -> Self {
        self.kind(kind)
    }

    /// The former name of [`Link::mtu`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `mtu()`"
    )]
    #[must_use]
    pub fn with_mtu(self, mtu: u32) -> Self {
        self.mtu(mtu)
    }

    /// The former name of [`Link::address`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `address()`"
    )]
    #[must_use]
    pub fn with_address(self, addr: HwAddr) -> Self {
        self.address(addr)
    }

    /// The former name of [`Link::master`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `master()`"
    )]
    #[must_use]
    pub fn with_master(self, index: u32) -> Self {
        self.master(index)
    }

    /// The former name of [`Link::link`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `link()`"
    )]
    #[must_use]
    pub fn with_parent(self, index: u32) -> Self {
        self.link(index)
    }

    /// The former name of [`Link::netns`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `netns()`"
    )]
    #[must_use]
    pub fn with_netns(self, netns: Netns) -> Self {
        self.netns(netns)
    }

    /// The former name of [`Link::up`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods take iproute2's word: use `up()`"
    )]
    #[must_use]
    pub fn with_up(self) -> Self {
        self.up()
    }

    /// Whether the link is promiscuous: `IFF_PROMISC` set or any user
    /// counted in `IFLA_PROMISCUITY` (what `ip -d link` shows as
    /// `promiscuity N`).
    pub fn is_promiscuous(&self) -> bool {
        self.flags.contains(LinkFlags::PROMISC) || self.promiscuity.is_some_and(|n| n > 0)
    }

    /// Whether `IFF_UP` is set.
    pub fn is_up(&self) -> bool {
        self.flags.contains(LinkFlags::UP)
    }

    /// The kind's name (`"veth"`, `"bridge"` ...), if the link has one.
    pub fn kind_name(&self) -> Option<&str> {
        self.kind.as_ref().map(LinkKind::name)
    }

    /// Parses an RTM_NEWLINK (or RTM_DELLINK) message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let hdr: IfInfoMsg = msg.family_header();
        let mut link = Link {
            index: u32::try_from(hdr.ifi_index.get()).unwrap_or(0),
            flags: LinkFlags::from_bits_retain(hdr.ifi_flags.get()),
            link_type: hdr.ifi_type.get(),
            family: hdr.ifi_family,
            ..Link::default()
        };
        parse_msg(msg, || {
            msg.attrs::<IfInfoMsg>().decode(|a| link.parse_attr(a))?;
            Ok(link)
        })
    }

    /// Reads one `IFLA_*` attribute (of a message or a veth/netkit peer).
    pub(crate) fn parse_attr(&mut self, a: Attr<'_>) -> nl_wire::Result<()> {
        match a.ty() {
            IFLA_IFNAME => self.name = a.str()?.to_string(),
            IFLA_MTU => self.mtu = Some(a.u32()?),
            IFLA_MIN_MTU => self.min_mtu = Some(a.u32()?),
            IFLA_MAX_MTU => self.max_mtu = Some(a.u32()?),
            IFLA_TXQLEN => self.txqlen = Some(a.u32()?),
            IFLA_OPERSTATE => self.operstate = Some(a.u8()?.into()),
            IFLA_LINKMODE => self.link_mode = Some(a.u8()?.into()),
            IFLA_ADDRESS => self.address = Some(a.hwaddr()?),
            IFLA_BROADCAST => self.broadcast = Some(a.hwaddr()?),
            IFLA_PERM_ADDRESS => self.perm_address = Some(a.hwaddr()?),
            IFLA_MASTER => self.master = Some(a.u32()?),
            IFLA_LINK => self.parent = Some(a.u32()?),
            IFLA_LINK_NETNSID => self.link_netnsid = Some(a.i32()?),
            IFLA_IFALIAS => self.alias = Some(a.str()?.to_string()),
            IFLA_GROUP => self.group = Some(a.u32()?),
            IFLA_QDISC => self.qdisc = Some(a.str()?.to_string()),
            IFLA_NUM_TX_QUEUES => self.num_tx_queues = Some(a.u32()?),
            IFLA_NUM_RX_QUEUES => self.num_rx_queues = Some(a.u32()?),
            IFLA_GSO_MAX_SIZE => self.gso_max_size = Some(a.u32()?),
            IFLA_GSO_MAX_SEGS => self.gso_max_segs = Some(a.u32()?),
            IFLA_GRO_MAX_SIZE => self.gro_max_size = Some(a.u32()?),
            IFLA_GSO_IPV4_MAX_SIZE => self.gso_ipv4_max_size = Some(a.u32()?),
            IFLA_GRO_IPV4_MAX_SIZE => self.gro_ipv4_max_size = Some(a.u32()?),
            IFLA_TSO_MAX_SIZE => self.tso_max_size = Some(a.u32()?),
            IFLA_TSO_MAX_SEGS => self.tso_max_segs = Some(a.u32()?),
            IFLA_CARRIER => self.carrier = Some(a.u8()? != 0),
            IFLA_CARRIER_CHANGES => self.carrier_changes = Some(a.u32()?),
            IFLA_CARRIER_UP_COUNT => self.carrier_up_count = Some(a.u32()?),
            IFLA_CARRIER_DOWN_COUNT => self.carrier_down_count = Some(a.u32()?),
            IFLA_PROMISCUITY => self.promiscuity = Some(a.u32()?),
            IFLA_ALLMULTI => self.allmulti = Some(a.u32()?),
            IFLA_STATS64 => self.stats = Some(LinkStats::from(&a.read::<RtnlLinkStats64>())),
            // The 32-bit counters only when the 64-bit ones are not there, in
            // either order.
            IFLA_STATS if self.stats.is_none() => self.stats = Some(stats_from_32(a.payload())),
            IFLA_XDP => self.xdp = Some(Xdp::parse(a.nested())?),
            IFLA_PROTO_DOWN => self.protodown = Some(a.u8()? != 0),
            IFLA_PHYS_PORT_ID => self.phys_port_id = Some(a.payload().to_vec()),
            IFLA_PHYS_PORT_NAME => self.phys_port_name = Some(a.str()?.to_string()),
            IFLA_PHYS_SWITCH_ID => self.phys_switch_id = Some(a.payload().to_vec()),
            IFLA_PARENT_DEV_NAME => self.parent_dev_name = Some(a.str()?.to_string()),
            IFLA_PARENT_DEV_BUS_NAME => {
                self.parent_dev_bus_name = Some(a.str()?.to_string());
            }
            IFLA_NUM_VF => self.num_vf = Some(a.u32()?),
            IFLA_VF_PORTS => {
                for port in a.nested() {
                    self.vf_ports.push(VfPort::parse(port?.nested())?);
                }
            }
            IFLA_PORT_SELF => self.vf_ports.push(VfPort::parse(a.nested())?),
            IFLA_VFINFO_LIST => {
                for vf in a.nested() {
                    let vf = vf?;
                    if vf.ty() == IFLA_VF_INFO {
                        self.vfs.push(VfInfo::parse(vf.nested())?);
                    }
                }
            }
            IFLA_EVENT => self.event = Some(a.u32()?),
            IFLA_PROP_LIST => {
                for p in a.nested() {
                    let p = p?;
                    if p.ty() == IFLA_ALT_IFNAME {
                        self.alt_names.push(p.str()?.to_string());
                    }
                }
            }
            IFLA_LINKINFO => {
                let (kind, slave) = crate::kind::parse_linkinfo(a.nested())?;
                self.kind = kind;
                self.slave = slave;
            }
            IFLA_PROTINFO if self.family == crate::AF_BRIDGE => {
                self.bridge_port = Some(<BridgePort as LinkData>::parse(a.nested())?);
            }
            IFLA_AF_SPEC if self.family == crate::AF_BRIDGE => {
                self.bridge_vlans = crate::port::parse_af_spec_vlans(a.nested())?;
                self.bridge_vlan_tunnels = crate::port::parse_af_spec_tunnels(a.nested())?;
            }
            IFLA_AF_SPEC => {
                // One nest per address family, typed by the family number.
                for fam in a.nested() {
                    let fam = fam?;
                    if fam.ty() == u16::from(crate::AF_INET6) {
                        for x in fam.nested() {
                            let x = x?;
                            if x.ty() == IFLA_INET6_ADDR_GEN_MODE {
                                self.inet6_addr_gen_mode = Some(x.u8()?.into());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes an RTM_NEWLINK that creates this link (`NLM_F_CREATE |
    /// NLM_F_EXCL`: an existing link of that name is an error, as `ip link
    /// add` does). Without a name, no `IFLA_IFNAME` is sent and the kernel
    /// numbers the kind's template (`veth%d`).
    ///
    /// The kernel applies some settings only to existing links and drops
    /// them from a creation without a word: see [`Link::after_create`].
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write_new(buf, NLM_F_CREATE | NLM_F_EXCL)
    }

    /// Writes an RTM_NEWLINK with the given extra `NLM_F_*` flags (for
    /// example `NLM_F_CREATE` alone for "add or modify", `NLM_F_ECHO` to
    /// have the kernel send the new link back, Linux 6.2+).
    pub fn write_new(&self, buf: &mut Vec<u8>, flags: u16) -> Result<()> {
        if !self.name.is_empty() {
            check_name(&self.name, "name")?;
        }
        for alt in &self.alt_names {
            if alt.len() > 127 {
                return Err(Error::invalid(
                    "alt_names",
                    "longer than 127 bytes (ALTIFNAMSIZ - 1)",
                ));
            }
        }
        let mut m = MsgBuilder::new(buf, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | flags);
        let up = if self.up {
            crate::uapi::r#if::IFF_UP
        } else {
            0
        };
        m.header(&IfInfoMsg {
            ifi_family: self.family,
            ifi_index: i32::try_from(self.index).unwrap_or(0).into(),
            ifi_flags: up.into(),
            ifi_change: up.into(),
            ..IfInfoMsg::default()
        });
        self.write_attrs(&mut m)?;
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// The part of this link the kernel ignores when it creates a link
    /// (it applies these in `do_setlink`, which only runs on existing
    /// links): alias, protodown and carrier, as changes to the link
    /// `index`; `None` when none is set. Alternative names are likewise
    /// dropped at creation; they go through [`write_altnames`].
    pub fn after_create(&self, index: u32) -> Option<LinkSet> {
        let attrs = Link {
            alias: self.alias.clone(),
            protodown: self.protodown,
            carrier: self.carrier,
            ..Link::default()
        };
        if attrs == Link::default() {
            return None;
        }
        Some(LinkSet {
            attrs,
            ..LinkSet::new(index)
        })
    }

    /// Writes this link's settable attributes (used for a veth peer too).
    pub(crate) fn write_attrs(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        if !self.name.is_empty() {
            m.put_str(IFLA_IFNAME, &self.name);
        }
        if let Some(v) = self.mtu {
            m.put_u32(IFLA_MTU, v);
        }
        if let Some(v) = self.txqlen {
            m.put_u32(IFLA_TXQLEN, v);
        }
        if let Some(a) = &self.address {
            m.put_hwaddr(IFLA_ADDRESS, a);
        }
        if let Some(a) = &self.broadcast {
            m.put_hwaddr(IFLA_BROADCAST, a);
        }
        if let Some(v) = self.master {
            m.put_u32(IFLA_MASTER, v);
        }
        if let Some(v) = self.parent {
            m.put_u32(IFLA_LINK, v);
        }
        if let Some(v) = self.link_netnsid {
            m.put_i32(IFLA_LINK_NETNSID, v);
        }
        if let Some(v) = &self.alias {
            // Without a NUL, as `ip` sends it: an empty alias is then a
            // zero-length attribute, which the kernel reads as "clear".
            m.put_bytes(IFLA_IFALIAS, v.as_bytes());
        }
        if let Some(v) = self.group {
            m.put_u32(IFLA_GROUP, v);
        }
        if let Some(v) = self.num_tx_queues {
            m.put_u32(IFLA_NUM_TX_QUEUES, v);
        }
        if let Some(v) = self.num_rx_queues {
            m.put_u32(IFLA_NUM_RX_QUEUES, v);
        }
        if let Some(v) = self.gso_max_size {
            m.put_u32(IFLA_GSO_MAX_SIZE, v);
        }
        if let Some(v) = self.gso_max_segs {
            m.put_u32(IFLA_GSO_MAX_SEGS, v);
        }
        if let Some(v) = self.gro_max_size {
            m.put_u32(IFLA_GRO_MAX_SIZE, v);
        }
        if let Some(v) = self.gso_ipv4_max_size {
            m.put_u32(IFLA_GSO_IPV4_MAX_SIZE, v);
        }
        if let Some(v) = self.gro_ipv4_max_size {
            m.put_u32(IFLA_GRO_IPV4_MAX_SIZE, v);
        }
        if let Some(v) = self.operstate {
            m.put_u8(IFLA_OPERSTATE, v.into());
        }
        if let Some(v) = self.link_mode {
            m.put_u8(IFLA_LINKMODE, v.into());
        }
        if let Some(v) = self.protodown {
            m.put_u8(IFLA_PROTO_DOWN, u8::from(v));
        }
        if let Some(v) = self.carrier {
            m.put_u8(IFLA_CARRIER, u8::from(v));
        }
        match self.netns {
            Some(Netns::Fd(fd)) => {
                m.put_u32(
                    IFLA_NET_NS_FD,
                    u32::try_from(fd).map_err(|_| Error::invalid("netns", "negative fd"))?,
                );
            }
            Some(Netns::Pid(pid)) => {
                m.put_u32(IFLA_NET_NS_PID, pid);
            }
            None => {}
        }
        if !self.alt_names.is_empty() {
            m.nest(IFLA_PROP_LIST | nl_wire::netlink::NLA_F_NESTED, |m| {
                for alt in &self.alt_names {
                    m.put_str(IFLA_ALT_IFNAME, alt);
                }
            });
        }
        if self.kind.is_some() || self.slave.is_some() {
            let nest = m.nest_start(IFLA_LINKINFO);
            if let Some(kind) = &self.kind {
                kind.write(m, self)?;
            }
            if let Some(slave) = &self.slave {
                slave.write(m, self)?;
            }
            m.nest_end(nest);
        }
        if let Some(port) = &self.bridge_port {
            if self.family == crate::AF_BRIDGE {
                port.write_protinfo(m);
            }
        }
        Ok(())
    }
}

fn stats_from_32(p: &[u8]) -> LinkStats {
    // struct rtnl_link_stats: the same counters as u32, in the same order.
    let w = |i: usize| -> u64 {
        p.get(i * 4..i * 4 + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |b| u64::from(u32::from_ne_bytes(b)))
    };
    LinkStats {
        rx_packets: w(0),
        tx_packets: w(1),
        rx_bytes: w(2),
        tx_bytes: w(3),
        rx_errors: w(4),
        tx_errors: w(5),
        rx_dropped: w(6),
        tx_dropped: w(7),
        multicast: w(8),
        collisions: w(9),
        rx_length_errors: w(10),
        rx_over_errors: w(11),
        rx_crc_errors: w(12),
        rx_frame_errors: w(13),
        rx_fifo_errors: w(14),
        rx_missed_errors: w(15),
        tx_aborted_errors: w(16),
        tx_carrier_errors: w(17),
        tx_fifo_errors: w(18),
        tx_heartbeat_errors: w(19),
        tx_window_errors: w(20),
        rx_compressed: w(21),
        tx_compressed: w(22),
        rx_nohandler: w(23),
        rx_otherhost_dropped: 0,
    }
}

/// Which link a request is about: by index, or by name (the kernel looks
/// it up through `IFLA_IFNAME`, or `IFLA_ALT_IFNAME` for alternative names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkId {
    /// `ifi_index`.
    Index(u32),
    /// A name or alternative name.
    Name(String),
}

impl From<u32> for LinkId {
    fn from(i: u32) -> Self {
        LinkId::Index(i)
    }
}

impl From<&str> for LinkId {
    fn from(s: &str) -> Self {
        LinkId::Name(s.to_string())
    }
}

impl From<String> for LinkId {
    fn from(s: String) -> Self {
        LinkId::Name(s)
    }
}

impl From<&Link> for LinkId {
    fn from(l: &Link) -> Self {
        if l.index != 0 {
            LinkId::Index(l.index)
        } else {
            LinkId::Name(l.name.clone())
        }
    }
}

/// The header index and the name attribute (if any) that select `id`.
fn id_parts(id: &LinkId) -> Result<(i32, Option<(u16, &str)>)> {
    match id {
        LinkId::Index(i) => Ok((
            i32::try_from(*i).map_err(|_| Error::invalid("index", "above i32::MAX"))?,
            None,
        )),
        LinkId::Name(n) if n.len() <= MAX_NAME_LEN => {
            check_name(n, "name")?;
            Ok((0, Some((IFLA_IFNAME, n.as_str()))))
        }
        // Longer than IFNAMSIZ: only an alternative name can match.
        LinkId::Name(n) if n.len() <= 127 => Ok((0, Some((IFLA_ALT_IFNAME, n.as_str())))),
        LinkId::Name(_) => Err(Error::invalid(
            "name",
            "longer than 127 bytes (ALTIFNAMSIZ - 1)",
        )),
    }
}

/// Starts a message about one link: header with its index, then its name
/// attribute when it is selected by name.
fn begin<'b>(
    buf: &'b mut Vec<u8>,
    ty: u16,
    flags: u16,
    id: &LinkId,
    hdr: IfInfoMsg,
) -> Result<MsgBuilder<'b>> {
    let (index, name) = id_parts(id)?;
    let mut m = MsgBuilder::new(buf, ty, flags);
    m.header(&IfInfoMsg {
        ifi_index: index.into(),
        ..hdr
    });
    if let Some((kind, n)) = name {
        m.put_str(kind, n);
    }
    Ok(m)
}

/// Writes an RTM_GETLINK for one link, by index or name, answered with one
/// RTM_NEWLINK (no dump: the kernel looks the name up itself). `vf` asks
/// for SR-IOV VF details, which are slow on hosts with many VFs.
pub fn write_get(buf: &mut Vec<u8>, id: &LinkId, vf: bool) -> Result<()> {
    let mut m = begin(
        buf,
        RTM_GETLINK,
        NLM_F_REQUEST | NLM_F_ACK,
        id,
        IfInfoMsg::default(),
    )?;
    let mask = if vf {
        RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS
    } else {
        RTEXT_FILTER_SKIP_STATS
    };
    m.put_u32(IFLA_EXT_MASK, mask);
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// Writes an RTM_DELLINK for one link.
pub fn write_del(buf: &mut Vec<u8>, id: &LinkId) -> Result<()> {
    let m = begin(
        buf,
        RTM_DELLINK,
        NLM_F_REQUEST | NLM_F_ACK,
        id,
        IfInfoMsg::default(),
    )?;
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// A link dump request with kernel-side filters (applied by the kernel
/// under strict checking, `NETLINK_GET_STRICT_CHK`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkDump {
    /// Only links enslaved to this master (`IFLA_MASTER`).
    pub master: Option<u32>,
    /// Only links of this kind (`IFLA_LINKINFO` / `IFLA_INFO_KIND`).
    pub kind: Option<String>,
    /// Include SR-IOV VF details (`RTEXT_FILTER_VF`). Off by default: on
    /// hosts with many VFs this makes every dump slow and holds RTNL.
    pub vf: bool,
    /// Leave out statistics (`RTEXT_FILTER_SKIP_STATS`): smaller replies.
    pub skip_stats: bool,
    /// Dump `AF_BRIDGE` messages: bridge port settings and, with
    /// `bridge_vlans`, their VLANs (`RTEXT_FILTER_BRVLAN`).
    pub bridge: bool,
    /// With `bridge`: include port VLANs.
    pub bridge_vlans: bool,
}

impl LinkDump {
    /// Writes the RTM_GETLINK dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
        let family = if self.bridge { crate::AF_BRIDGE } else { 0 };
        m.header(&IfInfoMsg {
            ifi_family: family,
            ..IfInfoMsg::default()
        });
        let mut mask = 0;
        if self.vf {
            mask |= RTEXT_FILTER_VF;
        }
        if self.skip_stats {
            mask |= RTEXT_FILTER_SKIP_STATS;
        }
        if self.bridge_vlans {
            mask |= RTEXT_FILTER_BRVLAN | RTEXT_FILTER_BRVLAN_COMPRESSED;
        }
        if mask != 0 {
            m.put_u32(IFLA_EXT_MASK, mask);
        }
        if let Some(master) = self.master {
            m.put_u32(IFLA_MASTER, master);
        }
        if let Some(kind) = &self.kind {
            m.nest(IFLA_LINKINFO, |m| {
                m.put_str(IFLA_INFO_KIND, kind);
            });
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Whether a parsed link passes the filters (for kernels or families
    /// that ignore them).
    pub fn matches(&self, link: &Link) -> bool {
        self.master.is_none_or(|m| link.master == Some(m))
            && self
                .kind
                .as_deref()
                .is_none_or(|k| link.kind_name() == Some(k))
    }
}

/// Changes to an existing link, written as one RTM_NEWLINK (what `ip link
/// set` sends). Only the fields set are changed.
///
/// A value the kernel would read as "no change" is refused before sending
/// rather than reported as done: an empty new name (the kernel keeps the
/// old one), master index 0 (use [`LinkSet::nomaster`]), link index 0
/// (with `IFLA_GROUP` the kernel would change every link of that group).
/// Other values go to the kernel, which answers for them: MTU 0 is an
/// error, txqueuelen 0 is a valid length, an empty alias clears the alias
/// (as `ip link set X alias ""` does), an empty hardware address is an
/// error.
///
/// ```
/// use nl_route::LinkSet;
/// let mut buf = Vec::new();
/// LinkSet::new(3u32).up().mtu(1400).write(&mut buf)?;
/// # Ok::<(), nl_route::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkSet {
    id: Option<LinkId>,
    flags: u32,
    change: u32,
    /// Attribute changes, written by the same code that writes a new link
    /// (its `name` stays empty: a rename is `rename`).
    attrs: Link,
    rename: Option<String>,
    xdp_fd: Option<(i32, u32)>,
    addr_gen_mode: Option<AddrGenMode>,
    /// SR-IOV VF changes, by VF number.
    vfs: Vec<(u32, crate::vf::VfSettings)>,
    /// A value a builder method refused, reported by [`LinkSet::write`].
    refused: Option<(&'static str, &'static str)>,
}

impl LinkSet {
    /// Changes to the link `id` (index or name).
    pub fn new(id: impl Into<LinkId>) -> Self {
        LinkSet {
            id: Some(id.into()),
            ..LinkSet::default()
        }
    }

    fn flag(mut self, flag: u32, on: bool) -> Self {
        self.change |= flag;
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
        self
    }

    fn attr(mut self, f: impl FnOnce(&mut Link)) -> Self {
        f(&mut self.attrs);
        self
    }

    /// `ip link set up`.
    #[must_use]
    pub fn up(self) -> Self {
        self.flag(LinkFlags::UP.bits(), true)
    }

    /// `ip link set down`.
    #[must_use]
    pub fn down(self) -> Self {
        self.flag(LinkFlags::UP.bits(), false)
    }

    /// `ip link set promisc on|off` (`IFF_PROMISC`).
    #[must_use]
    pub fn promisc(self, on: bool) -> Self {
        self.flag(LinkFlags::PROMISC.bits(), on)
    }

    /// `ip link set allmulticast on|off`.
    #[must_use]
    pub fn allmulti(self, on: bool) -> Self {
        self.flag(LinkFlags::ALLMULTI.bits(), on)
    }

    /// `ip link set multicast on|off`.
    #[must_use]
    pub fn multicast(self, on: bool) -> Self {
        self.flag(LinkFlags::MULTICAST.bits(), on)
    }

    /// `ip link set arp on|off` (sets `IFF_NOARP` when off).
    #[must_use]
    pub fn arp(self, on: bool) -> Self {
        self.flag(LinkFlags::NOARP.bits(), !on)
    }

    /// `ip link set dynamic on|off`.
    #[must_use]
    pub fn dynamic(self, on: bool) -> Self {
        self.flag(LinkFlags::DYNAMIC.bits(), on)
    }

    /// `ip link set mtu N`.
    #[must_use]
    pub fn mtu(self, mtu: u32) -> Self {
        self.attr(|l| l.mtu = Some(mtu))
    }

    /// `ip link set name NEW`. An empty name is refused by
    /// [`LinkSet::write`]: the kernel reads it as "keep the name".
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.rename = Some(name.into());
        self
    }

    /// `ip link set address MAC`.
    #[must_use]
    pub fn address(self, addr: HwAddr) -> Self {
        self.attr(|l| l.address = Some(addr))
    }

    /// `ip link set broadcast MAC`.
    #[must_use]
    pub fn broadcast(self, addr: HwAddr) -> Self {
        self.attr(|l| l.broadcast = Some(addr))
    }

    /// `ip link set master M` (by index). Index 0 is refused by
    /// [`LinkSet::write`]: the kernel reads it as "no master".
    #[must_use]
    pub fn master(mut self, index: u32) -> Self {
        if index == 0 {
            self.refused
                .get_or_insert(("master", "index 0 means no master: use nomaster"));
        }
        self.attr(|l| l.master = Some(index))
    }

    /// `ip link set nomaster`.
    #[must_use]
    pub fn nomaster(self) -> Self {
        self.attr(|l| l.master = Some(0))
    }

    /// `ip link set txqueuelen N`.
    #[must_use]
    pub fn txqlen(self, n: u32) -> Self {
        self.attr(|l| l.txqlen = Some(n))
    }

    /// `ip link set alias TEXT` (empty clears it, as with `ip`).
    #[must_use]
    pub fn alias(self, alias: impl Into<String>) -> Self {
        let alias = alias.into();
        self.attr(|l| l.alias = Some(alias))
    }

    /// `ip link set group N`.
    #[must_use]
    pub fn group(self, group: u32) -> Self {
        self.attr(|l| l.group = Some(group))
    }

    /// `ip link set netns NS` (by fd or pid).
    #[must_use]
    pub fn netns(self, netns: Netns) -> Self {
        self.attr(|l| l.netns = Some(netns))
    }

    /// `ip link set protodown on|off`.
    #[must_use]
    pub fn protodown(self, on: bool) -> Self {
        self.attr(|l| l.protodown = Some(on))
    }

    /// Sets `gso_max_size`.
    #[must_use]
    pub fn gso_max_size(self, n: u32) -> Self {
        self.attr(|l| l.gso_max_size = Some(n))
    }

    /// Sets `gso_max_segs`.
    #[must_use]
    pub fn gso_max_segs(self, n: u32) -> Self {
        self.attr(|l| l.gso_max_segs = Some(n))
    }

    /// Sets `gro_max_size`.
    #[must_use]
    pub fn gro_max_size(self, n: u32) -> Self {
        self.attr(|l| l.gro_max_size = Some(n))
    }

    /// Sets `gso_ipv4_max_size` (BIG TCP for IPv4).
    #[must_use]
    pub fn gso_ipv4_max_size(self, n: u32) -> Self {
        self.attr(|l| l.gso_ipv4_max_size = Some(n))
    }

    /// Sets `gro_ipv4_max_size` (BIG TCP for IPv4).
    #[must_use]
    pub fn gro_ipv4_max_size(self, n: u32) -> Self {
        self.attr(|l| l.gro_ipv4_max_size = Some(n))
    }

    /// Attaches an XDP program by fd (`-1` detaches) with `XDP_FLAGS_*`.
    #[must_use]
    pub fn xdp_fd(mut self, fd: i32, flags: u32) -> Self {
        self.xdp_fd = Some((fd, flags));
        self
    }

    /// `ip link set X vf N ...`: changes SR-IOV virtual function `vf` of
    /// this physical function (see [`crate::vf`]). Several VFs can change
    /// in one request.
    #[must_use]
    pub fn vf(mut self, vf: u32, settings: crate::vf::VfSettings) -> Self {
        self.vfs.push((vf, settings));
        self
    }

    /// `ip link set X addrgenmode MODE`.
    #[must_use]
    pub fn addr_gen_mode(mut self, mode: AddrGenMode) -> Self {
        self.addr_gen_mode = Some(mode);
        self
    }

    /// Changes kind-specific settings (`ip link set X type bridge stp_state 1`).
    #[must_use]
    pub fn kind(self, kind: LinkKind) -> Self {
        self.attr(|l| l.kind = Some(kind))
    }

    /// Changes settings of the link as a port of its master
    /// (`ip link set X type bridge_slave ...`).
    #[must_use]
    pub fn slave(self, slave: SlaveInfo) -> Self {
        self.attr(|l| l.slave = Some(slave))
    }

    /// Changes bridge port settings through `IFLA_PROTINFO` (`bridge link set`).
    #[must_use]
    pub fn bridge_port(self, port: BridgePort) -> Self {
        self.attr(|l| {
            l.family = crate::AF_BRIDGE;
            l.bridge_port = Some(port);
        })
    }

    /// Writes the RTM_NEWLINK (or, for bridge port changes, the `AF_BRIDGE`
    /// RTM_SETLINK).
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let id = self
            .id
            .as_ref()
            .ok_or(Error::invalid("link", "no index or name"))?;
        if let Some((field, reason)) = self.refused {
            return Err(Error::invalid(field, reason));
        }
        if self.vfs.iter().any(|(_, s)| s.is_empty()) {
            return Err(Error::invalid("vf", "no setting to change"));
        }
        if *id == LinkId::Index(0) {
            // rtnl_newlink: no index, no name and IFLA_GROUP is a change to
            // every link of that group (rtnl_group_changelink).
            return Err(Error::invalid(
                "link",
                "index 0 names no link (the kernel would change a whole group)",
            ));
        }
        if let Some(name) = &self.rename {
            if name.is_empty() {
                // do_setlink renames only when the name is not empty.
                return Err(Error::invalid(
                    "name",
                    "empty: the kernel would keep the old name and report success",
                ));
            }
            check_name(name, "name")?;
            if matches!(id, LinkId::Name(_)) {
                // IFLA_IFNAME would carry both the old and the new name.
                return Err(Error::invalid("link", "renaming needs the link's index"));
            }
        }
        let bridge_msg = self.attrs.bridge_port.is_some();
        if bridge_msg && matches!(id, LinkId::Name(_)) {
            // rtnl_bridge_setlink looks the port up by ifi_index only.
            return Err(Error::invalid(
                "link",
                "bridge port changes need the link's index",
            ));
        }
        let ty = if bridge_msg {
            crate::uapi::rtnetlink::RTM_SETLINK
        } else {
            RTM_NEWLINK
        };
        let hdr = IfInfoMsg {
            ifi_family: self.attrs.family,
            ifi_flags: self.flags.into(),
            ifi_change: self.change.into(),
            ..IfInfoMsg::default()
        };
        let mut m = begin(buf, ty, NLM_F_REQUEST | NLM_F_ACK, id, hdr)?;
        if let Some(name) = &self.rename {
            m.put_str(IFLA_IFNAME, name);
        }
        self.attrs.write_attrs(&mut m)?;
        crate::vf::write_list(&self.vfs, &mut m);
        if let Some(mode) = self.addr_gen_mode {
            m.nest(IFLA_AF_SPEC, |m| {
                m.nest(u16::from(crate::AF_INET6), |m| {
                    m.put_u8(IFLA_INET6_ADDR_GEN_MODE, mode.into());
                });
            });
        }
        if let Some((fd, flags)) = self.xdp_fd {
            m.nest(IFLA_XDP | nl_wire::netlink::NLA_F_NESTED, |m| {
                m.put_i32(IFLA_XDP_FD, fd);
                if flags != 0 {
                    m.put_u32(IFLA_XDP_FLAGS, flags);
                }
            });
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

/// Writes an RTM_NEWPROP (or RTM_DELPROP with `add == false`) adding or
/// removing alternative names of a link (`ip link property add altname`).
///
/// No names at all, or an empty name to add, are refused: the kernel
/// answers the first with success and nothing done, and adds the second
/// as an alternative name no lookup can reach.
pub fn write_altnames(buf: &mut Vec<u8>, id: &LinkId, names: &[&str], add: bool) -> Result<()> {
    use crate::uapi::rtnetlink::{RTM_DELLINKPROP, RTM_NEWLINKPROP};
    if names.is_empty() {
        return Err(Error::invalid("altname", "no names given"));
    }
    if add && names.iter().any(|n| n.is_empty()) {
        return Err(Error::invalid("altname", "empty"));
    }
    let ty = if add {
        RTM_NEWLINKPROP
    } else {
        RTM_DELLINKPROP
    };
    let flags = if add { NLM_F_CREATE | NLM_F_EXCL } else { 0 };
    let mut m = begin(
        buf,
        ty,
        NLM_F_REQUEST | NLM_F_ACK | flags,
        id,
        IfInfoMsg::default(),
    )?;
    m.nest(IFLA_PROP_LIST | nl_wire::netlink::NLA_F_NESTED, |m| {
        for n in names {
            m.put_str(IFLA_ALT_IFNAME, n);
        }
    });
    m.finish().map_err(Error::Build)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use nl_wire::Msg;

    use super::*;

    /// The attributes (type, payload) of the one message in `buf`.
    fn attrs_of(buf: &[u8]) -> Vec<(u16, Vec<u8>)> {
        let (msg, rest) = Msg::parse(buf).unwrap();
        assert!(rest.is_empty());
        msg.attrs::<IfInfoMsg>()
            .map(|a| {
                let a = a.unwrap();
                (a.ty(), a.payload().to_vec())
            })
            .collect()
    }

    fn refused(set: &LinkSet) -> (&'static str, &'static str) {
        match set.write(&mut Vec::new()) {
            Err(Error::Invalid { field, reason }) => (field, reason),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn an_unnamed_link_is_sent_without_ifname() {
        let mut buf = Vec::new();
        Link::default()
            .kind(LinkKind::Ifb)
            .write_add(&mut buf)
            .unwrap();
        assert!(attrs_of(&buf).iter().all(|(k, _)| *k != IFLA_IFNAME));
        // A template is a name like any other on the wire.
        buf.clear();
        Link::new("ifb%d").write_add(&mut buf).unwrap();
        assert!(attrs_of(&buf).contains(&(IFLA_IFNAME, b"ifb%d\0".to_vec())));
    }

    #[test]
    fn name_assign_type_follows_the_request() {
        assert_eq!(NameAssignType::at_creation(""), NameAssignType::Enum);
        assert_eq!(NameAssignType::at_creation("x%d"), NameAssignType::User);
        assert_eq!(NameAssignType::at_creation("eth9"), NameAssignType::User);
        for v in 0..=6u8 {
            assert_eq!(u8::from(NameAssignType::from(v)), v);
        }
        assert_eq!(NameAssignType::from(NET_NAME_ENUM).to_string(), "enum");
        assert_eq!(NameAssignType::from(9), NameAssignType::Other(9));
        // Never on the wire: a parsed request leaves it unset.
        let link = Link {
            name_assign_type: Some(NameAssignType::User),
            ..Link::new("x0")
        };
        let mut buf = Vec::new();
        link.write_add(&mut buf).unwrap();
        let parsed = Link::parse(&Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(parsed.name_assign_type, None);
    }

    #[test]
    fn an_empty_alias_is_a_zero_length_attribute() {
        let mut buf = Vec::new();
        LinkSet::new(3u32).alias("").write(&mut buf).unwrap();
        assert!(attrs_of(&buf).contains(&(IFLA_IFALIAS, Vec::new())));
        buf.clear();
        LinkSet::new(3u32).alias("up").write(&mut buf).unwrap();
        assert!(attrs_of(&buf).contains(&(IFLA_IFALIAS, b"up".to_vec())));
        let parsed = Link::parse(&Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(parsed.alias.as_deref(), Some("up"));
    }

    #[test]
    fn values_the_kernel_would_ignore_are_refused() {
        assert_eq!(refused(&LinkSet::new(3u32).name("")).0, "name");
        assert_eq!(refused(&LinkSet::new(3u32).master(0)).0, "master");
        assert_eq!(refused(&LinkSet::new(0u32).group(0).mtu(1300)).0, "link");
        assert_eq!(refused(&LinkSet::new(0u32).up()).0, "link");
        // nomaster is the way to say "no master": IFLA_MASTER 0.
        let mut buf = Vec::new();
        LinkSet::new(3u32).nomaster().write(&mut buf).unwrap();
        assert!(attrs_of(&buf).contains(&(IFLA_MASTER, 0u32.to_ne_bytes().to_vec())));
        // A rename carries the new name; the link goes by index.
        buf.clear();
        LinkSet::new(3u32).name("new0").write(&mut buf).unwrap();
        assert_eq!(attrs_of(&buf), vec![(IFLA_IFNAME, b"new0\0".to_vec())]);
        assert_eq!(refused(&LinkSet::new("old0").name("new0")).0, "link");
        // Values the kernel answers for are sent as they are.
        buf.clear();
        LinkSet::new(3u32)
            .mtu(0)
            .txqlen(0)
            .group(0)
            .write(&mut buf)
            .unwrap();
        let a = attrs_of(&buf);
        for k in [IFLA_MTU, IFLA_TXQLEN, IFLA_GROUP] {
            assert!(a.contains(&(k, 0u32.to_ne_bytes().to_vec())), "{k}");
        }
        buf.clear();
        let empty = HwAddr::new(&[]).unwrap();
        LinkSet::new(3u32).address(empty).write(&mut buf).unwrap();
        assert!(attrs_of(&buf).contains(&(IFLA_ADDRESS, Vec::new())));
        assert_eq!(
            refused(&LinkSet::new(3u32).netns(Netns::Fd(-1))),
            ("netns", "negative fd")
        );
    }

    #[test]
    fn altnames_need_a_name() {
        let id = LinkId::Index(3);
        let mut buf = Vec::new();
        assert!(matches!(
            write_altnames(&mut buf, &id, &[], true),
            Err(Error::Invalid {
                field: "altname",
                ..
            })
        ));
        assert!(matches!(
            write_altnames(&mut buf, &id, &[""], true),
            Err(Error::Invalid {
                field: "altname",
                ..
            })
        ));
        assert!(write_altnames(&mut buf, &id, &["long-alternative"], true).is_ok());
    }

    #[test]
    fn after_create_holds_what_creation_drops() {
        assert_eq!(Link::new("x0").mtu(1400).after_create(5), None);
        let link = Link {
            alias: Some("a".into()),
            protodown: Some(false),
            ..Link::new("x0").mtu(1400)
        };
        let set = link.after_create(5).unwrap();
        let mut buf = Vec::new();
        set.write(&mut buf).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let hdr: IfInfoMsg = msg.family_header();
        assert_eq!(hdr.ifi_index.get(), 5);
        assert_eq!(
            attrs_of(&buf),
            vec![(IFLA_IFALIAS, b"a".to_vec()), (IFLA_PROTO_DOWN, vec![0])]
        );
    }
}
