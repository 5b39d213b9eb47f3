//! Unix sockets (`unix_diag`): the dump request and the reply (name,
//! peer, pending connections, queues, uid, vfs inode, memory).
//!
//! ```text
//! +--------------------+-------------------+--------------------------+
//! | nlmsghdr (16)      | unix_diag_msg (16)| UNIX_DIAG_* attributes   |
//! +--------------------+-------------------+--------------------------+
//! ```

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use bitflags::bitflags;
use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder};

use crate::error::{Result, header, parse_msg};
use crate::inet::{States, TcpState};
use crate::uapi::sock_diag::SOCK_DIAG_BY_FAMILY;
use crate::uapi::unix_diag::*;
use crate::{AF_UNIX, SkMemInfo};

bitflags! {
    /// What each reply carries (`udiag_show`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Show: u32 {
        /// `UDIAG_SHOW_NAME`: the bound name.
        const NAME = UDIAG_SHOW_NAME;
        /// `UDIAG_SHOW_VFS`: the inode of a path's file.
        const VFS = UDIAG_SHOW_VFS;
        /// `UDIAG_SHOW_PEER`: the peer's inode.
        const PEER = UDIAG_SHOW_PEER;
        /// `UDIAG_SHOW_ICONS`: connections waiting in a listener's queue.
        const ICONS = UDIAG_SHOW_ICONS;
        /// `UDIAG_SHOW_RQLEN`: receive and send queues.
        const RQLEN = UDIAG_SHOW_RQLEN;
        /// `UDIAG_SHOW_MEMINFO`: memory counters.
        const MEMINFO = UDIAG_SHOW_MEMINFO;
        /// `UDIAG_SHOW_UID`: the owner's uid.
        const UID = UDIAG_SHOW_UID;
    }
}

impl Show {
    /// What `ss -x` asks for: name, peer, queues (and vfs and pending
    /// connections, cheap and useful).
    pub const SS: Show = Show::NAME
        .union(Show::PEER)
        .union(Show::RQLEN)
        .union(Show::VFS)
        .union(Show::ICONS);
}

nl_wire::kernel_enum! {
    /// A unix socket's type (`udiag_type`, `SOCK_*`) with `ss`'s `Netid`.
    pub enum UnixType: u8, "unix socket type", crate::Error {
        /// `SOCK_STREAM`.
        Stream = 1 => "u_str" | "stream",
        /// `SOCK_DGRAM`.
        Dgram = 2 => "u_dgr" | "dgram",
        /// `SOCK_SEQPACKET`.
        SeqPacket = 5 => "u_seq" | "seqpacket",
    }
}

/// A dump request for unix sockets (`ss -x`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnixDump {
    /// The states to list (`ESTAB`, `LISTEN`, `UNCONN` are the ones unix
    /// sockets have).
    pub states: States,
    /// What each reply carries.
    pub show: Show,
    /// Only the socket with this inode (0: all).
    pub inode: u32,
}

impl Default for UnixDump {
    fn default() -> Self {
        UnixDump {
            states: States::ALL,
            show: Show::SS,
            inode: 0,
        }
    }
}

impl UnixDump {
    /// Appends the dump request.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        let req = UnixDiagReq {
            sdiag_family: AF_UNIX,
            sdiag_protocol: 0,
            pad: 0.into(),
            udiag_states: self.states.bits().into(),
            udiag_ino: self.inode.into(),
            udiag_show: self.show.bits().into(),
            // The kernel ignores the cookie in dumps.
            udiag_cookie: [u32::MAX.into(), u32::MAX.into()],
        };
        let mut m = MsgBuilder::new(buf, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&req);
        m.finish()?;
        Ok(())
    }
}

/// A unix socket's bound name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UnixName {
    /// A path in the file system.
    Path(PathBuf),
    /// An abstract name (without its leading NUL; `ss` prints `@name`).
    Abstract(Vec<u8>),
}

impl UnixName {
    fn from_sun_path(bytes: &[u8]) -> UnixName {
        match bytes.split_first() {
            Some((0, rest)) => UnixName::Abstract(rest.to_vec()),
            _ => {
                // Paths may arrive with their terminating NUL.
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                let path = bytes.get(..end).unwrap_or(bytes);
                UnixName::Path(PathBuf::from(OsStr::from_bytes(path)))
            }
        }
    }
}

