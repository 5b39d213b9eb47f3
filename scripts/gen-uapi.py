#!/usr/bin/env python3
"""Generates Rust constants from the kernel's UAPI headers.

Reads enums and #defines from /usr/include/linux/<header>.h, keeps the names
that match the prefixes configured below, evaluates their values the way the
C compiler would (implicit increments, references to earlier names, shifts),
and writes one Rust module per header with the kernel's own names, so that
`grep IFLA_MTU` finds both the header and our use.

Usage: scripts/gen-uapi.py          rewrites crates/nl-route/src/uapi/*.rs
       scripts/gen-uapi.py --check  compiles a C program printing every generated
                                    constant and compares (needs gcc)
"""
import os
import re
import subprocess
import sys

INCLUDE = "/usr/include/linux"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# output crate dir -> header -> [(prefix regex, rust type)]
SPECS = {
    "crates/nl-netfilter/src/uapi": {
        "netfilter/nfnetlink": [
            (r"NFNLGRP_\w+", "u32"), (r"NFNL_SUBSYS_\w+", "u8"), (r"NFNETLINK_V0", "u8"),
            (r"NFNL_BATCH_\w+", "u16"),
        ],
        "netfilter/nfnetlink_conntrack": [(r"IPCTNL_MSG_\w+", "u8"), (r"CTA_\w+", "u16")],
        "netfilter/nf_tables": [
            (r"NFT_MSG_\w+", "u8"), (r"NFTA_\w+", "u16"), (r"NFT_(CONTINUE|BREAK|JUMP|GOTO|RETURN)", "i32"),
            (r"NFT_(NAME_MAXLEN|TABLE_MAXNAMELEN|CHAIN_MAXNAMELEN|SET_MAXNAMELEN|OBJ_MAXNAMELEN|USERDATA_MAXLEN)", "usize"),
            (r"NFT_(REG\w*|DATA_\w+|TABLE_F_\w+|CHAIN_\w+|SET_\w+|RULE_\w+|PAYLOAD_\w+|META_\w+|CMP_\w+|BITWISE_\w+|"
             r"LOOKUP_\w+|DYNSET_\w+|CT_\w+|NAT_\w+|REJECT_\w+|LIMIT_\w+|RANGE_\w+|BYTEORDER_\w+|LOGLEVEL_\w+|"
             r"QUOTA_\w+|FIB_\w+|OBJECT_\w+|GEN_\w+|TRACETYPE_\w+|QUEUE_\w+|SOCKET_\w+|EXTHDR_\w+|OSF_\w+|XFRM_\w+|"
             r"NG_\w+|TUNNEL_\w+|FLOWTABLE_\w+|DEVICE_\w+|LAST_\w+|INNER_\w+|SYNPROXY_\w+|CONNLIMIT_\w+)", "u32"),
        ],
        "netfilter": [(r"NF_(DROP|ACCEPT|STOLEN|QUEUE|REPEAT|STOP)", "i32"), (r"NFPROTO_\w+", "u8"),
                      (r"NF_INET_\w+", "u32"), (r"NF_NETDEV_\w+", "u32")],
        "netfilter/nf_conntrack_common": [
            (r"IPS_\w+", "u32"), (r"IPCT_\w+", "u32"), (r"IPEXP_\w+", "u32"),
            (r"NF_CT_EXPECT_\w+", "u32"),
        ],
        "netfilter/nf_conntrack_tcp": [
            (r"TCP_CONNTRACK_\w+", "u8"), (r"IP_CT_TCP_\w+", "u8"), (r"IP_CT_EXP_CHALLENGE_ACK", "u8"),
        ],
        "netfilter/nfnetlink_cttimeout": [(r"CTA_TIMEOUT_\w+", "u16")],
        "netfilter/nf_synproxy": [(r"NF_SYNPROXY_OPT_\w+", "u32")],
        "netfilter/nf_nat": [(r"NF_NAT_RANGE_\w+", "u32")],
        "in": [(r"IPPROTO_\w+", "u8")],
        "in6": [(r"IPPROTO_(HOPOPTS|ROUTING|FRAGMENT|ICMPV6|NONE|DSTOPTS|MH)", "u8")],
        "netfilter/ipset/ip_set": [
            (r"IPSET_PROTOCOL(_MIN)?", "u8"), (r"IPSET_(MAXNAMELEN|MAX_COMMENT_SIZE)", "usize"),
            (r"IPSET_(CMD_\w+|MSG_MAX)", "u8"), (r"IPSET_ATTR_\w+", "u16"), (r"IPSET_ERR_\w+", "i32"),
            (r"IPSET_(CREATE_)?FLAG_\w+", "u32"), (r"IPSET_(ADD|DEL|TEST|CREATE)", "u8"),
        ],
    },
    "crates/nl-genl/src/uapi": {
        "genetlink": [
            (r"GENL_(NAMSIZ|HDRLEN)", "usize"), (r"GENL_(MIN_ID|MAX_ID|ID_\w+|START_ALLOC)", "u16"),
            (r"GENL_(ADMIN_PERM|CMD_CAP_\w+|UNS_ADMIN_PERM)", "u32"),
            (r"CTRL_CMD_\w+", "u8"), (r"CTRL_ATTR_\w+", "u16"),
        ],
        "netlink": [(r"NL_ATTR_TYPE_\w+", "u32"), (r"NL_POLICY_TYPE_ATTR_\w+", "u16")],
        "ethtool_netlink": [
            (r"ETHTOOL_MSG_\w+", "u8"), (r"ETHTOOL_A_\w+", "u16"), (r"ETHTOOL_FLAG_\w+", "u32"),
            (r"ETHTOOL_GENL_VERSION", "u8"), (r"ETHTOOL_LINK_EXT_\w+", "u8"),
        ],
        "ethtool": [
            (r"ETH_SS_\w+", "u32"), (r"ETH_GSTRING_LEN", "usize"), (r"DUPLEX_\w+", "u8"),
            (r"PORT_\w+", "u8"), (r"XCVR_\w+", "u8"), (r"ETH_TP_MDI\w*", "u8"),
            (r"AUTONEG_\w+", "u8"), (r"MASTER_SLAVE_\w+", "u8"), (r"RATE_MATCH_\w+", "u8"),
            (r"ETHTOOL_LINK_MODE_\w+_BIT", "u32"), (r"ETHTOOL_TCP_DATA_SPLIT_\w+", "u8"),
        ],
        "mptcp": [
            (r"MPTCP_PM_CMD_\w+", "u8"), (r"MPTCP_PM_ATTR_\w+", "u16"),
            (r"MPTCP_PM_ADDR_ATTR_\w+", "u16"), (r"MPTCP_PM_ADDR_FLAG_\w+", "u32"),
            (r"MPTCP_PM_VER", "u8"), (r"MPTCP_EVENT_\w+", "u8"), (r"MPTCP_ATTR_\w+", "u16"),
            (r"MPTCP_PM_EV_FLAG_\w+", "u16"), (r"MPTCP_RST_\w+", "u32"),
        ],
        "nl80211": [
            (r"NL80211_CMD_\w+", "u8"), (r"NL80211_ATTR_\w+", "u16"), (r"NL80211_IFTYPE_AKM_ATTR_\w+", "u16"),
            (r"NL80211_IFTYPE_\w+", "u32"), (r"NL80211_STA_FLAG_\w+", "u32"), (r"NL80211_STA_INFO_\w+", "u16"),
            (r"NL80211_STA_BSS_PARAM_\w+", "u16"), (r"NL80211_RATE_INFO_\w+", "u16"),
            (r"NL80211_TID_STATS_\w+", "u16"), (r"NL80211_TXQ_STATS_\w+", "u16"), (r"NL80211_PLINK_\w+", "u8"),
            (r"NL80211_BAND_ATTR_\w+", "u16"), (r"NL80211_BAND_IFTYPE_ATTR_\w+", "u16"), (r"NL80211_BAND_\w+", "u16"),
            (r"NL80211_BITRATE_ATTR_\w+", "u16"), (r"NL80211_FREQUENCY_ATTR_\w+", "u16"), (r"NL80211_WMMR_\w+", "u16"),
            (r"NL80211_IFACE_COMB_\w+", "u16"), (r"NL80211_IFACE_LIMIT_\w+", "u16"), (r"NL80211_CHAN_WIDTH_\w+", "u32"),
            (r"NL80211_CHAN_\w+", "u32"), (r"NL80211_BSS_STATUS_\w+", "u32"), (r"NL80211_BSS_CHAN_WIDTH_\w+", "u32"),
            (r"NL80211_BSS_SELECT_ATTR_\w+", "u16"), (r"NL80211_BSS_\w+", "u16"), (r"NL80211_DFS_\w+", "u32"),
            (r"NL80211_MESH_POWER_\w+", "u32"), (r"NL80211_REGDOM_TYPE_\w+", "u8"), (r"NL80211_REGDOM_SET_BY_\w+", "u8"),
            (r"NL80211_FEATURE_\w+", "u32"), (r"NL80211_EXT_FEATURE_\w+", "u32"), (r"NL80211_SCAN_FLAG_\w+", "u32"),
            (r"NL80211_MNTR_FLAG_\w+", "u16"), (r"NL80211_RADAR_\w+", "u32"),
        ],
        "devlink": [
            (r"DEVLINK_GENL_VERSION", "u8"), (r"DEVLINK_CMD_\w+", "u8"), (r"DEVLINK_ATTR_\w+", "u16"),
            (r"DEVLINK_PORT_TYPE_\w+", "u16"), (r"DEVLINK_PORT_FLAVOUR_\w+", "u16"),
            (r"DEVLINK_PORT_FUNCTION_ATTR_\w+", "u16"), (r"DEVLINK_PORT_FN_ATTR_\w+", "u16"),
            (r"DEVLINK_PORT_FN_STATE_\w+", "u8"), (r"DEVLINK_PORT_FN_OPSTATE_\w+", "u8"),
            (r"DEVLINK_ESWITCH_MODE_\w+", "u16"), (r"DEVLINK_ESWITCH_INLINE_MODE_\w+", "u8"),
            (r"DEVLINK_ESWITCH_ENCAP_MODE_\w+", "u8"), (r"DEVLINK_PARAM_CMODE_\w+", "u8"),
            (r"DEVLINK_RESOURCE_UNIT_\w+", "u8"),
        ],
        "wireguard": [
            (r"WG_GENL_VERSION", "u8"), (r"WG_KEY_LEN", "usize"), (r"WG_CMD_\w+", "u8"),
            (r"WG(DEVICE|PEER)_F_\w+", "u32"), (r"WG(DEVICE|PEER|ALLOWEDIP)_A_\w+", "u16"),
        ],
        "fou": [
            (r"FOU_GENL_VERSION", "u8"), (r"FOU_ATTR_\w+", "u16"), (r"FOU_CMD_\w+", "u8"),
            (r"FOU_ENCAP_\w+", "u8"),
        ],
        "gtp": [(r"GTP_CMD_\w+", "u8"), (r"GTP_V\d", "u32"), (r"GTPA_\w+", "u16")],
        "if_macsec": [
            (r"MACSEC_GENL_VERSION", "u8"), (r"MACSEC_(MAX_KEY|KEYID|SALT)_LEN", "usize"),
            (r"MACSEC_(CIPHER_ID|DEFAULT_CIPHER)_\w+", "u64"), (r"MACSEC_(MIN|MAX|STD)_ICV_LEN", "u8"),
            (r"MACSEC_(SECY_|RXSC_|SA_|OFFLOAD_)?ATTR_\w+", "u16"), (r"MACSEC_CMD_\w+", "u8"),
            (r"MACSEC_\w+_STATS_ATTR_\w+", "u16"),
        ],
        "vdpa": [(r"VDPA_GENL_VERSION", "u8"), (r"VDPA_CMD_\w+", "u8"), (r"VDPA_ATTR_\w+", "u16")],
        "virtio_ids": [(r"VIRTIO_ID_\w+", "u32")],
        "virtio_net": [(r"VIRTIO_NET_S_\w+", "u16")],
    },
    "crates/nl-route/src/uapi": {
        "rtnetlink": [
            (r"RTM_(?!F_|GETDCB|SETDCB|BASE|MAX|NR_)\w+", "u16"), (r"RTM_F_\w+", "u32"),
            (r"RTA_\w+", "u16"), (r"RTN_\w+", "u8"), (r"RTPROT_\w+", "u8"),
            (r"RT_SCOPE_\w+", "u8"), (r"RT_TABLE_\w+", "u32"), (r"RTNH_F_\w+", "u8"),
            (r"RTAX_(?!FEATURE_)\w+", "u16"), (r"RTAX_FEATURE_\w+", "u32"),
            (r"RTNLGRP_\w+", "u32"), (r"RTEXT_FILTER_\w+", "u32"), (r"TCA_\w+", "u16"),
            (r"PREFIX_\w+", "u16"), (r"NDUSEROPT_\w+", "u16"), (r"RTMGRP_\w+", "u32"),
            (r"RTCF_\w+", "u32"), (r"RTM_F_\w+", "u32"), (r"RTNH_ALIGNTO", "usize"),
            (r"RTNL_FAMILY_\w+", "u8"),
        ],
        "if_link": [
            (r"IFLA_\w+", "u16"), (r"IN6_ADDR_GEN_MODE_\w+", "u8"), (r"BRIDGE_MODE_\w+", "u16"),
            (r"MACVLAN_\w+", "u32"), (r"IPVLAN_\w+", "u16"), (r"VXLAN_DF_\w+", "u8"),
            (r"GENEVE_DF_\w+", "u8"), (r"BOND_\w+", "u16"), (r"LINK_XSTATS_\w+", "u16"),
            (r"XDP_FLAGS_\w+", "u32"), (r"XDP_ATTACHED_\w+", "u8"), (r"IF_PORT_\w+", "u8"),
            (r"PORT_\w+", "u16"), (r"IFLA_VF_LINK_STATE_\w+", "u32"),
            (r"IFLA_VF_\w+", "u16"), (r"VF_\w+", "u16"), (r"NETKIT_\w+", "u32"),
            (r"IFLA_STATS_\w+", "u16"), (r"IFLA_OFFLOAD_\w+", "u16"),
            (r"MACSEC_(VALIDATE|OFFLOAD)_\w+", "u8"), (r"GTP_ROLE_\w+", "u32"),
            (r"VXLAN_VNIFILTER_\w+", "u16"), (r"VNIFILTER_ENTRY_STATS_\w+", "u16"),
            (r"TUNNEL_MSG_\w+", "u8"), (r"IPOIB_MODE_\w+", "u16"), (r"HSR_PROTOCOL_\w+", "u8"),
            (r"RMNET_FLAGS_\w+", "u32"),
        ],
        "amt": [(r"IFLA_AMT_\w+", "u16"), (r"AMT_MODE_\w+", "u32")],
        "wwan": [(r"IFLA_WWAN_\w+", "u16")],
        "batman_adv": [(r"IFLA_BATADV_\w+", "u16")],
        "can/netlink": [
            (r"IFLA_CAN_\w+", "u16"), (r"CAN_CTRLMODE_\w+", "u32"), (r"CAN_STATE_\w+", "u32"),
        ],
        "can/vxcan": [(r"VXCAN_INFO_\w+", "u16")],
        "if_macsec": [(r"MACSEC_(CIPHER_ID|DEFAULT_CIPHER)_\w+", "u64")],
        "if_addr": [(r"IFA_F_\w+", "u32"), (r"IFA_(?!F_)\w+", "u16"), (r"IFAPROT_\w+", "u8")],
        "if_arp": [(r"ARPHRD_\w+", "u16")],
        "if": [(r"IFF_\w+", "u32"), (r"IF_OPER_\w+", "u8"), (r"IF_LINK_MODE_\w+", "u8"),
               (r"IFNAMSIZ", "usize"), (r"IFALIASZ", "usize"), (r"ALTIFNAMSIZ", "usize")],
        "veth": [(r"VETH_\w+", "u16")],
        "icmpv6": [(r"ICMPV6_ROUTER_PREF_\w+", "u8")],
        "in_route": [(r"RTCF_(?!DEAD|ONLINK|NOPMTUDISC)\w+", "u32")],
        "netdevice": [(r"NET_NAME_\w+", "u8")],
        "if_bridge": [
            (r"IFLA_BRIDGE_\w+", "u16"), (r"BRIDGE_VLAN_INFO_\w+", "u16"),
            (r"BRIDGE_FLAGS_\w+", "u16"), (r"BRIDGE_VLANDB_\w+", "u16"),
            (r"MDBA_\w+", "u16"), (r"BR_STATE_\w+", "u8"), (r"BRIDGE_MODE_\w+", "u16"),
        ],
        "if_tunnel": [
            (r"IFLA_GRE_\w+", "u16"), (r"IFLA_IPTUN_\w+", "u16"), (r"IFLA_VTI_\w+", "u16"),
            (r"GRE_\w+", "u16"), (r"TUNNEL_ENCAP_\w+", "u16"), (r"SIT_\w+", "u16"),
            (r"IP6_TNL_F_\w+", "u32"),
        ],
        "ip6_tunnel": [(r"IP6_TNL_F_\w+", "u32"), (r"IPV6_TLV_\w+", "u8")],
        "if_vlan": [(r"VLAN_FLAG_\w+", "u32")],
        "if_bonding": [(r"BOND_(MODE|LINK|STATE|XMIT_POLICY)_\w+", "u8"), (r"LACP_STATE_\w+", "u8")],
        "if_tun": [(r"IFF_\w+", "u16"), (r"TUN_\w+", "u32")],
        "neighbour": [(r"NDA_\w+", "u16"), (r"NTF_\w+", "u8"), (r"NUD_\w+", "u16"),
                      (r"NDTA_\w+", "u16"), (r"NDTPA_\w+", "u16"), (r"NFEA_\w+", "u16"),
                      (r"NTF_EXT_\w+", "u32")],
        "fib_rules": [(r"FRA_\w+", "u16"), (r"FR_ACT_\w+", "u8"), (r"FIB_RULE_\w+", "u32")],
        "nexthop": [(r"NHA_\w+", "u16"), (r"NEXTHOP_GRP_\w+", "u16"), (r"NHA_RES_\w+", "u16")],
        "lwtunnel": [(r"LWTUNNEL_\w+", "u16"), (r"LWT_BPF_\w+", "u16")],
        "mpls_iptunnel": [(r"MPLS_IPTUNNEL_\w+", "u16")],
        "seg6_iptunnel": [(r"SEG6_IPTUNNEL_\w+", "u16"), (r"SEG6_IPTUN_MODE_\w+", "u32")],
        "seg6_local": [(r"SEG6_LOCAL_\w+", "u16")],
        "seg6": [(r"SR6_FLAG\w+", "u8"), (r"SR6_TLV_\w+", "u8")],
        "net_namespace": [(r"NETNSA_\w+", "u16")],
        "netconf": [(r"NETCONFA_IFINDEX_\w+", "i32"), (r"NETCONFA_ALL", "i32"), (r"NETCONFA_(?!IFINDEX_|ALL)\w+", "u16")],
        "if_ether": [(r"ETH_P_\w+", "u16"), (r"ETH_ALEN", "usize")],
        "ip": [(r"IPV4_DEVCONF_\w+", "u16")],
        "ipv6": [(r"DEVCONF_\w+", "u16")],
        "pkt_sched": [
            (r"TC_H_\w+", "u32"), (r"TC_PRIO_\w+", "u8"), (r"TC_LINKLAYER_\w+", "u8"),
            (r"TC_HTB_\w+", "u32"), (r"TC_RED_\w+", "u8"), (r"TC_QOPT_\w+", "u32"),
            (r"TCQ_\w+", "u32"), (r"NETEM_\w+", "u16"), (r"TCA_\w+", "u16"),
        ],
        "pkt_cls": [
            (r"TC_ACT_\w+", "i32"), (r"TCA_CLS_FLAGS_\w+", "u32"),
            (r"TCA_FLOWER_KEY_FLAGS_(?!MASK)\w+", "u32"), (r"TCA_ACT_FLAGS_\w+", "u32"),
            (r"TCA_ACT_HW_STATS_\w+", "u32"), (r"TC_U32_\w+", "u32"), (r"TC_POLICE_\w+", "i32"),
            (r"TCF_EM_\w+", "u16"), (r"TCF_LAYER_\w+", "u8"), (r"TCA_\w+", "u16"),
        ],
        "gen_stats": [(r"TCA_STATS_\w+", "u16")],
        "tc_act/tc_mirred": [(r"TCA_(EGRESS|INGRESS)_\w+", "i32"), (r"TCA_MIRRED_\w+", "u16")],
        "tc_act/tc_gact": [(r"TCA_GACT_\w+", "u16"), (r"PGACT_\w+", "u16")],
        "tc_act/tc_bpf": [(r"TCA_ACT_BPF_\w+", "u16")],
        "tc_act/tc_skbedit": [(r"TCA_SKBEDIT_\w+", "u16"), (r"SKBEDIT_F_\w+", "u64")],
        "tc_act/tc_vlan": [(r"TCA_VLAN_ACT_\w+", "i32"), (r"TCA_VLAN_\w+", "u16")],
        "tc_act/tc_tunnel_key": [(r"TCA_TUNNEL_KEY_ACT_\w+", "i32"), (r"TCA_TUNNEL_KEY_\w+", "u16")],
        "tc_act/tc_csum": [(r"TCA_CSUM_UPDATE_FLAG_\w+", "u32"), (r"TCA_CSUM_\w+", "u16")],
        "tc_act/tc_pedit": [(r"TCA_PEDIT_KEY_EX_(HTYPE|CMD)_\w+", "u16"), (r"TCA_PEDIT_HDR_TYPE_\w+", "u16"),
                            (r"TCA_PEDIT_CMD_\w+", "u16"), (r"TCA_PEDIT_\w+", "u16"),
                            (r"TCA_PEDIT_KEY_EX_CMD_\w+", "u16"), (r"PEDIT_\w+", "u16")],
        "tc_act/tc_connmark": [(r"TCA_CONNMARK_\w+", "u16")],
        "tc_act/tc_ctinfo": [(r"TCA_CTINFO_\w+", "u16")],
        "tc_act/tc_ct": [(r"TCA_CT_ACT_\w+", "u16"), (r"TCA_CT_\w+", "u16")],
        "tc_act/tc_nat": [(r"TCA_NAT_FLAG_\w+", "u32"), (r"TCA_NAT_\w+", "u16")],
        "tc_act/tc_sample": [(r"TCA_SAMPLE_\w+", "u16")],
        "tc_act/tc_mpls": [(r"TCA_MPLS_ACT_\w+", "i32"), (r"TCA_MPLS_\w+", "u16")],
        "tc_act/tc_skbmod": [(r"SKBMOD_F_\w+", "u64"), (r"TCA_SKBMOD_\w+", "u16")],
        "tc_act/tc_gate": [(r"TCA_GATE_\w+", "u16")],
        "tc_act/tc_ife": [(r"IFE_\w+", "u16"), (r"TCA_IFE_\w+", "u16")],
        "tc_act/tc_defact": [(r"TCA_DEF_\w+", "u16")],
    },
}

