//! `tc filter ... flower`: flow-key matches, read and printed as tc
//! does (text and `-j`).
//!
//! Every key is written with its mask as tc writes it (a full mask where
//! none is given), so a filter added here and one added by tc are the
//! same filter to the kernel.

use std::net::IpAddr;

use anyhow::{Context, Result, bail, ensure};
use netlink::Handle;
use netlink::nl_route::tc::{Flower, MplsLse, Protocol, TcHandle};
use netlink::nl_wire::HwAddr;
use serde_json::{Map, Value, json};

use super::action;
use netlink::nl_route::uapi::if_ether::{
    ETH_P_8021AD, ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, ETH_P_MPLS_MC, ETH_P_MPLS_UC,
    ETH_P_PPP_SES, ETH_P_RARP,
};
use netlink::nl_route::uapi::pkt_cls::{
    TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW,
    TCA_CLS_FLAGS_VERBOSE, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED, TCA_FLOWER_KEY_CT_FLAGS_INVALID,
    TCA_FLOWER_KEY_CT_FLAGS_NEW, TCA_FLOWER_KEY_CT_FLAGS_RELATED, TCA_FLOWER_KEY_CT_FLAGS_REPLY,
    TCA_FLOWER_KEY_CT_FLAGS_TRACKED, TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST,
    TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT,
};
use netlink::nl_route::uapi::pkt_sched::TC_H_MIN_PRIORITY;

use super::common::{hex, hex_bytes, hex_string, number};
use crate::args::Args;

/// The classifier flags (`TCA_CLS_FLAGS_*`).
const SKIP_HW: u32 = TCA_CLS_FLAGS_SKIP_HW;
const SKIP_SW: u32 = TCA_CLS_FLAGS_SKIP_SW;
const IN_HW: u32 = TCA_CLS_FLAGS_IN_HW;
const NOT_IN_HW: u32 = TCA_CLS_FLAGS_NOT_IN_HW;
const VERBOSE: u32 = TCA_CLS_FLAGS_VERBOSE;

/// `hw_tc N` is the class minor `TC_H_MIN_PRIORITY + N`.
const HW_TC_BASE: u32 = TC_H_MIN_PRIORITY;
/// `TC_QOPT_MAX_QUEUE`: how many hardware traffic classes there are.
const HW_TC_COUNT: u32 = 16;

/// `TCA_FLOWER_KEY_FLAGS_*` with tc's words (`ip_flags frag/nofirstfrag`).
const IP_FLAGS: [(u32, &str); 2] = [
    (TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, "frag"),
    (TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, "firstfrag"),
];

/// `TCA_FLOWER_KEY_CT_FLAGS_*` in tc's order (`ct_state +trk+est`).
const CT_STATES: [(u16, &str); 6] = [
    (TCA_FLOWER_KEY_CT_FLAGS_TRACKED, "trk"),
    (TCA_FLOWER_KEY_CT_FLAGS_NEW, "new"),
    (TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED, "est"),
    (TCA_FLOWER_KEY_CT_FLAGS_RELATED, "rel"),
    (TCA_FLOWER_KEY_CT_FLAGS_INVALID, "inv"),
    (TCA_FLOWER_KEY_CT_FLAGS_REPLY, "rpl"),
];

/// The PPP protocols tc names (`ppp_proto ip`); the first name of a
/// value is the one printed.
const PPP_PROTOCOLS: [(u16, &str); 23] = [
    (0x21, "ip"),
    (0x29, "at"),
    (0x2b, "ipx"),
    (0x2d, "vjc_comp"),
    (0x2f, "vjc_uncomp"),
    (0x3d, "mp"),
    (0x57, "ipv6"),
    (0xfb, "compfrag"),
    (0xfd, "comp"),
    (0x281, "mpls_uc"),
    (0x283, "mpls_mc"),
    (0x8021, "ipcp"),
    (0x8029, "atcp"),
    (0x802b, "ipxcp"),
    (0x8057, "ipv6cp"),
    (0x80fb, "ccpfrag"),
    (0x80fd, "ccp"),
    (0x80fd, "mplscp"),
    (0xc021, "lcp"),
    (0xc023, "pap"),
    (0xc025, "lqr"),
    (0xc223, "chap"),
    (0xc029, "cbcp"),
];

const IPPROTO_ICMP: u8 = 1;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_ICMPV6: u8 = 58;
const IPPROTO_SCTP: u8 = 132;

/// What earlier words decided for later ones: tc checks each key against
/// the ethertype and IP protocol named before it.
struct State {
    /// The ethertype the next keys apply to (the filter's protocol, then
    /// a VLAN's or a PPP session's inner one).
    eth_type: u16,
    /// The ethertype inside the outer VLAN tag (`vlan_ethtype`).
    vlan_eth_type: u16,
    /// `ip_proto`, when given.
    ip_proto: Option<u8>,
    /// `ip_flags`: the flags and which of them are matched.
    ip_flags: (u32, u32),
}

fn is_vlan(eth_type: u16) -> bool {
    eth_type == ETH_P_8021Q || eth_type == ETH_P_8021AD
}

fn is_mpls(eth_type: u16) -> bool {
    eth_type == ETH_P_MPLS_UC || eth_type == ETH_P_MPLS_MC
}

