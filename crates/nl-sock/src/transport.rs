//! The transport seam: what the receive state machine needs from a socket.
//!
//! [`Socket`](crate::Socket) runs requests, dumps and batches over any
//! [`Transport`]. The real one is [`SysSocket`]; tests of family crates and
//! of the facade use [`fake::Fake`](crate::fake::Fake), which answers with
//! scripted kernel replies and needs no root.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use nix::errno::Errno;

use crate::error::{Error, ErrorKind, Op, Result};
use crate::sys;

/// Default receive buffer: the kernel builds dump datagrams of up to 32 KiB.
pub const DEFAULT_RECV_BUFFER: usize = 32 * 1024;

/// Sends datagrams to, and receives datagrams from, the kernel.
pub trait Transport: Send {
    /// Sends one datagram holding one or more messages.
    fn send(&mut self, datagram: &[u8]) -> Result<()>;

    /// Receives one datagram into `buf`, growing it if the datagram is
    /// larger, and returns the datagram's length. Never truncates silently.
    fn recv(&mut self, buf: &mut Vec<u8>) -> Result<usize>;

    /// The local port id; 0 while unknown.
    fn port_id(&self) -> u32;

    /// The descriptor, for options and polling; `None` for fakes.
    fn fd(&self) -> Option<BorrowedFd<'_>> {
        None
    }

    /// Drops up to `max` datagrams already queued, without waiting;
    /// returns how many. The default drops nothing.
    fn discard_queued(&mut self, max: usize) -> Result<usize> {
        let _ = max;
        Ok(0)
    }
}

/// A real `AF_NETLINK` socket.
#[derive(Debug)]
pub struct SysSocket {
    fd: OwnedFd,
    port_id: u32,
    peek: bool,
    timeout: bool,
    cancel: Option<OwnedFd>,
    timeout_value: Option<Duration>,
    nonblocking: bool,
}

impl SysSocket {
    /// Opens and binds a socket of `protocol` (`NETLINK_ROUTE`, ...).
    pub fn open(protocol: i32) -> Result<Self> {
        let fd = sys::socket(protocol).map_err(|e| Error::from_errno(Op::Open, e))?;
        Self::bound(fd)
    }

    /// Binds `fd` (port id from the kernel) and wraps it.
    pub(crate) fn bound(fd: OwnedFd) -> Result<Self> {
        sys::bind(fd.as_fd(), 0, 0).map_err(|e| Error::from_errno(Op::Bind, e))?;
        let port_id = sys::port_id(fd.as_fd()).map_err(|e| Error::from_errno(Op::Bind, e))?;
        Ok(SysSocket {
            fd,
            port_id,
            peek: true,
            timeout: false,
            cancel: None,
            timeout_value: None,
            nonblocking: false,
        })
    }

    /// Wraps an existing netlink socket without binding it (some sandboxes
    /// forbid `bind()`); the kernel binds it on the first send.
    pub fn from_fd(fd: OwnedFd) -> Result<Self> {
        let port_id = sys::port_id(fd.as_fd()).map_err(|e| Error::from_errno(Op::Bind, e))?;
        Ok(SysSocket {
            fd,
            port_id,
            peek: true,
            timeout: false,
            cancel: None,
            timeout_value: None,
            nonblocking: false,
        })
    }

    /// Whether each receive first asks the kernel for the datagram size
    /// (`MSG_PEEK | MSG_TRUNC`) and grows the buffer to fit (default: on).
    /// Off saves one syscall per datagram; a datagram larger than the buffer
    /// is then an [`ErrorKind::Truncated`] error.
    pub fn set_peek(&mut self, peek: bool) {
        self.peek = peek;
    }

    pub(crate) fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        sys::set_recv_timeout(self.fd.as_fd(), timeout)
            .map_err(|e| Error::from_errno(Op::Option, e))?;
        self.timeout = timeout.is_some();
        self.timeout_value = timeout;
        Ok(())
    }

    pub(crate) fn set_cancel(&mut self, fd: OwnedFd) {
        self.cancel = Some(fd);
    }

    /// Records that the descriptor is non-blocking: receives then never
    /// wait (no poll for the cancel handle, EAGAIN is "would block").
    pub(crate) fn set_nonblocking(&mut self, on: bool) {
        self.nonblocking = on;
    }

    fn recv_error(&self, e: Errno) -> Error {
        let err = Error::from_errno(Op::Recv, e);
        if e == Errno::EAGAIN && self.timeout && !self.nonblocking {
            err.with_kind(ErrorKind::Timeout)
        } else {
            err
        }
    }
}

impl AsFd for SysSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl Transport for SysSocket {
    fn send(&mut self, datagram: &[u8]) -> Result<()> {
        let n = sys::send(self.fd.as_fd(), datagram).map_err(|e| Error::from_errno(Op::Send, e))?;
        if n != datagram.len() {
            return Err(Error::new(Op::Send, ErrorKind::Truncated));
        }
        if self.port_id == 0 {
            // An unbound socket got its port id from the kernel's autobind.
            self.port_id = sys::port_id(self.fd.as_fd()).unwrap_or(0);
        }
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> Result<usize> {
        if buf.len() < DEFAULT_RECV_BUFFER {
            buf.resize(DEFAULT_RECV_BUFFER, 0);
        }
        loop {
            if let Some(cancel) = self.cancel.as_ref().filter(|_| !self.nonblocking) {
                match sys::wait_readable(self.fd.as_fd(), cancel.as_fd(), self.timeout_value) {
                    Ok(Some(true)) => return Err(Error::new(Op::Recv, ErrorKind::Cancelled)),
                    Ok(Some(false)) => {}
                    Ok(None) => return Err(Error::new(Op::Recv, ErrorKind::Timeout)),
                    Err(e) => return Err(Error::from_errno(Op::Recv, e)),
                }
            }
            if self.peek {
                let size = sys::peek_len(self.fd.as_fd()).map_err(|e| self.recv_error(e))?;
                if size > buf.len() {
                    buf.resize(size, 0);
                }
            }
            let (n, sender) =
                sys::recv_from(self.fd.as_fd(), buf).map_err(|e| self.recv_error(e))?;
            if n > buf.len() {
                return Err(Error::new(Op::Recv, ErrorKind::Truncated));
            }
            // Another process may send to our port id; only the kernel
            // (port 0) is believed.
            if sender != 0 {
                continue;
            }
            return Ok(n);
        }
    }

    fn port_id(&self) -> u32 {
        self.port_id
    }

    fn fd(&self) -> Option<BorrowedFd<'_>> {
        Some(self.fd.as_fd())
    }

    fn discard_queued(&mut self, max: usize) -> Result<usize> {
        let mut n = 0;
        while n < max && sys::discard_one(self.fd.as_fd()).map_err(|e| self.recv_error(e))? {
            n += 1;
        }
        Ok(n)
    }
}
