//! Process events (`cn_proc`): fork, exec, id changes, sessions, ptrace,
//! name changes, core dumps and exits of every task on the system.
//!
//! A listener binds a `NETLINK_CONNECTOR` socket to group
//! [`CN_IDX_PROC`] (group 1), sends
//! [`write_listen`] and reads each message with [`ProcEvent::parse`].
//! The kernel counts listeners and builds no event while there are none,
//! so the operation is needed even with the group joined; it answers with
//! a [`ProcEventKind::Ack`] event. Events are not per network namespace:
//! the kernel has a connector socket only in the initial one, and only a
//! task in the initial user and PID namespaces may listen.
//!
//! ```text
//!  nlmsghdr | cn_msg (20) | what | cpu | timestamp_ns:64 | event_data (24 in 6.x)
//!                          \___ proc_event header (16) __/
//! ```
//!
//! Reading is tolerant both ways: `event_data` shorter than this
//! library's struct (an older kernel) reads its missing fields as zero,
//! longer (a newer kernel) is ignored past what is known, and events of
//! unknown type are kept raw ([`ProcEventKind::Other`]).

use core::ops::Range;

use nl_wire::Msg;
use zerocopy::{FromBytes, IntoBytes};

use crate::cn::{self, CnMsg};
use crate::error::{Error, Result};
use crate::uapi::cn_proc::*;
use crate::uapi::connector::{CN_IDX_PROC, CN_VAL_PROC};

/// Size of `nlmsghdr` + `cn_msg`: where the `proc_event` starts.
const EVENT_OFFSET: usize = 36;
/// The largest `event_data` member this library reads (comm, exit).
const DATA_LEN: usize = 24;

/// A process event: when and where, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcEvent {
    /// The CPU it happened on.
    pub cpu: u32,
    /// Nanoseconds since boot.
    pub timestamp_ns: u64,
    /// The connector's sequence number (a per-CPU counter of events).
    pub seq: u32,
    /// What happened.
    pub kind: ProcEventKind,
}

/// What happened to which task. Pids are thread ids, tgids process ids.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProcEventKind {
    /// `PROC_EVENT_NONE`: the kernel's answer to a listen or ignore
    /// operation, multicast (so every listener sees every program's); `err`
    /// is 0 or an errno (`EPERM` without `CAP_NET_ADMIN`
    /// for a filter change, `EINVAL` for an unknown operation).
    Ack {
        /// 0, or a positive errno.
        err: u32,
    },
    /// `PROC_EVENT_FORK`: `parent` created `child` (a process or a thread).
    Fork {
        /// The forking thread.
        parent_pid: u32,
        /// Its process.
        parent_tgid: u32,
        /// The new thread.
        child_pid: u32,
        /// Its process (the parent's for a new thread).
        child_tgid: u32,
    },
    /// `PROC_EVENT_EXEC`: a task replaced its program.
    Exec {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
    },
    /// `PROC_EVENT_UID`: a task changed its user ids.
    Uid {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
        /// Real user id.
        ruid: u32,
        /// Effective user id.
        euid: u32,
    },
    /// `PROC_EVENT_GID`: a task changed its group ids.
    Gid {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
        /// Real group id.
        rgid: u32,
        /// Effective group id.
        egid: u32,
    },
    /// `PROC_EVENT_SID`: a task started a session (`setsid`).
    Sid {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
    },
    /// `PROC_EVENT_PTRACE`: a tracer attached (or, with tracer 0, detached).
    Ptrace {
        /// The traced thread.
        pid: u32,
        /// Its process.
        tgid: u32,
        /// The tracer thread, 0 on detach.
        tracer_pid: u32,
        /// The tracer's process, 0 on detach.
        tracer_tgid: u32,
    },
    /// `PROC_EVENT_COMM`: a task changed its name (`prctl(PR_SET_NAME)`,
    /// `/proc/PID/comm`).
    Comm {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
        /// The new name, up to its first NUL (at most 15 bytes).
        comm: String,
    },
    /// `PROC_EVENT_COREDUMP`: a task dumped core.
    Coredump {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
        /// Its parent's thread (0 from kernels before 4.18).
        parent_pid: u32,
        /// Its parent's process (0 from kernels before 4.18).
        parent_tgid: u32,
    },
    /// `PROC_EVENT_EXIT`: a task exited.
    Exit {
        /// The thread.
        pid: u32,
        /// Its process.
        tgid: u32,
        /// The wait status: `code << 8`, or the killing signal (`| 0x80`
        /// with a core dump); [`ProcEventKind::exit_status`] reads it.
        exit_code: u32,
        /// The signal the parent is sent (`SIGCHLD`; 0 or -1 for threads).
        exit_signal: u32,
        /// Its parent's thread (0 from kernels before 4.18).
        parent_pid: u32,
        /// Its parent's process (0 from kernels before 4.18).
        parent_tgid: u32,
    },
    /// An event type this library does not know, kept as received.
    Other {
        /// `what`.
        what: u32,
        /// `event_data`, as many bytes as came.
        data: Vec<u8>,
    },
}