/// `flower [KEY VALUE]... [skip_hw|skip_sw] [classid C | hw_tc N]
/// [indev DEV] [action ...]`, for a filter of `protocol` under `parent`.
pub fn parse(
    h: &Handle,
    args: &mut Args<'_>,
    protocol: Protocol,
    parent: TcHandle,
) -> Result<Flower> {
    let mut f = Flower::default();
    let mut st = State {
        eth_type: protocol.0,
        vlan_eth_type: 0,
        ip_proto: None,
        ip_flags: (0, 0),
    };
    let mut flags = 0u32;
    while let Some(w) = args.peek() {
        if matches!(w, "action" | "actions") {
            f.actions = action::parse_list(h, args)?;
            continue;
        }
        args.next();
        match w {
            "mpls" => {
                ensure!(
                    is_mpls(st.eth_type),
                    "flower: \"mpls\" needs an MPLS protocol"
                );
                ensure!(
                    f.mpls_label.is_none()
                        && f.mpls_tc.is_none()
                        && f.mpls_bos.is_none()
                        && f.mpls_ttl.is_none(),
                    "flower: \"mpls\" and \"mpls_label\"/\"mpls_tc\"/\"mpls_bos\"/\"mpls_ttl\" do not mix"
                );
                f.mpls_lses = mpls_lses(args)?;
            }
            "skip_hw" => flags |= SKIP_HW,
            "skip_sw" => flags |= SKIP_SW,
            "verbose" => flags |= VERBOSE,
            _ => {
                let v = args
                    .next()
                    .with_context(|| format!("flower: \"{w}\" needs a value"))?;
                key(&mut f, &mut st, parent, w, v)
                    .with_context(|| format!("flower: illegal \"{w}\" \"{v}\""))?;
            }
        }
    }
    f.flags = Some(flags);
    let (on, mask) = st.ip_flags;
    if mask != 0 {
        f.key_flags = Some(on);
        f.key_flags_mask = Some(mask);
    }
    Ok(f)
}

/// One `KEY VALUE` pair.
fn key(f: &mut Flower, st: &mut State, parent: TcHandle, w: &str, v: &str) -> Result<()> {
    match w {
        "classid" | "flowid" => f.classid = Some(v.parse::<TcHandle>()?.0),
        "hw_tc" => {
            let tc = number(v)?;
            ensure!(tc < HW_TC_COUNT, "TC index exceeds max range");
            f.classid = Some((parent.0 & 0xffff_0000) | (HW_TC_BASE + tc));
        }
        "indev" => f.indev = Some(v.to_string()),
        "ip_flags" => {
            for word in v.split('/') {
                let (on, name) = match word.strip_prefix("no") {
                    Some(n) => (false, n),
                    None => (true, word),
                };
                let (bit, _) = IP_FLAGS
                    .iter()
                    .find(|(_, n)| *n == name)
                    .with_context(|| format!("unknown flag \"{word}\""))?;
                if on {
                    st.ip_flags.0 |= bit;
                } else {
                    st.ip_flags.0 &= !bit;
                }
                st.ip_flags.1 |= bit;
            }
        }
        "ct_state" => {
            let (state, mask) = ct_state(v)?;
            f.ct_state = Some(state);
            f.ct_state_mask = Some(mask);
        }
        "ct_zone" => {
            let (z, m) = masked(v, u16::MAX.into())?;
            f.ct_zone = Some(z as u16);
            f.ct_zone_mask = Some(m as u16);
        }
        "ct_mark" => {
            let (z, m) = masked(v, u32::MAX)?;
            f.ct_mark = Some(z);
            f.ct_mark_mask = Some(m);
        }
        "ct_label" => {
            let (label, mask) = match v.split_once('/') {
                Some((l, m)) => (l, Some(m)),
                None => (v, None),
            };
            ensure!(
                label.len() <= 32 && mask.is_none_or(|m| m.len() <= 32),
                "labels are at most 16 bytes"
            );
            let hex = |h: &str| hex_bytes(h).with_context(|| format!("\"{h}\" is not hex"));
            f.ct_labels = Some(hex(label)?);
            f.ct_labels_mask = Some(match mask {
                Some(m) => hex(m)?,
                None => vec![0xff; 16],
            });
        }
        "num_of_vlans" => f.num_of_vlans = Some(v.parse()?),
        "vlan_id" | "vlan_prio" | "vlan_ethtype" => {
            let tagged = f.num_of_vlans.unwrap_or(0) > 0;
            ensure!(
                is_vlan(st.eth_type) || tagged,
                "protocol is not 802.1Q or 802.1ad and num_of_vlans is 0"
            );
            vlan_key(f, st, w, v)?;
        }
        "cvlan_id" | "cvlan_prio" | "cvlan_ethtype" => {
            let tagged = f.num_of_vlans.unwrap_or(0) > 1;
            ensure!(
                is_vlan(st.vlan_eth_type) || tagged,
                "vlan_ethtype is not 802.1Q or 802.1ad and num_of_vlans is less than 2"
            );
            vlan_key(f, st, w, v)?;
        }
        "mpls_label" | "mpls_tc" | "mpls_bos" | "mpls_ttl" => {
            ensure!(is_mpls(st.eth_type), "the ethertype is not MPLS");
            ensure!(f.mpls_lses.is_empty(), "\"mpls\" was given");
            let n: u32 = v.parse()?;
            let max = match w {
                "mpls_label" => 0xf_ffff,
                "mpls_tc" => 7,
                "mpls_bos" => 1,
                _ => 0xff,
            };
            ensure!(n <= max, "at most {max}");
            match w {
                "mpls_label" => f.mpls_label = Some(n),
                "mpls_tc" => f.mpls_tc = Some(n as u8),
                "mpls_bos" => f.mpls_bos = Some(n as u8),
                _ => f.mpls_ttl = Some(n as u8),
            }
        }
        "dst_mac" => (f.eth_dst, f.eth_dst_mask) = mac(v)?,
        "src_mac" => (f.eth_src, f.eth_src_mask) = mac(v)?,
        "arp_tha" => (f.arp_tha, f.arp_tha_mask) = mac(v)?,
        "arp_sha" => (f.arp_sha, f.arp_sha_mask) = mac(v)?,
        "ip_proto" => {
            ensure!(
                st.eth_type == ETH_P_IP || st.eth_type == ETH_P_IPV6,
                "protocol is not ip or ipv6"
            );
            let p = match v {
                "tcp" => IPPROTO_TCP,
                "udp" => IPPROTO_UDP,
                "sctp" => IPPROTO_SCTP,
                "icmp" if st.eth_type == ETH_P_IP => IPPROTO_ICMP,
                "icmpv6" if st.eth_type == ETH_P_IPV6 => IPPROTO_ICMPV6,
                "icmp" | "icmpv6" => bail!("{v} does not go with this protocol"),
                // tc reads a number here as hex.
                n => u8::try_from(hex(n)?)?,
            };
            f.ip_proto = Some(p);
            st.ip_proto = Some(p);
        }
        "ip_tos" => (f.ip_tos, f.ip_tos_mask) = tos_ttl(v)?,
        "ip_ttl" => (f.ip_ttl, f.ip_ttl_mask) = tos_ttl(v)?,
        "enc_tos" => (f.enc_ip_tos, f.enc_ip_tos_mask) = tos_ttl(v)?,
        "enc_ttl" => (f.enc_ip_ttl, f.enc_ip_ttl_mask) = tos_ttl(v)?,
        "dst_ip" | "src_ip" => {
            let (addr, mask) = prefix(v)?;
            let ok = match addr {
                IpAddr::V4(_) => st.eth_type == ETH_P_IP,
                IpAddr::V6(_) => st.eth_type == ETH_P_IPV6,
            };
            ensure!(ok, "the address is not of the protocol's family");
            set_ip(f, w == "dst_ip", false, addr, mask);
        }
        "enc_dst_ip" | "enc_src_ip" => {
            let (addr, mask) = prefix(v)?;
            set_ip(f, w == "enc_dst_ip", true, addr, mask);
        }
        "dst_port" | "src_port" => port(f, st, w == "dst_port", v)?,
        "tcp_flags" => {
            let (val, mask) = match v.split_once('/') {
                Some((a, b)) => (hex(a)?, hex(b)?),
                None => (hex(v)?, 0xfff),
            };
            ensure!(val <= 0xfff && mask <= 0xfff, "TCP flags are 12 bits");
            f.tcp_flags = Some(val as u16);
            f.tcp_flags_mask = Some(mask as u16);
        }
        "type" | "code" => {
            let (val, mask) = masked_u8(v, None)?;
            let field = match (st.eth_type, st.ip_proto, w) {
                (ETH_P_IP, Some(IPPROTO_ICMP), "type") => {
                    (&mut f.icmpv4_type, &mut f.icmpv4_type_mask)
                }
                (ETH_P_IP, Some(IPPROTO_ICMP), _) => (&mut f.icmpv4_code, &mut f.icmpv4_code_mask),
                (ETH_P_IPV6, Some(IPPROTO_ICMPV6), "type") => {
                    (&mut f.icmpv6_type, &mut f.icmpv6_type_mask)
                }
                (ETH_P_IPV6, Some(IPPROTO_ICMPV6), _) => {
                    (&mut f.icmpv6_code, &mut f.icmpv6_code_mask)
                }
                _ => bail!("ip_proto icmp (ip) or icmpv6 (ipv6) comes first"),
            };
            (*field.0, *field.1) = (Some(val), Some(mask));
        }
        "arp_tip" | "arp_sip" | "arp_op" => {
            ensure!(
                st.eth_type == ETH_P_ARP || st.eth_type == ETH_P_RARP,
                "protocol is not arp or rarp"
            );
            if w == "arp_op" {
                let (op, mask) = masked_u8(v, Some(arp_op))?;
                ensure!(op <= 2, "not request or reply");
                (f.arp_op, f.arp_op_mask) = (Some(op), Some(mask));
            } else {
                let (IpAddr::V4(a), IpAddr::V4(m)) = prefix(v)? else {
                    bail!("not an IPv4 address");
                };
                if w == "arp_tip" {
                    (f.arp_tip, f.arp_tip_mask) = (Some(a), Some(m));
                } else {
                    (f.arp_sip, f.arp_sip_mask) = (Some(a), Some(m));
                }
            }
        }
        "pppoe_sid" | "ppp_proto" => {
            ensure!(st.eth_type == ETH_P_PPP_SES, "protocol is not ppp_ses");
            if w == "pppoe_sid" {
                f.pppoe_sid = Some(v.parse()?);
            } else {
                let p = match PPP_PROTOCOLS
                    .iter()
                    .find(|(_, n)| n.eq_ignore_ascii_case(v))
                {
                    Some((p, _)) => *p,
                    None => u16::try_from(number(v)?)?,
                };
                f.ppp_proto = Some(p);
                // The keys after it are of the protocol inside.
                st.eth_type = match p {
                    0x21 => ETH_P_IP,
                    0x57 => ETH_P_IPV6,
                    0x281 => ETH_P_MPLS_UC,
                    0x283 => ETH_P_MPLS_MC,
                    _ => st.eth_type,
                };
            }
        }
        "enc_key_id" => f.enc_key_id = Some(v.parse()?),
        "enc_dst_port" => f.enc_udp_dst_port = Some(v.parse()?),
        other => bail!("unknown key \"{other}\" (try \"tc filter add ... flower help\")"),
    }
    Ok(())
}

