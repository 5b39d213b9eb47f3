//! The VM tier's smoke test: link kinds this host's kernel lacks (dummy,
//! 802.1Q and 802.1ad vlan), created, read back and deleted with
//! hand-built requests over nl-wire + nl-sock only. Here they skip with
//! the kernel's reason ("Unknown device type"); under `tests/vm/run`,
//! which boots a full Debian kernel in strict mode, they must pass.

use anyhow::{Context, Result, ensure};
use netlink_tests::{Netns, in_netns, need_feature};
use nl_sock::{ErrorKind, Socket};
use nl_wire::netlink::{NETLINK_ROUTE, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use nl_wire::{Attrs, Msg, MsgBuilder};

// <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_ether.h>
const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTM_GETLINK: u16 = 18;
const IFLA_IFNAME: u16 = 3;
const IFLA_LINK: u16 = 5;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_VLAN_ID: u16 = 1;
const IFLA_VLAN_PROTOCOL: u16 = 5;
const ETH_P_8021Q: u16 = 0x8100;
const ETH_P_8021AD: u16 = 0x88a8;
const IFINFOMSG_LEN: usize = 16;

/// What the smoke test reads back from an RTM_NEWLINK reply.
#[derive(Debug, Default)]
struct Link {
    index: i32,
    name: String,
    kind: Option<String>,
    lower: Option<u32>,
    vlan_id: Option<u16>,
    vlan_protocol: Option<u16>,
}

fn parse_link(msg: &Msg<'_>) -> Result<Link> {
    let ifi = msg
        .payload()
        .get(..IFINFOMSG_LEN)
        .context("RTM_NEWLINK shorter than struct ifinfomsg")?;
    let mut link = Link {
        index: i32::from_ne_bytes(ifi[4..8].try_into()?),
        ..Link::default()
    };
    for attr in msg.attrs_after(IFINFOMSG_LEN) {
        let attr = attr?;
        match attr.ty() {
            IFLA_IFNAME => link.name = attr.cstr()?.to_string(),
            IFLA_LINK => link.lower = Some(attr.u32()?),
            IFLA_LINKINFO => parse_linkinfo(attr.nested(), &mut link)?,
            _ => {}
        }
    }
    Ok(link)
}

/// IFLA_LINKINFO: the kind, and for a vlan its IFLA_INFO_DATA. The kernel
/// puts IFLA_INFO_KIND first, so the kind is known when the data comes.
fn parse_linkinfo(attrs: Attrs<'_>, link: &mut Link) -> Result<()> {
    for info in attrs {
        let info = info?;
        match info.ty() {
            IFLA_INFO_KIND => link.kind = Some(info.cstr()?.to_string()),
            IFLA_INFO_DATA if link.kind.as_deref() == Some("vlan") => {
                for data in info.nested() {
                    let data = data?;
                    match data.ty() {
                        IFLA_VLAN_ID => link.vlan_id = Some(data.u16()?),
                        IFLA_VLAN_PROTOCOL => link.vlan_protocol = Some(data.be16()?),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// RTM_GETLINK by name; `None` when the kernel has no such link (ENODEV).
fn get_link(sock: &mut Socket, name: &str) -> Result<Option<Link>> {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(&mut req, RTM_GETLINK, NLM_F_REQUEST);
    m.header(&[0u8; IFINFOMSG_LEN]).put_str(IFLA_IFNAME, name);
    m.finish()?;
    let mut reply = None;
    let mut parsed = Ok(());
    let acked = sock.exchange(&mut req, |msg| {
        if msg.ty() == RTM_NEWLINK {
            match parse_link(&msg) {
                Ok(link) => reply = Some(link),
                Err(e) => parsed = Err(e),
            }
        }
        Ok(())
    });
    match acked {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        other => other.with_context(|| format!("RTM_GETLINK {name}"))?,
    };
    parsed?;
    Ok(reply)
}

/// RTM_NEWLINK of `kind` named `name`; `lower` and `data` fill IFLA_LINK and
/// IFLA_INFO_DATA.
fn new_link(
    name: &str,
    kind: &str,
    lower: Option<i32>,
    data: impl FnOnce(&mut MsgBuilder<'_>),
) -> Result<Vec<u8>> {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(
        &mut req,
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
    );
    m.header(&[0u8; IFINFOMSG_LEN]).put_str(IFLA_IFNAME, name);
    if let Some(lower) = lower {
        m.put_i32(IFLA_LINK, lower);
    }
    m.nest(IFLA_LINKINFO, |m| {
        m.put_str(IFLA_INFO_KIND, kind).nest(IFLA_INFO_DATA, data);
    });
    m.finish()?;
    Ok(req)
}

fn del_link(sock: &mut Socket, name: &str) -> Result<()> {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(&mut req, RTM_DELLINK, NLM_F_REQUEST);
    m.header(&[0u8; IFINFOMSG_LEN]).put_str(IFLA_IFNAME, name);
    m.finish()?;
    sock.request(&mut req)
        .with_context(|| format!("RTM_DELLINK {name}"))?;
    Ok(())
}

/// Creates a dummy link, skipping when the kernel has no dummy driver.
fn add_dummy(sock: &mut Socket, name: &str) -> Result<Link> {
    let mut req = new_link(name, "dummy", None, |_| {})?;
    need_feature(sock.request(&mut req), "dummy links (CONFIG_DUMMY)")?;
    get_link(sock, name)?.with_context(|| format!("{name} missing after creation"))
}

/// `ip -d -j link show NAME`'s `linkinfo` object.
fn ip_linkinfo(ns: &Netns, name: &str) -> Result<serde_json::Value> {
    let shown = ns.ip_json(["-d", "link", "show", "dev", name])?;
    Ok(shown[0]["linkinfo"].clone())
}

#[test]
fn dummy_link_create_read_back_delete() {
    in_netns("dummy_link_create_read_back_delete", |ns| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        let dummy = add_dummy(&mut sock, "vmdummy0")?;
        ensure!(dummy.name == "vmdummy0", "{dummy:?}");
        ensure!(dummy.kind.as_deref() == Some("dummy"), "{dummy:?}");
        ensure!(dummy.index > 1, "{dummy:?}");
        let info = ip_linkinfo(ns, "vmdummy0")?;
        ensure!(info["info_kind"] == "dummy", "ip says {info}");

        // Creating it again is EEXIST, a typed error.
        let mut again = new_link("vmdummy0", "dummy", None, |_| {})?;
        let err = sock.request(&mut again).unwrap_err();
        ensure!(err.kind() == ErrorKind::Exists, "{err:?}");

        del_link(&mut sock, "vmdummy0")?;
        ensure!(get_link(&mut sock, "vmdummy0")?.is_none(), "still there");
        Ok(())
    });
}

#[test]
fn vlan_8021q_and_8021ad_on_dummy() {
    in_netns("vlan_8021q_and_8021ad_on_dummy", |ns| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        let lower = add_dummy(&mut sock, "vmlower0")?;
        for (name, id, protocol, ip_name) in [
            ("vmlower0.100", 100, ETH_P_8021Q, "802.1Q"),
            ("vmlower0.200", 200, ETH_P_8021AD, "802.1ad"),
        ] {
            let mut req = new_link(name, "vlan", Some(lower.index), |m| {
                m.put_u16(IFLA_VLAN_ID, id)
                    .put_be16(IFLA_VLAN_PROTOCOL, protocol);
            })?;
            need_feature(sock.request(&mut req), "vlan links (CONFIG_VLAN_8021Q)")?;
            let vlan = get_link(&mut sock, name)?.with_context(|| format!("{name} missing"))?;
            ensure!(vlan.kind.as_deref() == Some("vlan"), "{vlan:?}");
            ensure!(vlan.lower == u32::try_from(lower.index).ok(), "{vlan:?}");
            ensure!(vlan.vlan_id == Some(id), "{vlan:?}");
            ensure!(vlan.vlan_protocol == Some(protocol), "{vlan:?}");
            // iproute2 reads the same link the same way.
            let info = ip_linkinfo(ns, name)?;
            ensure!(info["info_kind"] == "vlan", "ip says {info}");
            ensure!(info["info_data"]["id"] == id, "ip says {info}");
            ensure!(info["info_data"]["protocol"] == ip_name, "ip says {info}");
        }

        del_link(&mut sock, "vmlower0.100")?;
        ensure!(get_link(&mut sock, "vmlower0.100")?.is_none());
        ensure!(get_link(&mut sock, "vmlower0.200")?.is_some());
        // Deleting the lower link takes its remaining vlan with it.
        del_link(&mut sock, "vmlower0")?;
        ensure!(get_link(&mut sock, "vmlower0")?.is_none());
        ensure!(get_link(&mut sock, "vmlower0.200")?.is_none());
        Ok(())
    });
}
