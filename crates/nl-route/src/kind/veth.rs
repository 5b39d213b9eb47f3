//! veth: a pair of connected virtual Ethernet devices.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::types::IfInfoMsg;
use crate::uapi::veth::VETH_INFO_PEER;

/// veth settings: the peer, created together with the link.
///
/// # What the peer gets
///
/// The kernel creates the peer from the attributes in `VETH_INFO_PEER`
/// alone: it copies nothing from the primary, so `ip link add a mtu 1400
/// type veth peer name b` makes `b` with MTU 1500. The Go library
/// (vishvananda/netlink) copies the primary's MTU, txqueuelen and queue
/// counts to the peer. This library does what the Go library does by
/// default ([`PeerDefaults::Primary`]): each of the peer's `mtu`,
/// `txqlen`, `num_tx_queues` and `num_rx_queues` that is `None` is sent
/// with the primary's value, so both ends match; a value set on the peer
/// wins. [`PeerDefaults::Kernel`] sends only what the peer sets, as `ip`
/// does. Name, hardware address and namespace are never copied: set them
/// on the peer ([`Link::name`], [`Link::address`], [`Link::netns`]).
///
/// With no `peer` at all and the default, no `VETH_INFO_PEER` is sent, and
/// the kernel builds the peer from the primary's own attributes (all but
/// its name, which is `veth%d`, and its address, which is random; its
/// namespace included).
///
/// The kernel does not report the peer in `IFLA_INFO_DATA`; a read-back
/// veth finds its peer through [`Link::parent`] (its index) and
/// [`Link::link_netnsid`] (its namespace, if another one).
///
/// ```
/// use nl_route::kind::{PeerDefaults, Veth};
/// use nl_route::{Link, LinkKind};
/// let peer = Link::new("vb").mtu(9000);
/// let link = Link::new("va")
///     .mtu(1400)
///     .kind(LinkKind::Veth(Veth::with_peer(peer)));
/// // vb gets MTU 9000 (its own) and va's txqueuelen, if va sets one.
/// let ip_like = Veth::with_peer(Link::new("vb")).peer_defaults(PeerDefaults::Kernel);
/// # let _ = (link, ip_like);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Veth {
    /// The peer: name, and any other settings (MTU, address, namespace ...).
    pub peer: Option<Box<Link>>,
    /// Where the peer's unset MTU, txqueuelen and queue counts come from.
    pub peer_defaults: PeerDefaults,
}

/// Where a veth peer's unset MTU, txqueuelen and queue counts come from
/// (see [`Veth`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PeerDefaults {
    /// The primary's values, as the Go library does (the default).
    #[default]
    Primary,
    /// The kernel's defaults, as `ip link add ... type veth peer ...` does.
    Kernel,
}

impl Veth {
    /// A veth whose peer is `peer`.
    pub fn with_peer(peer: Link) -> Self {
        Veth {
            peer: Some(Box::new(peer)),
            peer_defaults: PeerDefaults::default(),
        }
    }

    /// The former name of [`Veth::peer_defaults`].
    #[deprecated(
        since = "0.1.0",
        note = "builder methods are named after what they set: use `peer_defaults()`"
    )]
    #[must_use]
    pub fn with_peer_defaults(self, defaults: PeerDefaults) -> Self {
        self.peer_defaults(defaults)
    }

    /// Sets where the peer's unset settings come from.
    #[must_use]
    pub fn peer_defaults(mut self, defaults: PeerDefaults) -> Self {
        self.peer_defaults = defaults;
        self
    }

    /// The peer as it is sent when `primary` is created: its own settings,
    /// and with [`PeerDefaults::Primary`] the primary's MTU, txqueuelen and
    /// queue counts where it has none. `None` when no peer nest is sent.
    pub fn peer_for(&self, primary: &Link) -> Option<Link> {
        let mut peer = match (&self.peer, self.peer_defaults) {
            (Some(p), _) => (**p).clone(),
            (None, PeerDefaults::Kernel) => Link::default(),
            // Without VETH_INFO_PEER the kernel copies the primary itself.
            (None, PeerDefaults::Primary) => return None,
        };
        if self.peer_defaults == PeerDefaults::Primary {
            peer.mtu = peer.mtu.or(primary.mtu);
            peer.txqlen = peer.txqlen.or(primary.txqlen);
            peer.num_tx_queues = peer.num_tx_queues.or(primary.num_tx_queues);
            peer.num_rx_queues = peer.num_rx_queues.or(primary.num_rx_queues);
        }
        Some(peer)
    }
}