/// `mpls lse depth N [label L] [tc T] [bos B] [ttl T] [lse ...]`: the
/// label stack entries, each with its depth.
fn mpls_lses(args: &mut Args<'_>) -> Result<Vec<MplsLse>> {
    let mut out = Vec::new();
    while args.eat("lse") {
        let mut l = MplsLse::default();
        while let Some(w) = args.peek() {
            let max: u32 = match w {
                "depth" => 0xff,
                "label" => 0xf_ffff,
                "tc" => 7,
                "bos" => 1,
                "ttl" => 0xff,
                _ => break,
            };
            args.next();
            let n: u32 = args.parse(w)?;
            ensure!(n <= max, "flower: mpls {w} is at most {max}");
            // `max` bounds each value to its field's width.
            let byte = n as u8;
            match w {
                "depth" => l.depth = byte,
                "label" => l.label = Some(n),
                "tc" => l.tc = Some(byte),
                "bos" => l.bos = Some(byte),
                _ => l.ttl = Some(byte),
            }
        }
        ensure!(l.depth >= 1, "flower: each mpls lse needs a depth from 1");
        out.push(l);
    }
    ensure!(
        !out.is_empty(),
        "flower: \"mpls\" needs \"lse depth N ...\""
    );
    Ok(out)
}

/// `vlan_id`, `vlan_prio`, `vlan_ethtype` and their `cvlan_` twins.
fn vlan_key(f: &mut Flower, st: &mut State, w: &str, v: &str) -> Result<()> {
    let inner = w.starts_with('c');
    match w.trim_start_matches('c') {
        "vlan_id" => {
            let id: u16 = v.parse()?;
            ensure!(id <= 0xfff, "VLAN ids are 12 bits");
            *if inner {
                &mut f.cvlan_id
            } else {
                &mut f.vlan_id
            } = Some(id);
        }
        "vlan_prio" => {
            let prio: u8 = v.parse()?;
            ensure!(prio <= 7, "VLAN priorities are 3 bits");
            *if inner {
                &mut f.cvlan_prio
            } else {
                &mut f.vlan_prio
            } = Some(prio);
        }
        _ => {
            let t = v.parse::<Protocol>()?.0;
            if inner {
                f.cvlan_eth_type = Some(t);
            } else {
                f.vlan_eth_type = Some(t);
                st.vlan_eth_type = t;
            }
            st.eth_type = t;
        }
    }
    Ok(())
}

