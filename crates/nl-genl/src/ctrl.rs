//! nlctrl, the controller family: families by name or id, their
//! operations and multicast groups, and notifications of families that
//! come and go.

use std::collections::HashMap;

use bitflags::bitflags;
use nl_wire::netlink::NLM_F_DUMP;
use nl_wire::{Attrs, Msg};

use crate::error::{Error, Result};
use crate::uapi::GENL_ID_CTRL;
use crate::uapi::genetlink::*;
use crate::{GenlMsg, request};

/// The nlctrl interface version this crate speaks (what iproute2's `genl`
/// sends).
pub const CTRL_VERSION: u8 = 2;

bitflags! {
    /// What an operation allows (`GENL_*` operation flags).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct OpFlags: u32 {
        /// Needs `CAP_NET_ADMIN` in the initial user namespace.
        const ADMIN_PERM = GENL_ADMIN_PERM;
        /// Can be called as a request (`doit`).
        const DO = GENL_CMD_CAP_DO;
        /// Can be dumped (`dumpit`).
        const DUMP = GENL_CMD_CAP_DUMP;
        /// Has an attribute policy.
        const HAS_POLICY = GENL_CMD_CAP_HASPOL;
        /// Needs `CAP_NET_ADMIN` in the namespace's user namespace.
        const UNS_ADMIN_PERM = GENL_UNS_ADMIN_PERM;
    }
}

/// One operation (command) of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Op {
    /// The command number.
    pub id: u32,
    /// What it allows.
    pub flags: OpFlags,
}

/// A multicast group of a family: join it by its id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct McastGroup {
    /// The group's name (`"notify"`, `"config"` ...).
    pub name: String,
    /// The group's number, for `NETLINK_ADD_MEMBERSHIP` (often above 31).
    pub id: u32,
}

/// A generic netlink family as nlctrl describes it (`genl ctrl get`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Family {
    /// The family id: the `nlmsg_type` of its messages.
    pub id: u16,
    /// The name it registered.
    pub name: String,
    /// Its interface version.
    pub version: u32,
    /// The size of its own header after the genl header.
    pub hdrsize: u32,
    /// Its highest attribute number.
    pub maxattr: u32,
    /// Its operations.
    pub ops: Vec<Op>,
    /// Its multicast groups.
    pub groups: Vec<McastGroup>,
}

impl Family {
    /// Writes a `CTRL_CMD_GETFAMILY` for the family called `name`.
    pub fn write_get(name: &str, buf: &mut Vec<u8>) -> Result<()> {
        if name.is_empty() || name.len() >= GENL_NAMSIZ {
            return Err(Error::invalid(
                "family name",
                format!("{name:?}: 1 to {} bytes", GENL_NAMSIZ - 1),
            ));
        }
        let mut m = request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION, 0);
        m.put_str(CTRL_ATTR_FAMILY_NAME, name);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes a `CTRL_CMD_GETFAMILY` for the family with id `id`.
    pub fn write_get_by_id(id: u16, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION, 0);
        m.put_u16(CTRL_ATTR_FAMILY_ID, id);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes a dump of every family (`genl ctrl list`).
    pub fn write_dump(buf: &mut Vec<u8>) -> Result<()> {
        let m = request(
            buf,
            GENL_ID_CTRL,
            CTRL_CMD_GETFAMILY,
            CTRL_VERSION,
            NLM_F_DUMP,
        );
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Parses nlctrl's `CTRL_CMD_NEWFAMILY` (a reply, a dump entry or a
    /// notification; `CTRL_CMD_DELFAMILY` carries the same attributes).
    pub fn parse(msg: &Msg<'_>) -> Result<Family> {
        let genl = ctrl_msg(msg)?;
        let mut f = Family::default();
        let err = |e| genl.wire_error("nlctrl", e);
        for a in genl.attrs() {
            let a = a.map_err(err)?;
            match a.ty() {
                CTRL_ATTR_FAMILY_ID => f.id = a.u16().map_err(err)?,
                CTRL_ATTR_FAMILY_NAME => f.name = a.cstr().map_err(err)?.to_string(),
                CTRL_ATTR_VERSION => f.version = a.u32().map_err(err)?,
                CTRL_ATTR_HDRSIZE => f.hdrsize = a.u32().map_err(err)?,
                CTRL_ATTR_MAXATTR => f.maxattr = a.u32().map_err(err)?,
                CTRL_ATTR_OPS => f.ops = parse_ops(a.nested()).map_err(err)?,
                CTRL_ATTR_MCAST_GROUPS => f.groups = parse_groups(a.nested()).map_err(err)?,
                _ => {}
            }
        }
        Ok(f)
    }

    /// The multicast group called `name`.
    pub fn group(&self, name: &str) -> Option<&McastGroup> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The operation `cmd`, if the family has it.
    pub fn op(&self, cmd: u32) -> Option<&Op> {
        self.ops.iter().find(|o| o.id == cmd)
    }
}

/// Checks that `msg` is nlctrl's and reads its genl header.
fn ctrl_msg<'a>(msg: &Msg<'a>) -> Result<GenlMsg<'a>> {
    if msg.ty() != GENL_ID_CTRL {
        return Err(Error::Unexpected {
            what: "an nlctrl message",
            msg_type: msg.ty(),
        });
    }
    GenlMsg::parse(msg, 0)
}