/// How a task ended, read from [`ProcEventKind::Exit`]'s `exit_code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// It called `exit(code)` (or returned from `main`).
    Exited(u8),
    /// A signal killed it.
    Signaled {
        /// The signal number.
        signal: u8,
        /// Whether it dumped core.
        core_dumped: bool,
    },
}

impl ExitStatus {
    /// Reads a wait status (`WIFEXITED` / `WTERMSIG` of `exit_code`).
    pub fn from_wait_status(status: u32) -> ExitStatus {
        let signal = (status & 0x7f) as u8;
        if signal == 0 {
            ExitStatus::Exited(((status >> 8) & 0xff) as u8)
        } else {
            ExitStatus::Signaled {
                signal,
                core_dumped: status & 0x80 != 0,
            }
        }
    }
}

/// One line per event, in the words of `forkstat` and the Go library's
/// monitor example: `fork 100 -> 4242`, `exit 4242 status 3` ...
impl core::fmt::Display for ProcEventKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ProcEventKind::Ack { err } => write!(f, "ack err {err}"),
            ProcEventKind::Fork {
                parent_tgid,
                child_pid,
                child_tgid,
                ..
            } if child_pid == child_tgid => write!(f, "fork {parent_tgid} -> {child_tgid}"),
            ProcEventKind::Fork {
                child_pid,
                child_tgid,
                ..
            } => write!(f, "clone {child_tgid} thread {child_pid}"),
            ProcEventKind::Exec { tgid, .. } => write!(f, "exec {tgid}"),
            ProcEventKind::Uid {
                tgid, ruid, euid, ..
            } => {
                write!(f, "uid {tgid} ruid {ruid} euid {euid}")
            }
            ProcEventKind::Gid {
                tgid, rgid, egid, ..
            } => {
                write!(f, "gid {tgid} rgid {rgid} egid {egid}")
            }
            ProcEventKind::Sid { tgid, .. } => write!(f, "sid {tgid}"),
            ProcEventKind::Ptrace {
                tgid, tracer_tgid, ..
            } => write!(f, "ptrace {tgid} tracer {tracer_tgid}"),
            ProcEventKind::Comm { tgid, pid, comm } => write!(f, "comm {tgid}/{pid} {comm}"),
            ProcEventKind::Coredump { tgid, .. } => write!(f, "coredump {tgid}"),
            ProcEventKind::Exit { pid, tgid, .. } => match self.exit_status() {
                Some(ExitStatus::Exited(code)) => write!(f, "exit {tgid}/{pid} status {code}"),
                Some(ExitStatus::Signaled {
                    signal,
                    core_dumped,
                }) => {
                    let core = if core_dumped { " (core dumped)" } else { "" };
                    write!(f, "exit {tgid}/{pid} signal {signal}{core}")
                }
                None => write!(f, "exit {tgid}/{pid}"),
            },
            ProcEventKind::Other { what, data } => {
                write!(f, "event {what:#x} ({} bytes)", data.len())
            }
        }
    }
}

/// The `u32` at `at` in the zero-padded event data.
fn word(data: &[u8; DATA_LEN], at: usize) -> u32 {
    data.get(at..at + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_ne_bytes)
}

