//! Per-interface IPv4 and IPv6 configuration (devconf): the values of
//! `/proc/sys/net/ipv4/conf/DEV/*` and `/proc/sys/net/ipv6/conf/DEV/*`
//! as the kernel reports them in a link's `IFLA_AF_SPEC`
//! (`IFLA_INET_CONF`, `IFLA_INET6_CONF`), read without `/proc` and from
//! any namespace a handle reaches. IPv4 values can also be set this way
//! ([`write_inet_set`]).
//!
//! Values are by the kernel's index (`IPV4_DEVCONF_*`, `DEVCONF_*` in
//! [`crate::uapi::ip`] and [`crate::uapi::ipv6`]) and by sysctl name.
//! IPv6 intervals (`router_solicitation_*`, `router_probe_interval`) are
//! in milliseconds here where the sysctl files say seconds.

use nl_wire::netlink::{NLM_F_ACK, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::uapi::if_link::{IFLA_AF_SPEC, IFLA_INET_CONF, IFLA_INET6_CONF};
use crate::uapi::ip::*;
use crate::uapi::ipv6::*;
use crate::uapi::rtnetlink::RTM_NEWLINK;
use crate::uapi::types::IfInfoMsg;

/// IPv4 sysctl names by `IPV4_DEVCONF_*` (the index is one more than the
/// position); where the kernel's name and the file differ, the file's.
const V4_NAMES: [(u16, &str); 33] = [
    (IPV4_DEVCONF_FORWARDING, "forwarding"),
    (IPV4_DEVCONF_MC_FORWARDING, "mc_forwarding"),
    (IPV4_DEVCONF_PROXY_ARP, "proxy_arp"),
    (IPV4_DEVCONF_ACCEPT_REDIRECTS, "accept_redirects"),
    (IPV4_DEVCONF_SECURE_REDIRECTS, "secure_redirects"),
    (IPV4_DEVCONF_SEND_REDIRECTS, "send_redirects"),
    (IPV4_DEVCONF_SHARED_MEDIA, "shared_media"),
    (IPV4_DEVCONF_RP_FILTER, "rp_filter"),
    (IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE, "accept_source_route"),
    (IPV4_DEVCONF_BOOTP_RELAY, "bootp_relay"),
    (IPV4_DEVCONF_LOG_MARTIANS, "log_martians"),
    (IPV4_DEVCONF_TAG, "tag"),
    (IPV4_DEVCONF_ARPFILTER, "arp_filter"),
    (IPV4_DEVCONF_MEDIUM_ID, "medium_id"),
    (IPV4_DEVCONF_NOXFRM, "disable_xfrm"),
    (IPV4_DEVCONF_NOPOLICY, "disable_policy"),
    (IPV4_DEVCONF_FORCE_IGMP_VERSION, "force_igmp_version"),
    (IPV4_DEVCONF_ARP_ANNOUNCE, "arp_announce"),
    (IPV4_DEVCONF_ARP_IGNORE, "arp_ignore"),
    (IPV4_DEVCONF_PROMOTE_SECONDARIES, "promote_secondaries"),
    (IPV4_DEVCONF_ARP_ACCEPT, "arp_accept"),
    (IPV4_DEVCONF_ARP_NOTIFY, "arp_notify"),
    (IPV4_DEVCONF_ACCEPT_LOCAL, "accept_local"),
    (IPV4_DEVCONF_SRC_VMARK, "src_valid_mark"),
    (IPV4_DEVCONF_PROXY_ARP_PVLAN, "proxy_arp_pvlan"),
    (IPV4_DEVCONF_ROUTE_LOCALNET, "route_localnet"),
    (
        IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL,
        "igmpv2_unsolicited_report_interval",
    ),
    (
        IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL,
        "igmpv3_unsolicited_report_interval",
    ),
    (
        IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN,
        "ignore_routes_with_linkdown",
    ),
    (
        IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST,
        "drop_unicast_in_l2_multicast",
    ),
    (IPV4_DEVCONF_DROP_GRATUITOUS_ARP, "drop_gratuitous_arp"),
    (IPV4_DEVCONF_BC_FORWARDING, "bc_forwarding"),
    (IPV4_DEVCONF_ARP_EVICT_NOCARRIER, "arp_evict_nocarrier"),
];

/// IPv6 sysctl names by `DEVCONF_*` (the index is the position).
const V6_NAMES: [(u16, &str); 59] = [
    (DEVCONF_FORWARDING, "forwarding"),
    (DEVCONF_HOPLIMIT, "hop_limit"),
    (DEVCONF_MTU6, "mtu"),
    (DEVCONF_ACCEPT_RA, "accept_ra"),
    (DEVCONF_ACCEPT_REDIRECTS, "accept_redirects"),
    (DEVCONF_AUTOCONF, "autoconf"),
    (DEVCONF_DAD_TRANSMITS, "dad_transmits"),
    (DEVCONF_RTR_SOLICITS, "router_solicitations"),
    (DEVCONF_RTR_SOLICIT_INTERVAL, "router_solicitation_interval"),
    (DEVCONF_RTR_SOLICIT_DELAY, "router_solicitation_delay"),
    (DEVCONF_USE_TEMPADDR, "use_tempaddr"),
    (DEVCONF_TEMP_VALID_LFT, "temp_valid_lft"),
    (DEVCONF_TEMP_PREFERED_LFT, "temp_prefered_lft"),
    (DEVCONF_REGEN_MAX_RETRY, "regen_max_retry"),
    (DEVCONF_MAX_DESYNC_FACTOR, "max_desync_factor"),
    (DEVCONF_MAX_ADDRESSES, "max_addresses"),
    (DEVCONF_FORCE_MLD_VERSION, "force_mld_version"),
    (DEVCONF_ACCEPT_RA_DEFRTR, "accept_ra_defrtr"),
    (DEVCONF_ACCEPT_RA_PINFO, "accept_ra_pinfo"),
    (DEVCONF_ACCEPT_RA_RTR_PREF, "accept_ra_rtr_pref"),
    (DEVCONF_RTR_PROBE_INTERVAL, "router_probe_interval"),
    (
        DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN,
        "accept_ra_rt_info_max_plen",
    ),
    (DEVCONF_PROXY_NDP, "proxy_ndp"),
    (DEVCONF_OPTIMISTIC_DAD, "optimistic_dad"),
    (DEVCONF_ACCEPT_SOURCE_ROUTE, "accept_source_route"),
    (DEVCONF_MC_FORWARDING, "mc_forwarding"),
    (DEVCONF_DISABLE_IPV6, "disable_ipv6"),
    (DEVCONF_ACCEPT_DAD, "accept_dad"),
    (DEVCONF_FORCE_TLLAO, "force_tllao"),
    (DEVCONF_NDISC_NOTIFY, "ndisc_notify"),
    (
        DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL,
        "mldv1_unsolicited_report_interval",
    ),
    (
        DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL,
        "mldv2_unsolicited_report_interval",
    ),
    (DEVCONF_SUPPRESS_FRAG_NDISC, "suppress_frag_ndisc"),
    (DEVCONF_ACCEPT_RA_FROM_LOCAL, "accept_ra_from_local"),
    (DEVCONF_USE_OPTIMISTIC, "use_optimistic"),
    (DEVCONF_ACCEPT_RA_MTU, "accept_ra_mtu"),
    (DEVCONF_STABLE_SECRET, "stable_secret"),
    (DEVCONF_USE_OIF_ADDRS_ONLY, "use_oif_addrs_only"),
    (DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT, "accept_ra_min_hop_limit"),
    (
        DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN,
        "ignore_routes_with_linkdown",
    ),
    (
        DEVCONF_DROP_UNICAST_IN_L2_MULTICAST,
        "drop_unicast_in_l2_multicast",
    ),
    (DEVCONF_DROP_UNSOLICITED_NA, "drop_unsolicited_na"),
    (DEVCONF_KEEP_ADDR_ON_DOWN, "keep_addr_on_down"),
    (
        DEVCONF_RTR_SOLICIT_MAX_INTERVAL,
        "router_solicitation_max_interval",
    ),
    (DEVCONF_SEG6_ENABLED, "seg6_enabled"),
    (DEVCONF_SEG6_REQUIRE_HMAC, "seg6_require_hmac"),
    (DEVCONF_ENHANCED_DAD, "enhanced_dad"),
    (DEVCONF_ADDR_GEN_MODE, "addr_gen_mode"),
    (DEVCONF_DISABLE_POLICY, "disable_policy"),
    (
        DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN,
        "accept_ra_rt_info_min_plen",
    ),
    (DEVCONF_NDISC_TCLASS, "ndisc_tclass"),
    (DEVCONF_RPL_SEG_ENABLED, "rpl_seg_enabled"),
    (DEVCONF_RA_DEFRTR_METRIC, "ra_defrtr_metric"),
    (DEVCONF_IOAM6_ENABLED, "ioam6_enabled"),
    (DEVCONF_IOAM6_ID, "ioam6_id"),
    (DEVCONF_IOAM6_ID_WIDE, "ioam6_id_wide"),
    (DEVCONF_NDISC_EVICT_NOCARRIER, "ndisc_evict_nocarrier"),
    (DEVCONF_ACCEPT_UNTRACKED_NA, "accept_untracked_na"),
    (DEVCONF_ACCEPT_RA_MIN_LFT, "accept_ra_min_lft"),
];

/// The configuration of one interface, as many values as the kernel
/// sent (newer kernels send more; the names cover the headers' values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Devconf {
    /// The interface.
    pub ifindex: u32,
    /// IPv4 values, `IPV4_DEVCONF_x` at position `x - 1`.
    pub ipv4: Vec<u32>,
    /// IPv6 values, `DEVCONF_x` at position `x`.
    pub ipv6: Vec<i32>,
}