/// `dst_port`/`src_port`: `N`, `N/MASK` or `MIN-MAX`, for the IP
/// protocol named before it.
fn port(f: &mut Flower, st: &State, dst: bool, v: &str) -> Result<()> {
    if let Some((lo, hi)) = v.split_once('-') {
        let (lo, hi): (u16, u16) = (lo.parse()?, hi.parse()?);
        ensure!(lo != 0 && hi > lo, "a range is MIN-MAX with MIN below MAX");
        ensure!(
            matches!(st.ip_proto, Some(IPPROTO_TCP | IPPROTO_UDP | IPPROTO_SCTP)),
            "ip_proto tcp, udp or sctp comes first"
        );
        if dst {
            (f.port_dst_min, f.port_dst_max) = (Some(lo), Some(hi));
        } else {
            (f.port_src_min, f.port_src_max) = (Some(lo), Some(hi));
        }
        return Ok(());
    }
    let (val, mask) = match v.split_once('/') {
        Some(_) => {
            let (p, m) = masked(v, u16::MAX.into())?;
            (p as u16, Some(m as u16))
        }
        None => {
            let p: u16 = v.parse()?;
            ensure!(p != 0, "port 0 matches nothing");
            (p, None)
        }
    };
    let (key, key_mask) = match (st.ip_proto, dst) {
        (Some(IPPROTO_TCP), true) => (&mut f.tcp_dst, &mut f.tcp_dst_mask),
        (Some(IPPROTO_TCP), false) => (&mut f.tcp_src, &mut f.tcp_src_mask),
        (Some(IPPROTO_UDP), true) => (&mut f.udp_dst, &mut f.udp_dst_mask),
        (Some(IPPROTO_UDP), false) => (&mut f.udp_src, &mut f.udp_src_mask),
        (Some(IPPROTO_SCTP), true) => (&mut f.sctp_dst, &mut f.sctp_dst_mask),
        (Some(IPPROTO_SCTP), false) => (&mut f.sctp_src, &mut f.sctp_src_mask),
        _ => bail!("ip_proto tcp, udp or sctp comes first"),
    };
    *key = Some(val);
    if mask.is_some() {
        *key_mask = mask;
    }
    Ok(())
}

fn set_ip(f: &mut Flower, dst: bool, enc: bool, addr: IpAddr, mask: IpAddr) {
    match (addr, mask, enc, dst) {
        (IpAddr::V4(a), IpAddr::V4(m), false, true) => {
            (f.ipv4_dst, f.ipv4_dst_mask) = (Some(a), Some(m))
        }
        (IpAddr::V4(a), IpAddr::V4(m), false, false) => {
            (f.ipv4_src, f.ipv4_src_mask) = (Some(a), Some(m))
        }
        (IpAddr::V6(a), IpAddr::V6(m), false, true) => {
            (f.ipv6_dst, f.ipv6_dst_mask) = (Some(a), Some(m))
        }
        (IpAddr::V6(a), IpAddr::V6(m), false, false) => {
            (f.ipv6_src, f.ipv6_src_mask) = (Some(a), Some(m))
        }
        (IpAddr::V4(a), IpAddr::V4(m), true, true) => {
            (f.enc_ipv4_dst, f.enc_ipv4_dst_mask) = (Some(a), Some(m))
        }
        (IpAddr::V4(a), IpAddr::V4(m), true, false) => {
            (f.enc_ipv4_src, f.enc_ipv4_src_mask) = (Some(a), Some(m))
        }
        (IpAddr::V6(a), IpAddr::V6(m), true, true) => {
            (f.enc_ipv6_dst, f.enc_ipv6_dst_mask) = (Some(a), Some(m))
        }
        (IpAddr::V6(a), IpAddr::V6(m), true, false) => {
            (f.enc_ipv6_src, f.enc_ipv6_src_mask) = (Some(a), Some(m))
        }
        // `prefix` gives an address and mask of one family.
        _ => {}
    }
}

/// `ADDR[/LEN]`: the address and its mask (all ones without a length).
fn prefix(v: &str) -> Result<(IpAddr, IpAddr)> {
    let net: ipnet::IpNet = match v.parse() {
        Ok(n) => n,
        Err(_) => v
            .parse::<IpAddr>()
            .with_context(|| format!("not an address: \"{v}\""))?
            .into(),
    };
    Ok((net.addr(), net.netmask()))
}

/// `MAC[/LEN|/MASK]`, the mask all ones when none is given.
fn mac(v: &str) -> Result<(Option<HwAddr>, Option<HwAddr>)> {
    let (addr, mask) = match v.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (v, None),
    };
    let addr: HwAddr = addr.parse()?;
    let mask = match mask {
        None => HwAddr::from([0xff; 6]),
        Some(m) => match m.parse::<u32>() {
            Ok(bits) => {
                ensure!(bits <= 48, "a MAC mask is at most 48 bits");
                let all = u64::MAX.checked_shl(64 - bits).unwrap_or(0);
                let b = all.to_be_bytes();
                HwAddr::from([b[0], b[1], b[2], b[3], b[4], b[5]])
            }
            Err(_) => m.parse()?,
        },
    };
    Ok((Some(addr), Some(mask)))
}

/// `VALUE[/MASK]` in C's bases, the mask `full` when none is given.
fn masked(v: &str, full: u32) -> Result<(u32, u32)> {
    let (val, mask) = match v.split_once('/') {
        Some((a, b)) => (number(a)?, number(b)?),
        None => (number(v)?, full),
    };
    ensure!(val <= full && mask <= full, "at most {full:#x}");
    Ok((val, mask))
}

