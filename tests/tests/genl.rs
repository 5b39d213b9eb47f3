//! Generic netlink: families, policies and the generic path against the
//! kernel, compared with iproute2's `genl` both ways.

use std::collections::BTreeMap;
use std::process::Command;

use anyhow::{Context, Result, ensure};
use netlink::nl_genl::OpFlags;
use netlink::nl_genl::uapi::genetlink::{CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY};
use netlink::{AsyncHandle, Handle};
use netlink_tests::{Netns, in_netns};

/// What `genl ctrl list` says of each family: id, version, header size,
/// max attribute, (op, capabilities), (group name, id).
#[derive(Debug, Default, PartialEq)]
struct Listed {
    id: u16,
    version: u32,
    hdrsize: u32,
    maxattr: u32,
    ops: Vec<(u32, u32)>,
    groups: Vec<(String, u32)>,
}

fn hex(s: &str) -> Result<u32> {
    Ok(u32::from_str_radix(s.trim_start_matches("0x"), 16)?)
}

fn genl_ctrl_list(ns: &Netns) -> Result<BTreeMap<String, Listed>> {
    let text = ns.cmd("genl", ["ctrl", "list"])?;
    let mut out = BTreeMap::new();
    let mut name = String::new();
    let mut cur = Listed::default();
    let mut in_groups = false;
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.as_slice() {
            ["Name:", n] => {
                if !name.is_empty() {
                    out.insert(std::mem::take(&mut name), std::mem::take(&mut cur));
                }
                name = (*n).to_string();
                in_groups = false;
            }
            [
                "ID:",
                id,
                "Version:",
                v,
                "header",
                "size:",
                h,
                "max",
                "attribs:",
                m,
            ] => {
                cur.id = u16::try_from(hex(id)?)?;
                cur.version = hex(v)?;
                cur.hdrsize = h.parse()?;
                cur.maxattr = m.parse()?;
            }
            ["multicast", "groups:"] => in_groups = true,
            [_, id, "name:", g] if in_groups => cur
                .groups
                .push(((*g).to_string(), hex(id.trim_start_matches("ID-"))?)),
            [_, id] if id.starts_with("ID-") => {
                cur.ops.push((hex(id.trim_start_matches("ID-"))?, 0))
            }
            ["Capabilities", caps] => {
                let caps = hex(caps.trim_start_matches('(').trim_end_matches("):"))?;
                if let Some(last) = cur.ops.last_mut() {
                    last.1 = caps;
                }
            }
            _ => {}
        }
    }
    if !name.is_empty() {
        out.insert(name, cur);
    }
    Ok(out)
}

#[test]
fn families_match_genl_ctrl_list() {
    in_netns("families_match_genl_ctrl_list", |ns| {
        let h = Handle::new()?;
        let ours: BTreeMap<String, Listed> = h
            .genl_family_list()?
            .into_iter()
            .map(|f| {
                let listed = Listed {
                    id: f.id,
                    version: f.version,
                    hdrsize: f.hdrsize,
                    maxattr: f.maxattr,
                    ops: f.ops.iter().map(|o| (o.id, o.flags.bits())).collect(),
                    groups: f.groups.iter().map(|g| (g.name.clone(), g.id)).collect(),
                };
                (f.name, listed)
            })
            .collect();
        let theirs = genl_ctrl_list(ns)?;
        ensure!(
            ours.len() > 3 && ours.contains_key("nlctrl"),
            "{:?}",
            ours.keys()
        );
        ensure!(
            ours.keys().collect::<Vec<_>>() == theirs.keys().collect::<Vec<_>>(),
            "ours {:?}\ngenl {:?}",
            ours.keys(),
            theirs.keys()
        );
        for (name, t) in &theirs {
            let mut o = ours.get(name).context("listed")?;
            let mut t = t;
            let (shown, printed);
            if t.version < 2 {
                // genl prints an operation's capabilities only for
                // families of version 2 and later.
                let mut copy = Listed {
                    ops: o.ops.iter().map(|(id, _)| (*id, 0)).collect(),
                    groups: o.groups.clone(),
                    ..*o
                };
                copy.ops.sort();
                shown = copy;
                o = &shown;
                // genl prints them in the kernel's order, which is not by
                // id for families with split ops (devlink on 6.1, nl80211
                // on 6.12).
                let mut copy = Listed {
                    ops: t.ops.clone(),
                    groups: t.groups.clone(),
                    ..*t
                };
                copy.ops.sort();
                printed = copy;
                t = &printed;
            }
            ensure!(o == t, "{name}: ours {o:?} genl {t:?}");
        }
        // One by name agrees with the listing.
        let nlctrl = h.genl_family_get("nlctrl")?;
        ensure!(nlctrl.id == 0x10 && nlctrl.group("notify").map(|g| g.id) == Some(0x10));
        let get = nlctrl
            .op(u32::from(CTRL_CMD_GETFAMILY))
            .context("GETFAMILY")?;
        ensure!(
            get.flags
                .contains(OpFlags::DO | OpFlags::DUMP | OpFlags::HAS_POLICY)
        );
        // A family that does not exist is named.
        let e = h.genl_family_get("nosuchfam").unwrap_err();
        ensure!(
            e.is_not_found() && e.to_string().contains("\"nosuchfam\""),
            "{e}"
        );
        Ok(())
    });
}

