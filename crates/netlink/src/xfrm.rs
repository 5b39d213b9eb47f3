//! IPsec calls: `ip xfrm state`, `ip xfrm policy` and `ip xfrm monitor`
//! in Rust, named after the Go library's `XfrmStateAdd`, `XfrmPolicyList`
//! ... They use the handle's NETLINK_XFRM socket, opened on first use in
//! the handle's namespace.
//!
//! ```no_run
//! use netlink::Handle;
//! use netlink::nl_xfrm::{Algo, AuthAlgo, Dir, Key, Mode, Proto, Selector, Template, XfrmPolicy, XfrmState};
//!
//! let h = Handle::new()?;
//! // ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x100 mode tunnel reqid 7
//! //   auth-trunc 'hmac(sha256)' 0x... 128 enc 'cbc(aes)' 0x...
//! let mut sa = XfrmState::new("192.0.2.1".parse()?, "198.51.100.1".parse()?, Proto::Esp, 0x100);
//! sa.mode = Mode::Tunnel;
//! sa.reqid = 7;
//! sa.auth = Some(AuthAlgo::new("hmac(sha256)", Key::new([1u8; 32]), 128));
//! sa.crypt = Some(Algo::new("cbc(aes)", Key::new([2u8; 16])));
//! h.xfrm_state_add(&sa)?;
//!
//! // ip xfrm policy add src 192.0.2.0/24 dst 198.51.100.0/24 dir out
//! //   tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid 7 mode tunnel
//! let mut pol = XfrmPolicy::new(Selector::new("192.0.2.0/24".parse()?, "198.51.100.0/24".parse()?), Dir::Out);
//! pol.templates.push(Template::tunnel("192.0.2.1".parse()?, "198.51.100.1".parse()?, 7));
//! h.xfrm_policy_add(&pol)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_sock::{CancelHandle, Socket};
use nl_wire::netlink::NETLINK_XFRM;
use nl_xfrm::policy::{write_dump_policies, write_flush_policies};
use nl_xfrm::state::write_flush_states;
use nl_xfrm::uapi::{XFRM_MSG_NEWPOLICY, XFRM_MSG_NEWSA, XFRM_MSG_NEWSADINFO, XFRM_MSG_NEWSPDINFO};
use nl_xfrm::{
    Group, PolicyId, PolicyType, Proto, SadInfo, SpdInfo, StateDump, StateId, XfrmEvent,
    XfrmPolicy, XfrmState,
};

use crate::error::{Error, ErrorKind, Result};
use crate::events::StopHandle;
use crate::handle::Handle;

