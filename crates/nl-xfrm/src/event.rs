//! What the kernel multicasts to `NETLINK_XFRM` groups (`ip xfrm
//! monitor`): typed events for states, policies, expiries, acquires,
//! flushes, replay/lifetime async events, NAT mapping changes and
//! reports.
//!
//! Subscribe with [`Group`]s on a socket and hand every received message
//! to [`XfrmEvent::parse`].

use std::net::IpAddr;

use nl_wire::{DecodeError, Msg};

use crate::LifetimeCurrent;
use crate::common::{Mark, Proto, Selector, addr_from};
use crate::error::{Error, Result, parse_msg};
use crate::policy::{PolicyId, PolicyType, XfrmPolicy};
use crate::state::{Replay, ReplayEsn, StateId, XfrmState};
use crate::uapi::*;

nl_wire::kernel_enum! {
    /// An `XFRMNLGRP_*` multicast group, with the words `ip xfrm monitor`
    /// takes; `Other(n)` joins a group this library does not name.
    pub enum Group: u32, "group", Error {
        /// Acquire requests (a policy needs a state that does not exist).
        Acquire = XFRMNLGRP_ACQUIRE => "acquire",
        /// Soft and hard expiry of states and policies.
        Expire = XFRMNLGRP_EXPIRE => "expire",
        /// States added, updated, deleted, flushed.
        Sa = XFRMNLGRP_SA => "SA",
        /// Policies added, updated, deleted, flushed.
        Policy = XFRMNLGRP_POLICY => "policy",
        /// Replay and lifetime async events (`XFRM_MSG_NEWAE`).
        Aevents = XFRMNLGRP_AEVENTS => "aevent",
        /// Reports (Mobile IPv6).
        Report = XFRMNLGRP_REPORT => "report",
        /// Migrations (not decoded; they arrive as [`XfrmEvent::Other`]).
        Migrate = XFRMNLGRP_MIGRATE => "migrate",
        /// NAT-T mapping changes.
        Mapping = XFRMNLGRP_MAPPING => "mapping",
    }
}

impl Group {
    /// Every group `ip xfrm monitor` listens to.
    pub const ALL: [Group; 8] = [
        Group::Acquire,
        Group::Expire,
        Group::Sa,
        Group::Policy,
        Group::Aevents,
        Group::Report,
        Group::Migrate,
        Group::Mapping,
    ];

    /// The group's number, for `NETLINK_ADD_MEMBERSHIP`.
    pub fn number(self) -> u32 {
        self.into()
    }
}

/// An acquire: the kernel needs a state for traffic a policy covers, and
/// asks a key manager to negotiate one (`XFRM_MSG_ACQUIRE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acquire {
    /// Destination, SPI (0) and protocol wanted.
    pub dst: IpAddr,
    /// Protocol wanted.
    pub proto: Proto,
    /// Source address.
    pub src: IpAddr,
    /// The triggering packet's flow.
    pub selector: Selector,
    /// The policy that asked (with its templates).
    pub policy: XfrmPolicy,
    /// Allowed algorithm bitmaps.
    pub aalgos: u32,
    /// Allowed encryption algorithm bitmap.
    pub ealgos: u32,
    /// Allowed compression algorithm bitmap.
    pub calgos: u32,
    /// Sequence number to answer with (`XfrmState::seq`).
    pub seq: u32,
}

/// An async event about a state's replay counters or lifetime
/// (`XFRM_MSG_NEWAE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aevent {
    /// The state.
    pub id: StateId,
    /// Its request id.
    pub reqid: u32,
    /// `XFRM_AE_*` flags: why the event was sent (replay 16, timer 32 ...).
    pub flags: u32,
    /// Replay state.
    pub replay: Option<Replay>,
    /// ESN replay state.
    pub replay_esn: Option<ReplayEsn>,
    /// Lifetime use.
    pub current: Option<LifetimeCurrent>,
    /// `XFRMA_REPLAY_THRESH`.
    pub replay_thresh: Option<u32>,
    /// `XFRMA_ETIMER_THRESH` (tenths of a second).
    pub etimer_thresh: Option<u32>,
}

/// A NAT-T mapping change of an inbound state (`XFRM_MSG_MAPPING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    /// The state.
    pub id: StateId,
    /// Its request id.
    pub reqid: u32,
    /// Peer address before.
    pub old_src: IpAddr,
    /// Peer address now.
    pub new_src: IpAddr,
    /// Peer port before.
    pub old_sport: u16,
    /// Peer port now.
    pub new_sport: u16,
}

