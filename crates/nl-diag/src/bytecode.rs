//! Kernel-side socket filters (`INET_DIAG_REQ_BYTECODE`): a small typed
//! expression compiled to the bytecode `ss` sends for `sport = :22`,
//! `dst 192.0.2.0/24` and the like.
//!
//! The kernel runs the program on each socket (`inet_diag_bc_run`): each
//! instruction (`struct inet_diag_bc_op`) tests a condition and jumps
//! `yes` or `no` bytes ahead; a socket is listed when the program ends
//! exactly at its last byte, and left out when a jump goes 4 bytes past
//! it. Compilation follows `ss` (`ssfilter_bytecompile`): a condition
//! jumps to "reject" on failure; `and` concatenates its parts and moves
//! the first part's rejects past the second; `or` puts an unconditional
//! jump between the parts and turns the first part's rejects into "try
//! the second"; `not` appends a jump that swaps accept and reject.
//!
//! ```
//! use nl_diag::Filter;
//! // ss 'sport = :22 or dst 192.0.2.0/24'
//! let f = Filter::sport_eq(22).or(Filter::dst("192.0.2.0/24".parse()?));
//! let code = f.compile()?;
//! assert_eq!(code.len(), 8 + 4 + 16);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::net::IpAddr;

use ipnet::IpNet;
use zerocopy::IntoBytes;

use crate::error::{Error, Result};
use crate::inet::InetSocket;
use crate::uapi::inet_diag::*;
use crate::{AF_INET, AF_INET6};

/// A port comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// Equal (`=`, `eq`).
    Eq,
    /// Greater or equal (`>=`, `ge`).
    Ge,
    /// Less or equal (`<=`, `le`).
    Le,
}

impl Cmp {
    fn test(self, have: u16, want: u16) -> bool {
        match self {
            Cmp::Eq => have == want,
            Cmp::Ge => have >= want,
            Cmp::Le => have <= want,
        }
    }
}

/// A socket filter the kernel runs (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Filter {
    /// The local port compared with a value (`sport OP :N`).
    Sport(Cmp, u16),
    /// The remote port compared with a value (`dport OP :N`).
    Dport(Cmp, u16),
    /// The local address is in a network, and the local port is the given
    /// one if any (`src 192.0.2.0/24`, `src 192.0.2.1:80`). An IPv4
    /// network also matches IPv4-mapped IPv6 addresses (the kernel's rule).
    Src(IpNet, Option<u16>),
    /// The remote address is in a network, and the remote port matches.
    Dst(IpNet, Option<u16>),
    /// Bound to the device of this index (`dev eth0`).
    Dev(u32),
    /// `mark & mask == mark` (`fwmark 0x10/0xff`; needs `CAP_NET_ADMIN`).
    Mark {
        /// The value.
        mark: u32,
        /// The bits compared.
        mask: u32,
    },
    /// In this cgroup v2 (by id; `cgroup /path` in ss).
    Cgroup(u64),
    /// The local port was picked by the kernel (`autobound`).
    AutoBound,
    /// Every part passes (an empty list: every socket).
    And(Vec<Filter>),
    /// Some part passes (an empty list: no socket).
    Or(Vec<Filter>),
    /// The part fails.
    Not(Box<Filter>),
}

impl Filter {
    /// `sport = :port`.
    pub fn sport_eq(port: u16) -> Filter {
        Filter::Sport(Cmp::Eq, port)
    }

    /// `dport = :port`.
    pub fn dport_eq(port: u16) -> Filter {
        Filter::Dport(Cmp::Eq, port)
    }

    /// `src NET`: the local address is in `net`.
    pub fn src(net: IpNet) -> Filter {
        Filter::Src(net, None)
    }

    /// `dst NET`: the remote address is in `net`.
    pub fn dst(net: IpNet) -> Filter {
        Filter::Dst(net, None)
    }

    /// Both this and `other`.
    pub fn and(self, other: Filter) -> Filter {
        match self {
            Filter::And(mut v) => {
                v.push(other);
                Filter::And(v)
            }
            f => Filter::And(vec![f, other]),
        }
    }

    /// This or `other`.
    pub fn or(self, other: Filter) -> Filter {
        match self {
            Filter::Or(mut v) => {
                v.push(other);
                Filter::Or(v)
            }
            f => Filter::Or(vec![f, other]),
        }
    }

