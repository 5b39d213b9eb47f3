//! `ss`: sockets as iproute2's `ss` lists them (a subset).
//!
//! ```text
//! nl ss [ -t | -u | -w | -x | -4 | -6 | -a | -l | -n | -i | -e | -o | -m | -H ]...
//!       [ state STATE | exclude STATE ]...
//! ```
//!
//! The text is `ss`'s when its output is not a terminal (`ss` 6.1's
//! "compact" layout): each column as wide as its widest entry, addresses
//! right-aligned against their ports, the header counted in the widths,
//! and the details of `-e`, `-m`, `-i` in the last column (on a second
//! line, after a tab, for `-m` and `-i`). Which sockets are listed
//! follows `ss`: without `-a`/`-l`/`state`, connected TCP and unix
//! stream sockets, connected UDP sockets, and unbound-state unix
//! datagram sockets. Ports are named from `/etc/services` unless `-n`,
//! outside the ephemeral range as `ss` does; addresses are never
//! resolved (as `ss` without `-r`). Filter expressions other than
//! `state`/`exclude`, `-p`, `-r`, `-s`, `-K` and the other options are
//! errors naming them.

use std::collections::HashMap;
use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::MetadataExt;

use anyhow::{Context, Result, bail};
use netlink::Handle;
use netlink::nl_diag::{
    CcInfo, Extensions, InetDump, InetProto, InetSocket, Show, States, TcpState, UnixDump,
    UnixSocket, UnixType,
};

const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const AF_UNIX: u8 = 1;

/// `ss`'s `SS_ALL`: the twelve states it knows (bits 0 to 11).
const SS_ALL: u32 = (1 << 12) - 1;
/// `ss`'s `SS_CONN`: its default for TCP and unix streams.
const SS_CONN: u32 = SS_ALL & !((1 << 10) | (1 << 7) | (1 << 6) | (1 << 3));

// ss's socket tables (its `*_DB`), as bits.
const TCP: u32 = 1;
const UDP: u32 = 2;
const RAW: u32 = 4;
const UNIX_ST: u32 = 8;
const UNIX_DG: u32 = 16;
const UNIX_SQ: u32 = 32;
const UNIX_ALL: u32 = UNIX_ST | UNIX_DG | UNIX_SQ;
const INET_ALL: u32 = TCP | UDP | RAW;

/// What the command line asked for.
#[derive(Debug, Default)]
struct Opts {
    numeric: bool,
    options: bool,
    details: bool,
    mem: bool,
    info: bool,
    header: bool,
    dbs: u32,
    /// Families by `AF_*` bit.
    families: u32,
    states: u32,
    preferred: u8,
    explicit: bool,
}

impl Opts {
    fn db(&mut self, db: u32) {
        self.states |= match db {
            UDP | RAW => 1 << 1,
            UNIX_DG => 1 << 7,
            _ => SS_CONN,
        };
        self.dbs |= db;
        self.explicit = true;
    }

    fn af(&mut self, af: u8) {
        self.states |= SS_CONN;
        self.families |= 1u32.checked_shl(u32::from(af)).unwrap_or(0);
        self.explicit = true;
        self.preferred = af;
    }
}

/// `ss`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut o = Opts {
        header: true,
        ..Opts::default()
    };
    let mut state_filter = 0u32;
    let mut rest = words.iter().map(String::as_str).peekable();
    while let Some(w) = rest.peek().copied() {
        if let Some(long) = w.strip_prefix("--") {
            let short = match long {
                "tcp" => 't',
                "udp" => 'u',
                "raw" => 'w',
                "unix" => 'x',
                "ipv4" => '4',
                "ipv6" => '6',
                "all" => 'a',
                "listening" => 'l',
                "numeric" => 'n',
                "info" => 'i',
                "extended" => 'e',
                "options" => 'o',
                "memory" => 'm',
                "no-header" => 'H',
                "help" => 'h',
                _ => bail!("ss: option \"{w}\" is not supported by nl ss"),
            };
            flag(short, &mut o, &mut state_filter, out)?;
        } else if let Some(flags) = w.strip_prefix('-').filter(|f| !f.is_empty()) {
            for c in flags.chars() {
                flag(c, &mut o, &mut state_filter, out)?;
            }
        } else {
            break;
        }
        rest.next();
    }
    if o.dbs == u32::MAX {
        // -h printed the usage.
        return Ok(());
    }
    let mut saw_states = false;
    while let Some(w) = rest.next() {
        let exclude = match w {
            "state" => false,
            "exclude" | "excl" => true,
            _ => bail!(
                "ss: filter \"{}\" is not supported by nl ss (only \"state\" and \"exclude\")",
                words_from(w, &mut rest)
            ),
        };
        let name = rest
            .next()
            .with_context(|| format!("ss: \"{w}\" needs a state name"))?;
        let bits = scan_state(name)?;
        if !saw_states {
            state_filter = if exclude { SS_ALL } else { 0 };
        }
        if exclude {
            state_filter &= !bits;
        } else {
            state_filter |= bits;
        }
        saw_states = true;
    }
    if !o.explicit {
        // ss without a table lists every table it knows (netlink, packet ...).
        bail!(
            "ss: nl ss lists tcp, udp, raw and unix sockets only: name them (-t, -u, -w, -x, -4, -6)"
        );
    }
    if state_filter != 0 {
        o.states = state_filter;
    }
    merge_defaults(&mut o);
    if o.dbs == 0 || o.families == 0 || o.states == 0 {
        // ss says so on stderr and prints nothing.
        return Ok(());
    }
    let h = Handle::new().context("ss: netlink")?;
    let mut t = Table::new(&o);
    let mut names = Names::new(o.numeric);
    if o.families & (1 << AF_UNIX) != 0 && o.dbs & UNIX_ALL != 0 {
        unix(&h, &o, &mut t)?;
    }
    for (db, proto) in [
        (RAW, InetProto::Raw(netlink::nl_diag::inet::IPPROTO_RAW)),
        (UDP, InetProto::Udp),
        (TCP, InetProto::Tcp),
    ] {
        if o.dbs & db != 0 && o.families & ((1 << AF_INET) | (1 << AF_INET6)) != 0 {
            inet(&h, &o, proto, &mut t, &mut names)?;
        }
    }
    t.render(out)
}