impl Devconf {
    /// The IPv4 value of `IPV4_DEVCONF_*` `id`.
    pub fn ipv4(&self, id: u16) -> Option<u32> {
        self.ipv4.get(usize::from(id).checked_sub(1)?).copied()
    }

    /// The IPv6 value of `DEVCONF_*` `id`.
    pub fn ipv6(&self, id: u16) -> Option<i32> {
        self.ipv6.get(usize::from(id)).copied()
    }

    /// The IPv4 value of sysctl `name` (`rp_filter`, `forwarding` ...).
    pub fn ipv4_by_name(&self, name: &str) -> Option<u32> {
        let (id, _) = V4_NAMES.iter().find(|(_, n)| *n == name)?;
        self.ipv4(*id)
    }

    /// The IPv6 value of sysctl `name` (`accept_ra`, `disable_ipv6` ...).
    pub fn ipv6_by_name(&self, name: &str) -> Option<i32> {
        let (id, _) = V6_NAMES.iter().find(|(_, n)| *n == name)?;
        self.ipv6(*id)
    }

    /// Every named IPv4 value with its sysctl name.
    pub fn ipv4_named(&self) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        V4_NAMES
            .iter()
            .filter_map(|(id, n)| Some((*n, self.ipv4(*id)?)))
    }

    /// Every named IPv6 value with its sysctl name.
    pub fn ipv6_named(&self) -> impl Iterator<Item = (&'static str, i32)> + '_ {
        V6_NAMES
            .iter()
            .filter_map(|(id, n)| Some((*n, self.ipv6(*id)?)))
    }

    /// Reads the configuration out of an `RTM_NEWLINK` (a dump's or a
    /// get's); empty vectors where the family sent nothing.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || {
            let hdr: IfInfoMsg = msg.family_header();
            let mut d = Devconf {
                ifindex: u32::try_from(hdr.ifi_index.get()).unwrap_or(0),
                ..Devconf::default()
            };
            for a in msg.attrs::<IfInfoMsg>() {
                let a = a?;
                if a.ty() != IFLA_AF_SPEC {
                    continue;
                }
                for fam in a.nested() {
                    let fam = fam?;
                    let want = match fam.ty() {
                        f if f == u16::from(crate::AF_INET) => IFLA_INET_CONF,
                        f if f == u16::from(crate::AF_INET6) => IFLA_INET6_CONF,
                        _ => continue,
                    };
                    for x in fam.nested() {
                        let x = x?;
                        if x.ty() != want {
                            continue;
                        }
                        let words = x
                            .payload()
                            .chunks_exact(4)
                            .filter_map(|c| <[u8; 4]>::try_from(c).ok());
                        if want == IFLA_INET_CONF {
                            d.ipv4 = words.map(u32::from_ne_bytes).collect();
                        } else {
                            d.ipv6 = words.map(i32::from_ne_bytes).collect();
                        }
                    }
                }
            }
            Ok(d)
        })
    }
}

