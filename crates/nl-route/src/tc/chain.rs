//! Filter chains: RTM_NEWCHAIN / DELCHAIN / GETCHAIN (`tc chain`).
//!
//! A chain is a numbered list of filters under one parent (a qdisc's
//! filter block); filters go into one with [`Filter::chain`](super::Filter)
//! and actions jump to one with `goto chain N`. The kernel makes chain 0
//! and any chain a filter names on its own; an explicit chain may carry a
//! template, a filter kind with keys (flower's) that every filter of the
//! chain must use.
//!
//! ```
//! use nl_route::tc::{Chain, TcHandle};
//! let mut buf = Vec::new();
//! Chain::new(3, TcHandle::INGRESS_FILTERS, 5).write_add(&mut buf)?;
//! let back = Chain::parse(&nl_wire::Msg::parse(&buf)?.0)?;
//! assert_eq!((back.index, back.parent, back.chain), (3, TcHandle::INGRESS_FILTERS, 5));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use nl_wire::Msg;
use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};

use super::filter::{FilterKind, Protocol};
use super::{Common, Op, TcHandle, start};
use crate::error::{Error, Result, parse_msg};
use crate::uapi::rtnetlink::{
    RTM_DELCHAIN, RTM_GETCHAIN, RTM_NEWCHAIN, TCA_CHAIN, TCA_KIND, TCA_OPTIONS,
};

/// A filter chain of a device's qdisc (or of a shared block).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chain {
    /// Interface index.
    pub index: u32,
    /// The qdisc or class whose filters it holds (ingress/clsact:
    /// [`TcHandle::INGRESS_FILTERS`] / [`TcHandle::EGRESS_FILTERS`] in a
    /// request). Parsed chains carry what the kernel reports: the qdisc's
    /// handle, `ffff:` for both hooks of a clsact qdisc, as `tc chain
    /// show` prints.
    pub parent: TcHandle,
    /// The chain's number (`chain N`).
    pub chain: u32,
    /// The template every filter of the chain must match (`tc chain add
    /// ... flower dst_ip 0.0.0.0/16`): a filter kind with its keys, no
    /// actions. Only flower supports templates in the kernel.
    pub template: Option<FilterKind>,
    /// The protocol the template is for (`protocol ip`; `tcm_info`).
    pub protocol: Protocol,
}

impl Chain {
    /// Chain `chain` under `parent` on device `index`, without a template.
    pub fn new(index: u32, parent: TcHandle, chain: u32) -> Chain {
        Chain {
            index,
            parent,
            chain,
            template: None,
            protocol: Protocol(0),
        }
    }

    /// Sets a template (`tc chain add ... protocol P KIND KEYS`).
    #[must_use]
    pub fn template(mut self, protocol: Protocol, kind: FilterKind) -> Chain {
        self.protocol = protocol;
        self.template = Some(kind);
        self
    }

    /// Parses an RTM_NEWCHAIN / RTM_DELCHAIN message.
    pub fn parse(msg: &Msg<'_>) -> Result<Chain> {
        parse_msg(msg, || {
            let c = Common::parse(msg)?;
            let info = c.hdr.tcm_info.get();
            let template = if c.kind.is_empty() {
                None
            } else {
                Some(
                    FilterKind::parse(c.kind, c.options.as_ref())
                        .map_err(|e| e.in_attr(TCA_OPTIONS))?,
                )
            };
            Ok(Chain {
                index: c.index(),
                parent: TcHandle(c.hdr.tcm_parent.get()),
                // The kernel always sends TCA_CHAIN; chain 0 without it.
                chain: c.chain.unwrap_or(0),
                template,
                protocol: Protocol(u16::from_be((info & 0xFFFF) as u16)),
            })
        })
    }