/// The filter words from `w` on, for an error message.
fn words_from<'a>(w: &'a str, rest: &mut impl Iterator<Item = &'a str>) -> String {
    let mut s = w.to_string();
    for r in rest {
        s.push(' ');
        s.push_str(r);
    }
    s
}

fn flag(c: char, o: &mut Opts, state_filter: &mut u32, out: &mut dyn Write) -> Result<()> {
    match c {
        'n' => o.numeric = true,
        'o' => o.options = true,
        'e' => {
            o.options = true;
            o.details = true;
        }
        'm' => o.mem = true,
        'i' => o.info = true,
        'H' => o.header = false,
        't' => o.db(TCP),
        'u' => o.db(UDP),
        'w' => o.db(RAW),
        'x' => o.af(AF_UNIX),
        '4' => o.af(AF_INET),
        '6' => o.af(AF_INET6),
        'a' => *state_filter = SS_ALL,
        'l' => *state_filter = (1 << 10) | (1 << 7),
        'h' => {
            writeln!(
                out,
                "Usage: nl ss [ -t | -u | -w | -x | -4 | -6 | -a | -l | -n | -i | -e | -o | -m | -H ]... [ state STATE | exclude STATE ]..."
            )?;
            o.dbs = u32::MAX;
        }
        _ => bail!("ss: option \"-{c}\" is not supported by nl ss"),
    }
    Ok(())
}

/// `filter_merge_defaults`: tables imply their families and families
/// their tables, unless one of them was named.
fn merge_defaults(o: &mut Opts) {
    for db in [TCP, UDP, RAW] {
        if o.dbs & db != 0 && o.families & ((1 << AF_INET) | (1 << AF_INET6)) == 0 {
            o.families |= (1 << AF_INET) | (1 << AF_INET6);
        }
    }
    if o.dbs & UNIX_ALL != 0 && o.families & (1 << AF_UNIX) == 0 {
        o.families |= 1 << AF_UNIX;
    }
    for af in [AF_INET, AF_INET6] {
        if o.families & (1 << af) != 0 && o.dbs & INET_ALL == 0 {
            o.dbs |= INET_ALL;
        }
    }
    if o.families & (1 << AF_UNIX) != 0 && o.dbs & UNIX_ALL == 0 {
        o.dbs |= UNIX_ALL;
    }
}

/// `scan_state`: a state name or group, as `ss` reads it.
fn scan_state(name: &str) -> Result<u32> {
    let n = name.to_ascii_lowercase();
    Ok(match n.as_str() {
        "close" | "closed" | "unconnected" => 1 << 7,
        "syn-rcv" | "syn-recv" => 1 << 3,
        "established" => 1 << 1,
        "syn-sent" => 1 << 2,
        "fin-wait-1" => 1 << 4,
        "fin-wait-2" => 1 << 5,
        "time-wait" => 1 << 6,
        "close-wait" => 1 << 8,
        "last-ack" => 1 << 9,
        "listening" => 1 << 10,
        "closing" => 1 << 11,
        "all" => SS_ALL,
        "connected" => SS_ALL & !((1 << 7) | (1 << 10)),
        "synchronized" => SS_ALL & !((1 << 7) | (1 << 10) | (1 << 2)),
        "bucket" => (1 << 3) | (1 << 6),
        "big" => SS_ALL & !((1 << 3) | (1 << 6)),
        _ => bail!("ss: wrong state name: {name}"),
    })
}