/// `ip_tos`/`ip_ttl`: decimal or hex, the mask hex (all ones without).
fn tos_ttl(v: &str) -> Result<(Option<u8>, Option<u8>)> {
    let (val, mask) = match v.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let val = match val.parse::<u8>() {
        Ok(n) => n,
        Err(_) => u8::try_from(hex(val)?)?,
    };
    let mask = match mask {
        Some(m) => u8::try_from(hex(m)?)?,
        None => u8::MAX,
    };
    Ok((Some(val), Some(mask)))
}

/// A decimal `VALUE[/MASK]` of one byte (ICMP type and code, ARP op),
/// the value perhaps a name.
fn masked_u8(v: &str, name: Option<fn(&str) -> Option<u8>>) -> Result<(u8, u8)> {
    let (val, mask) = match v.split_once('/') {
        Some((a, b)) => (a, b.parse()?),
        None => (v, u8::MAX),
    };
    let val = match name.and_then(|n| n(val)) {
        Some(n) => n,
        None => val.parse()?,
    };
    Ok((val, mask))
}

fn arp_op(name: &str) -> Option<u8> {
    match name {
        "request" => Some(1),
        "reply" => Some(2),
        _ => None,
    }
}

/// `+trk-new...`: the state bits and the mask of those named.
fn ct_state(v: &str) -> Result<(u16, u16)> {
    let (mut state, mut mask) = (0u16, 0u16);
    let mut rest = v;
    while !rest.is_empty() {
        let (on, tail) = if let Some(t) = rest.strip_prefix('+') {
            (true, t)
        } else if let Some(t) = rest.strip_prefix('-') {
            (false, t)
        } else {
            bail!("each state starts with + or -");
        };
        let (bit, after) = CT_STATES
            .iter()
            .find_map(|(b, n)| tail.strip_prefix(n).map(|a| (*b, a)))
            .with_context(|| format!("unknown state in \"{tail}\""))?;
        if on {
            state |= bit;
        }
        mask |= bit;
        rest = after;
    }
    Ok((state, mask))
}

// ---- printing ------------------------------------------------------------

/// tc's `__mask_bits`: the length of a mask of leading ones, or `None`
/// when its ones are not contiguous.
fn mask_bits(mask: &[u8]) -> Option<u32> {
    let ones: u32 = mask.iter().map(|b| b.count_ones()).sum();
    let leading = mask.iter().fold((0u32, true), |(n, go), b| {
        if !go {
            (n, false)
        } else if *b == 0xff {
            (n + 8, true)
        } else {
            (n + b.leading_ones(), false)
        }
    });
    (leading.0 == ones).then_some(ones)
}

/// `ADDR[/LEN|/MASK]`, as tc prints an address key with its mask.
fn with_mask(addr: String, mask: &[u8], mask_text: impl FnOnce() -> String) -> String {
    match mask_bits(mask) {
        None => format!("{addr}/{}", mask_text()),
        Some(bits) if (bits as usize) < mask.len() * 8 => format!("{addr}/{bits}"),
        Some(_) => addr,
    }
}

/// The text and the JSON `keys` of a flower filter, built in tc's order.
struct Out {
    text: String,
    keys: Map<String, Value>,
}

impl Out {
    /// `\n  NAME VALUE` and `"NAME": json`.
    fn put(&mut self, name: &str, text: impl std::fmt::Display, json: Value) {
        self.text += &format!("\n  {name} {text}");
        self.keys.insert(name.into(), json);
    }

    /// A string key, the same in text and JSON.
    fn string(&mut self, name: &str, value: String) {
        self.text += &format!("\n  {name} {value}");
        self.keys.insert(name.into(), Value::String(value));
    }

    /// tc's `print_masked_*`: the number, then `/0xMASK` (and a hex
    /// `NAME_mask` string in JSON) unless the mask is all ones.
    fn masked(&mut self, name: &str, value: Option<u32>, mask: Option<u32>, full: u32) {
        let Some(v) = value else { return };
        self.put(name, v, json!(v));
        if let Some(m) = mask.filter(|m| *m != full) {
            self.text += &format!("/{m:#x}");
            self.keys
                .insert(format!("{name}_mask"), json!(format!("{m:x}")));
        }
    }

    /// tc's `flower_print_masked_u8`: `VALUE[/MASK]` as one string, the
    /// value perhaps a name when the mask is full.
    fn masked_u8(
        &mut self,
        name: &str,
        value: Option<u8>,
        mask: Option<u8>,
        word: fn(u8) -> Option<&'static str>,
    ) {
        let Some(v) = value else { return };
        let m = mask.unwrap_or(u8::MAX);
        let mut s = match word(v).filter(|_| m == u8::MAX) {
            Some(w) => w.to_string(),
            None => v.to_string(),
        };
        if m != u8::MAX {
            s += &format!("/{m}");
        }
        self.string(name, s);
    }

    fn mac(&mut self, name: &str, addr: Option<HwAddr>, mask: Option<HwAddr>) {
        let Some(a) = addr else { return };
        let s = match mask {
            Some(m) => with_mask(a.to_string(), m.as_ref(), || m.to_string()),
            None => a.to_string(),
        };
        self.string(name, s);
    }

    fn ip<A: Into<IpAddr> + Copy>(&mut self, name: &str, addr: Option<A>, mask: Option<A>) {
        let Some(a) = addr else { return };
        let a: IpAddr = a.into();
        let s = match mask.map(Into::into) {
            Some(IpAddr::V4(m)) => with_mask(a.to_string(), &m.octets(), || m.to_string()),
            Some(IpAddr::V6(m)) => with_mask(a.to_string(), &m.octets(), || m.to_string()),
            None => a.to_string(),
        };
        self.string(name, s);
    }

    fn port_range(&mut self, name: &str, min: Option<u16>, max: Option<u16>) {
        let (Some(lo), Some(hi)) = (min, max) else {
            return;
        };
        self.text += &format!("\n  {name} {lo}-{hi}");
        self.keys
            .insert(name.into(), json!({"start": lo, "end": hi}));
    }
}