impl Handle {
    /// `ip xfrm state add` (`XfrmStateAdd`): fails with
    /// [`ErrorKind::Exists`] if a state with the same destination, SPI,
    /// protocol and mark exists.
    pub fn xfrm_state_add(&self, state: &XfrmState) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(state.write_add(b)?)))?;
        Ok(())
    }

    /// `ip xfrm state update` (`XfrmStateUpdate`): changes an existing
    /// state (or completes one made by [`Handle::xfrm_state_allocspi`]).
    pub fn xfrm_state_update(&self, state: &XfrmState) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(state.write_update(b)?)))?;
        Ok(())
    }

    /// `ip xfrm state delete` (`XfrmStateDel`).
    pub fn xfrm_state_del(&self, id: &StateId) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(id.write_del(b)?)))?;
        Ok(())
    }

    /// `ip xfrm state get` (`XfrmStateGet`): the state with this identity.
    pub fn xfrm_state_get(&self, id: &StateId) -> Result<XfrmState> {
        let mut found = None;
        let what = || format!("xfrm state spi {:#x} proto {}", id.spi, id.proto);
        self.xfrm(|c| {
            c.exchange(
                |b| Ok(id.write_get(b)?),
                |m| {
                    if found.is_none() && m.ty() == XFRM_MSG_NEWSA {
                        found = Some(XfrmState::parse(&m)?);
                    }
                    Ok(())
                },
            )
        })
        .map_err(|e| not_found_as(e, what))?;
        found.ok_or_else(|| Error::not_found(what(), None))
    }

    /// `ip xfrm state list` (`XfrmStateList`): every state, keys included.
    pub fn xfrm_state_list(&self) -> Result<Vec<XfrmState>> {
        self.xfrm_state_list_filtered(&StateDump::default())
    }

    /// States matching `filter` (protocol and address prefixes, applied
    /// by the kernel and checked again here).
    pub fn xfrm_state_list_filtered(&self, filter: &StateDump) -> Result<Vec<XfrmState>> {
        let retries = self.retries();
        self.xfrm(|c| {
            c.dump(
                retries,
                |b| Ok(filter.write(b)?),
                |m| {
                    if m.ty() != XFRM_MSG_NEWSA {
                        return Ok(None);
                    }
                    Ok(Some(XfrmState::parse(&m)?).filter(|s| filter.matches(s)))
                },
            )
        })
    }

    /// `ip xfrm state flush [proto P]` (`XfrmStateFlush`): `None` flushes
    /// every protocol.
    pub fn xfrm_state_flush(&self, proto: Option<Proto>) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(write_flush_states(b, proto)?)))?;
        Ok(())
    }

    /// `ip xfrm state allocspi` (`XfrmStateAllocSpi`): reserves an SPI in
    /// `min..=max` for `state`'s addresses, protocol, mode and reqid; the
    /// kernel answers with a larval state holding it, which
    /// [`Handle::xfrm_state_update`] then completes with keys.
    pub fn xfrm_state_allocspi(&self, state: &XfrmState, min: u32, max: u32) -> Result<XfrmState> {
        let mut found = None;
        self.xfrm(|c| {
            c.exchange(
                |b| Ok(state.write_allocspi(b, min, max)?),
                |m| {
                    if found.is_none() && m.ty() == XFRM_MSG_NEWSA {
                        found = Some(XfrmState::parse(&m)?);
                    }
                    Ok(())
                },
            )
        })?;
        found.ok_or_else(|| Error::not_found("allocated SPI".into(), None))
    }

    /// `ip xfrm state count`: the size of the SAD.
    pub fn xfrm_sad_info(&self) -> Result<SadInfo> {
        let mut found = None;
        self.xfrm(|c| {
            c.exchange(
                |b| Ok(SadInfo::write_get(b)?),
                |m| {
                    if m.ty() == XFRM_MSG_NEWSADINFO {
                        found = Some(SadInfo::parse(&m)?);
                    }
                    Ok(())
                },
            )
        })?;
        found.ok_or_else(|| Error::not_found("SAD info".into(), None))
    }

    /// `ip xfrm policy add` (`XfrmPolicyAdd`): fails with
    /// [`ErrorKind::Exists`] if a policy with the same selector,
    /// direction, mark, interface id and type exists.
    pub fn xfrm_policy_add(&self, policy: &XfrmPolicy) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(policy.write_add(b)?)))?;
        Ok(())
    }

    /// `ip xfrm policy update` (`XfrmPolicyUpdate`): adds or replaces.
    pub fn xfrm_policy_update(&self, policy: &XfrmPolicy) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(policy.write_update(b)?)))?;
        Ok(())
    }

    /// `ip xfrm policy delete` (`XfrmPolicyDel`), by selector and
    /// direction or by index ([`PolicyId::by_index`]).
    pub fn xfrm_policy_del(&self, id: &PolicyId) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(id.write_del(b)?)))?;
        Ok(())
    }

    /// `ip xfrm policy get` (`XfrmPolicyGet`).
    pub fn xfrm_policy_get(&self, id: &PolicyId) -> Result<XfrmPolicy> {
        let mut found = None;
        let what = || match &id.selector {
            Some(s) => format!("xfrm policy {s} dir {}", id.dir),
            None => format!("xfrm policy index {} dir {}", id.index, id.dir),
        };
        self.xfrm(|c| {
            c.exchange(
                |b| Ok(id.write_get(b)?),
                |m| {
                    if found.is_none() && m.ty() == XFRM_MSG_NEWPOLICY {
                        found = Some(XfrmPolicy::parse(&m)?);
                    }
                    Ok(())
                },
            )
        })
        .map_err(|e| not_found_as(e, what))?;
        found.ok_or_else(|| Error::not_found(what(), None))
    }

    /// `ip xfrm policy list` (`XfrmPolicyList`): every policy (socket
    /// policies excluded, as the kernel dumps them).
    pub fn xfrm_policy_list(&self) -> Result<Vec<XfrmPolicy>> {
        let retries = self.retries();
        self.xfrm(|c| {
            c.dump(
                retries,
                |b| Ok(write_dump_policies(b)?),
                |m| {
                    if m.ty() != XFRM_MSG_NEWPOLICY {
                        return Ok(None);
                    }
                    Ok(Some(XfrmPolicy::parse(&m)?))
                },
            )
        })
    }

    /// `ip xfrm policy flush [ptype T]` (`XfrmPolicyFlush`).
    pub fn xfrm_policy_flush(&self, ptype: Option<PolicyType>) -> Result<()> {
        self.xfrm(|c| c.request(|b| Ok(write_flush_policies(b, ptype)?)))?;
        Ok(())
    }

    /// `ip xfrm policy count`: the size of the SPD.
    pub fn xfrm_spd_info(&self) -> Result<SpdInfo> {
        let mut found = None;
        self.xfrm(|c| {
            c.exchange(
                |b| Ok(SpdInfo::write_get(b)?),
                |m| {
                    if m.ty() == XFRM_MSG_NEWSPDINFO {
                        found = Some(SpdInfo::parse(&m)?);
                    }
                    Ok(())
                },
            )
        })?;
        found.ok_or_else(|| Error::not_found("SPD info".into(), None))
    }

    /// `ip xfrm monitor` (`XfrmMonitor`): a subscription to `groups`
    /// ([`Group::ALL`] for everything) on a socket of its own.
    pub fn xfrm_monitor(&self, groups: &[Group]) -> Result<XfrmMonitor> {
        let mut sock = self.open_socket(NETLINK_XFRM)?;
        for g in groups {
            sock.join(g.number())?;
        }
        let stop = Arc::new(sock.cancel_handle()?);
        Ok(XfrmMonitor {
            sock,
            pending: VecDeque::new(),
            stop,
        })
    }
}

