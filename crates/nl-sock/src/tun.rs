//! tun/tap devices, which the kernel creates through `/dev/net/tun`
//! ioctls only (RTM_NEWLINK refuses them).
//!
//! Each open of `/dev/net/tun` attached with `TUNSETIFF` is one queue of
//! the device; the device disappears with its last queue unless it is
//! persistent (`TUNSETPERSIST`). A device belongs to the network namespace
//! `/dev/net/tun` was opened in, so [`TunOptions::create_in`] opens it
//! from a helper thread inside the target namespace.
//!
//! ```no_run
//! use nl_sock::tun::TunOptions;
//! // ip tuntap add dev tap0 mode tap user 1000 multi_queue
//! let dev = TunOptions {
//!     tap: true,
//!     multi_queue: true,
//!     persist: true,
//!     owner: Some(1000),
//!     ..TunOptions::default()
//! }
//! .create("tap0", 1)?;
//! assert_eq!(dev.name(), "tap0");
//! # Ok::<(), nl_sock::Error>(())
//! ```

use std::fs::OpenOptions;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;

use crate::error::{Error, Op, Result};
use crate::sys;

/// `IFF_*` flags of `TUNSETIFF` (`<linux/if_tun.h>`).
const IFF_TUN: u16 = 0x0001;
const IFF_TAP: u16 = 0x0002;
const IFF_MULTI_QUEUE: u16 = 0x0100;
const IFF_NO_PI: u16 = 0x1000;
const IFF_VNET_HDR: u16 = 0x4000;
const IFF_TUN_EXCL: u16 = 0x8000;

/// The longest device name (`IFNAMSIZ - 1`).
const MAX_NAME_LEN: usize = 15;

/// How to create (or attach to) a tun/tap device. The defaults are the
/// kernel's: a tun device with the packet information header, one queue,
/// not persistent, usable by anyone with `CAP_NET_ADMIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunOptions {
    /// A tap (Ethernet) device rather than a tun (IP) one.
    pub tap: bool,
    /// Packets carry a 4-byte `struct tun_pi` header (`IFF_NO_PI` when false).
    pub packet_info: bool,
    /// Packets carry a `struct virtio_net_hdr` (`IFF_VNET_HDR`).
    pub vnet_hdr: bool,
    /// One queue per descriptor (`IFF_MULTI_QUEUE`); needed for more than one.
    pub multi_queue: bool,
    /// The device outlives its descriptors (`TUNSETPERSIST`).
    pub persist: bool,
    /// User allowed to attach (`TUNSETOWNER`).
    pub owner: Option<u32>,
    /// Group allowed to attach (`TUNSETGROUP`).
    pub group: Option<u32>,
    /// Fail with [`ErrorKind::Exists`](crate::ErrorKind::Exists) if the
    /// device exists already (`IFF_TUN_EXCL`) instead of attaching to it.
    pub exclusive: bool,
}

impl Default for TunOptions {
    fn default() -> Self {
        TunOptions {
            tap: false,
            packet_info: true,
            vnet_hdr: false,
            multi_queue: false,
            persist: false,
            owner: None,
            group: None,
            exclusive: false,
        }
    }
}

/// A tun/tap device and the descriptors of its queues: read and write
/// packets on them. Dropping it closes the queues, which removes the
/// device unless it is persistent.
#[derive(Debug)]
pub struct TunDevice {
    name: String,
    queues: Vec<OwnedFd>,
}

impl TunDevice {
    /// The device's name, as the kernel chose it for an empty or `%d` name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The queues' descriptors, first one first.
    pub fn queues(&self) -> &[OwnedFd] {
        &self.queues
    }

    /// The queues' descriptors, to keep after the device handle is gone.
    pub fn into_queues(self) -> Vec<OwnedFd> {
        self.queues
    }
}

fn io_errno(e: &std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(0))
}

impl TunOptions {
    /// The `TUNSETIFF` flags.
    fn flags(&self) -> u16 {
        let mut flags = if self.tap { IFF_TAP } else { IFF_TUN };
        if !self.packet_info {
            flags |= IFF_NO_PI;
        }
        if self.vnet_hdr {
            flags |= IFF_VNET_HDR;
        }
        if self.multi_queue {
            flags |= IFF_MULTI_QUEUE;
        }
        flags
    }

