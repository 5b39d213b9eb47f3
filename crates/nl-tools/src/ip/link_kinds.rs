//! `ip link add NAME type KIND ARGS` for the tunnel, redundancy, CAN and
//! modem kinds (vti, vti6, bareudp, ipoib, vcan, team, hsr, amt, nlmon,
//! virt_wifi, batadv, wwan, rmnet, dsa, vsockmon, lowpan), with iproute2's words (`link_vti.c`,
//! `iplink_hsr.c` ...). vxcan takes veth's `peer` words in `link.rs`.

use std::net::{IpAddr, Ipv4Addr};

use anyhow::{Context, Result, bail};
use netlink::LinkKind;
use netlink::nl_route::kind::bareudp::ethertype_from_name;
use netlink::nl_route::kind::{
    Amt, AmtMode, Bareudp, Batadv, Dsa, Hsr, HsrProtocol, Ipoib, IpoibMode, Rmnet, Vti, Wwan,
};

use super::Ip;
use crate::args::{Args, number};

/// The kind `kind` with its words from `args`; `None` for a kind not
/// handled here.
pub fn kind_args(ip: &Ip<'_>, kind: &str, args: &mut Args<'_>) -> Result<Option<LinkKind>> {
    Ok(Some(match kind {
        "vti" | "vti6" => {
            let v = vti(ip, kind, args)?;
            if kind == "vti" {
                LinkKind::Vti(v)
            } else {
                LinkKind::Vti6(v)
            }
        }
        "bareudp" => LinkKind::Bareudp(bareudp(args)?),
        "ipoib" => LinkKind::Ipoib(ipoib(args)?),
        "hsr" => LinkKind::Hsr(hsr(ip, args)?),
        "amt" => LinkKind::Amt(amt(ip, args)?),
        "batadv" => {
            let mut b = Batadv::default();
            while let Some(w) = args.next() {
                match w {
                    "ra" => b.algo_name = Some(args.value(w)?.to_string()),
                    other => bail!("Unknown argument \"{other}\""),
                }
            }
            LinkKind::Batadv(b)
        }
        "wwan" => {
            let mut x = Wwan::default();
            while let Some(w) = args.next() {
                match w {
                    "linkid" => x.link_id = Some(number(args.value(w)?)?),
                    other => bail!("wwan: unknown command \"{other}\"?"),
                }
            }
            LinkKind::Wwan(x)
        }
        "rmnet" => {
            let mut r = Rmnet::default();
            while let Some(w) = args.next() {
                match w {
                    "mux_id" => r.mux_id = Some(u16_arg(args.value(w)?)?),
                    other => bail!("rmnet: unknown command \"{other}\"?"),
                }
            }
            LinkKind::Rmnet(r)
        }
        "dsa" => {
            let mut d = Dsa::default();
            while let Some(w) = args.next() {
                match w {
                    "conduit" | "master" => d.conduit = Some(ip.link_index(args.value(w)?)?),
                    other => bail!("dsa: unknown command \"{other}\"?"),
                }
            }
            LinkKind::Dsa(d)
        }
        "vcan" | "team" | "nlmon" | "virt_wifi" | "vsockmon" | "lowpan" => {
            if let Some(w) = args.next() {
                bail!("{kind}: unknown option \"{w}\"");
            }
            match kind {
                "vcan" => LinkKind::Vcan,
                "team" => LinkKind::Team,
                "nlmon" => LinkKind::Nlmon,
                "vsockmon" => LinkKind::Vsockmon,
                "lowpan" => LinkKind::Lowpan,
                _ => LinkKind::VirtWifi,
            }
        }
        _ => return Ok(None),
    }))
}

/// A 16-bit number as `get_u16(.., 0)` reads it (`0x` hex).
fn u16_arg(s: &str) -> Result<u16> {
    u16::try_from(number(s)?).with_context(|| format!("\"{s}\" is out of range"))
}

/// A tunnel key as `tnl_parse_key` reads it: a dotted quad, or a number.
fn key(s: &str) -> Result<u32> {
    if s.contains('.') {
        let a: Ipv4Addr = s.parse().with_context(|| format!("invalid key \"{s}\""))?;
        return Ok(u32::from(a));
    }
    number(s)
}

fn vti(ip: &Ip<'_>, kind: &str, args: &mut Args<'_>) -> Result<Vti> {
    // ip sends both keys and the mark always, 0 when not given.
    let mut v = Vti {
        ikey: Some(0),
        okey: Some(0),
        fwmark: Some(0),
        ..Vti::default()
    };
    let v6 = kind == "vti6";
    while let Some(w) = args.next() {
        match w {
            "key" => {
                let k = key(args.value(w)?)?;
                (v.ikey, v.okey) = (Some(k), Some(k));
            }
            "ikey" => v.ikey = Some(key(args.value(w)?)?),
            "okey" => v.okey = Some(key(args.value(w)?)?),
            "remote" | "local" => {
                let a: IpAddr = args.parse(w)?;
                if a.is_ipv6() != v6 {
                    bail!(
                        "{kind}: \"{a}\" is not an IPv{} address",
                        if v6 { 6 } else { 4 }
                    );
                }
                if w == "remote" {
                    v.remote = Some(a);
                } else {
                    v.local = Some(a);
                }
            }
            "dev" => v.link = Some(ip.link_index(args.value(w)?)?),
            "fwmark" => v.fwmark = Some(number(args.value(w)?)?),
            other => bail!("{kind}: unknown option \"{other}\""),
        }
    }
    Ok(v)
}