fn no_word(_: u8) -> Option<&'static str> {
    None
}

fn arp_op_word(op: u8) -> Option<&'static str> {
    match op {
        1 => Some("request"),
        2 => Some("reply"),
        _ => None,
    }
}

/// tc's word for a flower ethertype (`ipv4`, not `ip`), or 4 hex digits.
fn eth_type_word(t: u16) -> String {
    match t {
        ETH_P_IP => "ipv4".into(),
        ETH_P_IPV6 => "ipv6".into(),
        ETH_P_ARP => "arp".into(),
        ETH_P_RARP => "rarp".into(),
        t => format!("{t:04x}"),
    }
}

fn ip_proto_word(p: u8) -> String {
    match p {
        IPPROTO_TCP => "tcp".into(),
        IPPROTO_UDP => "udp".into(),
        IPPROTO_SCTP => "sctp".into(),
        IPPROTO_ICMP => "icmp".into(),
        IPPROTO_ICMPV6 => "icmpv6".into(),
        p => format!("{p:02x}"),
    }
}

/// The keys of `f` in tc's order, text and JSON.
fn keys(f: &Flower) -> Out {
    let mut o = Out {
        text: String::new(),
        keys: Map::new(),
    };
    if let Some(n) = f.num_of_vlans {
        o.put("num_of_vlans", n, json!(n));
    }
    if let Some(v) = f.vlan_id {
        o.put("vlan_id", v, json!(v));
    }
    if let Some(v) = f.vlan_prio {
        o.put("vlan_prio", v, json!(v));
    }
    if let Some(t) = f.vlan_eth_type {
        o.string("vlan_ethtype", Protocol(t).to_string());
    }
    if let Some(v) = f.cvlan_id {
        o.put("cvlan_id", v, json!(v));
    }
    if let Some(v) = f.cvlan_prio {
        o.put("cvlan_prio", v, json!(v));
    }
    if let Some(t) = f.cvlan_eth_type {
        o.string("cvlan_ethtype", Protocol(t).to_string());
    }
    o.mac("dst_mac", f.eth_dst, f.eth_dst_mask);
    o.mac("src_mac", f.eth_src, f.eth_src_mask);
    let eth_type = f.eth_type.unwrap_or(0);
    if let Some(t) = f.eth_type {
        o.string("eth_type", eth_type_word(t));
    }
    let ip_proto = f.ip_proto;
    if let Some(p) = ip_proto {
        o.string("ip_proto", ip_proto_word(p));
    }
    let u8s = |v: Option<u8>| v.map(u32::from);
    o.masked("ip_tos", u8s(f.ip_tos), u8s(f.ip_tos_mask), 0xff);
    o.masked("ip_ttl", u8s(f.ip_ttl), u8s(f.ip_ttl_mask), 0xff);
    if !f.mpls_lses.is_empty() {
        o.text += "\n  mpls";
        let mut list = Vec::new();
        for l in &f.mpls_lses {
            o.text += &format!("\n    lse depth {}", l.depth);
            let mut m = Map::new();
            m.insert("depth".into(), json!(l.depth));
            let fields = [
                ("label", l.label),
                ("tc", l.tc.map(u32::from)),
                ("bos", l.bos.map(u32::from)),
                ("ttl", l.ttl.map(u32::from)),
            ];
            for (k, v) in fields {
                if let Some(v) = v {
                    o.text += &format!(" {k} {v}");
                    m.insert(k.into(), json!(v));
                }
            }
            list.push(Value::Object(m));
        }
        o.keys.insert("mpls".into(), Value::Array(list));
    }
    if let Some(l) = f.mpls_label {
        o.put("mpls_label", l, json!(l));
    }
    o.masked_u8("mpls_tc", f.mpls_tc, None, no_word);
    o.masked_u8("mpls_bos", f.mpls_bos, None, no_word);
    o.masked_u8("mpls_ttl", f.mpls_ttl, None, no_word);
    // Addresses and ports print only for the family and protocol the
    // filter names, as tc does.
    match eth_type {
        ETH_P_IP => {
            o.ip("dst_ip", f.ipv4_dst, f.ipv4_dst_mask);
            o.ip("src_ip", f.ipv4_src, f.ipv4_src_mask);
        }
        ETH_P_IPV6 => {
            o.ip("dst_ip", f.ipv6_dst, f.ipv6_dst_mask);
            o.ip("src_ip", f.ipv6_src, f.ipv6_src_mask);
        }
        _ => {}
    }
    let u16s = |v: Option<u16>| v.map(u32::from);
    let ports = match ip_proto {
        Some(IPPROTO_TCP) => Some([f.tcp_dst, f.tcp_dst_mask, f.tcp_src, f.tcp_src_mask]),
        Some(IPPROTO_UDP) => Some([f.udp_dst, f.udp_dst_mask, f.udp_src, f.udp_src_mask]),
        Some(IPPROTO_SCTP) => Some([f.sctp_dst, f.sctp_dst_mask, f.sctp_src, f.sctp_src_mask]),
        _ => None,
    };
    if let Some([dst, dst_mask, src, src_mask]) = ports {
        o.masked("dst_port", u16s(dst), u16s(dst_mask), 0xffff);
        o.masked("src_port", u16s(src), u16s(src_mask), 0xffff);
        o.port_range("dst_port", f.port_dst_min, f.port_dst_max);
        o.port_range("src_port", f.port_src_min, f.port_src_max);
    }
    if let Some(flags) = f.tcp_flags {
        let mut s = format!("{flags:#x}");
        if let Some(m) = f.tcp_flags_mask {
            s += &format!("/{m:x}");
        }
        o.string("tcp_flags", s);
    }
    let icmp = match (eth_type, ip_proto) {
        (ETH_P_IP, Some(IPPROTO_ICMP)) => Some([
            (f.icmpv4_type, f.icmpv4_type_mask),
            (f.icmpv4_code, f.icmpv4_code_mask),
        ]),
        (ETH_P_IPV6, Some(IPPROTO_ICMPV6)) => Some([
            (f.icmpv6_type, f.icmpv6_type_mask),
            (f.icmpv6_code, f.icmpv6_code_mask),
        ]),
        _ => None,
    };
    if let Some([(t, tm), (c, cm)]) = icmp {
        o.masked_u8("icmp_type", t, tm, no_word);
        o.masked_u8("icmp_code", c, cm, no_word);
    }
    o.ip("arp_sip", f.arp_sip, f.arp_sip_mask);
    o.ip("arp_tip", f.arp_tip, f.arp_tip_mask);
    o.masked_u8("arp_op", f.arp_op, f.arp_op_mask, arp_op_word);
    o.mac("arp_sha", f.arp_sha, f.arp_sha_mask);
    o.mac("arp_tha", f.arp_tha, f.arp_tha_mask);
    if let Some(s) = f.pppoe_sid {
        o.put("pppoe_sid", s, json!(s));
    }
    if let Some(p) = f.ppp_proto {
        let word = PPP_PROTOCOLS
            .iter()
            .find(|(v, _)| *v == p)
            .map_or_else(|| format!("[{p}]"), |(_, n)| (*n).to_string());
        o.string("ppp_proto", word);
    }
    // tc shows the IPv4 tunnel address when its mask is there, else the
    // IPv6 one.
    if f.enc_ipv4_dst_mask.is_some() {
        o.ip("enc_dst_ip", f.enc_ipv4_dst, f.enc_ipv4_dst_mask);
    } else {
        o.ip("enc_dst_ip", f.enc_ipv6_dst, f.enc_ipv6_dst_mask);
    }
    if f.enc_ipv4_src_mask.is_some() {
        o.ip("enc_src_ip", f.enc_ipv4_src, f.enc_ipv4_src_mask);
    } else {
        o.ip("enc_src_ip", f.enc_ipv6_src, f.enc_ipv6_src_mask);
    }
    if let Some(id) = f.enc_key_id {
        o.put("enc_key_id", id, json!(id));
    }
    o.masked(
        "enc_dst_port",
        u16s(f.enc_udp_dst_port),
        u16s(f.enc_udp_dst_port_mask),
        0xffff,
    );
    o.masked("enc_tos", u8s(f.enc_ip_tos), u8s(f.enc_ip_tos_mask), 0xff);
    o.masked("enc_ttl", u8s(f.enc_ip_ttl), u8s(f.enc_ip_ttl_mask), 0xff);
    if let Some(mask) = f.key_flags_mask {
        let on = f.key_flags.unwrap_or(0);
        let named: Vec<_> = IP_FLAGS.iter().filter(|(b, _)| mask & b != 0).collect();
        if !named.is_empty() {
            let words: Vec<String> = named
                .iter()
                .map(|(b, n)| {
                    if on & b != 0 {
                        n.to_string()
                    } else {
                        format!("no{n}")
                    }
                })
                .collect();
            o.text += &format!("\n  ip_flags {}", words.join("/"));
            let obj: Map<String, Value> = named
                .iter()
                .map(|(b, n)| (n.to_string(), json!(on & b != 0)))
                .collect();
            o.keys.insert("ip_flags".into(), Value::Object(obj));
        }
    }
    if let Some(state) = f.ct_state {
        let mask = f.ct_state_mask.unwrap_or(u16::MAX);
        let s: String = CT_STATES
            .iter()
            .filter(|(b, _)| mask & b != 0)
            .map(|(b, n)| format!("{}{n}", if state & b != 0 { '+' } else { '-' }))
            .collect();
        o.string("ct_state", s);
    }
    let zone = |v: Option<u16>| v.map(u32::from);
    o.masked("ct_zone", zone(f.ct_zone), zone(f.ct_zone_mask), 0xffff);
    o.masked("ct_mark", f.ct_mark, f.ct_mark_mask, u32::MAX);
    if let Some(label) = &f.ct_labels {
        let mut s = hex_string(label);
        let full = label.len() == 16
            && f.ct_labels_mask
                .as_ref()
                .is_some_and(|m| m.iter().take(label.len()).all(|b| *b == 0xff));
        if !full && let Some(m) = &f.ct_labels_mask {
            s += "/";
            s += &hex_string(m.get(..label.len()).unwrap_or(m));
        }
        o.string("ct_label", s);
    }
    o
}

