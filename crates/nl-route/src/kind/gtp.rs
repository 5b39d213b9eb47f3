//! gtp: a GPRS Tunnelling Protocol (user plane) device (`IFLA_GTP_*`).
//! Its PDP contexts are managed over generic netlink (the `"gtp"` family).
//!
//! The kernel needs the UDP sockets it encapsulates on: the caller's
//! (`fd0` for GTPv0, `fd1` for GTPv1, as Go's `Gtp` link passes them) or
//! its own (`create_sockets`, as `ip link add ... type gtp` asks for;
//! bound to ports 3386 and 2152 of the link's namespace).

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::attrs::attr_struct;
use crate::uapi::if_link::{
    GTP_ROLE_GGSN, GTP_ROLE_SGSN, IFLA_GTP_CREATE_SOCKETS, IFLA_GTP_FD0, IFLA_GTP_FD1,
    IFLA_GTP_PDP_HASHSIZE, IFLA_GTP_RESTART_COUNT, IFLA_GTP_ROLE,
};
use crate::uapi::newer::{IFLA_GTP_LOCAL, IFLA_GTP_LOCAL6};

nl_wire::kernel_enum! {
    /// `GTP_ROLE_*`: which side of the tunnel this device is.
    pub enum GtpRole: u32, "role", crate::Error {
        /// Gateway GSN: the network side (the kernel's default).
        Ggsn = GTP_ROLE_GGSN => "ggsn",
        /// Serving GSN: the mobile side.
        Sgsn = GTP_ROLE_SGSN => "sgsn",
    }
}

attr_struct! {
    /// gtp settings.
    pub struct Gtp {
        /// The GTPv0 UDP socket, a file descriptor of the caller (`u32`).
        fd0: u32 = IFLA_GTP_FD0,
        /// The GTPv1-U UDP socket, a file descriptor of the caller (`u32`).
        fd1: u32 = IFLA_GTP_FD1,
        /// Buckets of the PDP context hash (`hsize`; `u32`).
        pdp_hashsize: u32 = IFLA_GTP_PDP_HASHSIZE,
        /// Role (`role`; `u32`).
        role: GtpRole = IFLA_GTP_ROLE => Enum,
        /// Let the kernel create the sockets (`u8`; what `ip` sends).
        create_sockets: bool = IFLA_GTP_CREATE_SOCKETS => Bool8,
        /// GTP restart counter sent in echo responses (`restart_count`).
        restart_count: u8 = IFLA_GTP_RESTART_COUNT,
        /// The kernel's sockets' IPv4 address (6.10+).
        local: Ipv4Addr = IFLA_GTP_LOCAL,
        /// The kernel's sockets' IPv6 address (6.10+).
        local6: Ipv6Addr = IFLA_GTP_LOCAL6,
    }
}

impl Gtp {
    /// A device whose sockets the kernel creates, in `role`, as `ip link
    /// add NAME type gtp role ROLE` makes it.
    pub fn with_own_sockets(role: GtpRole) -> Gtp {
        Gtp {
            role: Some(role),
            create_sockets: Some(true),
            ..Gtp::default()
        }
    }
}

crate::kind::plain_link_data!(Gtp);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let g = Gtp {
            fd0: Some(3),
            fd1: Some(4),
            pdp_hashsize: Some(1024),
            role: Some(GtpRole::Sgsn),
            create_sockets: Some(false),
            restart_count: Some(7),
            local: Some(Ipv4Addr::new(192, 0, 2, 1)),
            local6: Some("2001:db8::1".parse().unwrap()),
        };
        let link = Link::new("gtp0").kind(LinkKind::Gtp(g));
        assert_eq!(round_trip(&link), link);
    }

    /// What `ip link add gtp0 type gtp role ggsn` puts in `IFLA_INFO_DATA`
    /// apart from its order: create sockets, the role.
    #[test]
    fn ip_link_add_gtp() {
        let link = Link::new("gtp0").kind(LinkKind::Gtp(Gtp::with_own_sockets(GtpRole::Ggsn)));
        assert_eq!(
            data_of(&link),
            [8, 0, 4, 0, 0, 0, 0, 0, 5, 0, 5, 0, 1, 0, 0, 0]
        );
        assert_eq!("sgsn".parse::<GtpRole>().ok(), Some(GtpRole::Sgsn));
        assert_eq!(GtpRole::from(5), GtpRole::Other(5));
    }
}