impl ProcEventKind {
    /// The process (tgid) the event is about: the child for a fork,
    /// `None` for an ack or an unknown event.
    pub fn tgid(&self) -> Option<u32> {
        match self {
            ProcEventKind::Fork { child_tgid, .. } => Some(*child_tgid),
            ProcEventKind::Exec { tgid, .. }
            | ProcEventKind::Uid { tgid, .. }
            | ProcEventKind::Gid { tgid, .. }
            | ProcEventKind::Sid { tgid, .. }
            | ProcEventKind::Ptrace { tgid, .. }
            | ProcEventKind::Comm { tgid, .. }
            | ProcEventKind::Coredump { tgid, .. }
            | ProcEventKind::Exit { tgid, .. } => Some(*tgid),
            ProcEventKind::Ack { .. } | ProcEventKind::Other { .. } => None,
        }
    }

    /// How the task ended, for an exit event.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        match self {
            ProcEventKind::Exit { exit_code, .. } => Some(ExitStatus::from_wait_status(*exit_code)),
            _ => None,
        }
    }

    /// The `PROC_EVENT_*` number.
    pub fn what(&self) -> u32 {
        match self {
            ProcEventKind::Ack { .. } => PROC_EVENT_NONE,
            ProcEventKind::Fork { .. } => PROC_EVENT_FORK,
            ProcEventKind::Exec { .. } => PROC_EVENT_EXEC,
            ProcEventKind::Uid { .. } => PROC_EVENT_UID,
            ProcEventKind::Gid { .. } => PROC_EVENT_GID,
            ProcEventKind::Sid { .. } => PROC_EVENT_SID,
            ProcEventKind::Ptrace { .. } => PROC_EVENT_PTRACE,
            ProcEventKind::Comm { .. } => PROC_EVENT_COMM,
            ProcEventKind::Coredump { .. } => PROC_EVENT_COREDUMP,
            ProcEventKind::Exit { .. } => PROC_EVENT_EXIT,
            ProcEventKind::Other { what, .. } => *what,
        }
    }

    /// Reads `event_data` of an event of type `what`.
    fn parse(what: u32, raw: &[u8]) -> ProcEventKind {
        let mut d = [0u8; DATA_LEN];
        let n = raw.len().min(DATA_LEN);
        if let (Some(dst), Some(src)) = (d.get_mut(..n), raw.get(..n)) {
            dst.copy_from_slice(src);
        }
        let (w0, w1, w2, w3) = (word(&d, 0), word(&d, 4), word(&d, 8), word(&d, 12));
        match what {
            PROC_EVENT_NONE => ProcEventKind::Ack { err: w0 },
            PROC_EVENT_FORK => ProcEventKind::Fork {
                parent_pid: w0,
                parent_tgid: w1,
                child_pid: w2,
                child_tgid: w3,
            },
            PROC_EVENT_EXEC => ProcEventKind::Exec { pid: w0, tgid: w1 },
            PROC_EVENT_UID => ProcEventKind::Uid {
                pid: w0,
                tgid: w1,
                ruid: w2,
                euid: w3,
            },
            PROC_EVENT_GID => ProcEventKind::Gid {
                pid: w0,
                tgid: w1,
                rgid: w2,
                egid: w3,
            },
            PROC_EVENT_SID => ProcEventKind::Sid { pid: w0, tgid: w1 },
            PROC_EVENT_PTRACE => ProcEventKind::Ptrace {
                pid: w0,
                tgid: w1,
                tracer_pid: w2,
                tracer_tgid: w3,
            },
            PROC_EVENT_COMM => {
                let name = d.get(8..8 + TASK_COMM_LEN).unwrap_or_default();
                let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                ProcEventKind::Comm {
                    pid: w0,
                    tgid: w1,
                    comm: String::from_utf8_lossy(name.get(..end).unwrap_or_default()).into_owned(),
                }
            }
            PROC_EVENT_COREDUMP => ProcEventKind::Coredump {
                pid: w0,
                tgid: w1,
                parent_pid: w2,
                parent_tgid: w3,
            },
            PROC_EVENT_EXIT => ProcEventKind::Exit {
                pid: w0,
                tgid: w1,
                exit_code: w2,
                exit_signal: w3,
                parent_pid: word(&d, 16),
                parent_tgid: word(&d, 20),
            },
            what => ProcEventKind::Other {
                what,
                data: raw.to_vec(),
            },
        }
    }

    /// The `event_data` bytes of this event (what the kernel sends).
    fn data(&self) -> Vec<u8> {
        let words: &[u32] = match self {
            ProcEventKind::Ack { err } => &[*err],
            ProcEventKind::Fork {
                parent_pid,
                parent_tgid,
                child_pid,
                child_tgid,
            } => &[*parent_pid, *parent_tgid, *child_pid, *child_tgid],
            ProcEventKind::Exec { pid, tgid } | ProcEventKind::Sid { pid, tgid } => &[*pid, *tgid],
            ProcEventKind::Uid {
                pid,
                tgid,
                ruid: a,
                euid: b,
            }
            | ProcEventKind::Gid {
                pid,
                tgid,
                rgid: a,
                egid: b,
            }
            | ProcEventKind::Ptrace {
                pid,
                tgid,
                tracer_pid: a,
                tracer_tgid: b,
            }
            | ProcEventKind::Coredump {
                pid,
                tgid,
                parent_pid: a,
                parent_tgid: b,
            } => &[*pid, *tgid, *a, *b],
            ProcEventKind::Comm { pid, tgid, comm } => {
                let mut out: Vec<u8> = [*pid, *tgid].as_bytes().to_vec();
                let mut name = [0u8; TASK_COMM_LEN];
                let n = comm.len().min(TASK_COMM_LEN - 1);
                if let (Some(dst), Some(src)) = (name.get_mut(..n), comm.as_bytes().get(..n)) {
                    dst.copy_from_slice(src);
                }
                out.extend_from_slice(&name);
                return out;
            }
            ProcEventKind::Exit {
                pid,
                tgid,
                exit_code,
                exit_signal,
                parent_pid,
                parent_tgid,
            } => &[
                *pid,
                *tgid,
                *exit_code,
                *exit_signal,
                *parent_pid,
                *parent_tgid,
            ],
            ProcEventKind::Other { data, .. } => return data.clone(),
        };
        words.as_bytes().to_vec()
    }
}