    /// The opposite of this (`not`, `!`); `!(sport = :N)` is `sport != :N`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter {
        Filter::Not(Box::new(self))
    }

    /// Whether `sock` passes, evaluated here as the kernel would (marks
    /// and cgroups read from the socket's attributes when present, so
    /// ask for them; `AutoBound` cannot be told from a reply and passes).
    pub fn matches(&self, sock: &InetSocket) -> bool {
        match self {
            Filter::Sport(c, p) => c.test(sock.id.src.port(), *p),
            Filter::Dport(c, p) => c.test(sock.id.dst.port(), *p),
            Filter::Src(net, port) => {
                host_matches(net, *port, sock.id.src.ip(), sock.id.src.port())
            }
            Filter::Dst(net, port) => {
                host_matches(net, *port, sock.id.dst.ip(), sock.id.dst.port())
            }
            Filter::Dev(i) => sock.id.ifindex == *i,
            Filter::Mark { mark, mask } => sock.mark.is_some_and(|m| m & mask == *mark),
            Filter::Cgroup(id) => sock.cgroup_id == Some(*id),
            Filter::AutoBound => true,
            Filter::And(v) => v.iter().all(|f| f.matches(sock)),
            Filter::Or(v) => v.iter().any(|f| f.matches(sock)),
            Filter::Not(f) => !f.matches(sock),
        }
    }

    /// The bytecode of this filter (the payload of
    /// `INET_DIAG_REQ_BYTECODE`). Fails when a jump would not fit its
    /// 16-bit field (a filter of thousands of conditions).
    pub fn compile(&self) -> Result<Vec<u8>> {
        let code = self.code()?;
        if code.len() > usize::from(u16::MAX) - 8 {
            return Err(too_long(code.len()));
        }
        Ok(code)
    }

    fn code(&self) -> Result<Vec<u8>> {
        match self {
            Filter::Sport(c, p) | Filter::Dport(c, p) => {
                let src = matches!(self, Filter::Sport(..));
                let code = match (c, src) {
                    (Cmp::Eq, true) => INET_DIAG_BC_S_EQ,
                    (Cmp::Ge, true) => INET_DIAG_BC_S_GE,
                    (Cmp::Le, true) => INET_DIAG_BC_S_LE,
                    (Cmp::Eq, false) => INET_DIAG_BC_D_EQ,
                    (Cmp::Ge, false) => INET_DIAG_BC_D_GE,
                    (Cmp::Le, false) => INET_DIAG_BC_D_LE,
                };
                // The port rides in the `no` field of a second op.
                let mut v = cond(code, 8);
                v.extend_from_slice(op(0, 0, *p).as_bytes());
                Ok(v)
            }
            Filter::Src(net, port) | Filter::Dst(net, port) => {
                let code = if matches!(self, Filter::Src(..)) {
                    INET_DIAG_BC_S_COND
                } else {
                    INET_DIAG_BC_D_COND
                };
                let (family, addr): (u8, Vec<u8>) = match net.network() {
                    IpAddr::V4(a) => (AF_INET, a.octets().to_vec()),
                    IpAddr::V6(a) => (AF_INET6, a.octets().to_vec()),
                };
                let len = 4 + 8 + addr.len();
                let mut v = cond(code, len);
                let hc = InetDiagHostcond {
                    family,
                    prefix_len: net.prefix_len(),
                    _pad: [0; 2],
                    port: port.map_or(-1, i32::from).into(),
                };
                v.extend_from_slice(hc.as_bytes());
                v.extend_from_slice(&addr);
                Ok(v)
            }
            Filter::Dev(ifindex) => {
                let mut v = cond(INET_DIAG_BC_DEV_COND, 8);
                v.extend_from_slice(&ifindex.to_ne_bytes());
                Ok(v)
            }
            Filter::Mark { mark, mask } => {
                let mut v = cond(INET_DIAG_BC_MARK_COND, 12);
                let mc = InetDiagMarkcond {
                    mark: (*mark).into(),
                    mask: (*mask).into(),
                };
                v.extend_from_slice(mc.as_bytes());
                Ok(v)
            }
            Filter::Cgroup(id) => {
                let mut v = cond(INET_DIAG_BC_CGROUP_COND, 12);
                v.extend_from_slice(&id.to_ne_bytes());
                Ok(v)
            }
            Filter::AutoBound => Ok(cond(INET_DIAG_BC_AUTO, 4)),
            Filter::And(parts) => {
                let mut v: Vec<u8> = Vec::new();
                for p in parts {
                    let b = p.code()?;
                    patch(&mut v, b.len())?;
                    v.extend_from_slice(&b);
                }
                Ok(v)
            }
            Filter::Or(parts) => {
                let Some((last, first)) = parts.split_last() else {
                    // Nothing can pass: jump straight to "reject".
                    return Ok(op(INET_DIAG_BC_JMP, 4, 8).as_bytes().to_vec());
                };
                let mut v = last.code()?;
                // Right to left: `a or rest` is a, a jump over rest, rest.
                for p in first.iter().rev() {
                    let mut a = p.code()?;
                    let skip = jump(v.len().saturating_add(4))?;
                    a.extend_from_slice(op(INET_DIAG_BC_JMP, 4, skip).as_bytes());
                    a.extend_from_slice(&v);
                    v = a;
                }
                Ok(v)
            }
            Filter::Not(inner) => {
                let mut v = inner.code()?;
                // Reached only when the inner part passed: go to reject.
                v.extend_from_slice(op(INET_DIAG_BC_JMP, 4, 8).as_bytes());
                Ok(v)
            }
        }
    }
}