# Values that can't be expressed as a plain number in Rust or are macros.
SKIP = re.compile(r"^(RTA_ALIGN|RTA_OK|RTA_NEXT|RTA_LENGTH|RTA_SPACE|RTA_DATA|RTA_PAYLOAD|"
                  r"RTM_RTA|RTM_PAYLOAD|RTNH_\w*(OK|NEXT|LENGTH|SPACE|DATA|ALIGN)|TCA_RTA|TCA_PAYLOAD|"
                  r"IFA_RTA|IFA_PAYLOAD|IFLA_RTA|IFLA_PAYLOAD|NDA_RTA|NDA_PAYLOAD|NDTA_RTA|NDTA_PAYLOAD|"
                  r"RTM_NR_\w+|RTM_NR_FAMILIES)$")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def c_eval(expr, known):
    expr = expr.strip()
    expr = re.sub(r"(?<=[0-9a-fA-F])[uUlL]+\b", "", expr)
    expr = re.sub(r"\(\s*(?:unsigned\s+)?(?:int|long|__u32|__u16|__u8)\s*\)", "", expr)
    expr = expr.replace("~", "~")

    def sub(m):
        name = m.group(0)
        if name in known:
            return str(known[name])
        raise KeyError(name)

    py = re.sub(r"\b[A-Za-z_]\w*\b", sub, expr)
    py = py.replace("/", "//")
    return int(eval(py, {"__builtins__": {}}))