impl ProcEvent {
    /// Reads one message of a `cn_proc` listener: `Ok(None)` for a
    /// message of another connector user.
    pub fn parse(msg: &Msg<'_>) -> Result<Option<ProcEvent>> {
        let cn = CnMsg::parse(msg)?;
        Self::parse_cn(&cn)
    }

    /// [`ProcEvent::parse`] on a connector message already read.
    pub fn parse_cn(cn: &CnMsg<'_>) -> Result<Option<ProcEvent>> {
        if cn.id() != (CN_IDX_PROC, CN_VAL_PROC) {
            return Ok(None);
        }
        let data = cn.data();
        let (hdr, rest) = ProcEventHdr::read_from_prefix(data).map_err(|_| Error::Truncated {
            what: "proc_event",
            need: size_of::<ProcEventHdr>(),
            have: data.len(),
            offset: EVENT_OFFSET,
        })?;
        Ok(Some(ProcEvent {
            cpu: hdr.cpu.get(),
            timestamp_ns: hdr.timestamp_ns.get(),
            seq: cn.seq(),
            kind: ProcEventKind::parse(hdr.what.get(), rest),
        }))
    }

    /// Appends this event as the kernel sends it (for tests and replays).
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<Range<usize>> {
        let hdr = ProcEventHdr {
            what: self.kind.what().into(),
            cpu: self.cpu.into(),
            timestamp_ns: self.timestamp_ns.into(),
        };
        let mut data = hdr.as_bytes().to_vec();
        data.extend_from_slice(&self.kind.data());
        // The kernel's ack answers a request's ack number plus one; events carry 0.
        cn::write(buf, (CN_IDX_PROC, CN_VAL_PROC), self.seq, 0, &data)
    }
}

/// Appends the operation that starts events for this socket (`op`
/// `PROC_CN_MCAST_LISTEN`, every event: the 4-byte form every kernel reads).
pub fn write_listen(buf: &mut Vec<u8>) -> Result<Range<usize>> {
    write_op(buf, PROC_CN_MCAST_LISTEN)
}

/// Appends the operation that stops events (`PROC_CN_MCAST_IGNORE`): the
/// kernel stops building events when no listener is left.
pub fn write_ignore(buf: &mut Vec<u8>) -> Result<Range<usize>> {
    write_op(buf, PROC_CN_MCAST_IGNORE)
}

/// Appends `op` (`PROC_CN_MCAST_*`) in the 4-byte form.
pub fn write_op(buf: &mut Vec<u8>, op: u32) -> Result<Range<usize>> {
    cn::write(buf, (CN_IDX_PROC, CN_VAL_PROC), 0, 0, &op.to_ne_bytes())
}

