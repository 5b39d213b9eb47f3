//! Values the running kernels know but the installed 6.1 headers do not.
//! Each one is from the upstream UAPI header of the release that added it.
#![allow(missing_docs)]

// <linux/if_link.h>, appended after IFLA_ALLMULTI (61) in this order.
pub const IFLA_DEVLINK_PORT: u16 = 62; // 6.4
pub const IFLA_GSO_IPV4_MAX_SIZE: u16 = 63; // 6.3
pub const IFLA_GRO_IPV4_MAX_SIZE: u16 = 64; // 6.3
pub const IFLA_DPLL_PIN: u16 = 65; // 6.8
pub const IFLA_MAX_PACING_OFFLOAD_HORIZON: u16 = 66; // 6.13
pub const IFLA_NETNS_IMMUTABLE: u16 = 67; // 6.13
pub const IFLA_HEADROOM: u16 = 68; // 6.15
pub const IFLA_TAILROOM: u16 = 69; // 6.15

// <linux/if_link.h> bridge port attributes, appended after IFLA_BRPORT_LOCKED (39).
pub const IFLA_BRPORT_MAB: u16 = 40; // 6.2
pub const IFLA_BRPORT_MCAST_N_GROUPS: u16 = 41; // 6.3
pub const IFLA_BRPORT_MCAST_MAX_GROUPS: u16 = 42; // 6.3
pub const IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: u16 = 43; // 6.5
pub const IFLA_BRPORT_BACKUP_NHID: u16 = 44; // 6.5

// <linux/if_link.h> bridge attributes, appended after IFLA_BR_MCAST_QUERIER_STATE (47).
pub const IFLA_BR_FDB_N_LEARNED: u16 = 48; // 6.8
pub const IFLA_BR_FDB_MAX_LEARNED: u16 = 49; // 6.8

// <linux/if_link.h> vxlan attributes, appended after IFLA_VXLAN_VNIFILTER (30).
pub const IFLA_VXLAN_LOCALBYPASS: u16 = 31; // 6.8

// <linux/if_link.h> macvlan attributes, appended after IFLA_MACVLAN_BC_QUEUE_LEN_USED (8).
pub const IFLA_MACVLAN_BC_CUTOFF: u16 = 9; // 6.4

// <linux/if_link.h> netkit attributes (the kind itself is 6.7).
pub const IFLA_NETKIT_PEER_INFO: u16 = 1; // 6.7
pub const IFLA_NETKIT_PRIMARY: u16 = 2; // 6.7
pub const IFLA_NETKIT_POLICY: u16 = 3; // 6.7
pub const IFLA_NETKIT_PEER_POLICY: u16 = 4; // 6.7
pub const IFLA_NETKIT_MODE: u16 = 5; // 6.7
pub const IFLA_NETKIT_SCRUB: u16 = 6; // 6.11
pub const IFLA_NETKIT_PEER_SCRUB: u16 = 7; // 6.11
pub const IFLA_NETKIT_HEADROOM: u16 = 8; // 6.14
pub const IFLA_NETKIT_TAILROOM: u16 = 9; // 6.14
// enum netkit_action (an int on the wire as u32; NETKIT_NEXT is -1).
pub const NETKIT_NEXT: u32 = u32::MAX; // 6.7
pub const NETKIT_PASS: u32 = 0; // 6.7
pub const NETKIT_DROP: u32 = 2; // 6.7
pub const NETKIT_REDIRECT: u32 = 7; // 6.7
// enum netkit_mode.
pub const NETKIT_L2: u32 = 0; // 6.7
pub const NETKIT_L3: u32 = 1; // 6.7
// enum netkit_scrub.
pub const NETKIT_SCRUB_NONE: u32 = 0; // 6.11
pub const NETKIT_SCRUB_DEFAULT: u32 = 1; // 6.11

// <linux/fib_rules.h>, appended after FRA_DPORT_RANGE (24) in this order.
pub const FRA_DSCP: u16 = 25; // 6.13
pub const FRA_FLOWLABEL: u16 = 26; // 6.14
pub const FRA_FLOWLABEL_MASK: u16 = 27; // 6.14
pub const FRA_SPORT_MASK: u16 = 28; // 6.15
pub const FRA_DPORT_MASK: u16 = 29; // 6.15
pub const FRA_DSCP_MASK: u16 = 30; // 6.15

// <linux/neighbour.h> NDA_FLAGS_EXT bits after NTF_EXT_MANAGED.
pub const NTF_EXT_LOCKED: u32 = 1 << 1; // 6.2
pub const NTF_EXT_EXT_VALIDATED: u32 = 1 << 2; // 6.16

// <linux/nexthop.h>, appended after NHA_RES_BUCKET (13).
pub const NHA_OP_FLAGS: u16 = 14; // 6.9
pub const NHA_GROUP_STATS: u16 = 15; // 6.9
pub const NHA_HW_STATS_ENABLE: u16 = 16; // 6.10
pub const NHA_HW_STATS_USED: u16 = 17; // 6.10

// <linux/if_link.h>, appended after IFLA_GTP_RESTART_COUNT (6).
pub const IFLA_GTP_LOCAL: u16 = 7; // 6.10
pub const IFLA_GTP_LOCAL6: u16 = 8; // 6.10

// <linux/if_link.h>, appended after IFLA_HSR_PROTOCOL (7).
pub const IFLA_HSR_INTERLINK: u16 = 8; // 6.10