impl LinkData for Veth {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut veth = Veth::default();
        for a in data {
            let a = a?;
            if a.ty() == VETH_INFO_PEER {
                veth.peer = Some(Box::new(parse_peer(a.payload())?));
            }
        }
        Ok(veth)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, primary: &Link) -> Result<()> {
        if let Some(peer) = self.peer_for(primary) {
            write_peer(m, VETH_INFO_PEER, &peer)?;
        }
        Ok(())
    }
}

/// Parses a peer nest (veth, netkit): an ifinfomsg followed by link attributes.
pub(crate) fn parse_peer(bytes: &[u8]) -> nl_wire::Result<Link> {
    let mut peer = Link::default();
    let hdr_len = core::mem::size_of::<IfInfoMsg>();
    for a in Attrs::new(bytes.get(hdr_len..).unwrap_or_default()) {
        peer.parse_attr(a?)?;
    }
    Ok(peer)
}

/// Writes a peer nest of type `ty` (veth, netkit).
pub(crate) fn write_peer(m: &mut MsgBuilder<'_>, ty: u16, peer: &Link) -> Result<()> {
    if !peer.name.is_empty() {
        crate::link::validate_name(&peer.name)?;
    }
    let nest = m.nest_start(ty);
    m.header(&IfInfoMsg::default());
    peer.write_attrs(m)?;
    m.nest_end(nest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::LinkKind;
    use crate::kind::tests::round_trip;

    fn primary() -> Link {
        Link {
            mtu: Some(1400),
            txqlen: Some(500),
            num_tx_queues: Some(3),
            num_rx_queues: Some(5),
            address: Some(nl_wire::HwAddr::mac([2, 0, 0, 0, 0, 1])),
            group: Some(7),
            ..Link::new("va")
        }
    }

    fn sent_peer(veth: Veth) -> Option<Link> {
        let link = primary().kind(LinkKind::Veth(veth));
        match round_trip(&link).kind {
            Some(LinkKind::Veth(v)) => v.peer.map(|p| *p),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_peer_gets_the_primarys_mtu_txqlen_and_queues() {
        let peer = sent_peer(Veth::with_peer(Link::new("vb"))).unwrap();
        assert_eq!(peer.name, "vb");
        assert_eq!(peer.mtu, Some(1400));
        assert_eq!(peer.txqlen, Some(500));
        assert_eq!((peer.num_tx_queues, peer.num_rx_queues), (Some(3), Some(5)));
        // Never the address (two ends with one MAC) nor anything else.
        assert_eq!((peer.address, peer.group), (None, None));
    }

    #[test]
    fn the_peers_own_settings_win() {
        let own = Link {
            mtu: Some(9000),
            num_rx_queues: Some(1),
            ..Link::new("vb")
        };
        let peer = sent_peer(Veth::with_peer(own)).unwrap();
        assert_eq!(peer.mtu, Some(9000));
        assert_eq!(peer.num_rx_queues, Some(1));
        assert_eq!(peer.txqlen, Some(500));
    }

    #[test]
    fn kernel_defaults_send_only_what_the_peer_sets() {
        let veth = Veth::with_peer(Link::new("vb")).peer_defaults(PeerDefaults::Kernel);
        let peer = sent_peer(veth).unwrap();
        assert_eq!(peer, Link::new("vb"));
        // No peer at all: an empty peer nest keeps the kernel from copying.
        let veth = Veth {
            peer: None,
            peer_defaults: PeerDefaults::Kernel,
        };
        assert_eq!(sent_peer(veth), Some(Link::default()));
        // With the default and no peer, no nest: the kernel copies itself.
        assert_eq!(sent_peer(Veth::default()), None);
    }

    #[test]
    fn peer_for_matches_what_is_sent() {
        let veth = Veth::with_peer(Link::new("vb"));
        assert_eq!(veth.peer_for(&primary()), sent_peer(veth.clone()));
        assert_eq!(
            veth.peer_for(&Link::new("va")),
            Some(Link::new("vb")),
            "nothing to copy from a primary without settings"
        );
    }
}
