//! A scripted transport for tests without root (mdlayher's `nltest` idea).
//!
//! [`Fake`] hands every datagram a [`Socket`](crate::Socket) sends to a
//! handler, which returns the datagrams the "kernel" answers with. The
//! helpers below build those answers: acks, errors with ext-ack text,
//! multipart dumps split across datagrams, `NLM_F_DUMP_INTR`.
//!
//! ```
//! use nl_sock::{Socket, fake::{self, Fake}};
//! use nl_wire::{MsgBuilder, Msgs};
//!
//! let fake = Fake::new(|datagram| {
//!     // Refuse every request with EEXIST and a message.
//!     Msgs::new(datagram)
//!         .map(|m| fake::error(&m.unwrap(), 17, Some("File exists"), None))
//!         .collect()
//! });
//! let mut sock = Socket::with_transport(fake, 0)?;
//! let mut req = Vec::new();
//! MsgBuilder::new(&mut req, 16, 1).finish()?;
//! let err = sock.request(&mut req).unwrap_err();
//! assert_eq!(err.kind(), nl_sock::ErrorKind::Exists);
//! assert_eq!(err.message(), Some("File exists"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;

use nl_wire::netlink::{
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR,
    NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
};
use nl_wire::{Msg, MsgBuilder};
use zerocopy::IntoBytes;

use crate::error::{Error, ErrorKind, Op, Result};
use crate::transport::Transport;

type Handler = Box<dyn FnMut(&[u8]) -> Vec<Vec<u8>> + Send>;

/// A transport whose "kernel" is a closure from a sent datagram to the
/// datagrams it answers with. A receive with nothing queued is a
/// [`ErrorKind::Timeout`], never a hang.
pub struct Fake {
    handler: Handler,
    queue: VecDeque<Vec<u8>>,
    port_id: u32,
    sent: Vec<Vec<u8>>,
}

impl Fake {
    /// A fake answering with `handler`; its port id is 4242.
    pub fn new(handler: impl FnMut(&[u8]) -> Vec<Vec<u8>> + Send + 'static) -> Self {
        Fake {
            handler: Box::new(handler),
            queue: VecDeque::new(),
            port_id: 4242,
            sent: Vec::new(),
        }
    }

    /// Queues datagrams to be received before anything is sent
    /// (notifications, stale replies).
    pub fn preload(mut self, datagrams: impl IntoIterator<Item = Vec<u8>>) -> Self {
        self.queue.extend(datagrams);
        self
    }

    /// Datagrams sent so far (after the socket stamped them).
    pub fn sent(&self) -> &[Vec<u8>] {
        &self.sent
    }
}

impl Transport for Fake {
    fn send(&mut self, datagram: &[u8]) -> Result<()> {
        self.sent.push(datagram.to_vec());
        let replies = (self.handler)(datagram);
        self.queue.extend(replies);
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> Result<usize> {
        let d = self
            .queue
            .pop_front()
            .ok_or(Error::new(Op::Recv, ErrorKind::Timeout))?;
        if buf.len() < d.len() {
            buf.resize(d.len(), 0);
        }
        if let Some(dst) = buf.get_mut(..d.len()) {
            dst.copy_from_slice(&d);
        }
        Ok(d.len())
    }

    fn port_id(&self) -> u32 {
        self.port_id
    }

    fn discard_queued(&mut self, max: usize) -> Result<usize> {
        let n = self.queue.len().min(max);
        self.queue.drain(..n);
        Ok(n)
    }
}

fn error_msg(req: &Msg<'_>, errno: i32, text: Option<&str>, offset: Option<u32>) -> Vec<u8> {
    let mut out = Vec::new();
    let tlvs = text.is_some() || offset.is_some();
    let mut flags = NLM_F_CAPPED;
    if tlvs {
        flags |= NLM_F_ACK_TLVS;
    }
    let mut m = MsgBuilder::new(&mut out, NLMSG_ERROR, flags);
    m.seq(req.seq()).pid(req.pid());
    m.header(&(-errno).to_ne_bytes());
    m.header(req.header().as_bytes());
    if let Some(t) = text {
        m.put_str(NLMSGERR_ATTR_MSG, t);
    }
    if let Some(o) = offset {
        m.put_u32(NLMSGERR_ATTR_OFFS, o);
    }
    let _ = m.finish();
    out
}

/// An ack (`NLMSG_ERROR` with error 0) for `req`.
pub fn ack(req: &Msg<'_>) -> Vec<u8> {
    error_msg(req, 0, None, None)
}

/// An ack for `req` carrying a warning text.
pub fn ack_with_warning(req: &Msg<'_>, text: &str) -> Vec<u8> {
    error_msg(req, 0, Some(text), None)
}

/// An error reply for `req`: positive `errno`, optional ext-ack text and
/// attribute offset (counted from the start of the request).
pub fn error(req: &Msg<'_>, errno: i32, text: Option<&str>, offset: Option<u32>) -> Vec<u8> {
    error_msg(req, errno, text, offset)
}

/// An `NLMSG_DONE` for `req` with its error int.
pub fn done(req: &Msg<'_>, error: i32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut m = MsgBuilder::new(&mut out, NLMSG_DONE, NLM_F_MULTI);
    m.seq(req.seq()).pid(req.pid()).header(&error.to_ne_bytes());
    let _ = m.finish();
    out
}

/// One reply message of type `ty` answering `req`, its payload written by `f`.
pub fn reply(req: &Msg<'_>, ty: u16, flags: u16, f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut m = MsgBuilder::new(&mut out, ty, flags);
    m.seq(req.seq()).pid(req.pid());
    f(&mut m);
    let _ = m.finish();
    out
}

/// A multipart dump answering `req`: `messages` (each a whole message, as
/// from [`reply`]) re-stamped with `NLM_F_MULTI` (and `NLM_F_DUMP_INTR` when
/// `interrupted`), packed `per_datagram` to a datagram, then `NLMSG_DONE`.
pub fn multipart(
    req: &Msg<'_>,
    messages: &[Vec<u8>],
    per_datagram: usize,
    interrupted: bool,
) -> Vec<Vec<u8>> {
    let mut extra = NLM_F_MULTI;
    if interrupted {
        extra |= NLM_F_DUMP_INTR;
    }
    let mut datagrams = Vec::new();
    for chunk in messages.chunks(per_datagram.max(1)) {
        let mut d = Vec::new();
        for m in chunk {
            let mut m = m.clone();
            if let Some(f) = m.get_mut(6..8) {
                let old = <[u8; 2]>::try_from(&*f).map_or(0, u16::from_ne_bytes);
                f.copy_from_slice(&(old | extra).to_ne_bytes());
            }
            d.resize(nl_wire::align::align(d.len()), 0);
            d.extend_from_slice(&m);
        }
        datagrams.push(d);
    }
    let mut last = done(req, 0);
    if interrupted {
        if let Some(f) = last.get_mut(6..8) {
            f.copy_from_slice(&(NLM_F_MULTI | NLM_F_DUMP_INTR).to_ne_bytes());
        }
    }
    datagrams.push(last);
    datagrams
}
