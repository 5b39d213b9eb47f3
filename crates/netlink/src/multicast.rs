//! The core of a subscription that needs no listing and no resync: a
//! socket joined to its groups, a decoder from message to event, and the
//! events of the last datagram. Lost notifications are an
//! [`ErrorKind::Overrun`] item and the subscription goes on. Shared by
//! the subscriptions built on it (process events), blocking and tokio.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use nl_sock::{CancelHandle, Socket};
use nl_wire::Msg;

use crate::error::{ErrorKind, Result};
use crate::events::StopHandle;

/// Reads one message: `None` for a message that is not an event.
pub(crate) type Decode<E> = fn(&Msg<'_>) -> Option<Result<E>>;

/// A blocking subscription core.
pub(crate) struct Multicast<E> {
    sock: Socket,
    pending: VecDeque<Result<E>>,
    decode: Decode<E>,
    stop: Arc<CancelHandle>,
    stopped: bool,
}

impl<E> Multicast<E> {
    /// Wraps `sock` (groups joined); receives wait for ever by default.
    pub(crate) fn new(mut sock: Socket, decode: Decode<E>) -> Result<Self> {
        sock.set_recv_timeout(None)?;
        let stop = Arc::new(sock.cancel_handle()?);
        Ok(Multicast {
            sock,
            pending: VecDeque::new(),
            decode,
            stop,
            stopped: false,
        })
    }

    /// The socket, to send requests on it.
    pub(crate) fn socket(&mut self) -> &mut Socket {
        &mut self.sock
    }

    /// The next event; blocks until one arrives.
    pub(crate) fn next(&mut self) -> Result<E> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return r;
            }
            // A datagram's messages are all queued before any is
            // returned, so one that fails to parse loses no other.
            let decode = self.decode;
            let mut stream = self.sock.messages();
            let msg = stream.next()?;
            self.pending.extend(decode(&msg));
            while stream.has_buffered() {
                match stream.next() {
                    Ok(m) => self.pending.extend(decode(&m)),
                    Err(e) => {
                        self.pending.push_back(Err(e.into()));
                        break;
                    }
                }
            }
        }
    }

    /// `Iterator::next`: `None` once stopped, errors are items.
    pub(crate) fn iter_next(&mut self) -> Option<Result<E>> {
        if self.stopped {
            return None;
        }
        match self.next() {
            Err(e) if e.kind() == ErrorKind::Cancelled => {
                self.stopped = true;
                None
            }
            other => Some(other),
        }
    }

    pub(crate) fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        Ok(self.sock.set_recv_timeout(timeout)?)
    }

    pub(crate) fn stop_handle(&self) -> StopHandle {
        StopHandle::new(self.stop.clone())
    }

    pub(crate) fn set_nonblocking(&mut self, on: bool) -> Result<()> {
        Ok(self.sock.set_nonblocking(on)?)
    }

    pub(crate) fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        std::os::fd::AsFd::as_fd(&self.sock)
    }
}

#[cfg(feature = "tokio")]
pub(crate) use self::nonblocking::AsyncMulticast;

#[cfg(feature = "tokio")]
mod nonblocking {
    use std::task::{Context, Poll};
    use std::time::Duration;

    use nl_sock::Socket;
    use nl_sock::tokio::AsyncSocket;

    use super::Decode;
    use crate::error::Result;

    /// The tokio twin of [`super::Multicast`]: a poll function for a `Stream`.
    pub(crate) struct AsyncMulticast<E> {
        sock: AsyncSocket,
        decode: Decode<E>,
    }

    impl<E> AsyncMulticast<E> {
        pub(crate) fn new(sock: Socket, decode: Decode<E>) -> Result<Self> {
            Ok(AsyncMulticast {
                sock: AsyncSocket::new(sock)?,
                decode,
            })
        }

        /// The socket, to send requests on it.
        pub(crate) fn socket(&mut self) -> &mut AsyncSocket {
            &mut self.sock
        }

        pub(crate) fn set_timeout(&mut self, timeout: Option<Duration>) {
            self.sock.set_events_timeout(timeout);
        }

        /// The next event (`Stream::poll_next`; the stream never ends).
        pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
            loop {
                match self.sock.poll_message(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(msg)) => {
                        if let Some(r) = (self.decode)(&msg) {
                            return Poll::Ready(Some(r));
                        }
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e.into()))),
                }
            }
        }
    }
}
