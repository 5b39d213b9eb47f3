//! `genl`: the generic netlink controller's families, as iproute2's
//! `genl ctrl` prints them.
//!
//! ```text
//! nl genl [-s] [-d] [-r] [-n NETNS] ctrl { list | show | get { name NAME | id ID } |
//!                                         policy { name NAME | id ID } | monitor }
//! ```
//!
//! The text is iproute2 6.1's, tabs and trailing spaces included: each
//! nlctrl message is printed from its attributes as `genl` prints them (so
//! list, get, policy and monitor share one printer), and an operation's
//! capabilities are shown for families of version 2 and up, as `genl`
//! 6.1 does (later versions show them for every family).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::Handle;
use netlink::nl_genl::GenlMsg;
use netlink::nl_genl::uapi::genetlink::*;
use netlink::nl_genl::uapi::netlink::*;
use netlink::nl_wire::{Attr, Attrs};

use crate::args::{Args, matches, number};

/// nlctrl's family name.
const NLCTRL: &str = "nlctrl";

/// `genl` prints operations and groups numbered below this
/// (`GENL_MAX_FAM_OPS`, `GENL_MAX_FAM_GRPS`).
const MAX_NUMBERED: u16 = 256;

/// `genl`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let mut netns = None;
    while let Some(w) = args.peek().filter(|w| w.starts_with('-')) {
        args.next();
        match w {
            // Options that change nothing genl ctrl prints.
            w if matches(w, "-stats", 2) || matches(w, "-statistics", 2) => {}
            w if matches(w, "-details", 2) || matches(w, "-raw", 2) => {}
            "-n" | "-netns" => netns = Some(args.value(w)?),
            w if matches(w, "-help", 2) => return usage(out),
            other => bail!("Option \"{other}\" is unknown, try \"genl -help\"."),
        }
    }
    let h = crate::ip::handle(netns)?;
    match args.next() {
        Some("ctrl") => ctrl(&h, args, out),
        Some("help") | None => usage(out),
        Some(other) => bail!("bad genl {other} (nl genl: ctrl)"),
    }
}

fn usage(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Usage: genl [ -n NETNS ] ctrl {{ list | get {{ name NAME | id ID }} | policy {{ name NAME | id ID }} | monitor }}"
    )?;
    Ok(())
}

/// `genl ctrl ...`.
fn ctrl(h: &Handle, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let Some(cmd) = args.next() else {
        bail!("wrong controller params");
    };
    match cmd {
        c if matches(c, "monitor", 1) => {
            args.done()?;
            monitor(h, out)
        }
        c if matches(c, "get", 1) => {
            let which = family_arg(&mut args)?;
            let mut text = String::new();
            h.genl_call(
                NLCTRL,
                CTRL_CMD_GETFAMILY,
                false,
                |m| {
                    which.put(m);
                    Ok(())
                },
                |reply| {
                    print_ctrl(&mut text, &reply);
                    Ok(())
                },
            )?;
            out.write_all(text.as_bytes())?;
            Ok(())
        }
        c if matches(c, "list", 1) || matches(c, "show", 1) || c == "lst" => {
            args.done()?;
            dump(h, CTRL_CMD_GETFAMILY, None, out)
        }
        c if matches(c, "policy", 1) => {
            let which = family_arg(&mut args)?;
            dump(h, CTRL_CMD_GETPOLICY, Some(which), out)
        }
        c if matches(c, "help", 1) => usage(out),
        other => bail!("ctrl command \"{other}\" is unknown, try \"ctrl help\"."),
    }
}

/// A family named by `name NAME` or `id ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Which<'a> {
    Name(&'a str),
    Id(u16),
}

impl Which<'_> {
    fn put(&self, m: &mut netlink::nl_wire::MsgBuilder<'_>) {
        match self {
            Which::Name(n) => m.put_str(CTRL_ATTR_FAMILY_NAME, n),
            Which::Id(id) => m.put_u16(CTRL_ATTR_FAMILY_ID, *id),
        };
    }
}

