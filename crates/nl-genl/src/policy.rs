//! Attribute policies (`CTRL_CMD_GETPOLICY`): what each operation of a
//! family accepts, so a program can test for a feature before using it
//! (an attribute this kernel's family does not know is refused, or worse,
//! ignored).
//!
//! ```text
//! CTRL_ATTR_POLICY        { policy index { attribute { NL_POLICY_TYPE_ATTR_* } } }
//! CTRL_ATTR_OP_POLICY     { command { CTRL_ATTR_POLICY_DO: index, CTRL_ATTR_POLICY_DUMP: index } }
//! ```

use std::collections::BTreeMap;

use nl_wire::netlink::NLM_F_DUMP;
use nl_wire::{Attrs, Msg};

use crate::error::{Error, Result};
use crate::uapi::GENL_ID_CTRL;
use crate::uapi::genetlink::*;
use crate::uapi::netlink::*;
use crate::{GenlMsg, ctrl::CTRL_VERSION, request};

/// The type of an attribute (`NL_ATTR_TYPE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AttrType {
    /// Not set.
    #[default]
    Invalid,
    /// Present or not.
    Flag,
    /// 8-bit unsigned.
    U8,
    /// 16-bit unsigned.
    U16,
    /// 32-bit unsigned.
    U32,
    /// 64-bit unsigned.
    U64,
    /// 8-bit signed.
    S8,
    /// 16-bit signed.
    S16,
    /// 32-bit signed.
    S32,
    /// 64-bit signed.
    S64,
    /// Bytes.
    Binary,
    /// A string (NUL optional).
    String,
    /// A NUL-terminated string.
    NulString,
    /// A nest of attributes (see [`AttrPolicy::nested`]).
    Nested,
    /// An array of nests.
    NestedArray,
    /// A `struct nla_bitfield32`.
    Bitfield32,
    /// A type this library does not know.
    Unknown(u32),
}

impl From<u32> for AttrType {
    fn from(v: u32) -> Self {
        match v {
            NL_ATTR_TYPE_INVALID => AttrType::Invalid,
            NL_ATTR_TYPE_FLAG => AttrType::Flag,
            NL_ATTR_TYPE_U8 => AttrType::U8,
            NL_ATTR_TYPE_U16 => AttrType::U16,
            NL_ATTR_TYPE_U32 => AttrType::U32,
            NL_ATTR_TYPE_U64 => AttrType::U64,
            NL_ATTR_TYPE_S8 => AttrType::S8,
            NL_ATTR_TYPE_S16 => AttrType::S16,
            NL_ATTR_TYPE_S32 => AttrType::S32,
            NL_ATTR_TYPE_S64 => AttrType::S64,
            NL_ATTR_TYPE_BINARY => AttrType::Binary,
            NL_ATTR_TYPE_STRING => AttrType::String,
            NL_ATTR_TYPE_NUL_STRING => AttrType::NulString,
            NL_ATTR_TYPE_NESTED => AttrType::Nested,
            NL_ATTR_TYPE_NESTED_ARRAY => AttrType::NestedArray,
            NL_ATTR_TYPE_BITFIELD32 => AttrType::Bitfield32,
            other => AttrType::Unknown(other),
        }
    }
}

/// What the kernel accepts for one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AttrPolicy {
    /// Its type.
    pub kind: AttrType,
    /// Smallest value (signed types).
    pub min_signed: Option<i64>,
    /// Largest value (signed types).
    pub max_signed: Option<i64>,
    /// Smallest value (unsigned types).
    pub min_unsigned: Option<u64>,
    /// Largest value (unsigned types).
    pub max_unsigned: Option<u64>,
    /// Shortest length (binary, strings).
    pub min_len: Option<u32>,
    /// Longest length.
    pub max_len: Option<u32>,
    /// The policy of a nest's contents (an index into [`Policy::policies`]).
    pub nested: Option<u32>,
    /// The highest attribute of that nested policy.
    pub nested_maxtype: Option<u32>,
    /// Valid bits of a bitfield32.
    pub bitfield32_mask: Option<u32>,
    /// Valid bits of an unsigned integer.
    pub mask: Option<u64>,
}

/// The policies of one operation: for requests and for dumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OpPolicy {
    /// The policy index for requests (`doit`).
    pub request: Option<u32>,
    /// The policy index for dumps (`dumpit`).
    pub dump: Option<u32>,
}

/// A family's attribute policies, as `genl ctrl policy` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    /// The family id.
    pub family: u16,
    /// Policies by index, each attribute by number.
    pub policies: BTreeMap<u32, BTreeMap<u16, AttrPolicy>>,
    /// Which policy each operation uses.
    pub ops: BTreeMap<u32, OpPolicy>,
}