fn host_matches(net: &IpNet, port: Option<u16>, addr: IpAddr, have_port: u16) -> bool {
    if port.is_some_and(|p| p != have_port) {
        return false;
    }
    match (net, addr) {
        (IpNet::V4(n), IpAddr::V4(a)) => n.contains(&a),
        (IpNet::V6(n), IpAddr::V6(a)) => n.contains(&a),
        // The kernel matches IPv4 conditions on v4-mapped addresses.
        (IpNet::V4(n), IpAddr::V6(a)) => a.to_ipv4_mapped().is_some_and(|a| n.contains(&a)),
        (IpNet::V6(_), IpAddr::V4(_)) => false,
    }
}

fn op(code: u8, yes: u8, no: u16) -> InetDiagBcOp {
    InetDiagBcOp {
        code,
        yes,
        no: no.into(),
    }
}

/// A condition of `len` bytes (op and data): on success go on to the
/// next instruction, on failure to "reject" (4 bytes past its end).
fn cond(code: u8, len: usize) -> Vec<u8> {
    // len is at most 28 (a hostcond with an IPv6 address).
    let yes = u8::try_from(len).unwrap_or(u8::MAX);
    let no = u16::try_from(len + 4).unwrap_or(u16::MAX);
    let mut v = Vec::with_capacity(len);
    v.extend_from_slice(op(code, yes, no).as_bytes());
    v
}

fn jump(n: usize) -> Result<u16> {
    u16::try_from(n).map_err(|_| too_long(n))
}

fn too_long(n: usize) -> Error {
    Error::invalid(
        "filter",
        format!("its bytecode would be {n} bytes; jumps reach 65535 at most"),
    )
}

