//! nftables notifications (`NFNLGRP_NFTABLES`): every committed change
//! as the object it made or removed, then the new generation.
//!
//! A socket joined to the group receives, per committed transaction, one
//! message per change (`NFT_MSG_NEW*` / `NFT_MSG_DEL*`, in the order of
//! the transaction) and then `NFT_MSG_NEWGEN` with the generation id and
//! the committing process.

use nl_wire::Msg;

use super::{Chain, Flowtable, GenId, Obj, Rule, SUBSYSTEM, Set, SetElems, Table};
use crate::uapi::nf_tables::*;
use crate::{Error, NfMsg, Result};

/// The multicast group of nftables notifications.
pub const GROUP: u32 = crate::uapi::nfnetlink::NFNLGRP_NFTABLES;

/// One nftables notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A table was added (or its flags changed).
    NewTable(Table),
    /// A table was deleted.
    DelTable(Table),
    /// A chain was added (or changed).
    NewChain(Chain),
    /// A chain was deleted.
    DelChain(Chain),
    /// A rule was added.
    NewRule(Rule),
    /// A rule was deleted.
    DelRule(Rule),
    /// A set was added.
    NewSet(Set),
    /// A set was deleted.
    DelSet(Set),
    /// Elements were added.
    NewElems(SetElems),
    /// Elements were deleted.
    DelElems(SetElems),
    /// A stateful object was added.
    NewObj(Obj),
    /// A stateful object was deleted.
    DelObj(Obj),
    /// A flowtable was added.
    NewFlowtable(Flowtable),
    /// A flowtable was deleted.
    DelFlowtable(Flowtable),
    /// A transaction was committed: the generation it made.
    NewGen(GenId),
    /// Another nftables message (trace, future kinds): its command.
    Other(u8),
}

/// Reads `msg` with `parse` after retyping a DEL* message as its NEW*
/// twin (same attributes).
fn as_new<T>(msg: &Msg<'_>, new: u8, parse: fn(&Msg<'_>) -> Result<T>) -> Result<T> {
    let mut bytes = msg.bytes().to_vec();
    let ty = crate::msg_type(SUBSYSTEM, new).to_ne_bytes();
    if let Some(t) = bytes.get_mut(4..6) {
        t.copy_from_slice(&ty);
    }
    let (copy, _) = Msg::parse(&bytes).map_err(|e| Error::Wire {
        msg_type: msg.ty(),
        source: e,
    })?;
    parse(&copy)
}

impl Event {
    /// Reads one notification.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let nf = NfMsg::parse(msg, SUBSYSTEM)?;
        Ok(match nf.command() {
            NFT_MSG_NEWTABLE => Event::NewTable(Table::parse(msg)?),
            NFT_MSG_DELTABLE => Event::DelTable(as_new(msg, NFT_MSG_NEWTABLE, Table::parse)?),
            NFT_MSG_NEWCHAIN => Event::NewChain(Chain::parse(msg)?),
            NFT_MSG_DELCHAIN => Event::DelChain(as_new(msg, NFT_MSG_NEWCHAIN, Chain::parse)?),
            NFT_MSG_NEWRULE => Event::NewRule(Rule::parse(msg)?),
            NFT_MSG_DELRULE => Event::DelRule(as_new(msg, NFT_MSG_NEWRULE, Rule::parse)?),
            NFT_MSG_NEWSET => Event::NewSet(Set::parse(msg)?),
            NFT_MSG_DELSET => Event::DelSet(as_new(msg, NFT_MSG_NEWSET, Set::parse)?),
            NFT_MSG_NEWSETELEM => Event::NewElems(SetElems::parse(msg)?),
            NFT_MSG_DELSETELEM => {
                Event::DelElems(as_new(msg, NFT_MSG_NEWSETELEM, SetElems::parse)?)
            }
            NFT_MSG_NEWOBJ => Event::NewObj(Obj::parse(msg)?),
            NFT_MSG_DELOBJ => Event::DelObj(as_new(msg, NFT_MSG_NEWOBJ, Obj::parse)?),
            NFT_MSG_NEWFLOWTABLE => Event::NewFlowtable(Flowtable::parse(msg)?),
            NFT_MSG_DELFLOWTABLE => {
                Event::DelFlowtable(as_new(msg, NFT_MSG_NEWFLOWTABLE, Flowtable::parse)?)
            }
            NFT_MSG_NEWGEN => Event::NewGen(GenId::parse(msg)?),
            other => Event::Other(other),
        })
    }
}
