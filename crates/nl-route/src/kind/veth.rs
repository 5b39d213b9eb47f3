//! veth: a pair of connected virtual Ethernet devices.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::{Result, WireContext};
use crate::link::Link;
use crate::uapi::types::IfInfoMsg;
use crate::uapi::veth::VETH_INFO_PEER;

/// veth settings: the peer, created together with the link.
///
/// The kernel does not report the peer in `IFLA_INFO_DATA`; a read-back
/// veth finds its peer through [`Link::parent`] (its index) and
/// [`Link::link_netnsid`] (its namespace, if another one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Veth {
    /// The peer: name, and any other settings (MTU, address, namespace ...).
    pub peer: Option<Box<Link>>,
}

impl Veth {
    /// A veth whose peer is `peer`.
    pub fn with_peer(peer: Link) -> Self {
        Veth {
            peer: Some(Box::new(peer)),
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>, ty: u16) -> Result<Self> {
        let mut veth = Veth::default();
        for a in attrs {
            let a = a.ctx(ty)?;
            if a.kind() == VETH_INFO_PEER {
                veth.peer = Some(Box::new(parse_peer(a.payload(), ty)?));
            }
        }
        Ok(veth)
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        if let Some(peer) = &self.peer {
            write_peer(m, VETH_INFO_PEER, peer)?;
        }
        Ok(())
    }
}

/// Parses a peer nest (veth, netkit): an ifinfomsg followed by link attributes.
pub(crate) fn parse_peer(bytes: &[u8], ty: u16) -> Result<Link> {
    let mut peer = Link::default();
    let hdr_len = core::mem::size_of::<IfInfoMsg>();
    let mut stats = None;
    for pa in Attrs::new(bytes.get(hdr_len..).unwrap_or_default()) {
        peer.parse_attr(&pa.ctx(ty)?, ty, &mut stats)?;
    }
    Ok(peer)
}

/// Writes a peer nest of type `kind` (veth, netkit).
pub(crate) fn write_peer(m: &mut MsgBuilder<'_>, kind: u16, peer: &Link) -> Result<()> {
    if !peer.name.is_empty() {
        crate::link::validate_name(&peer.name)?;
    }
    let nest = m.nest_start(kind);
    m.header(&IfInfoMsg::default());
    peer.write_attrs(m)?;
    m.nest_end(nest);
    Ok(())
}