/// The families to ask the kernel for, in `ss`'s order.
fn families(o: &Opts) -> Vec<u8> {
    if o.preferred == AF_INET6 {
        vec![AF_INET6]
    } else if o.preferred == AF_INET {
        vec![AF_INET]
    } else {
        vec![AF_INET, AF_INET6]
    }
}

fn inet(h: &Handle, o: &Opts, proto: InetProto, t: &mut Table, names: &mut Names) -> Result<()> {
    let mut ext = Extensions::empty();
    if o.mem {
        ext |= Extensions::MEMINFO | Extensions::SKMEMINFO;
    }
    if o.info {
        ext |= Extensions::TCP_INFO;
    }
    let states = States::from_bits_retain(o.states);
    for family in families(o) {
        let dump = InetDump::new(family, proto).states(states).ext(ext);
        let socks = match h.inet_diag(&dump) {
            Ok(s) => s,
            // A protocol without its diag module (raw_diag ...): ss lists nothing.
            Err(e) if proto != InetProto::Tcp && e.is_not_found() => continue,
            Err(e) => return Err(e.into()),
        };
        for s in socks {
            if o.families & 1u32.checked_shl(u32::from(s.family)).unwrap_or(0) != 0 {
                let line = inet_line(h, o, proto, &s, names);
                t.push(line);
            }
        }
    }
    Ok(())
}

fn unix(h: &Handle, o: &Opts, t: &mut Table) -> Result<()> {
    let mut show = Show::NAME | Show::PEER | Show::RQLEN;
    if o.mem {
        show |= Show::MEMINFO;
    }
    if o.details {
        show |= Show::VFS | Show::ICONS;
    }
    let dump = UnixDump {
        states: States::from_bits_retain(o.states),
        show,
        inode: 0,
    };
    for s in h.unix_diag(&dump)? {
        let db = match s.kind {
            UnixType::Stream => UNIX_ST,
            UnixType::Dgram => UNIX_DG,
            UnixType::SeqPacket => UNIX_SQ,
            UnixType::Other(_) => 0,
        };
        if db != 0 && o.dbs & db == 0 {
            continue;
        }
        t.push(unix_line(o, &s));
    }
    Ok(())
}

/// `ss`'s state words by kernel value.
fn state_name(raw: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "UNKNOWN",
        "ESTAB",
        "SYN-SENT",
        "SYN-RECV",
        "FIN-WAIT-1",
        "FIN-WAIT-2",
        "TIME-WAIT",
        "UNCONN",
        "CLOSE-WAIT",
        "LAST-ACK",
        "LISTEN",
        "CLOSING",
    ];
    NAMES.get(usize::from(raw)).copied().unwrap_or("UNKNOWN")
}

fn inet_line(h: &Handle, o: &Opts, proto: InetProto, s: &InetSocket, names: &mut Names) -> Line {
    let v6only = s.family == AF_INET6 && s.v6only == Some(true);
    let (la, lp) = addr(
        h,
        s.id.src.ip(),
        s.id.src.port(),
        s.id.ifindex,
        v6only,
        proto,
        names,
    );
    let (ra, rp) = addr(h, s.id.dst.ip(), s.id.dst.port(), 0, v6only, proto, names);
    let mut ext = String::with_capacity(if o.info { 640 } else { 64 });
    if o.options && s.timer != 0 {
        let names = ["off", "on", "keepalive", "timewait", "persist", "unknown"];
        let i = usize::from(s.timer.min(5));
        ext.push_str(&format!(
            " timer:({},{},{})",
            names.get(i).copied().unwrap_or("unknown"),
            ms_timer(s.expires),
            s.retrans
        ));
    }
    if o.details {
        if s.uid != 0 {
            ext.push_str(&format!(" uid:{}", s.uid));
        }
        ext.push_str(&format!(" ino:{} sk:{:x}", s.inode, s.id.cookie));
        if let Some(m) = s.mark.filter(|m| *m != 0) {
            ext.push_str(&format!(" fwmark:{m:#x}"));
        }
        if let Some(id) = s.cgroup_id.filter(|c| *c != 0) {
            ext.push_str(&format!(" cgroup:{}", names.cgroup(id)));
        }
        if s.family == AF_INET6 {
            if let Some(v) = s.v6only {
                ext.push_str(&format!(" v6only:{}", u8::from(v)));
            }
        }
        if let Some(m) = s.shutdown {
            ext.push_str(&shutdown(m));
        }
    }
    if o.mem || (o.info && proto != InetProto::Udp) {
        ext.push_str("\n\t");
        tcp_info_text(o, s, &mut ext);
    }
    Line {
        netid: proto.netid().to_string(),
        state: state_name(u8::from(s.state)).to_string(),
        rq: s.rqueue,
        wq: s.wqueue,
        local: (format!("{la}:"), lp),
        peer: (format!("{ra}:"), rp),
        ext,
    }
}

fn shutdown(mask: u8) -> String {
    format!(
        " {}-{}",
        if mask & 1 != 0 { '-' } else { '<' },
        if mask & 2 != 0 { '-' } else { '>' }
    )
}

