//! `RT_SCOPE_*`: how far an address or route reaches.

use crate::error::Error;
use crate::uapi::rtnetlink::{
    RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_SITE, RT_SCOPE_UNIVERSE,
};

nl_wire::kernel_enum! {
    /// Scope of an address or route (`rtm_scope`, `ifa_scope`), with the
    /// words `ip` uses. User-defined scopes (1 to 199) are `Other`.
    #[derive(Default)]
    pub enum Scope: u8, "scope", Error {
        /// Everywhere (`global` in `ip`).
        #[default]
        Universe = RT_SCOPE_UNIVERSE => "global" | "universe",
        /// Within the site (IPv6).
        Site = RT_SCOPE_SITE => "site",
        /// On the link.
        Link = RT_SCOPE_LINK => "link",
        /// On this host.
        Host = RT_SCOPE_HOST => "host",
        /// Nowhere.
        Nowhere = RT_SCOPE_NOWHERE => "nowhere",
    }
}