impl core::fmt::Display for UnixName {
    /// As `ss` prints it: the path, or `@` and the abstract name.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            UnixName::Path(p) => write!(f, "{}", p.display()),
            UnixName::Abstract(n) => {
                f.write_str("@")?;
                // ss prints NULs inside an abstract name as '@' too.
                for chunk in n.split(|&b| b == 0).enumerate() {
                    if chunk.0 > 0 {
                        f.write_str("@")?;
                    }
                    write!(f, "{}", String::from_utf8_lossy(chunk.1))?;
                }
                Ok(())
            }
        }
    }
}

/// A unix socket as `sock_diag` reports it (the Go library's
/// `UnixSocket` and its `UnixDiagInfoResp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnixSocket {
    /// Stream, datagram or seqpacket.
    pub kind: UnixType,
    /// `ESTAB`, `LISTEN` or `UNCONN`.
    pub state: TcpState,
    /// The socket's inode.
    pub inode: u32,
    /// The kernel's socket cookie.
    pub cookie: u64,
    /// `UNIX_DIAG_NAME`: the bound name, `None` when unbound.
    pub name: Option<UnixName>,
    /// `UNIX_DIAG_VFS`: inode and device of a path's file.
    pub vfs: Option<(u32, u32)>,
    /// `UNIX_DIAG_PEER`: the peer's inode.
    pub peer: Option<u32>,
    /// `UNIX_DIAG_ICONS`: inodes of connections waiting to be accepted.
    pub icons: Vec<u32>,
    /// `UNIX_DIAG_RQLEN`: receive queue (for a listener, pending
    /// connections) and send queue (a listener's backlog limit).
    pub queues: Option<(u32, u32)>,
    /// `UNIX_DIAG_MEMINFO`.
    pub meminfo: Option<SkMemInfo>,
    /// `UNIX_DIAG_SHUTDOWN`: bit 0 receive side, bit 1 send side.
    pub shutdown: Option<u8>,
    /// `UNIX_DIAG_UID` (Linux 5.3).
    pub uid: Option<u32>,
}

impl UnixSocket {
    /// Reads one reply. Unknown attributes are skipped.
    pub fn parse(msg: &Msg<'_>) -> Result<UnixSocket> {
        let hdr: &UnixDiagMsg = header(msg, "struct unix_diag_msg")?;
        let [lo, hi] = hdr.udiag_cookie;
        let mut s = UnixSocket {
            kind: UnixType::from(hdr.udiag_type),
            state: TcpState::from(hdr.udiag_state),
            inode: hdr.udiag_ino.get(),
            cookie: u64::from(lo.get()) | (u64::from(hi.get()) << 32),
            name: None,
            vfs: None,
            peer: None,
            icons: Vec::new(),
            queues: None,
            meminfo: None,
            shutdown: None,
            uid: None,
        };
        parse_msg(msg, || {
            msg.attrs::<UnixDiagMsg>().decode(|a| {
                match a.ty() {
                    UNIX_DIAG_NAME => s.name = Some(UnixName::from_sun_path(a.payload())),
                    UNIX_DIAG_VFS => {
                        let v: &UnixDiagVfs = a.get()?;
                        s.vfs = Some((v.udiag_vfs_ino.get(), v.udiag_vfs_dev.get()));
                    }
                    UNIX_DIAG_PEER => s.peer = Some(a.u32()?),
                    UNIX_DIAG_ICONS => {
                        s.icons = a
                            .payload()
                            .chunks_exact(4)
                            .map(|c| <[u8; 4]>::try_from(c).map_or(0, u32::from_ne_bytes))
                            .collect();
                    }
                    UNIX_DIAG_RQLEN => {
                        let q: &UnixDiagRqlen = a.get()?;
                        s.queues = Some((q.udiag_rqueue.get(), q.udiag_wqueue.get()));
                    }
                    UNIX_DIAG_MEMINFO => s.meminfo = Some(SkMemInfo::from_bytes(a.payload())),
                    UNIX_DIAG_SHUTDOWN => s.shutdown = Some(a.u8()?),
                    UNIX_DIAG_UID => s.uid = Some(a.u32()?),
                    _ => {}
                }
                Ok(())
            })
        })?;
        Ok(s)
    }
}