/// `inet_addr_print`: the address (bracketed IPv6, `*` for a dual-stack
/// wildcard, `%dev` when bound) and the port (`*` for 0).
fn addr(
    h: &Handle,
    ip: IpAddr,
    port: u16,
    ifindex: u32,
    v6only: bool,
    proto: InetProto,
    names: &mut Names,
) -> (String, String) {
    let mut a = match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) if !v6only && v6.is_unspecified() => "*".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    if ifindex != 0 {
        let name = h
            .link_by_index(ifindex)
            .ok()
            .map(|l| l.name.clone())
            .unwrap_or_else(|| format!("if{ifindex}"));
        a.push('%');
        a.push_str(&name);
    }
    (a, names.service(port, proto))
}

fn unix_line(o: &Opts, s: &UnixSocket) -> Line {
    let name = s
        .name
        .as_ref()
        .map_or_else(|| "*".to_string(), |n| n.to_string());
    let (rq, wq) = s.queues.unwrap_or((0, 0));
    let mut ext = String::new();
    if o.mem {
        if let Some(m) = &s.meminfo {
            ext.push_str(&skmem(m));
        }
    }
    if o.details {
        if let Some(m) = s.shutdown {
            ext.push_str(&shutdown(m));
        }
        if let Some((ino, dev)) = s.vfs {
            // ss applies glibc's major()/minor() to the kernel's value.
            let (major, minor) = ((dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & !0xff));
            ext.push_str(&format!(" ino:{ino} dev:{major}/{minor}"));
        }
        if !s.icons.is_empty() || o.details && s.state == TcpState::Listen {
            ext.push_str(" peers:");
            for i in &s.icons {
                ext.push_str(&format!(" {i}"));
            }
        }
    }
    Line {
        netid: match s.kind {
            UnixType::Stream => "u_str",
            UnixType::Dgram => "u_dgr",
            UnixType::SeqPacket => "u_seq",
            UnixType::Other(_) => "???",
        }
        .to_string(),
        state: state_name(u8::from(s.state)).to_string(),
        rq,
        wq,
        local: (format!("{name} "), s.inode.to_string()),
        peer: ("* ".to_string(), s.peer.unwrap_or(0).to_string()),
        ext,
    }
}

fn skmem(m: &netlink::nl_diag::SkMemInfo) -> String {
    format!(
        " skmem:(r{},rb{},t{},tb{},f{},w{},o{},bl{},d{})",
        m.rmem_alloc,
        m.rcvbuf,
        m.wmem_alloc,
        m.sndbuf,
        m.fwd_alloc,
        m.wmem_queued,
        m.optmem,
        m.backlog,
        m.drops
    )
}