/// The options part of `tc filter show` for a flower filter: `handle`,
/// the class, the indev, the keys, the flags; the caller adds actions.
pub fn text(f: &Flower, handle: u32) -> String {
    let mut s = String::new();
    if handle != 0 {
        s += &format!("handle {handle:#x} ");
    }
    match f.classid.map(hw_tc) {
        Some(Ok(tc)) => s += &format!("hw_tc {tc} "),
        Some(Err(c)) => s += &format!("classid {c} "),
        None => {}
    }
    if let Some(dev) = &f.indev {
        s += &format!("\n  indev {dev}");
    }
    s += &keys(f).text;
    for (word, _) in flag_words(f) {
        s += &format!("\n  {word}");
        if word == "in_hw"
            && let Some(n) = f.in_hw_count
        {
            s += &format!(" in_hw_count {n}");
        }
    }
    s
}

/// `tc -j filter show`'s `options` of a flower filter, but for actions.
pub fn json(f: &Flower, handle: u32) -> Map<String, Value> {
    let mut o = Map::new();
    if handle != 0 {
        o.insert("handle".into(), json!(handle));
    }
    match f.classid.map(hw_tc) {
        Some(Ok(tc)) => {
            o.insert("hw_tc".into(), json!(tc));
        }
        Some(Err(c)) => {
            o.insert("classid".into(), json!(c.to_string()));
        }
        None => {}
    }
    if let Some(dev) = &f.indev {
        o.insert("indev".into(), json!(dev));
    }
    o.insert("keys".into(), Value::Object(keys(f).keys));
    for (word, _) in flag_words(f) {
        o.insert(word.into(), json!(true));
        if word == "in_hw"
            && let Some(n) = f.in_hw_count
        {
            o.insert("in_hw_count".into(), json!(n));
        }
    }
    o
}