def parse(header):
    text = strip_comments(open(os.path.join(INCLUDE, header + ".h")).read())
    # join continued lines
    text = text.replace("\\\n", " ")
    known = {}
    order = []
    pos = 0
    token = re.compile(r"enum\s*\w*\s*\{(?P<body>.*?)\}\s*;|^[ \t]*#[ \t]*define[ \t]+(?P<name>\w+)[ \t]+(?P<val>[^\n]+)$",
                       re.S | re.M)
    for m in token.finditer(text):
        if m.group("body") is not None:
            nxt = 0
            # Headers interleave `#define X X` lines with enum members.
            body = re.sub(r"^\s*#.*$", "", m.group("body"), flags=re.M)
            for entry in body.split(","):
                entry = entry.strip()
                if not entry or entry.startswith("#"):
                    continue
                if "=" in entry:
                    name, expr = entry.split("=", 1)
                    name = name.strip()
                    try:
                        nxt = c_eval(expr, known)
                    except Exception:
                        continue
                else:
                    name = entry
                if not re.fullmatch(r"\w+", name):
                    continue
                known[name] = nxt
                order.append(name)
                nxt += 1
        else:
            name, val = m.group("name"), m.group("val")
            if "(" in name or re.match(r"^\s*\(?\s*\w+\s*\(", val) and not re.match(r"^\s*\(\s*\d", val):
                pass
            try:
                known[name] = c_eval(val, known)
                order.append(name)
            except Exception:
                pass
    return known, order