/// `tcp_show_info` and `tcp_stats_print`.
fn tcp_info_text(o: &Opts, s: &InetSocket, out: &mut String) {
    use std::fmt::Write as _;
    if let Some(m) = &s.skmeminfo {
        out.push_str(&skmem(m));
    } else if let Some(m) = &s.meminfo {
        let _ = write!(
            out,
            " mem:(r{},w{},f{},t{})",
            m.rmem, m.wmem, m.fmem, m.tmem
        );
    }
    let Some(i) = &s.tcp_info else { return };
    let bw = |b: f64| sprint_bw(b, o.numeric);
    if o.options {
        for (bit, word) in [
            (1, " ts"),
            (2, " sack"),
            (8, " ecn"),
            (16, " ecnseen"),
            (32, " fastopen"),
        ] {
            if i.options & bit != 0 {
                out.push_str(word);
            }
        }
    }
    if let Some(c) = &s.congestion {
        let _ = write!(out, " {c}");
    }
    if i.options & 4 != 0 {
        let _ = write!(out, " wscale:{},{}", i.snd_wscale, i.rcv_wscale);
    }
    if i.rto != 0 && i.rto != 3_000_000 {
        let _ = write!(out, " rto:{}", ms(i.rto));
    }
    if i.backoff != 0 {
        let _ = write!(out, " backoff:{}", i.backoff);
    }
    if i.rtt != 0 {
        let _ = write!(out, " rtt:{}/{}", ms(i.rtt), ms(i.rttvar));
    }
    if i.ato != 0 {
        let _ = write!(out, " ato:{}", ms(i.ato));
    }
    for (v, name) in [
        (i.snd_mss, "mss"),
        (i.pmtu, "pmtu"),
        (i.rcv_mss, "rcvmss"),
        (i.advmss, "advmss"),
        (i.snd_cwnd, "cwnd"),
    ] {
        if v != 0 {
            let _ = write!(out, " {name}:{v}");
        }
    }
    if i.snd_ssthresh < 0xffff && i.snd_ssthresh != 0 {
        let _ = write!(out, " ssthresh:{}", i.snd_ssthresh);
    }
    for (v, name) in [
        (i.bytes_sent, "bytes_sent"),
        (i.bytes_retrans, "bytes_retrans"),
        (i.bytes_acked, "bytes_acked"),
        (i.bytes_received, "bytes_received"),
        (u64::from(i.segs_out), "segs_out"),
        (u64::from(i.segs_in), "segs_in"),
        (u64::from(i.data_segs_out), "data_segs_out"),
        (u64::from(i.data_segs_in), "data_segs_in"),
    ] {
        if v != 0 {
            let _ = write!(out, " {name}:{v}");
        }
    }
    let mut rtt = f64::from(i.rtt);
    match s.cc_info {
        Some(CcInfo::Dctcp {
            enabled,
            ce_state,
            alpha,
            ab_ecn,
            ab_tot,
        }) => {
            if enabled != 0 {
                let _ = write!(
                    out,
                    " dctcp:(ce_state:{ce_state},alpha:{alpha},ab_ecn:{ab_ecn},ab_tot:{ab_tot})"
                );
            } else {
                out.push_str(" dctcp:fallback_mode");
            }
        }
        Some(CcInfo::Bbr {
            bw: b,
            min_rtt,
            pacing_gain,
            cwnd_gain,
        }) => {
            let _ = write!(
                out,
                " bbr:(bw:{}bps,mrtt:{}",
                bw(b as f64 * 8.0),
                ms(min_rtt)
            );
            if pacing_gain != 0 {
                let _ = write!(
                    out,
                    ",pacing_gain:{}",
                    fmt_g(f64::from(pacing_gain) / 256.0, 6)
                );
            }
            if cwnd_gain != 0 {
                let _ = write!(out, ",cwnd_gain:{}", fmt_g(f64::from(cwnd_gain) / 256.0, 6));
            }
            out.push(')');
        }
        // Vegas's own RTT, when it measured one, is what ss divides by.
        Some(CcInfo::Vegas {
            enabled, rtt: vrtt, ..
        }) if enabled != 0 && vrtt != 0 && vrtt != 0x7fff_ffff => {
            rtt = f64::from(vrtt);
        }
        _ => {}
    }
    if rtt > 0.0 && i.snd_mss != 0 && i.snd_cwnd != 0 {
        let send = f64::from(i.snd_cwnd) * f64::from(i.snd_mss) * 8_000_000.0 / rtt;
        let _ = write!(out, " send {}bps", bw(send));
    }
    for (v, name) in [
        (i.last_data_sent, "lastsnd"),
        (i.last_data_recv, "lastrcv"),
        (i.last_ack_recv, "lastack"),
    ] {
        if v != 0 {
            let _ = write!(out, " {name}:{v}");
        }
    }
    if i.pacing_rate != 0 && i.pacing_rate != u64::MAX {
        let _ = write!(out, " pacing_rate {}bps", bw(i.pacing_rate as f64 * 8.0));
        if i.max_pacing_rate != 0 && i.max_pacing_rate != u64::MAX {
            let _ = write!(out, "/{}bps", bw(i.max_pacing_rate as f64 * 8.0));
        }
    }
    if i.delivery_rate != 0 {
        let _ = write!(
            out,
            " delivery_rate {}bps",
            bw(i.delivery_rate as f64 * 8.0)
        );
    }
    if i.delivered != 0 {
        let _ = write!(out, " delivered:{}", i.delivered);
    }
    if i.delivered_ce != 0 {
        let _ = write!(out, " delivered_ce:{}", i.delivered_ce);
    }
    if i.delivery_rate_app_limited {
        out.push_str(" app_limited");
    }
    if i.busy_time != 0 {
        let _ = write!(out, " busy:{}ms", i.busy_time / 1000);
        let busy = i.busy_time as f64;
        if i.rwnd_limited != 0 {
            let _ = write!(
                out,
                " rwnd_limited:{}ms({:.1}%)",
                i.rwnd_limited / 1000,
                100.0 * i.rwnd_limited as f64 / busy
            );
        }
        if i.sndbuf_limited != 0 {
            let _ = write!(
                out,
                " sndbuf_limited:{}ms({:.1}%)",
                i.sndbuf_limited / 1000,
                100.0 * i.sndbuf_limited as f64 / busy
            );
        }
    }
    if i.unacked != 0 {
        let _ = write!(out, " unacked:{}", i.unacked);
    }
    if i.retrans != 0 || i.total_retrans != 0 {
        let _ = write!(out, " retrans:{}/{}", i.retrans, i.total_retrans);
    }
    if i.lost != 0 {
        let _ = write!(out, " lost:{}", i.lost);
    }
    if i.sacked != 0 && s.state != TcpState::Listen {
        let _ = write!(out, " sacked:{}", i.sacked);
    }
    if i.dsack_dups != 0 {
        let _ = write!(out, " dsack_dups:{}", i.dsack_dups);
    }
    if i.fackets != 0 {
        let _ = write!(out, " fackets:{}", i.fackets);
    }
    if i.reordering != 3 {
        let _ = write!(out, " reordering:{}", i.reordering as i32);
    }
    if i.reord_seen != 0 {
        let _ = write!(out, " reord_seen:{}", i.reord_seen as i32);
    }
    if i.rcv_rtt != 0 {
        let _ = write!(out, " rcv_rtt:{}", ms(i.rcv_rtt));
    }
    if i.rcv_space != 0 {
        let _ = write!(out, " rcv_space:{}", i.rcv_space as i32);
    }
    if i.rcv_ssthresh != 0 {
        let _ = write!(out, " rcv_ssthresh:{}", i.rcv_ssthresh);
    }
    if i.notsent_bytes != 0 {
        let _ = write!(out, " notsent:{}", i.notsent_bytes);
    }
    if i.min_rtt != 0 && i.min_rtt != u32::MAX {
        let _ = write!(out, " minrtt:{}", ms(i.min_rtt));
    }
    if i.rcv_ooopack != 0 {
        let _ = write!(out, " rcv_ooopack:{}", i.rcv_ooopack);
    }
    if i.snd_wnd != 0 {
        let _ = write!(out, " snd_wnd:{}", i.snd_wnd);
    }
}

