//! Kernel constants, in modules named after their UAPI header (generated
//! by `scripts/gen-uapi.py`), and the few the generator cannot evaluate.

pub mod devlink;
pub mod ethtool;
pub mod ethtool_netlink;
pub mod ethtool_netlink_generated;
pub mod fou;
pub mod genetlink;
pub mod gtp;
pub mod if_macsec;
pub mod mptcp;
pub mod mptcp_pm;
pub mod netlink;
pub mod newer;
pub mod nl80211;
pub mod vdpa;
pub mod virtio_ids;
pub mod virtio_net;
pub mod wireguard;

/// `GENL_ID_CTRL`: nlctrl's fixed family id (`NLMSG_MIN_TYPE`).
pub const GENL_ID_CTRL: u16 = nl_wire::netlink::NLMSG_MIN_TYPE;

/// `GENL_HDRLEN`: the aligned size of `struct genlmsghdr`.
pub const GENL_HDRLEN: usize = 4;
