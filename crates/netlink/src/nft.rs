//! nftables monitor events (feature `netfilter`, `nft monitor`): every
//! committed change as the object it made or removed, then the new
//! generation, as a subscription with the overrun and resync semantics of
//! the route and conntrack events; and the streaming listings of the
//! async handle.
//!
//! When changes come faster than the program reads them the kernel drops
//! some and says so: the subscription yields [`NftEvent::Overrun`]. With
//! [`NftSubscribe::resync`] it then gets back in step by itself: it throws
//! away the notifications still queued (older than what comes next),
//! lists the ruleset on another socket and yields it as
//! [`NftEvent::Synced`], then goes on with the changes committed since the
//! listing started.
//!
//! ```no_run
//! use netlink::{Handle, NftEvent, NftSubscribe};
//! use netlink::nl_netfilter::nft::monitor::Event;
//! let h = Handle::new()?;
//! for event in h.nft_subscribe(&NftSubscribe::new().list_existing().resync())? {
//!     match event? {
//!         NftEvent::Synced(ruleset) => println!("{} rules now", ruleset.rules.len()),
//!         NftEvent::Change(change) => match *change {
//!             Event::NewRule(r) => println!("+rule {:?}", r.handle),
//!             Event::NewGen(g) => println!("generation {}", g.id),
//!             _ => {}
//!         },
//!         NftEvent::Overrun => println!("-- lost some, listing again --"),
//!         _ => {}
//!     }
//! }
//! # Ok::<(), netlink::Error>(())
//! ```

use nl_netfilter::nft::monitor::{Event, GROUP};
use nl_netfilter::nft::{Family, Ruleset};
use nl_sock::Socket;
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::error::Result;
use crate::feed::{Feed, Subscription};
use crate::handle::Handle;

/// What to subscribe to: how to start and recover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NftSubscribe {
    list_existing: bool,
    resync: bool,
    recv_buffer: Option<usize>,
}

impl NftSubscribe {
    /// Changes only, no listing, an overrun reported and nothing more.
    pub fn new() -> Self {
        NftSubscribe::default()
    }

    /// First deliver the whole ruleset as [`NftEvent::Synced`]. The group
    /// is joined before the listing, so no change in between is missed
    /// (a change may show both in the listing and after it).
    #[must_use]
    pub fn list_existing(mut self) -> Self {
        self.list_existing = true;
        self
    }

    /// After lost notifications, get back in step by itself (see the
    /// module docs). Without it, [`NftEvent::Overrun`] is all that is said.
    #[must_use]
    pub fn resync(mut self) -> Self {
        self.resync = true;
        self
    }

    /// Receive buffer size for the subscription's socket (bytes): a large
    /// transaction notifies one message per object.
    #[must_use]
    pub fn recv_buffer(mut self, bytes: usize) -> Self {
        self.recv_buffer = Some(bytes);
        self
    }
}

/// An nftables notification, or a word about the subscription itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NftEvent {
    /// A committed change (or [`Event::NewGen`] closing a transaction).
    Change(Box<Event>),
    /// Notifications were lost: what the program knew may be wrong. With
    /// [`NftSubscribe::resync`], [`NftEvent::Synced`] follows.
    Overrun,
    /// The whole ruleset (on `list_existing` and after a resync).
    Synced(Box<Ruleset>),
}

impl crate::feed::private::Sealed for NftSubscribe {}

impl Feed for NftSubscribe {
    type Event = NftEvent;
    const PROTOCOL: i32 = NETLINK_NETFILTER;
    const NAME: &'static str = "NftSubscription";

    fn prepare(&self, sock: &mut Socket) -> Result<()> {
        if let Some(bytes) = self.recv_buffer {
            sock.set_recv_buffer_size(bytes, true)?;
        }
        sock.join(GROUP)?;
        Ok(())
    }

    /// `None` for messages of other subsystems.
    fn event(&self, msg: &Msg<'_>) -> Option<Result<NftEvent>> {
        if msg.ty() >> 8 != u16::from(nl_netfilter::nft::SUBSYSTEM) {
            return None;
        }
        Some(
            Event::parse(msg)
                .map(|e| NftEvent::Change(Box::new(e)))
                .map_err(Into::into),
        )
    }