/// Writes an RTM_NEWLINK setting IPv4 configuration values of interface
/// `ifindex` (`sysctl net.ipv4.conf.DEV.NAME=VALUE` without `/proc`):
/// pairs of `IPV4_DEVCONF_*` and value. IPv6 values cannot be set over
/// netlink.
pub fn write_inet_set(buf: &mut Vec<u8>, ifindex: u32, values: &[(u16, u32)]) -> Result<()> {
    if values.is_empty() {
        return Err(Error::invalid("devconf", "no value to set"));
    }
    if values
        .iter()
        .any(|(id, _)| *id == 0 || *id > IPV4_DEVCONF_MAX)
    {
        return Err(Error::invalid("devconf", "not an IPV4_DEVCONF_* index"));
    }
    let index = i32::try_from(ifindex)
        .ok()
        .filter(|i| *i > 0)
        .ok_or(Error::invalid("ifindex", "0 names no interface"))?;
    let mut m = MsgBuilder::new(buf, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
    m.header(&IfInfoMsg {
        ifi_index: index.into(),
        ..IfInfoMsg::default()
    });
    m.nest(IFLA_AF_SPEC, |m| {
        m.nest(u16::from(crate::AF_INET), |m| {
            m.nest(IFLA_INET_CONF, |m| {
                for (id, v) in values {
                    m.put_u32(*id, *v);
                }
            });
        });
    });
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// The `IPV4_DEVCONF_*` index of IPv4 sysctl `name`.
pub fn ipv4_id(name: &str) -> Option<u16> {
    V4_NAMES.iter().find(|(_, n)| *n == name).map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_kernels_indices() {
        for (i, (id, _)) in V4_NAMES.iter().enumerate() {
            assert_eq!(usize::from(*id), i + 1);
        }
        for (i, (id, _)) in V6_NAMES.iter().enumerate() {
            assert_eq!(usize::from(*id), i);
        }
        assert_eq!(ipv4_id("rp_filter"), Some(IPV4_DEVCONF_RP_FILTER));
    }

    #[test]
    fn a_reply_reads_by_index_and_name_and_bad_sets_are_refused() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWLINK, 0);
        m.header(&IfInfoMsg {
            ifi_index: 3.into(),
            ..IfInfoMsg::default()
        });
        m.nest(IFLA_AF_SPEC, |m| {
            m.nest(u16::from(crate::AF_INET), |m| {
                let mut v = [0u8; 4 * 8];
                v[4 * 7..].copy_from_slice(&2u32.to_ne_bytes()); // rp_filter
                m.put_bytes(IFLA_INET_CONF, &v);
            });
            m.nest(u16::from(crate::AF_INET6), |m| {
                let mut v = [0u8; 4 * 3];
                v[4..8].copy_from_slice(&64i32.to_ne_bytes()); // hop_limit
                m.put_bytes(IFLA_INET6_CONF, &v[..11]); // a short last word
            });
        });
        m.finish().unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let d = Devconf::parse(&msg).unwrap();
        assert_eq!(d.ifindex, 3);
        assert_eq!(d.ipv4_by_name("rp_filter"), Some(2));
        assert_eq!(d.ipv4(IPV4_DEVCONF_FORWARDING), Some(0));
        assert_eq!(d.ipv4(IPV4_DEVCONF_ARP_ANNOUNCE), None);
        assert_eq!(d.ipv6_by_name("hop_limit"), Some(64));
        assert_eq!(d.ipv6.len(), 2);
        assert!(write_inet_set(&mut buf, 3, &[]).is_err());
        assert!(write_inet_set(&mut buf, 3, &[(0, 1)]).is_err());
        assert!(write_inet_set(&mut buf, 0, &[(1, 1)]).is_err());
        assert!(write_inet_set(&mut buf, 3, &[(IPV4_DEVCONF_RP_FILTER, 1)]).is_ok());
    }
}