/// An array nest: each element a nest of its own, numbered from 1.
fn parse_ops(array: Attrs<'_>) -> nl_wire::Result<Vec<Op>> {
    let mut ops = Vec::new();
    for elem in array {
        let mut op = Op {
            id: 0,
            flags: OpFlags::empty(),
        };
        for a in elem?.nested() {
            let a = a?;
            match a.ty() {
                CTRL_ATTR_OP_ID => op.id = a.u32()?,
                CTRL_ATTR_OP_FLAGS => op.flags = OpFlags::from_bits_retain(a.u32()?),
                _ => {}
            }
        }
        ops.push(op);
    }
    Ok(ops)
}

fn parse_groups(array: Attrs<'_>) -> nl_wire::Result<Vec<McastGroup>> {
    let mut groups = Vec::new();
    for elem in array {
        let mut g = McastGroup {
            name: String::new(),
            id: 0,
        };
        for a in elem?.nested() {
            let a = a?;
            match a.ty() {
                CTRL_ATTR_MCAST_GRP_NAME => g.name = a.cstr()?.to_string(),
                CTRL_ATTR_MCAST_GRP_ID => g.id = a.u32()?,
                _ => {}
            }
        }
        groups.push(g);
    }
    Ok(groups)
}

/// A notification of nlctrl's `notify` group: families and groups that
/// come and go.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CtrlEvent {
    /// A family registered (a module loaded).
    NewFamily(Family),
    /// A family unregistered: its id is no longer valid.
    DelFamily(Family),
    /// A family gained a multicast group.
    NewGroup(Family),
    /// A family lost a multicast group.
    DelGroup(Family),
    /// Another nlctrl command.
    Other(u8),
}

impl CtrlEvent {
    /// Parses a notification of nlctrl's `notify` group.
    pub fn parse(msg: &Msg<'_>) -> Result<CtrlEvent> {
        let genl = ctrl_msg(msg)?;
        Ok(match genl.cmd() {
            CTRL_CMD_NEWFAMILY => CtrlEvent::NewFamily(Family::parse(msg)?),
            CTRL_CMD_DELFAMILY => CtrlEvent::DelFamily(Family::parse(msg)?),
            CTRL_CMD_NEWMCAST_GRP => CtrlEvent::NewGroup(Family::parse(msg)?),
            CTRL_CMD_DELMCAST_GRP => CtrlEvent::DelGroup(Family::parse(msg)?),
            other => CtrlEvent::Other(other),
        })
    }
}

/// The name of nlctrl's notification group.
pub const NOTIFY_GROUP: &str = "notify";

/// nlctrl's `notify` group id (nlctrl's first group is its own id).
pub const NOTIFY_GROUP_ID: u32 = GENL_ID_CTRL as u32;

/// Families resolved so far, by name: one round trip the first time a
/// family is used, none after. Feed it nlctrl's notifications
/// ([`FamilyCache::apply`]) and a family that unregisters (a module
/// unloaded, maybe reloaded under another id) is forgotten at once.
#[derive(Debug, Clone, Default)]
pub struct FamilyCache {
    by_name: HashMap<String, Family>,
}

impl FamilyCache {
    /// The family called `name`, if resolved and still registered.
    pub fn get(&self, name: &str) -> Option<&Family> {
        self.by_name.get(name)
    }

    /// Remembers `family`.
    pub fn insert(&mut self, family: Family) {
        self.by_name.insert(family.name.clone(), family);
    }