    fn overrun() -> NftEvent {
        NftEvent::Overrun
    }

    fn wants_existing(&self) -> bool {
        self.list_existing
    }

    fn wants_resync(&self) -> bool {
        self.resync
    }

    fn list(&self, h: &Handle) -> Result<Vec<NftEvent>> {
        Ok(vec![NftEvent::Synced(Box::new(
            h.nft_ruleset(Family::Unspec)?,
        ))])
    }

    #[cfg(feature = "tokio")]
    fn list_async(&self, h: std::sync::Arc<crate::AsyncHandle>) -> crate::feed::Listing<NftEvent> {
        Box::pin(async move {
            let rs = h.nft_ruleset(Family::Unspec).await?;
            Ok(vec![NftEvent::Synced(Box::new(rs))])
        })
    }
}

/// A subscription to nftables notifications ([`Handle::nft_subscribe`]):
/// an [`Iterator`] of [`NftEvent`]s that blocks for the next one.
pub type NftSubscription = Subscription<NftSubscribe>;

impl Handle {
    /// Subscribes to nftables changes in this handle's namespace (`nft
    /// monitor`).
    pub fn nft_subscribe(&self, opts: &NftSubscribe) -> Result<NftSubscription> {
        Subscription::open(self, opts)
    }
}

#[cfg(feature = "tokio")]
pub use self::nonblocking::AsyncNftSubscription;

#[cfg(feature = "tokio")]
mod nonblocking {
    use nl_netfilter::msg_type;
    use nl_netfilter::nft::{Family, Rule, SUBSYSTEM, SetElems};
    use nl_netfilter::uapi::nf_tables::{NFT_MSG_NEWRULE, NFT_MSG_NEWSETELEM};
    use nl_wire::netlink::NETLINK_NETFILTER;

    use super::NftSubscribe;
    use crate::async_handle::{AsyncHandle, DumpStream};
    use crate::error::Result;
    use crate::feed::AsyncSubscription;

    /// An nftables subscription on an [`AsyncHandle`]
    /// ([`AsyncHandle::nft_subscribe`]): a [`Stream`](crate::Stream) of
    /// [`NftEvent`](super::NftEvent)s that never ends by itself, with the
    /// overrun and resync behaviour of the blocking one.
    pub type AsyncNftSubscription = AsyncSubscription<NftSubscribe>;

    impl AsyncHandle {
        /// Subscribes to nftables changes (`nft monitor`).
        pub async fn nft_subscribe(&self, opts: &NftSubscribe) -> Result<AsyncNftSubscription> {
            AsyncSubscription::open(self, opts).await
        }

        /// The rules of `family`, of `table` and `chain` if given, as they
        /// arrive: any number of rules stream in the memory of one
        /// receive buffer.
        pub fn nft_rule_stream<'h>(
            &'h self,
            family: Family,
            table: Option<&'h str>,
            chain: Option<&'h str>,
        ) -> Result<DumpStream<'h, Rule>> {
            self.dump_stream(
                NETLINK_NETFILTER,
                |b| Ok(Rule::write_dump(b, family, table, chain)?),
                move |m| {
                    if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWRULE) {
                        return Ok(None);
                    }
                    Ok(Some(Rule::parse(&m)?).filter(|r| {
                        (table.is_none() || r.table.as_deref() == table)
                            && (chain.is_none() || r.chain.as_deref() == chain)
                    }))
                },
            )
        }

        /// The elements of set `set` in `table`, one message's worth at a
        /// time, as they arrive.
        pub fn nft_set_elements_stream<'h>(
            &'h self,
            family: Family,
            table: &'h str,
            set: &'h str,
        ) -> Result<DumpStream<'h, SetElems>> {
            self.dump_stream(
                NETLINK_NETFILTER,
                |b| Ok(SetElems::write_dump(b, family, table, set)?),
                move |m| {
                    if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWSETELEM) {
                        return Ok(None);
                    }
                    Ok(Some(SetElems::parse(&m)?))
                },
            )
        }
    }
}