fn bareudp(args: &mut Args<'_>) -> Result<Bareudp> {
    let mut b = Bareudp::default();
    while let Some(w) = args.next() {
        match w {
            "dstport" => b.port = Some(u16_arg(args.value(w)?)?),
            "ethertype" => {
                let t = args.value(w)?;
                b.ethertype = Some(
                    ethertype_from_name(t).with_context(|| format!("invalid ethertype \"{t}\""))?,
                );
            }
            "srcportmin" => b.srcport_min = Some(u16_arg(args.value(w)?)?),
            "multiproto" => b.multiproto_mode = Some(true),
            "nomultiproto" => b.multiproto_mode = None,
            other => bail!("bareudp: unknown command \"{other}\"?"),
        }
    }
    if b.port.is_none() {
        bail!("missing argument \"dstport\"");
    }
    if b.ethertype.is_none() {
        bail!("missing argument \"ethertype\"");
    }
    Ok(b)
}

fn ipoib(args: &mut Args<'_>) -> Result<Ipoib> {
    let mut i = Ipoib::default();
    while let Some(w) = args.next() {
        match w {
            "pkey" => i.pkey = Some(u16_arg(args.value(w)?)?),
            "mode" => i.mode = Some(args.value(w)?.parse::<IpoibMode>()?),
            "umcast" => i.umcast = Some(u16_arg(args.value(w)?)?),
            other => bail!("ipoib: unknown option \"{other}\"?"),
        }
    }
    Ok(i)
}

fn hsr(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Hsr> {
    let mut h = Hsr::default();
    let u8_arg = |s: &str| -> Result<u8> {
        u8::try_from(number(s)?).with_context(|| format!("\"{s}\" is out of range"))
    };
    while let Some(w) = args.next() {
        match w {
            "supervision" => h.multicast_spec = Some(u8_arg(args.value(w)?)?),
            "version" => match u8_arg(args.value(w)?)? {
                v @ (0 | 1) => h.version = Some(v),
                v => bail!("version is invalid: \"{v}\""),
            },
            "proto" => {
                h.protocol = Some(match u8_arg(args.value(w)?)? {
                    0 => HsrProtocol::Hsr,
                    1 => HsrProtocol::Prp,
                    p => bail!("protocol is invalid: \"{p}\""),
                })
            }
            "slave1" => h.slave1 = Some(ip.link_index(args.value(w)?)?),
            "slave2" => h.slave2 = Some(ip.link_index(args.value(w)?)?),
            "interlink" => h.interlink = Some(ip.link_index(args.value(w)?)?),
            other => bail!("hsr: what is \"{other}\"?"),
        }
    }
    Ok(h)
}

fn amt(ip: &Ip<'_>, args: &mut Args<'_>) -> Result<Amt> {
    let mut a = Amt::default();
    while let Some(w) = args.next() {
        match w {
            "mode" => a.mode = Some(args.value(w)?.parse::<AmtMode>()?),
            "relay_port" => a.relay_port = Some(u16_arg(args.value(w)?)?),
            "gateway_port" => a.gateway_port = Some(u16_arg(args.value(w)?)?),
            "max_tunnels" => a.max_tunnels = Some(number(args.value(w)?)?),
            "dev" => a.link = Some(ip.link_index(args.value(w)?)?),
            "local" => a.local = Some(args.parse(w)?),
            "discovery" => a.discovery = Some(args.parse(w)?),
            other => bail!("amt: unknown command \"{other}\"?"),
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use netlink::nl_route::kind::{Hsr, HsrProtocol, Ipoib, IpoibMode};
    use netlink::{Link, LinkFlags, LinkKind};
    use serde_json::json;

    use crate::json::{self, Names};

    /// `ip -j -d link show`'s `linkinfo` of `link`, with link 3 named p1.
    fn linkinfo(link: &Link) -> serde_json::Value {
        let names: Names = [(3, ("p1".to_string(), LinkFlags::empty()))].into();
        json::link(link, &names, true, false)["linkinfo"].clone()
    }

    #[test]
    fn kinds_print_their_json_as_ip() {
        // hsr_print_opt: a missing port is null, the sequence a number.
        let hsr = Hsr {
            slave2: None,
            seq_nr: Some(64511),
            ..Hsr::new(3, 0, HsrProtocol::Prp)
        };
        let link = Link::new("prp0").kind(LinkKind::Hsr(hsr));
        assert_eq!(
            linkinfo(&link),
            json!({"info_kind": "hsr", "info_data": {
                "slave1": "p1", "slave2": null, "seq_nr": 64511, "proto": 1}})
        );
        // ipoib_print_opt: the pkey under "key", hex.
        let ipoib = Ipoib {
            pkey: Some(0x8001),
            mode: Some(IpoibMode::Datagram),
            umcast: Some(0),
        };
        let link = Link::new("ib0.8001").kind(LinkKind::Ipoib(ipoib));
        assert_eq!(
            linkinfo(&link),
            json!({"info_kind": "ipoib", "info_data": {
                "key": "0x8001", "mode": "datagram", "umcast": "0000"}})
        );
        // No settings, no info_data.
        let link = Link::new("t0").kind(LinkKind::Team);
        assert_eq!(linkinfo(&link), json!({"info_kind": "team"}));
    }
}