    /// Creates the device `name` (empty: the kernel picks `tunN`/`tapN`)
    /// in this thread's network namespace and attaches `queues`
    /// descriptors to it (at least one; more than one needs
    /// [`multi_queue`](Self::multi_queue)). Owner, group and persistence
    /// are set through the first queue.
    pub fn create(&self, name: &str, queues: usize) -> Result<TunDevice> {
        let invalid = || Error::from_errno(Op::Tun, Errno::EINVAL);
        if name.len() > MAX_NAME_LEN || queues == 0 || (queues > 1 && !self.multi_queue) {
            return Err(invalid());
        }
        let flags = self.flags();
        let first = open()?;
        let excl = if self.exclusive { IFF_TUN_EXCL } else { 0 };
        let name = sys::tun_set_iff(first.as_fd(), name, flags | excl).map_err(|e| {
            // IFF_TUN_EXCL reports an existing device as busy.
            let e = if self.exclusive && e == Errno::EBUSY {
                Errno::EEXIST
            } else {
                e
            };
            Error::from_errno(Op::Tun, e)
        })?;
        let fail = |e| Error::from_errno(Op::Tun, e);
        if let Some(uid) = self.owner {
            sys::tun_set_owner(first.as_fd(), uid).map_err(fail)?;
        }
        if let Some(gid) = self.group {
            sys::tun_set_group(first.as_fd(), gid).map_err(fail)?;
        }
        if self.persist {
            sys::tun_set_persist(first.as_fd(), true).map_err(fail)?;
        }
        let mut device = TunDevice {
            name,
            queues: vec![first],
        };
        for _ in 1..queues {
            let fd = open()?;
            let attached = sys::tun_set_iff(fd.as_fd(), &device.name, flags).map_err(fail);
            if let Err(e) = attached {
                device.abandon();
                return Err(e);
            }
            device.queues.push(fd);
        }
        Ok(device)
    }

    /// [`create`](Self::create) inside the network namespace `netns` (an
    /// open `/proc/PID/ns/net` or `/var/run/netns/NAME`).
    pub fn create_in(&self, netns: BorrowedFd<'_>, name: &str, queues: usize) -> Result<TunDevice> {
        crate::netns::within(netns, || self.create(name, queues))
    }
}

impl TunDevice {
    /// Makes the device persistent or not (`TUNSETPERSIST`): a device that
    /// is not goes away when its last queue closes.
    pub fn set_persist(&self, on: bool) -> Result<()> {
        let first = self
            .queues
            .first()
            .ok_or(Error::from_errno(Op::Tun, Errno::EBADF))?;
        sys::tun_set_persist(first.as_fd(), on).map_err(|e| Error::from_errno(Op::Tun, e))
    }

    /// Undoes a persistent creation that failed half way.
    fn abandon(&mut self) {
        let _ = self.set_persist(false);
    }
}

/// Opens `/dev/net/tun` for reading and writing, close-on-exec.
fn open() -> Result<OwnedFd> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")
        .map(OwnedFd::from)
        .map_err(|e| Error::from_errno(Op::Tun, io_errno(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_follow_the_options() {
        assert_eq!(TunOptions::default().flags(), IFF_TUN);
        let o = TunOptions {
            tap: true,
            packet_info: false,
            vnet_hdr: true,
            multi_queue: true,
            ..TunOptions::default()
        };
        assert_eq!(
            o.flags(),
            IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE
        );
    }

    #[test]
    fn bad_requests_fail_before_any_syscall() {
        let o = TunOptions::default();
        assert_eq!(
            o.create("sixteen-chars-xx", 1).unwrap_err().errno(),
            Some(Errno::EINVAL)
        );
        assert_eq!(
            o.create("tun0", 0).unwrap_err().errno(),
            Some(Errno::EINVAL)
        );
        // several queues need IFF_MULTI_QUEUE
        assert_eq!(
            o.create("tun0", 2).unwrap_err().errno(),
            Some(Errno::EINVAL)
        );
    }
}
