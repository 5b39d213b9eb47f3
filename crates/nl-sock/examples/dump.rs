//! Dumps this host's links and addresses with nl-sock and nl-wire alone
//! (no family crate): the layer everything else stands on.
//!
//! `cargo run -p nl-sock --example dump`

use std::collections::BTreeMap;

use anyhow::Result;
use nl_sock::Socket;
use nl_wire::netlink::{NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{AttrTable, MsgBuilder};

// <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h>
const RTM_GETLINK: u16 = 18;
const RTM_GETADDR: u16 = 22;
const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_OPERSTATE: u16 = 16;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_LABEL: u16 = 3;
const IFF_UP: u32 = 1;

fn main() -> Result<()> {
    let mut sock = Socket::open(NETLINK_ROUTE)?;
    sock.set_strict(true)?;

    // struct ifinfomsg (16 bytes): family, pad, type, index, flags, change.
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(&mut req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    m.header(&[0u8; 16]);
    m.finish()?;
    let mut names = BTreeMap::new();
    let mut dump = sock.dump(&mut req)?;
    while let Some(msg) = dump.next() {
        let msg = msg?;
        let p = msg.payload();
        let index = i32::from_ne_bytes(p.get(4..8).unwrap_or(&[0; 4]).try_into()?);
        let flags = u32::from_ne_bytes(p.get(8..12).unwrap_or(&[0; 4]).try_into()?);
        let tb: AttrTable<'_, 64> = msg.attrs_after(16).table()?;
        let name = tb.cstr(IFLA_IFNAME)?.unwrap_or("?").to_string();
        let state = match tb.u8(IFLA_OPERSTATE)? {
            Some(6) => "UP",
            Some(2) => "DOWN",
            Some(0) => "UNKNOWN",
            Some(_) => "OTHER",
            None => "-",
        };
        println!(
            "{index}: {name}: <{}> mtu {} state {state} link {}",
            if flags & IFF_UP != 0 { "UP" } else { "DOWN" },
            tb.u32(IFLA_MTU)?.unwrap_or(0),
            tb.hwaddr(IFLA_ADDRESS)?
                .map(|a| a.to_string())
                .unwrap_or_default(),
        );
        names.insert(index, name);
    }
    drop(dump);

    // struct ifaddrmsg (8 bytes): family, prefixlen, flags, scope, index.
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(&mut req, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
    m.header(&[0u8; 8]);
    m.finish()?;
    let mut dump = sock.dump(&mut req)?;
    while let Some(msg) = dump.next() {
        let msg = msg?;
        let p = msg.payload();
        let (family, prefix) = (
            p.first().copied().unwrap_or(0),
            p.get(1).copied().unwrap_or(0),
        );
        let index = i32::from_ne_bytes(p.get(4..8).unwrap_or(&[0; 4]).try_into()?);
        let tb: AttrTable<'_, 16> = msg.attrs_after(8).table()?;
        let addr = tb.ip(IFA_LOCAL)?.or(tb.ip(IFA_ADDRESS)?);
        println!(
            "{index}: {}    {} {}/{prefix} {}",
            names.get(&index).map_or("?", String::as_str),
            if family == 2 { "inet" } else { "inet6" },
            addr.map(|a| a.to_string()).unwrap_or_default(),
            tb.cstr(IFA_LABEL)?.unwrap_or(""),
        );
    }
    Ok(())
}