/// `sprint_bw`: bits per second, plain with `-n`, else in k/M/G/T.
fn sprint_bw(bw: f64, numeric: bool) -> String {
    if numeric {
        // %.0f rounds the exact value half to even; below 2^53 the
        // rounded value is an integer u64 prints exactly.
        let r = bw.round_ties_even();
        if (0.0..9_007_199_254_740_992.0).contains(&r) {
            (r as u64).to_string()
        } else {
            format!("{bw:.0}")
        }
    } else if bw >= 1e12 {
        format!("{}T", fmt_g(bw / 1e12, 3))
    } else if bw >= 1e9 {
        format!("{}G", fmt_g(bw / 1e9, 3))
    } else if bw >= 1e6 {
        format!("{}M", fmt_g(bw / 1e6, 3))
    } else if bw >= 1e3 {
        format!("{}k", fmt_g(bw / 1e3, 3))
    } else {
        fmt_g(bw, 6)
    }
}

/// `%g` of `n / 1000.0` (microseconds as milliseconds): below 10^6 the
/// value has at most six significant digits, so `%g` prints it exactly:
/// the integer part, then up to three decimals without trailing zeros.
fn ms(n: u32) -> String {
    if n >= 1_000_000 {
        return fmt_g(f64::from(n) / 1000.0, 6);
    }
    let (int, frac) = (n / 1000, n % 1000);
    if frac == 0 {
        return int.to_string();
    }
    let mut s = format!("{int}.{frac:03}");
    while s.ends_with('0') {
        s.pop();
    }
    s
}

/// C's `%.Pg`: `P` significant digits, fixed or exponent form, trailing
/// zeros removed.
pub fn fmt_g(x: f64, precision: usize) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    if !x.is_finite() {
        return x.to_string();
    }
    let p = precision.max(1);
    // The exponent after rounding to P significant digits.
    let sci = format!("{:.*e}", p - 1, x);
    let exp: i32 = sci
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let p = i32::try_from(p).unwrap_or(6);
    if exp < -4 || exp >= p {
        let (mant, _) = sci.rsplit_once('e').unwrap_or((&sci, ""));
        let mant = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = usize::try_from(p - 1 - exp).unwrap_or(0);
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// `print_ms_timer`.
fn ms_timer(timeout: u32) -> String {
    let mut secs = timeout / 1000;
    let minutes = secs / 60;
    secs %= 60;
    let mut msecs = timeout % 1000;
    let mut s = String::new();
    if minutes != 0 {
        msecs = 0;
        s.push_str(&format!("{minutes}min"));
        if minutes > 9 {
            secs = 0;
        }
    }
    if secs != 0 {
        if secs > 9 {
            msecs = 0;
        }
        s.push_str(&format!("{secs}{}", if msecs != 0 { "." } else { "sec" }));
    }
    if msecs != 0 {
        s.push_str(&format!("{msecs:03}ms"));
    }
    s
}

/// Port and cgroup names, looked up once.
struct Names {
    numeric: bool,
    services: Option<HashMap<(u16, &'static str), String>>,
    ephemeral: (u16, u16),
    cgroups: Option<HashMap<u64, String>>,
}

impl Names {
    fn new(numeric: bool) -> Self {
        let ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .ok()
            .and_then(|s| {
                let mut it = s.split_whitespace().map(|w| w.parse::<u16>().ok());
                Some((it.next()??, it.next()??))
            })
            .unwrap_or((1024, 4999));
        Names {
            numeric,
            services: None,
            ephemeral,
            cgroups: None,
        }
    }

    /// `resolve_service`: `*` for 0; the `/etc/services` name of a port
    /// outside the ephemeral range unless `-n`; else the number.
    fn service(&mut self, port: u16, proto: InetProto) -> String {
        if port == 0 {
            return "*".to_string();
        }
        if self.numeric {
            return port.to_string();
        }
        let proto = match proto {
            InetProto::Udp | InetProto::UdpLite => "udp",
            InetProto::Raw(_) => return port.to_string(),
            _ => "tcp",
        };
        if port >= self.ephemeral.0 && port <= self.ephemeral.1 {
            return port.to_string();
        }
        let services = self.services.get_or_insert_with(read_services);
        services
            .get(&(port, proto))
            .cloned()
            .unwrap_or_else(|| port.to_string())
    }

    /// `cg_id_to_path`: the cgroup v2 directory whose inode is `id`.
    fn cgroup(&mut self, id: u64) -> String {
        let map = self.cgroups.get_or_insert_with(read_cgroups);
        map.get(&id)
            .cloned()
            .unwrap_or_else(|| format!("unreachable:{id:x}"))
    }
}

fn read_services() -> HashMap<(u16, &'static str), String> {
    let mut map = HashMap::new();
    let Ok(text) = std::fs::read_to_string("/etc/services") else {
        return map;
    };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let (Some(name), Some(pp)) = (words.next(), words.next()) else {
            continue;
        };
        let Some((port, proto)) = pp.split_once('/') else {
            continue;
        };
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        let proto: &'static str = match proto {
            "tcp" => "tcp",
            "udp" => "udp",
            _ => continue,
        };
        // The first entry of a port wins, as getservbyport finds it.
        map.entry((port, proto)).or_insert_with(|| name.to_string());
    }
    map
}

