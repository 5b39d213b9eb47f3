//! Constants of `<linux/ipv6.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const DEVCONF_FORWARDING: u16 = 0;
pub const DEVCONF_HOPLIMIT: u16 = 1;
pub const DEVCONF_MTU6: u16 = 2;
pub const DEVCONF_ACCEPT_RA: u16 = 3;
pub const DEVCONF_ACCEPT_REDIRECTS: u16 = 4;
pub const DEVCONF_AUTOCONF: u16 = 5;
pub const DEVCONF_DAD_TRANSMITS: u16 = 6;
pub const DEVCONF_RTR_SOLICITS: u16 = 7;
pub const DEVCONF_RTR_SOLICIT_INTERVAL: u16 = 8;
pub const DEVCONF_RTR_SOLICIT_DELAY: u16 = 9;
pub const DEVCONF_USE_TEMPADDR: u16 = 10;
pub const DEVCONF_TEMP_VALID_LFT: u16 = 11;
pub const DEVCONF_TEMP_PREFERED_LFT: u16 = 12;
pub const DEVCONF_REGEN_MAX_RETRY: u16 = 13;
pub const DEVCONF_MAX_DESYNC_FACTOR: u16 = 14;
pub const DEVCONF_MAX_ADDRESSES: u16 = 15;
pub const DEVCONF_FORCE_MLD_VERSION: u16 = 16;
pub const DEVCONF_ACCEPT_RA_DEFRTR: u16 = 17;
pub const DEVCONF_ACCEPT_RA_PINFO: u16 = 18;
pub const DEVCONF_ACCEPT_RA_RTR_PREF: u16 = 19;
pub const DEVCONF_RTR_PROBE_INTERVAL: u16 = 20;
pub const DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN: u16 = 21;
pub const DEVCONF_PROXY_NDP: u16 = 22;
pub const DEVCONF_OPTIMISTIC_DAD: u16 = 23;
pub const DEVCONF_ACCEPT_SOURCE_ROUTE: u16 = 24;
pub const DEVCONF_MC_FORWARDING: u16 = 25;
pub const DEVCONF_DISABLE_IPV6: u16 = 26;
pub const DEVCONF_ACCEPT_DAD: u16 = 27;
pub const DEVCONF_FORCE_TLLAO: u16 = 28;
pub const DEVCONF_NDISC_NOTIFY: u16 = 29;
pub const DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL: u16 = 30;
pub const DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL: u16 = 31;
pub const DEVCONF_SUPPRESS_FRAG_NDISC: u16 = 32;
pub const DEVCONF_ACCEPT_RA_FROM_LOCAL: u16 = 33;
pub const DEVCONF_USE_OPTIMISTIC: u16 = 34;
pub const DEVCONF_ACCEPT_RA_MTU: u16 = 35;
pub const DEVCONF_STABLE_SECRET: u16 = 36;
pub const DEVCONF_USE_OIF_ADDRS_ONLY: u16 = 37;
pub const DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT: u16 = 38;
pub const DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 39;
pub const DEVCONF_DROP_UNICAST_IN_L2_MULTICAST: u16 = 40;
pub const DEVCONF_DROP_UNSOLICITED_NA: u16 = 41;
pub const DEVCONF_KEEP_ADDR_ON_DOWN: u16 = 42;
pub const DEVCONF_RTR_SOLICIT_MAX_INTERVAL: u16 = 43;
pub const DEVCONF_SEG6_ENABLED: u16 = 44;
pub const DEVCONF_SEG6_REQUIRE_HMAC: u16 = 45;
pub const DEVCONF_ENHANCED_DAD: u16 = 46;
pub const DEVCONF_ADDR_GEN_MODE: u16 = 47;
pub const DEVCONF_DISABLE_POLICY: u16 = 48;
pub const DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN: u16 = 49;
pub const DEVCONF_NDISC_TCLASS: u16 = 50;
pub const DEVCONF_RPL_SEG_ENABLED: u16 = 51;
pub const DEVCONF_RA_DEFRTR_METRIC: u16 = 52;
pub const DEVCONF_IOAM6_ENABLED: u16 = 53;
pub const DEVCONF_IOAM6_ID: u16 = 54;
pub const DEVCONF_IOAM6_ID_WIDE: u16 = 55;
pub const DEVCONF_NDISC_EVICT_NOCARRIER: u16 = 56;
pub const DEVCONF_ACCEPT_UNTRACKED_NA: u16 = 57;
pub const DEVCONF_ACCEPT_RA_MIN_LFT: u16 = 58;
pub const DEVCONF_MAX: u16 = 59;
