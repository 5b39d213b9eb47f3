//! Constants of `<linux/ip.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IPV4_DEVCONF_FORWARDING: u16 = 1;
pub const IPV4_DEVCONF_MC_FORWARDING: u16 = 2;
pub const IPV4_DEVCONF_PROXY_ARP: u16 = 3;
pub const IPV4_DEVCONF_ACCEPT_REDIRECTS: u16 = 4;
pub const IPV4_DEVCONF_SECURE_REDIRECTS: u16 = 5;
pub const IPV4_DEVCONF_SEND_REDIRECTS: u16 = 6;
pub const IPV4_DEVCONF_SHARED_MEDIA: u16 = 7;
pub const IPV4_DEVCONF_RP_FILTER: u16 = 8;
pub const IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE: u16 = 9;
pub const IPV4_DEVCONF_BOOTP_RELAY: u16 = 10;
pub const IPV4_DEVCONF_LOG_MARTIANS: u16 = 11;
pub const IPV4_DEVCONF_TAG: u16 = 12;
pub const IPV4_DEVCONF_ARPFILTER: u16 = 13;
pub const IPV4_DEVCONF_MEDIUM_ID: u16 = 14;
pub const IPV4_DEVCONF_NOXFRM: u16 = 15;
pub const IPV4_DEVCONF_NOPOLICY: u16 = 16;
pub const IPV4_DEVCONF_FORCE_IGMP_VERSION: u16 = 17;
pub const IPV4_DEVCONF_ARP_ANNOUNCE: u16 = 18;
pub const IPV4_DEVCONF_ARP_IGNORE: u16 = 19;
pub const IPV4_DEVCONF_PROMOTE_SECONDARIES: u16 = 20;
pub const IPV4_DEVCONF_ARP_ACCEPT: u16 = 21;
pub const IPV4_DEVCONF_ARP_NOTIFY: u16 = 22;
pub const IPV4_DEVCONF_ACCEPT_LOCAL: u16 = 23;
pub const IPV4_DEVCONF_SRC_VMARK: u16 = 24;
pub const IPV4_DEVCONF_PROXY_ARP_PVLAN: u16 = 25;
pub const IPV4_DEVCONF_ROUTE_LOCALNET: u16 = 26;
pub const IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL: u16 = 27;
pub const IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL: u16 = 28;
pub const IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 29;
pub const IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST: u16 = 30;
pub const IPV4_DEVCONF_DROP_GRATUITOUS_ARP: u16 = 31;
pub const IPV4_DEVCONF_BC_FORWARDING: u16 = 32;
pub const IPV4_DEVCONF_ARP_EVICT_NOCARRIER: u16 = 33;
pub const IPV4_DEVCONF_MAX: u16 = 33;