fn read_cgroups() -> HashMap<u64, String> {
    let mut map = HashMap::new();
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return map;
    };
    let Some(root) = mounts.lines().find_map(|l| {
        let mut w = l.split_whitespace();
        let (_, dir, ty) = (w.next()?, w.next()?, w.next()?);
        (ty == "cgroup2").then(|| dir.to_string())
    }) else {
        return map;
    };
    let Ok(meta) = std::fs::metadata(&root) else {
        return map;
    };
    let dev = meta.dev();
    let mut stack = vec![std::path::PathBuf::from(&root)];
    while let Some(dir) = stack.pop() {
        let Ok(m) = std::fs::metadata(&dir) else {
            continue;
        };
        if m.dev() != dev {
            continue;
        }
        let rel = dir
            .strip_prefix(&root)
            .map(|p| format!("/{}", p.display()))
            .unwrap_or_else(|_| "/".to_string());
        map.insert(m.ino(), rel);
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for e in rd.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
    }
    map
}

/// One socket's fields, in `ss`'s columns.
struct Line {
    netid: String,
    state: String,
    rq: u32,
    wq: u32,
    local: (String, String),
    peer: (String, String),
    ext: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// `ss`'s columns: alignment, header, left delimiter.
const COLUMNS: [(Align, &str, &str); 10] = [
    (Align::Left, "Netid", ""),
    (Align::Left, "State", " "),
    (Align::Left, "Recv-Q", " "),
    (Align::Left, "Send-Q", " "),
    (Align::Right, "Local Address:", " "),
    (Align::Left, "Port", ""),
    (Align::Right, "Peer Address:", " "),
    (Align::Left, "Port", ""),
    (Align::Left, "Process", ""),
    (Align::Left, "", ""),
];

/// The output, rendered as `ss` renders it when not writing to a terminal.
struct Table {
    disabled: [bool; 10],
    header: bool,
    /// Every line's tokens, in one buffer per line with the end of each.
    rows: Vec<(String, [usize; 10])>,
}

impl Table {
    fn new(o: &Opts) -> Self {
        let mut disabled = [false; 10];
        // One table: no Netid column; one state: no State column.
        disabled[0] = o.dbs & o.dbs.wrapping_sub(1) == 0;
        disabled[1] = o.states & o.states.wrapping_sub(1) == 0;
        Table {
            disabled,
            header: o.header,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, l: Line) {
        use std::fmt::Write as _;
        let mut buf = String::with_capacity(64 + l.ext.len());
        let mut ends = [0usize; 10];
        let mut mark = |buf: &String, i: usize| {
            if let Some(e) = ends.get_mut(i) {
                *e = buf.len();
            }
        };
        buf.push_str(&l.netid);
        mark(&buf, 0);
        buf.push_str(&l.state);
        mark(&buf, 1);
        let _ = write!(buf, "{:<6}", l.rq as i32);
        mark(&buf, 2);
        let _ = write!(buf, "{:<6}", l.wq as i32);
        mark(&buf, 3);
        for (i, part) in [&l.local.0, &l.local.1, &l.peer.0, &l.peer.1, &l.ext]
            .into_iter()
            .enumerate()
        {
            buf.push_str(part);
            mark(&buf, 4 + i);
        }
        mark(&buf, 9);
        self.rows.push((buf, ends));
    }

    fn render(&self, out: &mut dyn Write) -> Result<()> {
        let mut lines: Vec<Vec<&str>> = Vec::with_capacity(self.rows.len() + 1);
        if self.header {
            // The header has no token for the last column.
            lines.push(COLUMNS.iter().take(9).map(|c| c.1).collect());
        }
        for (buf, ends) in &self.rows {
            let mut start = 0;
            let mut line = Vec::with_capacity(10);
            for &end in ends {
                line.push(buf.get(start..end).unwrap_or(""));
                start = end;
            }
            lines.push(line);
        }
        // Widths: the longest token of each column, except the very last
        // token written (ss never flushes it into its measure).
        let mut max_len = [0usize; 10];
        let last_line = lines.len().wrapping_sub(1);
        for (n, line) in lines.iter().enumerate() {
            let is_last_row = n == last_line && !self.rows.is_empty();
            for (c, tok) in line.iter().enumerate() {
                if self.disabled.get(c).copied().unwrap_or(true) {
                    continue;
                }
                // The last row's tokens past its Process column are not
                // written at all, and its Process token is not measured.
                if is_last_row && c >= 8 {
                    continue;
                }
                if let Some(m) = max_len.get_mut(c) {
                    *m = (*m).max(tok.len());
                }
            }
        }
        let mut width = [0usize; 10];
        let mut first = true;
        for c in 0..10 {
            if self.disabled.get(c).copied().unwrap_or(true) {
                continue;
            }
            let m = max_len.get(c).copied().unwrap_or(0);
            let w = if !first && m > 0 {
                m + COLUMNS.get(c).map_or(0, |col| col.2.len())
            } else {
                m
            };
            if let Some(x) = width.get_mut(c) {
                *x = w;
            }
            if w > 0 {
                first = false;
            }
        }
        let per_line = width.iter().sum::<usize>() + 1;
        let mut text = String::with_capacity(per_line.saturating_mul(lines.len()));
        for (n, line) in lines.iter().enumerate() {
            let is_last_row = n == last_line && !self.rows.is_empty();
            let mut started = false;
            for (c, tok) in line.iter().enumerate() {
                if self.disabled.get(c).copied().unwrap_or(true) || (is_last_row && c == 9) {
                    continue;
                }
                let (align, _, ldelim) = COLUMNS.get(c).copied().unwrap_or((Align::Left, "", ""));
                let w = width.get(c).copied().unwrap_or(0);
                // The first line starts at the first column with a width.
                if n == 0 && !started && w == 0 {
                    continue;
                }
                let mut printed = 0;
                if started {
                    text.push_str(ldelim);
                    printed = ldelim.len();
                }
                started = true;
                if w > 0 && align == Align::Right {
                    let pad = w.saturating_sub(tok.len() + printed);
                    spaces(&mut text, pad);
                    printed += pad;
                }
                text.push_str(tok);
                printed += tok.len();
                if w > 0 && align == Align::Left {
                    spaces(&mut text, w.saturating_sub(printed));
                }
            }
            text.push('\n');
        }
        out.write_all(text.as_bytes())?;
        Ok(())
    }
}

/// Appends `n` spaces (a whole -i column of padding per line: no
/// char-by-char pushes).
fn spaces(text: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        text.push_str(SPACES.get(..k).unwrap_or(""));
        n -= k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_g() {
        for (x, p, want) in [
            (0.025, 6, "0.025"),
            (2.88671875, 6, "2.88672"),
            (204.0, 6, "204"),
            (0.0001, 6, "0.0001"),
            (0.00001, 6, "1e-05"),
            (1234567.0, 6, "1.23457e+06"),
            (999999.5, 6, "1e+06"),
            (32.768, 3, "32.8"),
            (115.34336, 3, "115"),
            (1.0, 3, "1"),
        ] {
            assert_eq!(fmt_g(x, p), want, "{x} %.{p}g");
        }
    }

    #[test]
    fn thousandths() {
        for n in [
            0u32,
            1,
            25,
            204,
            1500,
            8000,
            999_999,
            1_000_000,
            1_234_567,
            u32::MAX,
        ] {
            assert_eq!(ms(n), fmt_g(f64::from(n) / 1000.0, 6), "{n}");
        }
        assert_eq!(sprint_bw(115_343_360_000.0, true), "115343360000");
        assert_eq!(sprint_bw(2.5, true), "2");
        assert_eq!(sprint_bw(3.5, true), "4");
    }

    #[test]
    fn timers() {
        assert_eq!(ms_timer(204), "204ms");
        assert_eq!(ms_timer(1500), "1.500ms");
        assert_eq!(ms_timer(12_000), "12sec");
        assert_eq!(ms_timer(61_000), "1min1sec");
        assert_eq!(ms_timer(600_000), "10min");
    }

    #[test]
    fn states() {
        assert_eq!(scan_state("established").unwrap(), 2);
        assert_eq!(
            scan_state("connected").unwrap(),
            SS_ALL & !((1 << 7) | (1 << 10))
        );
        assert!(
            scan_state("nosuch")
                .unwrap_err()
                .to_string()
                .contains("nosuch")
        );
    }
}