def out_name(header):
    """The module a header's constants go to: its file name, or for
    `<linux/can/*.h>` (whose `netlink.h` would read as netlink's own)
    `can_` and its file name."""
    if header.startswith("can/"):
        return "can_" + os.path.basename(header)
    return os.path.basename(header)


def check():
    bad = 0
    for outdir, headers in SPECS.items():
        for header in headers:
            path = os.path.join(ROOT, outdir, out_name(header) + ".rs")
            consts = re.findall(r"pub const (\w+): \w+ = (-?\d+);", open(path).read())
            if not consts:
                continue
            src = ["#include <stdio.h>", "#include <sys/socket.h>", "#include <linux/types.h>",
                   f"#include <linux/{header}.h>", "int main(void){"]
            src += [f'printf("%s %lld\\n", "{n}", (long long)({n}));' for n, _ in consts]
            src.append("return 0;}")
            with open("/tmp/gen-uapi-check.c", "w") as f:
                f.write("\n".join(src))
            subprocess.run(["gcc", "-o", "/tmp/gen-uapi-check", "/tmp/gen-uapi-check.c"], check=True)
            out = subprocess.run(["/tmp/gen-uapi-check"], capture_output=True, text=True).stdout
            values = dict(line.split() for line in out.splitlines() if line)
            wrong = [(n, v, values.get(n)) for n, v in consts if values.get(n) != v]
            bad += len(wrong)
            print(f"{header}: {len(consts)} checked, {len(wrong)} wrong {wrong[:3]}")
    return 1 if bad else 0