#[test]
fn policies_match_genl_ctrl_policy() {
    in_netns("policies_match_genl_ctrl_policy", |ns| {
        let h = Handle::new()?;
        let policy = h.genl_policy("nlctrl", None)?;
        ensure!(policy.family == 0x10);
        ensure!(policy.accepts(u32::from(CTRL_CMD_GETFAMILY), CTRL_ATTR_FAMILY_NAME));
        ensure!(!policy.accepts(u32::from(CTRL_CMD_GETFAMILY), 200));
        // Every "policy[i]:attr[a]: type=T" line of genl is ours, and back.
        let text = ns.cmd("genl", ["ctrl", "policy", "name", "nlctrl"])?;
        let mut theirs = Vec::new();
        for line in text.lines() {
            let Some(rest) = line.split("policy[").nth(1) else {
                continue;
            };
            let (idx, rest) = rest.split_once("]:attr[").context("attr")?;
            let (attr, rest) = rest.split_once("]: type=").context("type")?;
            let ty = rest.split_whitespace().next().context("type name")?;
            theirs.push((idx.parse::<u32>()?, attr.parse::<u16>()?, ty.to_string()));
        }
        let mut ours = Vec::new();
        for (idx, attrs) in &policy.policies {
            for (attr, p) in attrs {
                let ty = format!("{:?}", p.kind)
                    .to_uppercase()
                    .replace("NULSTRING", "NUL_STRING");
                ours.push((*idx, *attr, ty));
            }
        }
        theirs.sort();
        ours.sort();
        ensure!(ours == theirs, "ours {ours:?}\ngenl {theirs:?}");
        Ok(())
    });
}

#[test]
fn the_generic_path_speaks_to_any_family() {
    in_netns("the_generic_path_speaks_to_any_family", |_| {
        let h = Handle::new()?;
        let mut names = Vec::new();
        h.genl_call(
            "nlctrl",
            CTRL_CMD_GETFAMILY,
            true,
            |_| Ok(()),
            |reply| {
                if let Some(a) = reply.attrs().get(CTRL_ATTR_FAMILY_NAME)? {
                    names.push(a.cstr()?.to_string());
                }
                Ok(())
            },
        )?;
        let mut listed: Vec<String> = h.genl_family_list()?.into_iter().map(|f| f.name).collect();
        names.sort();
        listed.sort();
        ensure!(names == listed, "{names:?} vs {listed:?}");
        // A request with an attribute, answered by one reply.
        let mut id = None;
        h.genl_call(
            "nlctrl",
            CTRL_CMD_GETFAMILY,
            false,
            |m| {
                m.put_str(CTRL_ATTR_FAMILY_NAME, "nlctrl");
                Ok(())
            },
            |reply| {
                id = reply.attrs().get(1)?.map(|a| a.u16()).transpose()?;
                Ok(())
            },
        )?;
        ensure!(id == Some(0x10));
        Ok(())
    });
}

/// The child half of `a_family_is_resolved_once`.
#[test]
#[ignore = "run by a_family_is_resolved_once in a child process"]
fn resolve_twice_child() {
    in_netns("resolve_twice_child", |_| {
        let h = Handle::new()?;
        let a = h.genl_family_get("nlctrl")?;
        let b = h.genl_family_get("nlctrl")?;
        ensure!(a == b);
        Ok(())
    });
}

/// One round trip the first time a family is used, none after: the child
/// records its netlink traffic, and the capture holds one GETFAMILY.
#[test]
fn a_family_is_resolved_once() {
    in_netns("a_family_is_resolved_once", |_| {
        let dir = std::env::temp_dir().join(format!("nl-genl-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("resolve.pcap");
        let out = Command::new(std::env::current_exe()?)
            .args(["--ignored", "--exact", "resolve_twice_child"])
            .env("NETLINK_PCAP", &path)
            .output()?;
        ensure!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path)?;
        let _ = std::fs::remove_dir_all(&dir);
        let mut getfamily = 0;
        for rec in netlink::nl_wire::pcap::Capture::new(&bytes)? {
            let frame = rec?.netlink()?;
            if frame.direction() != netlink::nl_wire::pcap::Direction::ToKernel
                || frame.protocol != 16
            {
                continue;
            }
            for m in netlink::nl_wire::Msgs::new(frame.payload) {
                let m = m?;
                if m.ty() == 0x10 && m.payload().first() == Some(&CTRL_CMD_GETFAMILY) {
                    getfamily += 1;
                }
            }
        }
        ensure!(getfamily == 1, "{getfamily} GETFAMILY requests");
        Ok(())
    });
}

#[test]
fn families_from_async_rust() {
    in_netns("families_from_async_rust", |_| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let f = h.genl_family_get("nlctrl").await?;
            ensure!(f.id == 0x10);
            ensure!(h.genl_family_list().await?.len() > 3);
            let p = h
                .genl_policy("nlctrl", Some(u32::from(CTRL_CMD_GETFAMILY)))
                .await?;
            ensure!(p.accepts(u32::from(CTRL_CMD_GETFAMILY), CTRL_ATTR_FAMILY_NAME));
            Ok(())
        })
    });
}
