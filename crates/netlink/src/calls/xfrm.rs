// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_xfrm::policy::{write_dump_policies, write_flush_policies};
use nl_xfrm::state::write_flush_states;
use nl_xfrm::uapi::{XFRM_MSG_NEWPOLICY, XFRM_MSG_NEWSA, XFRM_MSG_NEWSADINFO, XFRM_MSG_NEWSPDINFO};
use nl_xfrm::{
    PolicyId, PolicyType, Proto, SadInfo, SpdInfo, StateDump, StateId,
    XfrmPolicy, XfrmState,
};
use crate::error::{Error, Result};
use crate::xfrm::*;

impl H {
    call! {
        /// `ip xfrm state add` (`XfrmStateAdd`): fails with
        /// [`ErrorKind::Exists`](crate::ErrorKind::Exists) if a state with the same destination, SPI,
        /// protocol and mark exists.
        pub fn xfrm_state_add(&self, state: &XfrmState) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(state.write_add(b)?)))
                .map_err(|e| e.about(format_args!("xfrm state add spi {:#x} proto {}", state.spi, state.proto)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm state update` (`XfrmStateUpdate`): changes an existing
        /// state (or completes one made by [`Handle::xfrm_state_allocspi`]).
        pub fn xfrm_state_update(&self, state: &XfrmState) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(state.write_update(b)?)))
                .map_err(|e| e.about(format_args!("xfrm state update spi {:#x} proto {}", state.spi, state.proto)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm state delete` (`XfrmStateDel`).
        pub fn xfrm_state_del(&self, id: &StateId) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(id.write_del(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm state get` (`XfrmStateGet`): the state with this identity.
        pub fn xfrm_state_get(&self, id: &StateId) -> Result<XfrmState> {
            let mut found = None;
            let what = || format!("xfrm state spi {:#x} proto {}", id.spi, id.proto);
            run!(self.do_exchange(XFRM, |b| Ok(id.write_get(b)?),
                    |m| {
                        if found.is_none() && m.ty() == XFRM_MSG_NEWSA {
                            found = Some(XfrmState::parse(&m)?);
                        }
                        Ok(())
                    }))
            .map_err(|e| not_found_as(e, what))?;
            found.ok_or_else(|| Error::not_found(what(), None))
        }
    }

    call! {
        /// `ip xfrm state list` (`XfrmStateList`): every state, keys included.
        pub fn xfrm_state_list(&self) -> Result<Vec<XfrmState>> {
            run!(self.xfrm_state_list_filtered(&StateDump::default()))
        }
    }

    call! {
        /// States matching `filter` (protocol and address prefixes, applied
        /// by the kernel and checked again here).
        pub fn xfrm_state_list_filtered(&self, filter: &StateDump) -> Result<Vec<XfrmState>> {
            run!(self.do_dump(XFRM, |b| Ok(filter.write(b)?),
                    |m| {
                        if m.ty() != XFRM_MSG_NEWSA {
                            return Ok(None);
                        }
                        Ok(Some(XfrmState::parse(&m)?).filter(|s| filter.matches(s)))
                    }))
        }
    }

    call! {
        /// `ip xfrm state flush [proto P]` (`XfrmStateFlush`): `None` flushes
        /// every protocol.
        pub fn xfrm_state_flush(&self, proto: Option<Proto>) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(write_flush_states(b, proto)?)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm state allocspi` (`XfrmStateAllocSpi`): reserves an SPI in
        /// `min..=max` for `state`'s addresses, protocol, mode and reqid; the
        /// kernel answers with a larval state holding it, which
        /// [`Handle::xfrm_state_update`] then completes with keys.
        pub fn xfrm_state_allocspi(&self, state: &XfrmState, min: u32, max: u32) -> Result<XfrmState> {
            let mut found = None;
            run!(self.do_exchange(XFRM, |b| Ok(state.write_allocspi(b, min, max)?),
                    |m| {
                        if found.is_none() && m.ty() == XFRM_MSG_NEWSA {
                            found = Some(XfrmState::parse(&m)?);
                        }
                        Ok(())
                    }))?;
            found.ok_or_else(|| Error::not_found("allocated SPI".into(), None))
        }
    }

    call! {
        /// `ip xfrm state count`: the size of the SAD.
        pub fn xfrm_sad_info(&self) -> Result<SadInfo> {
            let mut found = None;
            run!(self.do_exchange(XFRM, |b| Ok(SadInfo::write_get(b)?),
                    |m| {
                        if m.ty() == XFRM_MSG_NEWSADINFO {
                            found = Some(SadInfo::parse(&m)?);
                        }
                        Ok(())
                    }))?;
            found.ok_or_else(|| Error::not_found("SAD info".into(), None))
        }
    }

    call! {
        /// `ip xfrm policy add` (`XfrmPolicyAdd`): fails with
        /// [`ErrorKind::Exists`](crate::ErrorKind::Exists) if a policy with the same selector,
        /// direction, mark, interface id and type exists.
        pub fn xfrm_policy_add(&self, policy: &XfrmPolicy) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(policy.write_add(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm policy update` (`XfrmPolicyUpdate`): adds or replaces.
        pub fn xfrm_policy_update(&self, policy: &XfrmPolicy) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(policy.write_update(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm policy delete` (`XfrmPolicyDel`), by selector and
        /// direction or by index ([`PolicyId::by_index`]).
        pub fn xfrm_policy_del(&self, id: &PolicyId) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(id.write_del(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm policy get` (`XfrmPolicyGet`).
        pub fn xfrm_policy_get(&self, id: &PolicyId) -> Result<XfrmPolicy> {
            let mut found = None;
            let what = || match &id.selector {
                Some(s) => format!("xfrm policy {s} dir {}", id.dir),
                None => format!("xfrm policy index {} dir {}", id.index, id.dir),
            };
            run!(self.do_exchange(XFRM, |b| Ok(id.write_get(b)?),
                    |m| {
                        if found.is_none() && m.ty() == XFRM_MSG_NEWPOLICY {
                            found = Some(XfrmPolicy::parse(&m)?);
                        }
                        Ok(())
                    }))
            .map_err(|e| not_found_as(e, what))?;
            found.ok_or_else(|| Error::not_found(what(), None))
        }
    }

    call! {
        /// `ip xfrm policy list` (`XfrmPolicyList`): every policy (socket
        /// policies excluded, as the kernel dumps them).
        pub fn xfrm_policy_list(&self) -> Result<Vec<XfrmPolicy>> {
            run!(self.do_dump(XFRM, |b| Ok(write_dump_policies(b)?),
                    |m| {
                        if m.ty() != XFRM_MSG_NEWPOLICY {
                            return Ok(None);
                        }
                        Ok(Some(XfrmPolicy::parse(&m)?))
                    }))
        }
    }

    call! {
        /// `ip xfrm policy flush [ptype T]` (`XfrmPolicyFlush`).
        pub fn xfrm_policy_flush(&self, ptype: Option<PolicyType>) -> Result<()> {
            run!(self.do_request(XFRM, |b| Ok(write_flush_policies(b, ptype)?)))?;
            Ok(())
        }
    }

    call! {
        /// `ip xfrm policy count`: the size of the SPD.
        pub fn xfrm_spd_info(&self) -> Result<SpdInfo> {
            let mut found = None;
            run!(self.do_exchange(XFRM, |b| Ok(SpdInfo::write_get(b)?),
                    |m| {
                        if m.ty() == XFRM_MSG_NEWSPDINFO {
                            found = Some(SpdInfo::parse(&m)?);
                        }
                        Ok(())
                    }))?;
            found.ok_or_else(|| Error::not_found("SPD info".into(), None))
        }
    }
}
