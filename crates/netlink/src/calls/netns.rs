// Namespace ids (RTM_GETNSID / RTM_NEWNSID) and the names of /run/netns.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use std::collections::HashMap;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use nl_route::uapi::rtnetlink::RTM_NEWNSID;
use nl_route::{NsTarget, Nsid};
use nl_sock::netns::NetnsDir;

use crate::error::Result;

/// The fd of a namespace file as NETNSA_FD carries it (the kernel
/// resolves it in the sending process's table).
fn fd_target(fd: BorrowedFd<'_>) -> NsTarget {
    NsTarget::Fd(u32::try_from(fd.as_raw_fd()).unwrap_or(u32::MAX))
}

impl H {
    call! {
        /// The id this handle's namespace gives `target`; `None` when it
        /// has given it none.
        fn netns_id_get(&self, target: NsTarget) -> Result<Option<i32>> {
            let mut id = None;
            run!(self.do_exchange(ROUTE, |b| Ok(Nsid::write_get(target, b)?), |m| {
                if m.ty() == RTM_NEWNSID && id.is_none() {
                    id = Some(Nsid::parse(&m)?.nsid);
                }
                Ok(())
            }))?;
            Ok(id.filter(|n| *n >= 0))
        }
    }

    call! {
        /// The id this handle's namespace gives the namespace of the open
        /// namespace file `fd` (Go's `GetNetNsIdByFd`); `None` when none
        /// is assigned.
        pub fn netns_id_get_by_fd(&self, fd: BorrowedFd<'_>) -> Result<Option<i32>> {
            run!(self.netns_id_get(fd_target(fd)))
        }
    }

    call! {
        /// The id this handle's namespace gives the namespace of process
        /// `pid` (Go's `GetNetNsIdByPid`); `None` when none is assigned.
        pub fn netns_id_get_by_pid(&self, pid: u32) -> Result<Option<i32>> {
            run!(self.netns_id_get(NsTarget::Pid(pid)))
        }
    }

    call! {
        /// Gives the namespace of the open namespace file `fd` the id
        /// `nsid` in this handle's namespace (`ip netns set NAME NSID`,
        /// Go's `SetNetNsIdByFd`); `None` lets the kernel pick one. An id
        /// already given is an [`ErrorKind::Exists`](crate::ErrorKind::Exists) error.
        pub fn netns_id_set_by_fd(&self, fd: BorrowedFd<'_>, nsid: Option<u32>) -> Result<()> {
            let id = nsid.and_then(|n| i32::try_from(n).ok()).unwrap_or(-1);
            run!(self.do_request(ROUTE, |b| Ok(Nsid::write_set(fd_target(fd), id, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// Gives the namespace of process `pid` the id `nsid` (Go's
        /// `SetNetNsIdByPid`); `None` lets the kernel pick one.
        pub fn netns_id_set_by_pid(&self, pid: u32, nsid: Option<u32>) -> Result<()> {
            let id = nsid.and_then(|n| i32::try_from(n).ok()).unwrap_or(-1);
            run!(self.do_request(ROUTE, |b| Ok(Nsid::write_set(NsTarget::Pid(pid), id, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// The names of `dir` by the id this handle's namespace gives
        /// them, for naming a `link-netnsid` as `ip` does (`link-netns
        /// NAME`); names without an id, or whose file cannot be opened,
        /// are left out. [`NetnsDir::run`] is `/run/netns`.
        pub fn netns_names(&self, dir: &NetnsDir) -> Result<HashMap<i32, String>> {
            let mut out = HashMap::new();
            for name in dir.list()? {
                let Ok(file) = dir.open(&name) else {
                    continue;
                };
                if let Some(id) = run!(self.netns_id_get_by_fd(file.as_fd()))? {
                    // The first name of a namespace wins, as in ip's map.
                    out.entry(id).or_insert(name);
                }
            }
            Ok(out)
        }
    }
}