/// A class that is a hardware traffic class (`hw_tc N`), or the class.
fn hw_tc(classid: u32) -> std::result::Result<u32, TcHandle> {
    let minor = classid & 0xffff;
    if (HW_TC_BASE..HW_TC_BASE + HW_TC_COUNT).contains(&minor) {
        Ok(minor - HW_TC_BASE)
    } else {
        Err(TcHandle(classid))
    }
}

/// The flags tc prints, in its order (`in_hw` hides `not_in_hw`).
fn flag_words(f: &Flower) -> Vec<(&'static str, u32)> {
    let flags = f.flags.unwrap_or(0);
    let mut out: Vec<(&'static str, u32)> = [(SKIP_HW, "skip_hw"), (SKIP_SW, "skip_sw")]
        .into_iter()
        .filter(|(b, _)| flags & b != 0)
        .map(|(b, w)| (w, b))
        .collect();
    if flags & IN_HW != 0 {
        out.push(("in_hw", IN_HW));
    } else if flags & NOT_IN_HW != 0 {
        out.push(("not_in_hw", NOT_IN_HW));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_print_as_tc_does() {
        assert_eq!(mask_bits(&[0xff, 0xff, 0xff, 0]), Some(24));
        assert_eq!(mask_bits(&[0xff, 0, 0xff, 0]), None);
        assert_eq!(mask_bits(&[0xf0, 0, 0, 0]), Some(4));
        assert_eq!(mask_bits(&[0, 0, 0, 0]), Some(0));
        let m = || "x".to_string();
        assert_eq!(with_mask("a".into(), &[0xff; 4], m), "a");
        assert_eq!(with_mask("a".into(), &[0xff, 0xff, 0, 0], m), "a/16");
        assert_eq!(with_mask("a".into(), &[0xff, 0, 0xff, 0], m), "a/x");
    }

    #[test]
    fn words_read_as_tc_reads_them() {
        assert_eq!(ct_state("+trk+est").ok(), Some((10, 10)));
        assert_eq!(ct_state("+trk-new").ok(), Some((8, 9)));
        assert!(ct_state("trk").is_err());
        assert!(ct_state("+bogus").is_err());
        let (a, m) = mac("02:00:00:00:00:01/24").ok().unzip();
        assert_eq!(
            a.flatten().map(|x| x.to_string()).as_deref(),
            Some("02:00:00:00:00:01")
        );
        assert_eq!(
            m.flatten().map(|x| x.to_string()).as_deref(),
            Some("ff:ff:ff:00:00:00")
        );
        assert_eq!(tos_ttl("0x10/f0").ok(), Some((Some(16), Some(0xf0))));
        assert_eq!(tos_ttl("64").ok(), Some((Some(64), Some(0xff))));
        assert_eq!(masked_u8("reply", Some(arp_op)).ok(), Some((2, 0xff)));
        assert_eq!(masked("5/0xf", 0xffff).ok(), Some((5, 15)));
        assert!(masked("70000", 0xffff).is_err());
        assert_eq!(hw_tc(0x1_ffe3).ok(), Some(3));
        assert_eq!(eth_type_word(0x8847), "8847");
        assert_eq!(ip_proto_word(47), "2f");
    }

    #[test]
    fn mpls_label_stacks_read_and_print_as_tc() -> Result<()> {
        let mut args = Args::split("lse depth 1 label 100 tc 3 lse depth 2 bos 1 ttl 9 skip_sw");
        let lses = mpls_lses(&mut args)?;
        assert_eq!(args.peek(), Some("skip_sw"));
        let f = Flower {
            eth_type: Some(ETH_P_MPLS_UC),
            mpls_lses: lses,
            ..Flower::default()
        };
        let out = keys(&f);
        assert_eq!(
            out.text,
            "\n  eth_type 8847\n  mpls\n    lse depth 1 label 100 tc 3\n    lse depth 2 bos 1 ttl 9"
        );
        assert_eq!(
            out.keys.get("mpls"),
            Some(&json!([{"depth": 1, "label": 100, "tc": 3}, {"depth": 2, "bos": 1, "ttl": 9}]))
        );
        assert!(mpls_lses(&mut Args::split("lse label 1")).is_err());
        assert!(mpls_lses(&mut Args::split("lse depth 1 tc 8")).is_err());
        assert!(mpls_lses(&mut Args::split("depth 1")).is_err());
        Ok(())
    }

    #[test]
    fn keys_follow_the_protocol_named_first() {
        let mut st = State {
            eth_type: ETH_P_IP,
            vlan_eth_type: 0,
            ip_proto: None,
            ip_flags: (0, 0),
        };
        let mut f = Flower::default();
        let p = TcHandle::NONE;
        assert!(key(&mut f, &mut st, p, "dst_port", "80").is_err());
        assert!(key(&mut f, &mut st, p, "dst_ip", "2001:db8::1").is_err());
        assert!(key(&mut f, &mut st, p, "ip_proto", "icmpv6").is_err());
        assert!(key(&mut f, &mut st, p, "vlan_id", "5").is_err());
        assert!(key(&mut f, &mut st, p, "mpls_label", "5").is_err());
        assert!(key(&mut f, &mut st, p, "ip_proto", "tcp").is_ok());
        assert!(key(&mut f, &mut st, p, "dst_port", "0").is_err());
        assert!(key(&mut f, &mut st, p, "dst_port", "90-80").is_err());
        assert!(key(&mut f, &mut st, p, "dst_port", "80").is_ok());
        assert!(key(&mut f, &mut st, p, "src_port", "1024-2048").is_ok());
        assert!(key(&mut f, &mut st, p, "dst_ip", "192.0.2.0/24").is_ok());
        assert!(key(&mut f, &mut st, p, "type", "8").is_err());
        assert_eq!((f.tcp_dst, f.tcp_dst_mask), (Some(80), None));
        assert_eq!((f.port_src_min, f.port_src_max), (Some(1024), Some(2048)));
        assert_eq!(
            f.ipv4_dst_mask.map(|m| m.to_string()).as_deref(),
            Some("255.255.255.0")
        );
        // The kernel reports the ethertype the filter's protocol set.
        f.eth_type = Some(ETH_P_IP);
        let text = keys(&f).text;
        assert!(text.contains("\n  dst_ip 192.0.2.0/24"), "{text}");
    }
}