/// One message from an xfrm multicast group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XfrmEvent {
    /// A state was added.
    NewState(XfrmState),
    /// A state was updated.
    UpdState(XfrmState),
    /// A state was deleted; `state` is its last content.
    DelState {
        /// Identity from the header.
        id: StateId,
        /// The state (from `XFRMA_SA`), when the kernel sent it.
        state: Option<XfrmState>,
    },
    /// A state reached a limit: soft (renew it) or hard (it is gone).
    Expire {
        /// The state.
        state: XfrmState,
        /// Hard expiry.
        hard: bool,
    },
    /// A policy was added.
    NewPolicy(XfrmPolicy),
    /// A policy was updated.
    UpdPolicy(XfrmPolicy),
    /// A policy was deleted.
    DelPolicy {
        /// Identity from the header.
        id: PolicyId,
        /// The policy (from `XFRMA_POLICY`), when the kernel sent it.
        policy: Option<XfrmPolicy>,
    },
    /// A policy reached a limit.
    PolicyExpire {
        /// The policy.
        policy: XfrmPolicy,
        /// Hard expiry.
        hard: bool,
    },
    /// The kernel asks for a state.
    Acquire(Box<Acquire>),
    /// States were flushed (`None`: every protocol).
    FlushStates {
        /// The protocol flushed.
        proto: Option<Proto>,
    },
    /// Policies were flushed.
    FlushPolicies {
        /// The type flushed.
        ptype: PolicyType,
    },
    /// Replay or lifetime async event.
    Aevent(Box<Aevent>),
    /// NAT mapping change.
    Mapping(Mapping),
    /// A report (Mobile IPv6).
    Report {
        /// Protocol.
        proto: Proto,
        /// Flow.
        selector: Selector,
        /// Care-of address, when sent.
        coaddr: Option<IpAddr>,
    },
    /// A message this library does not decode (its type).
    Other(u16),
}

fn read<T: zerocopy::FromBytes + zerocopy::IntoBytes>(msg: &Msg<'_>) -> T {
    msg.family_header()
}

fn state_id(id: &XfrmUsersaId) -> StateId {
    StateId::from_raw(id)
}

