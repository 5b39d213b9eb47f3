//! netkit: a pair of devices programmed with BPF (`IFLA_NETKIT_*`,
//! Linux 6.7+; the attribute values are in [`uapi::newer`](crate::uapi::newer)).
//!
//! Created like a veth pair: the peer's settings travel in
//! `IFLA_NETKIT_PEER_INFO`. Neither this library's test kernels have
//! netkit, so it is checked on the wire only.

use nl_wire::{Attrs, MsgBuilder};

use crate::attrs::attr_struct;
use crate::error::Result;
use crate::kind::LinkData;
use crate::kind::veth::{parse_peer, write_peer};
use crate::link::Link;
use crate::uapi::newer::*;

nl_wire::kernel_enum! {
    /// `enum netkit_mode`.
    pub enum NetkitMode: u32, "mode", crate::Error {
        /// Ethernet device.
        L2 = NETKIT_L2 => "l2",
        /// Layer-3 device without link-layer header (the default).
        L3 = NETKIT_L3 => "l3",
    }
}

nl_wire::kernel_enum! {
    /// `enum netkit_action`: what happens to packets when no BPF program
    /// is attached (`ip` calls them forward and blackhole).
    pub enum NetkitPolicy: u32, "policy", crate::Error {
        /// Let them pass (`NETKIT_PASS`).
        Pass = NETKIT_PASS => "forward",
        /// Drop them (`NETKIT_DROP`).
        Drop = NETKIT_DROP => "blackhole",
    }
}

nl_wire::kernel_enum! {
    /// `enum netkit_scrub` (6.11+).
    pub enum NetkitScrub: u32, "scrub", crate::Error {
        /// Keep skb metadata (mark, priority) across the pair.
        None = NETKIT_SCRUB_NONE => "none",
        /// Clear it, as veth does (the default).
        Default = NETKIT_SCRUB_DEFAULT => "default",
    }
}

attr_struct! {
    /// netkit settings.
    pub struct Netkit {
        /// Device mode (`u32`), fixed at creation.
        mode: NetkitMode = IFLA_NETKIT_MODE => Enum,
        /// This device's default policy (`u32`).
        policy: NetkitPolicy = IFLA_NETKIT_POLICY => Enum,
        /// The peer's default policy (`u32`).
        peer_policy: NetkitPolicy = IFLA_NETKIT_PEER_POLICY => Enum,
        /// Metadata scrubbing of this device (`u32`, 6.11+).
        scrub: NetkitScrub = IFLA_NETKIT_SCRUB => Enum,
        /// Metadata scrubbing of the peer (`u32`, 6.11+).
        peer_scrub: NetkitScrub = IFLA_NETKIT_PEER_SCRUB => Enum,
        /// Needed headroom (`u16`, 6.14+).
        headroom: u16 = IFLA_NETKIT_HEADROOM,
        /// Needed tailroom (`u16`, 6.14+).
        tailroom: u16 = IFLA_NETKIT_TAILROOM,
    }
    extra {
        /// The peer: name and other settings, created together with the link.
        pub peer: Option<Box<Link>>,
        /// Read only: whether this is the primary device of the pair (the
        /// one BPF programs are attached through). The kernel refuses it
        /// in requests, so it is never written.
        pub primary: Option<bool>,
    }
}

impl Netkit {
    /// A netkit whose peer is `peer`.
    pub fn with_peer(peer: Link) -> Self {
        Netkit {
            peer: Some(Box::new(peer)),
            ..Netkit::default()
        }
    }
}

impl LinkData for Netkit {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut n = Netkit::default();
        for a in data {
            let a = a?;
            match a.ty() {
                IFLA_NETKIT_PEER_INFO => n.peer = Some(Box::new(parse_peer(a.payload())?)),
                IFLA_NETKIT_PRIMARY => n.primary = Some(a.u8()? != 0),
                _ => {
                    n.parse_attr(&a)?;
                }
            }
        }
        Ok(n)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        if let Some(peer) = &self.peer {
            write_peer(m, IFLA_NETKIT_PEER_INFO, peer)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LinkKind;
    use crate::kind::tests::round_trip;

    #[test]
    fn every_field_round_trips() {
        let nk = Netkit {
            mode: Some(NetkitMode::L2),
            policy: Some(NetkitPolicy::Pass),
            peer_policy: Some(NetkitPolicy::Drop),
            scrub: Some(NetkitScrub::None),
            peer_scrub: Some(NetkitScrub::Default),
            headroom: Some(64),
            tailroom: Some(32),
            ..Netkit::with_peer(Link::new("nk1").mtu(1400))
        };
        let link = Link::new("nk0").kind(LinkKind::Netkit(nk));
        assert_eq!(round_trip(&link), link);
        let next = Link::new("nk0").kind(LinkKind::Netkit(Netkit {
            policy: Some(NetkitPolicy::from(NETKIT_NEXT)),
            ..Netkit::default()
        }));
        assert_eq!(round_trip(&next), next);
    }

    #[test]
    fn primary_is_read_but_never_written() {
        let mut buf = Vec::new();
        Link::new("nk0")
            .kind(LinkKind::Netkit(Netkit {
                primary: Some(true),
                ..Netkit::default()
            }))
            .write_add(&mut buf)
            .unwrap();
        let parsed = Link::parse(&nl_wire::Msg::parse(&buf).unwrap().0).unwrap();
        assert_eq!(parsed.kind, Some(LinkKind::Netkit(Netkit::default())));
        // as the kernel reports it
        let mut data = Vec::new();
        let mut m = nl_wire::MsgBuilder::attrs_only(&mut data);
        m.put_u8(IFLA_NETKIT_PRIMARY, 1);
        m.put_u32(IFLA_NETKIT_POLICY, NETKIT_DROP);
        m.finish().unwrap();
        let n = <Netkit as LinkData>::parse(Attrs::new(&data)).unwrap();
        assert_eq!(n.primary, Some(true));
        assert_eq!(n.policy, Some(NetkitPolicy::Drop));
        assert_eq!(NetkitPolicy::Drop.to_string(), "blackhole");
    }
}