/// `name NAME | id ID`, and nothing after.
fn family_arg<'a>(args: &mut Args<'a>) -> Result<Which<'a>> {
    let which = match args.next() {
        Some(w) if matches(w, "name", 1) => {
            let name = args.value("name")?;
            if name.is_empty() || name.len() >= GENL_NAMSIZ {
                bail!("Illegal \"name\" {name:?}");
            }
            Which::Name(name)
        }
        Some(w) if matches(w, "id", 1) => {
            let v = args.value("id")?;
            let id = number(v)
                .ok()
                .and_then(|n| u16::try_from(n).ok())
                .with_context(|| format!("Illegal \"id\" {v:?}"))?;
            Which::Id(id)
        }
        Some(_) => bail!("Wrong params"),
        None => bail!("Wrong number of params"),
    };
    args.done()?;
    Ok(which)
}

/// A dump of nlctrl (`list`, or `policy` of one family), each message
/// printed as it comes.
fn dump(h: &Handle, cmd: u8, which: Option<Which<'_>>, out: &mut dyn Write) -> Result<()> {
    let mut text = String::new();
    let mut failed = None;
    h.genl_call(
        NLCTRL,
        cmd,
        true,
        |m| {
            if let Some(w) = &which {
                w.put(m);
            }
            Ok(())
        },
        |reply| {
            print_ctrl(&mut text, &reply);
            // Written in pieces: a long listing is not held whole.
            if text.len() > 32 * 1024 && failed.is_none() {
                failed = out.write_all(text.as_bytes()).err();
                text.clear();
            }
            Ok(())
        },
    )?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// `genl ctrl monitor`: nlctrl's notifications as they come, each flushed.
fn monitor(h: &Handle, out: &mut dyn Write) -> Result<()> {
    let mut sub = h.genl_subscribe(NLCTRL, &[netlink::nl_genl::ctrl::NOTIFY_GROUP])?;
    let mut text = String::new();
    loop {
        let n = sub.next()?;
        text.clear();
        print_ctrl(&mut text, &n.msg()?);
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
}

/// The attributes of `attrs` by type, the first of each type kept (as
/// iproute2's `parse_rtattr` keeps them); a malformed tail ends the table.
fn table<'a>(attrs: Attrs<'a>) -> BTreeMap<u16, Attr<'a>> {
    let mut tb = BTreeMap::new();
    for a in attrs.map_while(Result::ok) {
        tb.entry(a.ty()).or_insert(a);
    }
    tb
}

fn u32_of(tb: &BTreeMap<u16, Attr<'_>>, kind: u16) -> Option<u32> {
    tb.get(&kind).and_then(|a| a.u32().ok())
}