/// `ssfilter_patch`: the rejects of `code` (jumps to 4 bytes past its
/// end) move `reloc` bytes further, past the code appended after it.
fn patch(code: &mut [u8], reloc: usize) -> Result<()> {
    let mut at = 0usize;
    while let Some(bytes) = code.get_mut(at..at + 4) {
        let yes = usize::from(bytes.get(1).copied().unwrap_or(4)).max(4);
        let no = u16::from_ne_bytes([
            bytes.get(2).copied().unwrap_or(0),
            bytes.get(3).copied().unwrap_or(0),
        ]);
        let left = code.len() - at;
        if usize::from(no) == left + 4 {
            let moved = jump(usize::from(no) + reloc)?;
            if let Some(dst) = code.get_mut(at + 2..at + 4) {
                dst.copy_from_slice(&moved.to_ne_bytes());
            }
        }
        at += yes;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs bytecode on (sport, dport) the way `inet_diag_bc_run` does,
    /// for port conditions only.
    fn run(code: &[u8], sport: u16, dport: u16) -> bool {
        let mut pc = 0usize;
        let len = code.len();
        while pc < len {
            let c = code[pc];
            let yes_j = code[pc + 1] as usize;
            let no_j = u16::from_ne_bytes([code[pc + 2], code[pc + 3]]) as usize;
            let arg = || u16::from_ne_bytes([code[pc + 6], code[pc + 7]]);
            let yes = match c {
                INET_DIAG_BC_NOP => true,
                INET_DIAG_BC_JMP => false,
                INET_DIAG_BC_S_EQ => sport == arg(),
                INET_DIAG_BC_S_GE => sport >= arg(),
                INET_DIAG_BC_S_LE => sport <= arg(),
                INET_DIAG_BC_D_EQ => dport == arg(),
                INET_DIAG_BC_D_GE => dport >= arg(),
                INET_DIAG_BC_D_LE => dport <= arg(),
                _ => panic!("op {c}"),
            };
            pc += if yes { yes_j } else { no_j };
        }
        pc == len
    }

    fn eval(f: &Filter, sport: u16, dport: u16) -> bool {
        match f {
            Filter::Sport(c, p) => c.test(sport, *p),
            Filter::Dport(c, p) => c.test(dport, *p),
            Filter::And(v) => v.iter().all(|f| eval(f, sport, dport)),
            Filter::Or(v) => v.iter().any(|f| eval(f, sport, dport)),
            Filter::Not(f) => !eval(f, sport, dport),
            _ => unreachable!(),
        }
    }

    #[test]
    fn sport_eq_is_what_ss_sends() {
        // ss 'sport = :22' with the S_EQ form: op{11, 8, 12}, op{0, 0, 22}.
        let code = Filter::sport_eq(22).compile().unwrap();
        let mut want = vec![INET_DIAG_BC_S_EQ, 8];
        want.extend_from_slice(&12u16.to_ne_bytes());
        want.extend_from_slice(&[0, 0]);
        want.extend_from_slice(&22u16.to_ne_bytes());
        assert_eq!(code, want);
    }

    #[test]
    fn hostcond_layout() {
        let code = Filter::Dst("192.0.2.0/24".parse().unwrap(), Some(80))
            .compile()
            .unwrap();
        assert_eq!(code.len(), 16);
        assert_eq!(&code[..2], &[INET_DIAG_BC_D_COND, 16]);
        assert_eq!(u16::from_ne_bytes([code[2], code[3]]), 20);
        assert_eq!(&code[4..6], &[AF_INET, 24]);
        assert_eq!(i32::from_ne_bytes(code[8..12].try_into().unwrap()), 80);
        assert_eq!(&code[12..], &[192, 0, 2, 0]);
    }

    #[test]
    fn boolean_structure_runs_like_the_kernel() {
        let leaves = [
            Filter::sport_eq(22),
            Filter::Sport(Cmp::Ge, 1000),
            Filter::Dport(Cmp::Le, 80),
            Filter::dport_eq(443),
        ];
        let mut filters = vec![
            Filter::And(vec![]),
            Filter::Or(vec![]),
            Filter::Not(Box::new(Filter::Or(vec![]))),
        ];
        for a in &leaves {
            filters.push(a.clone());
            filters.push(a.clone().not());
            for b in &leaves {
                filters.push(a.clone().and(b.clone()));
                filters.push(a.clone().or(b.clone()));
                filters.push(a.clone().or(b.clone()).not());
                filters.push(a.clone().not().and(b.clone().or(leaves[3].clone())));
                filters.push(a.clone().or(b.clone().not()).or(leaves[1].clone()));
                filters.push(
                    a.clone()
                        .and(b.clone())
                        .or(leaves[2].clone().and(leaves[0].clone().not())),
                );
            }
        }
        let ports = [0u16, 21, 22, 23, 80, 81, 443, 999, 1000, 1001, 65535];
        for f in &filters {
            let code = f.compile().unwrap();
            for &s in &ports {
                for &d in &ports {
                    assert_eq!(run(&code, s, d), eval(f, s, d), "{f:?} s={s} d={d}");
                }
            }
        }
    }

    #[test]
    fn too_long_is_an_error() {
        let f = Filter::Or(
            (0..3000)
                .map(|p| Filter::Src("2001:db8::/32".parse().unwrap(), Some(p)))
                .collect(),
        );
        assert!(matches!(
            f.compile(),
            Err(Error::Invalid {
                field: "filter",
                ..
            })
        ));
    }
}
