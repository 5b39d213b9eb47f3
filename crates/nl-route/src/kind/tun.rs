//! tun and tap devices (`IFLA_TUN_*`).
//!
//! The kernel creates these only through `/dev/net/tun` ioctls, never
//! through RTM_NEWLINK (it answers "tun/tap creation via rtnetlink is not
//! supported"), and reports the settings below read-only. The same struct
//! describes a device to create: the facade's `link_add` turns it into the
//! ioctls (`nl_sock::tun`) and sends the link's other settings (MTU,
//! address, master, up ...) afterwards.

use crate::attrs::attr_struct;
use crate::uapi::if_link::{
    IFLA_TUN_GROUP, IFLA_TUN_MULTI_QUEUE, IFLA_TUN_NUM_DISABLED_QUEUES, IFLA_TUN_NUM_QUEUES,
    IFLA_TUN_OWNER, IFLA_TUN_PERSIST, IFLA_TUN_PI, IFLA_TUN_TYPE, IFLA_TUN_VNET_HDR,
};
use crate::uapi::if_tun::{IFF_TAP, IFF_TUN};

nl_wire::kernel_enum! {
    /// `IFLA_TUN_TYPE`: the device's layer (`IFF_TUN` or `IFF_TAP`).
    pub enum TunType: u8, "type", crate::Error {
        /// Layer 3: IP packets.
        Tun = IFF_TUN as u8 => "tun",
        /// Layer 2: Ethernet frames.
        Tap = IFF_TAP as u8 => "tap",
    }
}

attr_struct! {
    /// tun/tap settings. `None` when creating means the kernel's default:
    /// tun, with packet information, no vnet header, one queue, not
    /// persistent, any owner and group.
    pub struct Tun {
        /// tun or tap (`u8`).
        tun_type: TunType = IFLA_TUN_TYPE => Enum,
        /// Packets carry a `struct tun_pi` header (`u8`; `IFF_NO_PI` when false).
        pi: bool = IFLA_TUN_PI => Bool8,
        /// Packets carry a `struct virtio_net_hdr` (`u8`, `IFF_VNET_HDR`).
        vnet_hdr: bool = IFLA_TUN_VNET_HDR => Bool8,
        /// The device outlives the file descriptors (`u8`, `TUNSETPERSIST`).
        persist: bool = IFLA_TUN_PERSIST => Bool8,
        /// Several queues, one per descriptor (`u8`, `IFF_MULTI_QUEUE`).
        multi_queue: bool = IFLA_TUN_MULTI_QUEUE => Bool8,
        /// Read only: attached queues (`u32`, multi-queue devices only).
        num_queues: u32 = IFLA_TUN_NUM_QUEUES,
        /// Read only: detached queues (`u32`, multi-queue devices only).
        num_disabled_queues: u32 = IFLA_TUN_NUM_DISABLED_QUEUES,
        /// User allowed to attach (`u32`, `TUNSETOWNER`); absent: anyone
        /// with CAP_NET_ADMIN.
        owner: u32 = IFLA_TUN_OWNER,
        /// Group allowed to attach (`u32`, `TUNSETGROUP`).
        group: u32 = IFLA_TUN_GROUP,
    }
}

impl Tun {
    /// Whether this describes a tap (layer 2) device.
    pub fn is_tap(&self) -> bool {
        self.tun_type == Some(TunType::Tap)
    }
}

crate::kind::plain_link_data!(Tun);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::round_trip;
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let link = Link::new("tap0").kind(LinkKind::Tun(Tun {
            tun_type: Some(TunType::Tap),
            pi: Some(false),
            vnet_hdr: Some(true),
            persist: Some(true),
            multi_queue: Some(true),
            num_queues: Some(2),
            num_disabled_queues: Some(1),
            owner: Some(1000),
            group: Some(1001),
        }));
        assert_eq!(round_trip(&link), link);
        let odd = Link::new("tun9").kind(LinkKind::Tun(Tun {
            tun_type: Some(TunType::Other(9)),
            ..Tun::default()
        }));
        assert_eq!(round_trip(&odd), odd);
    }

    #[test]
    fn helpers() {
        let LinkKind::Tun(t) = LinkKind::tap() else {
            panic!("not tun")
        };
        assert!(t.is_tap() && t.pi == Some(false));
        assert_eq!(TunType::Tap.to_string(), "tap");
        assert_eq!("tun".parse::<TunType>().ok(), Some(TunType::Tun));
    }
}