/// One nlctrl message as `genl` prints it (its `print_ctrl`).
pub fn print_ctrl(out: &mut String, msg: &GenlMsg<'_>) {
    let tb = table(msg.attrs());
    if let Some(name) = tb.get(&CTRL_ATTR_FAMILY_NAME).and_then(|a| a.cstr().ok()) {
        let _ = write!(out, "\nName: {name}\n");
    }
    if let Some(id) = tb.get(&CTRL_ATTR_FAMILY_ID).and_then(|a| a.u16().ok()) {
        let _ = write!(out, "\tID: {id:#x} ");
    }
    // Families of version 1 have no capabilities printed (genl 6.1).
    let mut version = 1;
    if let Some(v) = u32_of(&tb, CTRL_ATTR_VERSION) {
        let _ = write!(out, " Version: {v:#x} ");
        version = v;
    }
    if let Some(v) = u32_of(&tb, CTRL_ATTR_HDRSIZE) {
        let _ = write!(out, " header size: {} ", v as i32);
    }
    if let Some(v) = u32_of(&tb, CTRL_ATTR_MAXATTR) {
        let _ = write!(out, " max attribs: {} ", v as i32);
    }
    if let Some(ops) = tb.get(&CTRL_ATTR_OP_POLICY) {
        for op in ops.nested().map_while(Result::ok) {
            let _ = write!(out, " op {} policies:", op.ty());
            let ptb = table(op.nested());
            if let Some(v) = u32_of(&ptb, CTRL_ATTR_POLICY_DO) {
                let _ = write!(out, " do={}", v as i32);
            }
            if let Some(v) = u32_of(&ptb, CTRL_ATTR_POLICY_DUMP) {
                let _ = write!(out, " dump={}", v as i32);
            }
        }
    }
    if let Some(p) = tb.get(&CTRL_ATTR_POLICY) {
        print_policy(out, p);
    }
    out.push('\n');
    if let Some(ops) = tb.get(&CTRL_ATTR_OPS) {
        out.push_str("\tcommands supported: \n");
        for (i, op) in numbered(ops) {
            let _ = write!(out, "\t\t#{i}: ");
            let otb = table(op.nested());
            if let Some(id) = u32_of(&otb, CTRL_ATTR_OP_ID) {
                let _ = write!(out, " ID-{id:#x} ");
            }
            if let (Some(fl), true) = (u32_of(&otb, CTRL_ATTR_OP_FLAGS), version >= 2) {
                print_cmd_flags(out, fl);
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(groups) = tb.get(&CTRL_ATTR_MCAST_GROUPS) {
        out.push_str("\tmulticast groups:\n");
        for (i, g) in numbered(groups) {
            let _ = write!(out, "\t\t#{i}: ");
            let gtb = table(g.nested());
            if let Some(id) = u32_of(&gtb, CTRL_ATTR_MCAST_GRP_ID) {
                let _ = write!(out, " ID-{id:#x} ");
            }
            if let Some(name) = gtb
                .get(&CTRL_ATTR_MCAST_GRP_NAME)
                .and_then(|a| a.cstr().ok())
            {
                let _ = write!(out, " name: {name} ");
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// The elements of an array nest by number, below [`MAX_NUMBERED`], in
/// order (as `genl` walks its table).
fn numbered<'a>(nest: &Attr<'a>) -> BTreeMap<u16, Attr<'a>> {
    let mut tb = table(nest.nested());
    tb.retain(|i, _| *i < MAX_NUMBERED);
    tb
}

/// An operation's `GENL_*` flags in `genl`'s words.
fn print_cmd_flags(out: &mut String, fl: u32) {
    let _ = write!(out, "\n\t\tCapabilities ({fl:#x}):\n ");
    if fl == 0 {
        out.push('\n');
        return;
    }
    out.push_str("\t\t ");
    if fl & GENL_ADMIN_PERM != 0 {
        out.push_str(" requires admin permission;");
    }
    if fl & GENL_CMD_CAP_DO != 0 {
        out.push_str(" can doit;");
    }
    if fl & GENL_CMD_CAP_DUMP != 0 {
        out.push_str(" can dumpit;");
    }
    if fl & GENL_CMD_CAP_HASPOL != 0 {
        out.push_str(" has policy");
    }
    out.push('\n');
}

/// `NL_ATTR_TYPE_*` as `genl` names it.
fn type_name(t: u32) -> &'static str {
    match t {
        NL_ATTR_TYPE_U8 => "U8",
        NL_ATTR_TYPE_U16 => "U16",
        NL_ATTR_TYPE_U32 => "U32",
        NL_ATTR_TYPE_U64 => "U64",
        NL_ATTR_TYPE_STRING => "STRING",
        NL_ATTR_TYPE_FLAG => "FLAG",
        NL_ATTR_TYPE_NESTED => "NESTED",
        NL_ATTR_TYPE_NESTED_ARRAY => "NESTED_ARRAY",
        NL_ATTR_TYPE_NUL_STRING => "NUL_STRING",
        NL_ATTR_TYPE_BINARY => "BINARY",
        NL_ATTR_TYPE_S8 => "S8",
        NL_ATTR_TYPE_S16 => "S16",
        NL_ATTR_TYPE_S32 => "S32",
        NL_ATTR_TYPE_S64 => "S64",
        NL_ATTR_TYPE_BITFIELD32 => "BITFIELD32",
        _ => "unknown",
    }
}

/// `CTRL_ATTR_POLICY` as iproute2's `nl_print_policy` prints it.
fn print_policy(out: &mut String, policy: &Attr<'_>) {
    for idx in policy.nested().map_while(Result::ok) {
        let _ = write!(out, " policy[{}]:", idx.ty());
        for attr in idx.nested().map_while(Result::ok) {
            let tp = table(attr.nested());
            let u64_of = |k| tp.get(&k).and_then(|a: &Attr<'_>| a.u64().ok());
            if let Some(t) = u32_of(&tp, NL_POLICY_TYPE_ATTR_TYPE) {
                let _ = write!(out, "attr[{}]: type={}", attr.ty(), type_name(t));
            }
            if let Some(v) = u32_of(&tp, NL_POLICY_TYPE_ATTR_POLICY_IDX) {
                let _ = write!(out, " policy:{v}");
            }
            if let Some(v) = u32_of(&tp, NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE) {
                let _ = write!(out, " maxattr:{v}");
            }
            if let (Some(lo), Some(hi)) = (
                u64_of(NL_POLICY_TYPE_ATTR_MIN_VALUE_S),
                u64_of(NL_POLICY_TYPE_ATTR_MAX_VALUE_S),
            ) {
                let _ = write!(out, " range:[{},{}]", lo as i64, hi as i64);
            }
            if let (Some(lo), Some(hi)) = (
                u64_of(NL_POLICY_TYPE_ATTR_MIN_VALUE_U),
                u64_of(NL_POLICY_TYPE_ATTR_MAX_VALUE_U),
            ) {
                let _ = write!(out, " range:[{lo},{hi}]");
            }
            if let Some(v) = u32_of(&tp, NL_POLICY_TYPE_ATTR_MIN_LENGTH) {
                let _ = write!(out, " min len:{v}");
            }
            if let Some(v) = u32_of(&tp, NL_POLICY_TYPE_ATTR_MAX_LENGTH) {
                let _ = write!(out, " max len:{v}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink::nl_genl::GenlMsgHdr;
    use netlink::nl_genl::uapi::GENL_ID_CTRL;
    use netlink::nl_wire::{Msg, MsgBuilder};

    /// nlctrl's own NEWFAMILY for a family of `version` with one
    /// operation and one group.
    fn newfamily(version: u32) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, GENL_ID_CTRL, 0);
        m.header(&GenlMsgHdr {
            cmd: CTRL_CMD_NEWFAMILY,
            version: 2,
            reserved: [0; 2],
        })
        .put_str(CTRL_ATTR_FAMILY_NAME, "demo")
        .put_u16(CTRL_ATTR_FAMILY_ID, 0x1a)
        .put_u32(CTRL_ATTR_VERSION, version)
        .put_u32(CTRL_ATTR_HDRSIZE, 0)
        .put_u32(CTRL_ATTR_MAXATTR, 9);
        m.nest(CTRL_ATTR_OPS, |m| {
            m.nest(1, |m| {
                m.put_u32(CTRL_ATTR_OP_ID, 3)
                    .put_u32(CTRL_ATTR_OP_FLAGS, 0x0f);
            });
            m.nest(2, |m| {
                m.put_u32(CTRL_ATTR_OP_ID, 4).put_u32(CTRL_ATTR_OP_FLAGS, 0);
            });
        });
        m.nest(CTRL_ATTR_MCAST_GROUPS, |m| {
            m.nest(1, |m| {
                m.put_u32(CTRL_ATTR_MCAST_GRP_ID, 0x20)
                    .put_str(CTRL_ATTR_MCAST_GRP_NAME, "events");
            });
        });
        m.finish().unwrap();
        buf
    }

    fn text(buf: &[u8]) -> String {
        let (msg, _) = Msg::parse(buf).unwrap();
        let mut s = String::new();
        print_ctrl(&mut s, &GenlMsg::parse(&msg, 0).unwrap());
        s
    }

    #[test]
    fn a_family_prints_as_genl_does() {
        assert_eq!(
            text(&newfamily(2)),
            "\nName: demo\n\tID: 0x1a  Version: 0x2  header size: 0  max attribs: 9 \n\
             \tcommands supported: \n\
             \t\t#1:  ID-0x3 \n\t\tCapabilities (0xf):\n \t\t  requires admin permission; can doit; can dumpit; has policy\n\n\
             \t\t#2:  ID-0x4 \n\t\tCapabilities (0x0):\n \n\n\
             \n\
             \tmulticast groups:\n\t\t#1:  ID-0x20  name: events \n\n"
        );
        // Version 1: no capabilities (genl 6.1).
        assert_eq!(
            text(&newfamily(1)),
            "\nName: demo\n\tID: 0x1a  Version: 0x1  header size: 0  max attribs: 9 \n\
             \tcommands supported: \n\t\t#1:  ID-0x3 \n\t\t#2:  ID-0x4 \n\n\
             \tmulticast groups:\n\t\t#1:  ID-0x20  name: events \n\n"
        );
    }

    #[test]
    fn policies_print_as_genl_does() {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, GENL_ID_CTRL, 0);
        m.header(&GenlMsgHdr {
            cmd: CTRL_CMD_GETPOLICY,
            version: 2,
            reserved: [0; 2],
        })
        .put_u16(CTRL_ATTR_FAMILY_ID, 0x10);
        m.nest(
            CTRL_ATTR_POLICY | netlink::nl_wire::netlink::NLA_F_NESTED,
            |m| {
                m.nest(1, |m| {
                    m.nest(2, |m| {
                        m.put_u32(NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_NUL_STRING)
                            .put_u32(NL_POLICY_TYPE_ATTR_MAX_LENGTH, 15);
                    });
                });
            },
        );
        m.finish().unwrap();
        assert_eq!(
            text(&buf),
            "\tID: 0x10  policy[1]:attr[2]: type=NUL_STRING max len:15\n"
        );
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, GENL_ID_CTRL, 0);
        m.header(&GenlMsgHdr {
            cmd: CTRL_CMD_GETPOLICY,
            version: 2,
            reserved: [0; 2],
        })
        .put_u16(CTRL_ATTR_FAMILY_ID, 0x10);
        m.nest(CTRL_ATTR_OP_POLICY, |m| {
            m.nest(3, |m| {
                m.put_u32(CTRL_ATTR_POLICY_DO, 0)
                    .put_u32(CTRL_ATTR_POLICY_DUMP, 0);
            });
        });
        m.nest(CTRL_ATTR_POLICY, |m| {
            m.nest(0, |m| {
                m.nest(1, |m| {
                    m.put_u32(NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_S32)
                        .put_u64(NL_POLICY_TYPE_ATTR_MIN_VALUE_S, (-5i64) as u64)
                        .put_u64(NL_POLICY_TYPE_ATTR_MAX_VALUE_S, 7);
                });
            });
        });
        m.finish().unwrap();
        assert_eq!(
            text(&buf),
            "\tID: 0x10  op 3 policies: do=0 dump=0 policy[0]:attr[1]: type=S32 range:[-5,7]\n"
        );
    }

    #[test]
    fn words_are_checked() {
        assert_eq!(
            family_arg(&mut Args::split("name nlctrl")).unwrap(),
            Which::Name("nlctrl")
        );
        assert_eq!(
            family_arg(&mut Args::split("id 0x10")).unwrap(),
            Which::Id(0x10)
        );
        assert!(family_arg(&mut Args::split("id 70000")).is_err());
        assert!(family_arg(&mut Args::split("id")).is_err());
        assert!(family_arg(&mut Args::split("name nlctrl extra")).is_err());
        assert!(family_arg(&mut Args::split("bogus x")).is_err());
        assert!(family_arg(&mut Args::split("")).is_err());
    }
}