def main():
    if "--check" in sys.argv:
        return check()
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "linux-libc-dev"],
                             capture_output=True, text=True).stdout.strip() or "unknown"
    for outdir, headers in SPECS.items():
        for header, rules in headers.items():
            known, order = parse(header)
            lines = [
                f"//! Constants of `<linux/{header}.h>` with the kernel's names.",
                "//!",
                f"//! Generated from linux-libc-dev {version} by `scripts/gen-uapi.py`; do not edit.",
                "//! Values newer than those headers live in `uapi::newer`.",
                "#![allow(missing_docs, non_upper_case_globals, dead_code)]",
                "",
            ]
            seen = set()
            for name in order:
                if name in seen or SKIP.match(name) or name.startswith("__"):
                    continue
                for rx, ty in rules:
                    if re.fullmatch(rx, name):
                        v = known[name]
                        if ty.startswith("u") and v < 0:
                            break
                        bits = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "i32": 31, "usize": 64}[ty]
                        if v >= (1 << bits):
                            break
                        lines.append(f"pub const {name}: {ty} = {v};")
                        seen.add(name)
                        break
            path = os.path.join(ROOT, outdir, out_name(header) + ".rs")
            with open(path, "w") as f:
                f.write("\n".join(lines) + "\n")
            print(f"{path}: {len(seen)} constants")


if __name__ == "__main__":
    sys.exit(main())