    /// Applies an nlctrl notification: a family that goes is forgotten,
    /// one whose groups change is forgotten too (it is read again when
    /// next used).
    pub fn apply(&mut self, event: &CtrlEvent) {
        match event {
            CtrlEvent::DelFamily(f) | CtrlEvent::NewGroup(f) | CtrlEvent::DelGroup(f) => {
                self.by_name.remove(&f.name);
            }
            CtrlEvent::NewFamily(f) => {
                // A re-registered family may have a new id.
                self.by_name.remove(&f.name);
            }
            CtrlEvent::Other(_) => {}
        }
    }

    /// Forgets everything (after lost notifications).
    pub fn clear(&mut self) {
        self.by_name.clear();
    }

    /// How many families are cached.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::MsgBuilder;

    /// A CTRL_CMD_NEWFAMILY as the kernel sends it for a family with two
    /// operations and one group.
    fn newfamily(cmd: u8) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, GENL_ID_CTRL, 0);
        m.header(&crate::GenlMsgHdr {
            cmd,
            version: 2,
            reserved: [0; 2],
        })
        .put_str(CTRL_ATTR_FAMILY_NAME, "demo")
        .put_u16(CTRL_ATTR_FAMILY_ID, 0x1a)
        .put_u32(CTRL_ATTR_VERSION, 1)
        .put_u32(CTRL_ATTR_HDRSIZE, 0)
        .put_u32(CTRL_ATTR_MAXATTR, 9);
        m.nest(CTRL_ATTR_OPS, |m| {
            m.nest(1, |m| {
                m.put_u32(CTRL_ATTR_OP_ID, 1)
                    .put_u32(CTRL_ATTR_OP_FLAGS, 0x0e);
            });
            m.nest(2, |m| {
                m.put_u32(CTRL_ATTR_OP_ID, 2)
                    .put_u32(CTRL_ATTR_OP_FLAGS, 0x03);
            });
        });
        m.nest(CTRL_ATTR_MCAST_GROUPS, |m| {
            m.nest(1, |m| {
                m.put_str(CTRL_ATTR_MCAST_GRP_NAME, "events")
                    .put_u32(CTRL_ATTR_MCAST_GRP_ID, 40);
            });
        });
        m.finish().unwrap();
        buf
    }

    #[test]
    fn a_family_reads_back() {
        let buf = newfamily(CTRL_CMD_NEWFAMILY);
        let (msg, _) = Msg::parse(&buf).unwrap();
        let f = Family::parse(&msg).unwrap();
        assert_eq!(
            (f.id, f.name.as_str(), f.version, f.maxattr),
            (0x1a, "demo", 1, 9)
        );
        assert_eq!(f.ops.len(), 2);
        assert!(f.op(1).unwrap().flags.contains(OpFlags::DO | OpFlags::DUMP));
        assert!(f.op(2).unwrap().flags.contains(OpFlags::ADMIN_PERM));
        assert_eq!(f.group("events").map(|g| g.id), Some(40));
    }

    #[test]
    fn the_cache_forgets_families_that_go() {
        let mut cache = FamilyCache::default();
        let new = newfamily(CTRL_CMD_NEWFAMILY);
        let (msg, _) = Msg::parse(&new).unwrap();
        cache.insert(Family::parse(&msg).unwrap());
        assert_eq!(cache.get("demo").map(|f| f.id), Some(0x1a));
        let del = newfamily(CTRL_CMD_DELFAMILY);
        let (msg, _) = Msg::parse(&del).unwrap();
        cache.apply(&CtrlEvent::parse(&msg).unwrap());
        assert!(cache.get("demo").is_none());
    }

    #[test]
    fn bad_requests_and_replies_are_errors() {
        let mut buf = Vec::new();
        assert!(Family::write_get("", &mut buf).is_err());
        assert!(Family::write_get("a_name_that_is_too_long", &mut buf).is_err());
        // Every truncation of a reply is an error or a shorter family, never a panic.
        let full = newfamily(CTRL_CMD_NEWFAMILY);
        for cut in 0..full.len() {
            let mut b = full[..cut].to_vec();
            if b.len() >= 4 {
                let len = u32::try_from(b.len()).unwrap();
                b[..4].copy_from_slice(&len.to_ne_bytes());
            }
            if let Ok((msg, _)) = Msg::parse(&b) {
                let _ = Family::parse(&msg);
            }
        }
        // A message of another family is refused, not misread.
        let mut other = full.clone();
        other[4..6].copy_from_slice(&0x1bu16.to_ne_bytes());
        let (msg, _) = Msg::parse(&other).unwrap();
        assert!(matches!(Family::parse(&msg), Err(Error::Unexpected { .. })));
    }
}
