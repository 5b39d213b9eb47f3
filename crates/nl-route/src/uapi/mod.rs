//! Kernel constants and structs, in modules named after their UAPI header.
//!
//! The constant modules are generated from the installed headers by
//! `scripts/gen-uapi.py` (and checked against the C compiler with its
//! `--check` flag); values added to the kernel after those headers are in
//! [`newer`]; the structs are in [`types`].

pub mod amt;
pub mod batman_adv;
pub mod can_netlink;
pub mod can_vxcan;
pub mod fib_rules;
pub mod gen_stats;
pub mod icmpv6;
pub mod r#if;
pub mod if_addr;
pub mod if_arp;
pub mod if_bonding;
pub mod if_bridge;
pub mod if_ether;
pub mod if_link;
pub mod if_macsec;
pub mod if_tun;
pub mod if_tunnel;
pub mod if_vlan;
pub mod in_route;
pub mod ip;
pub mod ip6_tunnel;
pub mod ipv6;
pub mod lwtunnel;
pub mod mpls_iptunnel;
pub mod neighbour;
pub mod net_namespace;
pub mod netconf;
pub mod netdevice;
pub mod newer;
pub mod nexthop;
pub mod pkt_cls;
pub mod pkt_sched;
pub mod rtnetlink;
pub mod seg6;
pub mod seg6_iptunnel;
pub mod seg6_local;
pub mod tc_bpf;
pub mod tc_connmark;
pub mod tc_csum;
pub mod tc_ct;
pub mod tc_ctinfo;
pub mod tc_defact;
pub mod tc_gact;
pub mod tc_gate;
pub mod tc_ife;
pub mod tc_mirred;
pub mod tc_mpls;
pub mod tc_nat;
pub mod tc_pedit;
pub mod tc_sample;
pub mod tc_skbedit;
pub mod tc_skbmod;
pub mod tc_tunnel_key;
pub mod tc_vlan;
pub mod types;
pub mod veth;
pub mod wwan;