impl Policy {
    /// Writes the `CTRL_CMD_GETPOLICY` dump of family `name`, of one
    /// operation or (`None`) all.
    pub fn write_dump(name: &str, op: Option<u32>, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(
            buf,
            GENL_ID_CTRL,
            CTRL_CMD_GETPOLICY,
            CTRL_VERSION,
            NLM_F_DUMP,
        );
        m.put_str(CTRL_ATTR_FAMILY_NAME, name);
        if let Some(op) = op {
            m.put_u32(CTRL_ATTR_OP, op);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Adds what one message of the dump says.
    pub fn add(&mut self, msg: &Msg<'_>) -> Result<()> {
        if msg.ty() != GENL_ID_CTRL {
            return Err(Error::Unexpected {
                what: "an nlctrl message",
                msg_type: msg.ty(),
            });
        }
        let genl = GenlMsg::parse(msg, 0)?;
        let err = |e| genl.wire_error("nlctrl", e);
        for a in genl.attrs() {
            let a = a.map_err(err)?;
            match a.ty() {
                CTRL_ATTR_FAMILY_ID => self.family = a.u16().map_err(err)?,
                CTRL_ATTR_POLICY => self.add_policies(a.nested()).map_err(err)?,
                CTRL_ATTR_OP_POLICY => self.add_ops(a.nested()).map_err(err)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn add_policies(&mut self, nest: Attrs<'_>) -> nl_wire::Result<()> {
        for idx in nest {
            let idx = idx?;
            let table = self.policies.entry(u32::from(idx.ty())).or_default();
            for attr in idx.nested() {
                let attr = attr?;
                table.insert(attr.ty(), parse_attr(attr.nested())?);
            }
        }
        Ok(())
    }

    fn add_ops(&mut self, nest: Attrs<'_>) -> nl_wire::Result<()> {
        for op in nest {
            let op = op?;
            let entry = self.ops.entry(u32::from(op.ty())).or_default();
            for a in op.nested() {
                let a = a?;
                match a.ty() {
                    CTRL_ATTR_POLICY_DO => entry.request = Some(a.u32()?),
                    CTRL_ATTR_POLICY_DUMP => entry.dump = Some(a.u32()?),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The attributes operation `cmd` accepts in a request (`dump`:
    /// in a dump request).
    pub fn attrs_of(&self, cmd: u32, dump: bool) -> Option<&BTreeMap<u16, AttrPolicy>> {
        let index = match self.ops.get(&cmd) {
            Some(op) if dump => op.dump?,
            Some(op) => op.request?,
            // A family with one policy for every operation lists it alone.
            None if self.ops.is_empty() => 0,
            None => return None,
        };
        self.policies.get(&index)
    }

    /// Whether operation `cmd` accepts attribute `attr` in a request:
    /// the test for a feature.
    pub fn accepts(&self, cmd: u32, attr: u16) -> bool {
        self.attrs_of(cmd, false)
            .is_some_and(|t| t.get(&attr).is_some_and(|p| p.kind != AttrType::Invalid))
    }
}

fn parse_attr(nest: Attrs<'_>) -> nl_wire::Result<AttrPolicy> {
    let mut p = AttrPolicy::default();
    for a in nest {
        let a = a?;
        match a.ty() {
            NL_POLICY_TYPE_ATTR_TYPE => p.kind = a.u32()?.into(),
            NL_POLICY_TYPE_ATTR_MIN_VALUE_S => p.min_signed = Some(a.i64()?),
            NL_POLICY_TYPE_ATTR_MAX_VALUE_S => p.max_signed = Some(a.i64()?),
            NL_POLICY_TYPE_ATTR_MIN_VALUE_U => p.min_unsigned = Some(a.u64()?),
            NL_POLICY_TYPE_ATTR_MAX_VALUE_U => p.max_unsigned = Some(a.u64()?),
            NL_POLICY_TYPE_ATTR_MIN_LENGTH => p.min_len = Some(a.u32()?),
            NL_POLICY_TYPE_ATTR_MAX_LENGTH => p.max_len = Some(a.u32()?),
            NL_POLICY_TYPE_ATTR_POLICY_IDX => p.nested = Some(a.u32()?),
            NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE => p.nested_maxtype = Some(a.u32()?),
            NL_POLICY_TYPE_ATTR_BITFIELD32_MASK => p.bitfield32_mask = Some(a.u32()?),
            NL_POLICY_TYPE_ATTR_MASK => p.mask = Some(a.u64()?),
            _ => {}
        }
    }
    Ok(p)
}