/// ESRCH / ENOENT from a get: the object does not exist.
fn not_found_as(e: Error, what: impl FnOnce() -> String) -> Error {
    match e {
        Error::Netlink(n) if n.kind() == ErrorKind::NotFound => Error::not_found(what(), Some(n)),
        e => e,
    }
}

/// An owned subscription to xfrm notifications ([`Handle::xfrm_monitor`]).
/// Dropping it leaves the groups.
pub struct XfrmMonitor {
    sock: Socket,
    pending: VecDeque<Result<XfrmEvent>>,
    stop: Arc<CancelHandle>,
}

impl std::fmt::Debug for XfrmMonitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XfrmMonitor").finish_non_exhaustive()
    }
}

impl XfrmMonitor {
    /// The next event; blocks until one arrives (or the timeout set with
    /// [`XfrmMonitor::set_timeout`] passes: [`ErrorKind::Timeout`]).
    /// [`ErrorKind::Overrun`] means notifications were lost: list states
    /// and policies again.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<XfrmEvent> {
        if let Some(r) = self.pending.pop_front() {
            return r;
        }
        let mut stream = self.sock.messages();
        let msg = stream.next()?;
        let event = XfrmEvent::parse(&msg).map_err(Error::from);
        // Keep the rest of this datagram for the next calls, parse failures
        // included, so one bad message does not lose the ones after it.
        while stream.has_buffered() {
            match stream.next() {
                Ok(m) => self
                    .pending
                    .push_back(XfrmEvent::parse(&m).map_err(Error::from)),
                Err(e) => {
                    self.pending.push_back(Err(e.into()));
                    break;
                }
            }
        }
        event
    }

    /// A receive that waits longer than `timeout` fails with [`ErrorKind::Timeout`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        Ok(self.sock.set_recv_timeout(timeout)?)
    }

    /// A handle another thread can use to stop a blocked `next`.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle::new(self.stop.clone())
    }
}