impl XfrmEvent {
    /// Decodes a notification.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || XfrmEvent::from_msg(msg))
    }

    fn from_msg(msg: &Msg<'_>) -> core::result::Result<Self, DecodeError> {
        Ok(match msg.ty() {
            XFRM_MSG_NEWSA => XfrmEvent::NewState(XfrmState::from_msg(msg)?),
            XFRM_MSG_UPDSA => XfrmEvent::UpdState(XfrmState::from_msg(msg)?),
            XFRM_MSG_DELSA => {
                let hdr: XfrmUsersaId = read(msg);
                let attrs = msg.attrs_after(core::mem::size_of::<XfrmUsersaId>());
                let mut state = None;
                attrs.clone().decode(|a| {
                    if a.ty() == XFRMA_SA {
                        state = Some(XfrmState::from_info(&a.read()));
                    }
                    Ok(())
                })?;
                if let Some(s) = state.as_mut() {
                    attrs.decode(|a| s.parse_attr(&a))?;
                }
                let mut id = state_id(&hdr);
                if let Some(s) = &state {
                    id.src = s.src;
                    id.mark = s.mark;
                    id.if_id = s.if_id;
                }
                XfrmEvent::DelState { id, state }
            }
            XFRM_MSG_EXPIRE => {
                let e: XfrmUserExpire = read(msg);
                let mut state = XfrmState::from_info(&e.state);
                msg.attrs_after(core::mem::size_of::<XfrmUserExpire>())
                    .decode(|a| state.parse_attr(&a))?;
                XfrmEvent::Expire {
                    state,
                    hard: e.hard != 0,
                }
            }
            XFRM_MSG_NEWPOLICY => XfrmEvent::NewPolicy(XfrmPolicy::from_msg(msg)?),
            XFRM_MSG_UPDPOLICY => XfrmEvent::UpdPolicy(XfrmPolicy::from_msg(msg)?),
            XFRM_MSG_DELPOLICY => {
                let hdr: XfrmUserpolicyId = read(msg);
                let attrs = msg.attrs_after(core::mem::size_of::<XfrmUserpolicyId>());
                let mut policy = None;
                attrs.clone().decode(|a| {
                    if a.ty() == XFRMA_POLICY {
                        policy = Some(XfrmPolicy::from_info(&a.read()));
                    }
                    Ok(())
                })?;
                let mut id = PolicyId::from_raw(&hdr);
                attrs.decode(|a| {
                    match policy.as_mut() {
                        Some(p) => p.parse_attr(&a)?,
                        None if a.ty() == XFRMA_POLICY_TYPE => {
                            let t: XfrmUserpolicyType = a.read();
                            id.ptype = PolicyType::from(t.ty);
                        }
                        None => {}
                    }
                    Ok(())
                })?;
                if let Some(p) = &policy {
                    id.mark = p.mark;
                    id.if_id = p.if_id;
                    id.ptype = p.ptype;
                }
                XfrmEvent::DelPolicy { id, policy }
            }
            XFRM_MSG_POLEXPIRE => {
                let e: XfrmUserPolexpire = read(msg);
                let mut policy = XfrmPolicy::from_info(&e.pol);
                msg.attrs_after(core::mem::size_of::<XfrmUserPolexpire>())
                    .decode(|a| policy.parse_attr(&a))?;
                XfrmEvent::PolicyExpire {
                    policy,
                    hard: e.hard != 0,
                }
            }
            XFRM_MSG_ACQUIRE => {
                let a: XfrmUserAcquire = read(msg);
                let family = a.policy.sel.family.get();
                let family = if family == 0 {
                    a.sel.family.get()
                } else {
                    family
                };
                let mut policy = XfrmPolicy::from_info(&a.policy);
                msg.attrs_after(core::mem::size_of::<XfrmUserAcquire>())
                    .decode(|a| policy.parse_attr(&a))?;
                XfrmEvent::Acquire(Box::new(Acquire {
                    dst: addr_from(&a.id.daddr, family),
                    proto: Proto::from(a.id.proto),
                    src: addr_from(&a.saddr, family),
                    selector: Selector::from_raw(&a.sel),
                    policy,
                    aalgos: a.aalgos.get(),
                    ealgos: a.ealgos.get(),
                    calgos: a.calgos.get(),
                    seq: a.seq.get(),
                }))
            }
            XFRM_MSG_FLUSHSA => {
                let p = msg.payload().first().copied().unwrap_or(255);
                XfrmEvent::FlushStates {
                    proto: (p != 255 && p != 0).then(|| Proto::from(p)),
                }
            }
            XFRM_MSG_FLUSHPOLICY => {
                let mut ptype = PolicyType::Main;
                msg.attrs_after(0).decode(|a| {
                    if a.ty() == XFRMA_POLICY_TYPE {
                        let t: XfrmUserpolicyType = a.read();
                        ptype = PolicyType::from(t.ty);
                    }
                    Ok(())
                })?;
                XfrmEvent::FlushPolicies { ptype }
            }
            XFRM_MSG_NEWAE => {
                let ae: XfrmAeventId = read(msg);
                let mut id = state_id(&ae.sa_id);
                id.src = Some(addr_from(&ae.saddr, ae.sa_id.family.get()));
                let mut ev = Aevent {
                    id,
                    reqid: ae.reqid.get(),
                    flags: ae.flags.get(),
                    replay: None,
                    replay_esn: None,
                    current: None,
                    replay_thresh: None,
                    etimer_thresh: None,
                };
                // The state parser knows the replay and lifetime layouts.
                let mut s = XfrmState::default();
                msg.attrs_after(core::mem::size_of::<XfrmAeventId>())
                    .decode(|a| {
                        match a.ty() {
                            XFRMA_REPLAY_THRESH => ev.replay_thresh = Some(a.u32()?),
                            XFRMA_ETIMER_THRESH => ev.etimer_thresh = Some(a.u32()?),
                            XFRMA_LTIME_VAL => {
                                let c: XfrmLifetimeCur = a.read();
                                ev.current = Some(LifetimeCurrent::from_raw(&c));
                            }
                            XFRMA_MARK => {
                                ev.id.mark = Some(Mark::from_raw(&a.read()));
                            }
                            _ => s.parse_attr(&a)?,
                        }
                        Ok(())
                    })?;
                ev.replay = s.replay;
                ev.replay_esn = s.replay_esn;
                ev.id.if_id = s.if_id;
                XfrmEvent::Aevent(Box::new(ev))
            }
            XFRM_MSG_MAPPING => {
                let m: XfrmUserMapping = read(msg);
                let family = m.id.family.get();
                XfrmEvent::Mapping(Mapping {
                    id: state_id(&m.id),
                    reqid: m.reqid.get(),
                    old_src: addr_from(&m.old_saddr, family),
                    new_src: addr_from(&m.new_saddr, family),
                    old_sport: m.old_sport.get(),
                    new_sport: m.new_sport.get(),
                })
            }
            XFRM_MSG_REPORT => {
                let r: XfrmUserReport = read(msg);
                let selector = Selector::from_raw(&r.sel);
                let mut coaddr = None;
                msg.attrs_after(core::mem::size_of::<XfrmUserReport>())
                    .decode(|a| {
                        if a.ty() == XFRMA_COADDR {
                            let raw: [u8; 16] = crate::common::nl_wire_read(a.payload());
                            coaddr = Some(addr_from(&raw, r.sel.family.get()));
                        }
                        Ok(())
                    })?;
                XfrmEvent::Report {
                    proto: Proto::from(r.proto),
                    selector,
                    coaddr,
                }
            }
            other => XfrmEvent::Other(other),
        })
    }
}