    fn write(&self, buf: &mut Vec<u8>, op: Op) -> Result<()> {
        if self.index == 0 {
            return Err(Error::invalid("index", "a chain needs a device"));
        }
        if self.parent == TcHandle::NONE {
            return Err(Error::invalid("parent", "a chain needs a parent qdisc"));
        }
        if self
            .template
            .as_ref()
            .is_some_and(|t| !t.actions().is_empty())
        {
            return Err(Error::invalid(
                "template",
                "a chain template has no actions",
            ));
        }
        // tc puts the template's protocol in tcm_info (priority 0).
        let info = u32::from(self.protocol.0.to_be());
        let mut m = start(
            buf,
            op.types(RTM_NEWCHAIN, RTM_DELCHAIN),
            op.flags(),
            self.index,
            TcHandle::NONE,
            self.parent,
            if op == Op::Del { 0 } else { info },
        )?;
        m.put_u32(TCA_CHAIN, self.chain);
        match &self.template {
            Some(t) if op == Op::Del => {
                m.put_str(TCA_KIND, t.name());
            }
            Some(t) => t.write(&mut m, self.protocol)?,
            None => {}
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc chain add` (fails if the chain was added before; a chain
    /// made by a filter alone can still be added, once).
    pub fn write_add(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Add)
    }

    /// Writes `tc chain del`: deletes the chain and every filter in it.
    pub fn write_del(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.write(buf, Op::Del)
    }

    /// Writes `tc chain show dev X parent P`: a dump of the parent's chains
    /// (every chain with filters or added explicitly, chain 0 included).
    pub fn write_dump(index: u32, parent: TcHandle, buf: &mut Vec<u8>) -> Result<()> {
        if index == 0 {
            return Err(Error::invalid("index", "chains are dumped per device"));
        }
        let m = start(
            buf,
            RTM_GETCHAIN,
            NLM_F_REQUEST | NLM_F_DUMP,
            index,
            TcHandle::NONE,
            parent,
            0,
        )?;
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes `tc chain get dev X parent P chain N`.
    pub fn write_get(&self, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(
            buf,
            RTM_GETCHAIN,
            NLM_F_REQUEST | nl_wire::netlink::NLM_F_ACK,
            self.index,
            TcHandle::NONE,
            self.parent,
            0,
        )?;
        m.put_u32(TCA_CHAIN, self.chain);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tc::Matchall;

    fn round_trip(c: &Chain) -> Chain {
        let mut buf = Vec::new();
        c.write_add(&mut buf).unwrap();
        Chain::parse(&Msg::parse(&buf).unwrap().0).unwrap()
    }

    #[test]
    fn chain_is_what_tc_sends() {
        // strace of `tc chain add dev v0 ingress chain 5` (ifindex 3).
        let mut buf = Vec::new();
        Chain::new(3, TcHandle::INGRESS_FILTERS, 5)
            .write_add(&mut buf)
            .unwrap();
        assert_eq!(buf.len(), 44);
        let (msg, _) = Msg::parse(&buf).unwrap();
        assert_eq!(msg.ty(), RTM_NEWCHAIN);
        assert_eq!(
            &buf[16..36],
            &[
                0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0xf2, 0xff, 0xff, 0xff, 0, 0, 0, 0
            ]
        );
        assert_eq!(&buf[36..], &[8, 0, 11, 0, 5, 0, 0, 0]);
        let mut del = Vec::new();
        Chain::new(3, TcHandle::INGRESS_FILTERS, 5)
            .write_del(&mut del)
            .unwrap();
        assert_eq!(Msg::parse(&del).unwrap().0.ty(), RTM_DELCHAIN);
        assert_eq!(&del[16..], &buf[16..]);
        let mut dump = Vec::new();
        Chain::write_dump(3, TcHandle::INGRESS_FILTERS, &mut dump).unwrap();
        assert_eq!(dump.len(), 36);
    }

    #[test]
    fn chains_round_trip() {
        let plain = Chain::new(3, TcHandle::INGRESS_FILTERS, 7);
        assert_eq!(round_trip(&plain), plain);
        let tmpl = Chain::new(3, TcHandle::EGRESS_FILTERS, 2)
            .template(Protocol::IP, FilterKind::Flower(Box::default()));
        let back = round_trip(&tmpl);
        assert_eq!(back.protocol, Protocol::IP);
        assert_eq!(back.template.as_ref().map(FilterKind::name), Some("flower"));
    }

    #[test]
    fn bad_chains_are_refused() {
        let mut buf = Vec::new();
        assert!(
            Chain::new(0, TcHandle::INGRESS_FILTERS, 1)
                .write_add(&mut buf)
                .is_err()
        );
        assert!(
            Chain::new(1, TcHandle::NONE, 1)
                .write_add(&mut buf)
                .is_err()
        );
        assert!(Chain::write_dump(0, TcHandle::ROOT, &mut buf).is_err());
        let mut with_action = Matchall::default();
        with_action.actions.push(crate::tc::Action::default());
        let c = Chain::new(1, TcHandle::INGRESS_FILTERS, 1)
            .template(Protocol::ALL, FilterKind::Matchall(with_action));
        assert!(c.write_add(&mut buf).is_err());
    }
}