/// Appends `op` with an event filter (`struct proc_input`, Linux 6.6+):
/// only events whose `PROC_EVENT_*` bit is in `events` reach this socket
/// (`PROC_EVENT_NONZERO_EXIT` keeps exits with a non-zero code only).
/// Older kernels ignore a message of this size (no ack comes back).
pub fn write_op_filtered(buf: &mut Vec<u8>, op: u32, events: u32) -> Result<Range<usize>> {
    let input = ProcInput {
        mcast_op: op.into(),
        event_type: events.into(),
    };
    cn::write(buf, (CN_IDX_PROC, CN_VAL_PROC), 0, 0, input.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fork event as Linux 6.18 sends it on x86_64 (little endian):
    /// pid 100 (tgid 100) forked 4242, on CPU 1.
    #[cfg(target_endian = "little")]
    static FORK_BYTES: [u8; 76] = [
        0x4c, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: 76, NLMSG_DONE
        1, 0, 0, 0, 1, 0, 0, 0, // cb_id: proc
        5, 0, 0, 0, 0, 0, 0, 0, // seq 5, ack 0
        0x28, 0, 0, 0, // len 40, flags 0
        1, 0, 0, 0, 1, 0, 0, 0, // what FORK, cpu 1
        0x10, 0x27, 0, 0, 0, 0, 0, 0, // timestamp 10000
        100, 0, 0, 0, 100, 0, 0, 0, 0x92, 0x10, 0, 0, 0x92, 0x10, 0, 0, // fork
        0, 0, 0, 0, 0, 0, 0, 0, // rest of the union
    ];

    fn parse(bytes: &[u8]) -> Result<Option<ProcEvent>> {
        let (msg, _) = Msg::parse(bytes).unwrap();
        ProcEvent::parse(&msg)
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn test_deconstruct() {
        let ev = parse(&FORK_BYTES).unwrap().unwrap();
        assert_eq!((ev.cpu, ev.timestamp_ns, ev.seq), (1, 10000, 5));
        assert_eq!(
            ev.kind,
            ProcEventKind::Fork {
                parent_pid: 100,
                parent_tgid: 100,
                child_pid: 4242,
                child_tgid: 4242
            }
        );
        assert_eq!(ev.kind.tgid(), Some(4242));
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn test_emit() {
        let ev = parse(&FORK_BYTES).unwrap().unwrap();
        let mut buf = Vec::new();
        ev.write(&mut buf).unwrap();
        // The kernel sends the whole union; this library the member.
        assert_eq!(buf[36..68], FORK_BYTES[36..68]);
        assert_eq!(parse(&buf).unwrap().unwrap(), ev);
    }

    fn every_kind() -> Vec<ProcEventKind> {
        vec![
            ProcEventKind::Ack { err: 1 },
            ProcEventKind::Exec { pid: 3, tgid: 2 },
            ProcEventKind::Uid {
                pid: 3,
                tgid: 2,
                ruid: 1000,
                euid: 0,
            },
            ProcEventKind::Gid {
                pid: 3,
                tgid: 2,
                rgid: 1000,
                egid: 5,
            },
            ProcEventKind::Sid { pid: 3, tgid: 3 },
            ProcEventKind::Ptrace {
                pid: 3,
                tgid: 3,
                tracer_pid: 9,
                tracer_tgid: 8,
            },
            ProcEventKind::Comm {
                pid: 3,
                tgid: 3,
                comm: "renamed-task".into(),
            },
            ProcEventKind::Coredump {
                pid: 3,
                tgid: 3,
                parent_pid: 1,
                parent_tgid: 1,
            },
            ProcEventKind::Exit {
                pid: 3,
                tgid: 3,
                exit_code: 7 << 8,
                exit_signal: 17,
                parent_pid: 1,
                parent_tgid: 1,
            },
            ProcEventKind::Other {
                what: 0x400,
                data: vec![1, 2, 3],
            },
        ]
    }

    #[test]
    fn test_parse_every_kind_back() {
        for kind in every_kind() {
            let ev = ProcEvent {
                cpu: 0,
                timestamp_ns: 1,
                seq: 2,
                kind,
            };
            let mut buf = Vec::new();
            ev.write(&mut buf).unwrap();
            assert_eq!(parse(&buf).unwrap().unwrap(), ev);
        }
    }

    #[test]
    fn short_event_data_reads_zero_and_long_is_ignored() {
        // An exit without the parent fields (kernels before 4.18).
        let mut data = ProcEventHdr {
            what: PROC_EVENT_EXIT.into(),
            cpu: 0.into(),
            timestamp_ns: 0.into(),
        }
        .as_bytes()
        .to_vec();
        data.extend_from_slice([5u32, 5, 9, 17].as_bytes());
        let mut buf = Vec::new();
        cn::write(&mut buf, (1, 1), 0, 0, &data).unwrap();
        let ev = parse(&buf).unwrap().unwrap();
        assert_eq!(
            ev.kind,
            ProcEventKind::Exit {
                pid: 5,
                tgid: 5,
                exit_code: 9,
                exit_signal: 17,
                parent_pid: 0,
                parent_tgid: 0
            }
        );
        assert_eq!(
            ev.kind.exit_status(),
            Some(ExitStatus::Signaled {
                signal: 9,
                core_dumped: false
            })
        );
        // A longer union (a future kernel): the known part still reads.
        data.extend_from_slice(&[0xff; 40]);
        let mut buf = Vec::new();
        cn::write(&mut buf, (1, 1), 0, 0, &data).unwrap();
        assert_eq!(parse(&buf).unwrap().unwrap().kind.tgid(), Some(5));
    }

    #[test]
    fn test_impossible_len() {
        let mut buf = Vec::new();
        cn::write(&mut buf, (1, 1), 0, 0, &[0; 15]).unwrap();
        assert!(matches!(
            parse(&buf),
            Err(Error::Truncated {
                what: "proc_event",
                need: 16,
                have: 15,
                offset: 36
            })
        ));
        // Another connector user: not a proc event.
        let mut buf = Vec::new();
        cn::write(&mut buf, (3, 1), 0, 0, &[0; 4]).unwrap();
        assert_eq!(parse(&buf).unwrap(), None);
    }

    #[test]
    fn test_display() {
        let fork = ProcEventKind::Fork {
            parent_pid: 1,
            parent_tgid: 1,
            child_pid: 7,
            child_tgid: 7,
        };
        assert_eq!(fork.to_string(), "fork 1 -> 7");
        let thread = ProcEventKind::Fork {
            parent_pid: 1,
            parent_tgid: 1,
            child_pid: 8,
            child_tgid: 7,
        };
        assert_eq!(thread.to_string(), "clone 7 thread 8");
        let exit = |exit_code| ProcEventKind::Exit {
            pid: 7,
            tgid: 7,
            exit_code,
            exit_signal: 17,
            parent_pid: 1,
            parent_tgid: 1,
        };
        assert_eq!(exit(3 << 8).to_string(), "exit 7/7 status 3");
        assert_eq!(
            exit(0x80 | 6).to_string(),
            "exit 7/7 signal 6 (core dumped)"
        );
    }

    #[test]
    fn exit_status_reads_wait_status() {
        assert_eq!(ExitStatus::from_wait_status(3 << 8), ExitStatus::Exited(3));
        assert_eq!(
            ExitStatus::from_wait_status(0x80 | 11),
            ExitStatus::Signaled {
                signal: 11,
                core_dumped: true
            }
        );
    }

    #[test]
    fn listen_request_is_what_the_go_library_sends() {
        let mut buf = Vec::new();
        write_listen(&mut buf).unwrap();
        assert_eq!(buf.len(), 40);
        let (msg, _) = Msg::parse(&buf).unwrap();
        let cn = CnMsg::parse(&msg).unwrap();
        assert_eq!(cn.id(), (CN_IDX_PROC, CN_VAL_PROC));
        assert_eq!(cn.data(), PROC_CN_MCAST_LISTEN.to_ne_bytes());
        let mut buf = Vec::new();
        write_op_filtered(&mut buf, PROC_CN_MCAST_LISTEN, PROC_EVENT_EXIT).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        assert_eq!(CnMsg::parse(&msg).unwrap().data().len(), 8);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..120)) {
            if let Ok((msg, _)) = Msg::parse(&bytes) {
                let _ = ProcEvent::parse(&msg);
            }
            let _ = CnMsg::parse_payload(&bytes);
        }
    }
}
