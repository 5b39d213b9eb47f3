//! `wg`: WireGuard devices as wireguard-tools' `wg` shows and sets them.
//!
//! ```text
//! nl wg [-n NETNS] [ show [ all | interfaces | IFACE ] [ public-key | private-key | listen-port |
//!                    fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes |
//!                    persistent-keepalive | transfer | dump ] ]
//! nl wg showconf IFACE
//! nl wg set IFACE [listen-port P] [fwmark M] [private-key FILE] [peer KEY [remove]
//!                 [preshared-key FILE] [endpoint HOST:PORT] [persistent-keepalive N|off]
//!                 [allowed-ips IP/CIDR[,IP/CIDR]...]]...
//! nl wg setconf | addconf | syncconf IFACE FILE
//! nl wg genkey | genpsk
//! ```
//!
//! The text is `wg`'s (without colours): `show` hides private and
//! preshared keys as `(hidden)` and sorts peers by latest handshake;
//! `dump`, `private-key`, `preshared-keys` and `showconf` print keys.
//! Configuration files are `wg`'s `[Interface]` / `[Peer]` format, read
//! by the same rules (`#` comments, white space ignored, keys named in any
//! case). `pubkey` needs Curve25519, which this tool does not carry: use
//! `wg pubkey`. Ports are numbers (wg also takes service names);
//! `WG_HIDE_KEYS=never` is not read.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use netlink::{
    Handle, IpNet, LinkDump, LinkKind, WgConfig, WgDevice, WgKey, WgPeer, WgPeerConfig,
    WgPresharedKey, WgPrivateKey,
};

/// `wg`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut netns = None;
    if words.first() == Some(&"-n") {
        netns = Some(*words.get(1).context("\"-n\" needs a value")?);
        words.drain(..2);
    }
    let (cmd, rest) = match words.split_first() {
        Some((c, r)) => (*c, r),
        None => ("show", &[][..]),
    };
    match cmd {
        "-h" | "--help" | "help" => return usage(out),
        "--version" | "version" => {
            writeln!(out, "nl wg (wireguard-tools' wg subset)")?;
            return Ok(());
        }
        "genkey" | "genpsk" => {
            ensure_none(cmd, rest)?;
            return genkey(cmd == "genkey", out);
        }
        "pubkey" => bail!(
            "wg pubkey needs Curve25519, which nl does not carry: use \"wg pubkey\" (the kernel also derives it: \"nl wg show IFACE public-key\")"
        ),
        _ => {}
    }
    let h = crate::ip::handle(netns)?;
    match cmd {
        "show" => show(&h, rest, out),
        "showconf" => match rest {
            [dev] => {
                let d = h.wg_device(*dev).context("Unable to access interface")?;
                out.write_all(showconf(&d).as_bytes())?;
                Ok(())
            }
            _ => bail!("Usage: wg showconf <interface>"),
        },
        "set" => match rest.split_first() {
            Some((dev, words)) if !words.is_empty() => {
                let config = parse_set(words, &read_key_file)?;
                h.wg_configure_device(*dev, &config)
                    .context("Unable to modify interface")?;
                Ok(())
            }
            _ => bail!(
                "Usage: wg set <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] [persistent-keepalive <interval seconds>] [allowed-ips <ip1>/<cidr1>[,<ip2>/<cidr2>]...] ]..."
            ),
        },
        "setconf" | "addconf" | "syncconf" => match rest {
            [dev, file] => {
                let text =
                    std::fs::read_to_string(file).with_context(|| format!("fopen: {file}"))?;
                let mut config =
                    parse_conf(&text, cmd == "addconf").context("Configuration parsing error")?;
                if cmd == "syncconf" {
                    sync(&h, dev, &mut config)?;
                }
                h.wg_configure_device(*dev, &config)
                    .context("Unable to modify interface")?;
                Ok(())
            }
            _ => bail!("Usage: wg {cmd} <interface> <configuration filename>"),
        },
        other => bail!(
            "Invalid subcommand: `{other}' (nl wg: show, showconf, set, setconf, addconf, syncconf, genkey, genpsk)"
        ),
    }
}

fn usage(out: &mut dyn Write) -> Result<()> {
    out.write_all(
        b"Usage: nl wg <cmd> [<args>]\n\n\
          Available subcommands:\n  \
          show: Shows the current configuration and device information\n  \
          showconf: Shows the current configuration of a given WireGuard interface, for use with `setconf'\n  \
          set: Change the current configuration, add peers, remove peers, or change peers\n  \
          setconf: Applies a configuration file to a WireGuard interface\n  \
          addconf: Appends a configuration file to a WireGuard interface\n  \
          syncconf: Synchronizes a configuration file to a WireGuard interface\n  \
          genkey: Generates a new private key and writes it to stdout\n  \
          genpsk: Generates a new preshared key and writes it to stdout\n",
    )?;
    Ok(())
}

fn ensure_none(cmd: &str, rest: &[&str]) -> Result<()> {
    if !rest.is_empty() {
        bail!("Usage: wg {cmd}");
    }
    Ok(())
}

/// `wg genkey` (a clamped Curve25519 secret) or `wg genpsk` (32 random
/// bytes), from the kernel's random source.
fn genkey(clamp: bool, out: &mut dyn Write) -> Result<()> {
    let mut k = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut k))
        .context("Unable to read random bytes")?;
    if clamp {
        // RFC 7748's clamping, as wg genkey does it.
        if let Some(b) = k.first_mut() {
            *b &= 248;
        }
        if let Some(b) = k.last_mut() {
            *b = (*b & 127) | 64;
        }
    }
    writeln!(out, "{}", WgPrivateKey::new(k).to_base64())?;
    Ok(())
}

// ---- show -----------------------------------------------------------------

/// What `wg show` prints of each device: all of it, or one field.
const PARAMS: [&str; 12] = [
    "public-key",
    "private-key",
    "listen-port",
    "fwmark",
    "peers",
    "preshared-keys",
    "endpoints",
    "allowed-ips",
    "latest-handshakes",
    "persistent-keepalive",
    "transfer",
    "dump",
];

fn show_usage() -> anyhow::Error {
    anyhow::anyhow!(
        "Usage: wg show {{ <interface> | all | interfaces }} [public-key | private-key | listen-port | fwmark | peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | persistent-keepalive | dump]"
    )
}

/// `wg show ...`.
fn show(h: &Handle, rest: &[&str], out: &mut dyn Write) -> Result<()> {
    let (what, param) = match rest {
        [] => ("all", None),
        [w] => (*w, None),
        [w, p] => (*w, Some(*p)),
        _ => return Err(show_usage()),
    };
    if let Some(p) = param {
        if !PARAMS.contains(&p) {
            return Err(anyhow::anyhow!("Invalid parameter: `{p}'").context(show_usage()));
        }
    }
    match what {
        "all" => {
            let devices = h.wg_devices()?;
            let mut text = String::new();
            for (i, d) in devices.iter().enumerate() {
                match param {
                    Some(p) => fields(&mut text, d, p, true),
                    None => {
                        pretty(&mut text, d);
                        if i + 1 < devices.len() {
                            text.push('\n');
                        }
                    }
                }
            }
            out.write_all(text.as_bytes())?;
        }
        "interfaces" => {
            if param.is_some() {
                return Err(show_usage());
            }
            let links = h.link_list_filtered(&LinkDump {
                kind: Some(LinkKind::Wireguard.name().to_string()),
                skip_stats: true,
                ..LinkDump::default()
            })?;
            let names: Vec<&str> = links.iter().map(|l| l.name.as_str()).collect();
            if !names.is_empty() {
                writeln!(out, "{}", names.join(" "))?;
            }
        }
        "-h" | "--help" | "help" if param.is_none() => return Err(show_usage()),
        dev => {
            let d = h.wg_device(dev).context("Unable to access interface")?;
            let mut text = String::new();
            match param {
                Some(p) => fields(&mut text, &d, p, false),
                None => pretty(&mut text, &d),
            }
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// `wg show DEV` without colours: the device's own [`Display`], its peers
/// sorted as wg sorts them (latest handshake first, never last; a stable
/// sort, as glibc's `qsort` is for these).
///
/// [`Display`]: std::fmt::Display
fn pretty(out: &mut String, d: &WgDevice) {
    let mut sorted = d.clone();
    sorted
        .peers
        .sort_by_key(|p| std::cmp::Reverse(p.last_handshake_time));
    out.push_str(&sorted.to_string());
}

fn key_or_none(k: Option<String>) -> String {
    k.unwrap_or_else(|| "(none)".to_string())
}

fn endpoint_text(p: &WgPeer) -> String {
    p.endpoint
        .map_or_else(|| "(none)".to_string(), |e| e.to_string())
}

/// The seconds of the latest handshake since 1970, 0 for never.
fn handshake_secs(p: &WgPeer) -> u64 {
    p.last_handshake_time
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs())
}

fn keepalive_text(p: &WgPeer) -> String {
    match p.persistent_keepalive_interval.as_secs() {
        0 => "off".to_string(),
        n => n.to_string(),
    }
}

fn fwmark_text(d: &WgDevice) -> String {
    match d.firewall_mark {
        0 => "off".to_string(),
        m => format!("{m:#x}"),
    }
}

fn allowed_text(p: &WgPeer, sep: &str) -> String {
    if p.allowed_ips.is_empty() {
        return "(none)".to_string();
    }
    let all: Vec<String> = p.allowed_ips.iter().map(IpNet::to_string).collect();
    all.join(sep)
}

/// One field of `wg show DEV FIELD` (`param` is one of [`PARAMS`]); with
/// `all`, each line starts with the device's name and a tab.
fn fields(out: &mut String, d: &WgDevice, param: &str, with_name: bool) {
    let prefix = if with_name {
        format!("{}\t", d.name)
    } else {
        String::new()
    };
    let private = || key_or_none(d.private_key.as_ref().map(WgPrivateKey::to_base64));
    let public = || key_or_none(d.public_key.as_ref().map(WgKey::to_base64));
    let psk = |p: &WgPeer| key_or_none(p.preshared_key.as_ref().map(WgPresharedKey::to_base64));
    let mut line = |s: String| {
        out.push_str(&prefix);
        out.push_str(&s);
        out.push('\n');
    };
    match param {
        "public-key" => line(public()),
        "private-key" => line(private()),
        "listen-port" => line(d.listen_port.to_string()),
        "fwmark" => line(fwmark_text(d)),
        "dump" => {
            line(format!(
                "{}\t{}\t{}\t{}",
                private(),
                public(),
                d.listen_port,
                fwmark_text(d)
            ));
            for p in &d.peers {
                line(format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    p.public_key,
                    psk(p),
                    endpoint_text(p),
                    allowed_text(p, ","),
                    handshake_secs(p),
                    p.receive_bytes,
                    p.transmit_bytes,
                    keepalive_text(p)
                ));
            }
        }
        _ => {
            for p in &d.peers {
                let k = p.public_key;
                line(match param {
                    "endpoints" => format!("{k}\t{}", endpoint_text(p)),
                    "allowed-ips" => format!("{k}\t{}", allowed_text(p, " ")),
                    "latest-handshakes" => format!("{k}\t{}", handshake_secs(p)),
                    "transfer" => format!("{k}\t{}\t{}", p.receive_bytes, p.transmit_bytes),
                    "persistent-keepalive" => format!("{k}\t{}", keepalive_text(p)),
                    "preshared-keys" => format!("{k}\t{}", psk(p)),
                    _ => k.to_string(),
                });
            }
        }
    }
}

/// `wg showconf DEV`: the device as a configuration file, keys included.
pub fn showconf(d: &WgDevice) -> String {
    use std::fmt::Write as _;
    let mut s = String::from("[Interface]\n");
    if d.listen_port != 0 {
        let _ = writeln!(s, "ListenPort = {}", d.listen_port);
    }
    if d.firewall_mark != 0 {
        let _ = writeln!(s, "FwMark = {:#x}", d.firewall_mark);
    }
    if let Some(k) = &d.private_key {
        let _ = writeln!(s, "PrivateKey = {}", k.to_base64());
    }
    s.push('\n');
    for (i, p) in d.peers.iter().enumerate() {
        let _ = writeln!(s, "[Peer]\nPublicKey = {}", p.public_key);
        if let Some(k) = &p.preshared_key {
            let _ = writeln!(s, "PresharedKey = {}", k.to_base64());
        }
        if !p.allowed_ips.is_empty() {
            let _ = writeln!(s, "AllowedIPs = {}", allowed_text(p, ", "));
        }
        if let Some(e) = p.endpoint {
            let _ = writeln!(s, "Endpoint = {e}");
        }
        let every = p.persistent_keepalive_interval.as_secs();
        if every != 0 {
            let _ = writeln!(s, "PersistentKeepalive = {every}");
        }
        if i + 1 < d.peers.len() {
            s.push('\n');
        }
    }
    s
}

// ---- set and configuration files -----------------------------------------

/// `wg`'s white space (its `char_is_space`).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// A port: a number from 0 to 65535.
fn parse_port(v: &str) -> Result<u16> {
    if v.is_empty() {
        bail!("Unable to parse empty port");
    }
    v.parse()
        .with_context(|| format!("Unable to parse port (a number from 0 to 65535): `{v}'"))
}

/// `off`, or a mark in decimal or `0x` hex.
fn parse_fwmark(v: &str) -> Result<u32> {
    if v.eq_ignore_ascii_case("off") {
        return Ok(0);
    }
    let bad = || anyhow::anyhow!("Fwmark is neither 0/off nor 0-0xffffffff: `{v}'");
    if !v.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(bad());
    }
    match v.strip_prefix("0x").filter(|h| !h.is_empty()) {
        Some(h) => u32::from_str_radix(h, 16).map_err(|_| bad()),
        None => v.parse().map_err(|_| bad()),
    }
}

/// `off`, or seconds from 0 to 65535.
fn parse_keepalive(v: &str) -> Result<Duration> {
    if v.eq_ignore_ascii_case("off") {
        return Ok(Duration::ZERO);
    }
    let bad =
        || anyhow::anyhow!("Persistent keepalive interval is neither 0/off nor 1-65535: `{v}'");
    if !v.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(bad());
    }
    let n: u16 = v.parse().map_err(|_| bad())?;
    Ok(Duration::from_secs(n.into()))
}

/// `IP[/CIDR],...`; an empty list clears. A host part that is not zero
/// is warned about and kept (the kernel masks it), as wg does.
fn parse_allowed_ips(v: &str) -> Result<Vec<IpNet>> {
    let mut nets = Vec::new();
    if v.is_empty() {
        return Ok(nets);
    }
    for entry in v.split(',') {
        let bad = || anyhow::anyhow!("AllowedIP is not in the correct format: `{entry}'");
        let (ip, mask) = match entry.split_once('/') {
            Some((ip, mask)) => (ip, Some(mask)),
            None => (entry, None),
        };
        // The address family is told by a colon, as wg tells it.
        let addr: IpAddr = if ip.contains(':') {
            ip.parse::<std::net::Ipv6Addr>().map(IpAddr::V6)
        } else {
            ip.parse::<std::net::Ipv4Addr>().map(IpAddr::V4)
        }
        .map_err(|_| anyhow::anyhow!("Unable to parse IP address: `{ip}'"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let len = match mask {
            Some(m) if m.starts_with(|c: char| c.is_ascii_digit()) => {
                m.parse::<u8>().ok().filter(|&l| l <= max).ok_or_else(bad)?
            }
            Some(_) => return Err(bad()),
            None => max,
        };
        let net = IpNet::new(addr, len).map_err(|_| bad())?;
        if net.trunc() != net {
            eprintln!("Warning: AllowedIP has nonzero host part: {entry}");
        }
        nets.push(net);
    }
    Ok(nets)
}

/// `HOST:PORT` or `[V6]:PORT`, resolved (a name through the system's
/// resolver, its first address).
fn parse_endpoint(v: &str) -> Result<SocketAddr> {
    if v.is_empty() {
        bail!("Unable to parse empty endpoint");
    }
    let (host, port) = if let Some(inner) = v.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .with_context(|| format!("Unable to find matching brace of endpoint: `{v}'"))?;
        let port = after
            .strip_prefix(':')
            .filter(|p| !p.is_empty())
            .with_context(|| format!("Unable to find port of endpoint: `{v}'"))?;
        (host, port)
    } else {
        v.rsplit_once(':')
            .filter(|(_, p)| !p.is_empty())
            .with_context(|| format!("Unable to find port of endpoint: `{v}'"))?
    };
    let port: u16 = port
        .parse()
        .with_context(|| format!("Unable to parse the port of endpoint: `{v}'"))?;
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (host, port)
        .to_socket_addrs()
        .with_context(|| format!("Name or service not known: `{v}'"))?
        .next()
        .with_context(|| format!("Neither IPv4 nor IPv6 address found: `{v}'"))
}

/// A key in base64, without repeating it in the error (it may be secret).
fn parse_key<K: std::str::FromStr>(v: &str) -> Result<K> {
    v.parse()
        .map_err(|_| anyhow::anyhow!("Key is not the correct length or format"))
}

/// The 32 bytes of a key file (`wg set ... private-key FILE`): 44
/// characters of base64 and white space after, or nothing at all (all
/// zeros: remove the key).
pub fn key_file_bytes(text: &[u8]) -> Result<[u8; 32]> {
    if text.is_empty() {
        return Ok([0; 32]);
    }
    let (key, rest) = text
        .split_at_checked(44)
        .context("Invalid length key in key file")?;
    if let Some(c) = rest.iter().find(|c| !is_space(char::from(**c))) {
        bail!("Found trailing character in key file: `{}'", char::from(*c));
    }
    let key = std::str::from_utf8(key).context("Key is not the correct length or format")?;
    let k: WgKey = parse_key(key)?;
    Ok(*k.as_bytes())
}

/// Reads key file `path`.
fn read_key_file(path: &str) -> Result<[u8; 32]> {
    let text = std::fs::read(path).with_context(|| format!("fopen: {path}"))?;
    key_file_bytes(&text)
}

/// The words of `wg set IFACE ...` as a configuration; `key_file` reads
/// the key files they name.
pub fn parse_set(words: &[&str], key_file: &dyn Fn(&str) -> Result<[u8; 32]>) -> Result<WgConfig> {
    let mut c = WgConfig::new();
    let mut i = 0;
    let invalid = |w: &str| anyhow::anyhow!("Invalid argument: {w}");
    while let Some(&w) = words.get(i) {
        let value = words.get(i + 1).copied();
        let in_peer = !c.peers.is_empty();
        let peer = c.peers.last_mut();
        match (w, value, peer) {
            ("listen-port", Some(v), _) if !in_peer => c.listen_port = Some(parse_port(v)?),
            ("fwmark", Some(v), _) if !in_peer => c.firewall_mark = Some(parse_fwmark(v)?),
            ("private-key", Some(v), _) if !in_peer => {
                c.private_key = Some(WgPrivateKey::new(key_file(v)?));
            }
            ("peer", Some(v), _) => c.peers.push(WgPeerConfig::new(parse_key(v)?)),
            ("remove", _, Some(p)) => {
                p.remove = true;
                i += 1;
                continue;
            }
            ("endpoint", Some(v), Some(p)) => p.endpoint = Some(parse_endpoint(v)?),
            ("allowed-ips", Some(v), Some(p)) => {
                let v: String = v.chars().filter(|c| !is_space(*c)).collect();
                p.replace_allowed_ips = true;
                p.allowed_ips.extend(parse_allowed_ips(&v)?);
            }
            ("persistent-keepalive", Some(v), Some(p)) => {
                p.persistent_keepalive_interval = Some(parse_keepalive(v)?);
            }
            ("preshared-key", Some(v), Some(p)) => {
                p.preshared_key = Some(WgPresharedKey::new(key_file(v)?));
            }
            _ => return Err(invalid(w)),
        }
        i += 2;
    }
    Ok(c)
}

/// The value of `key = value` in a line without white space, the key in
/// any case; `None` when the line is another key's or has no value.
fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let head = line.get(..key.len())?;
    let value = line.get(key.len()..)?;
    (head.eq_ignore_ascii_case(key) && !value.is_empty()).then_some(value)
}

/// A configuration file (`wg setconf`, or `wg addconf` with `append`):
/// `[Interface]` with `ListenPort`, `FwMark`, `PrivateKey`; `[Peer]`s with
/// `PublicKey`, `PresharedKey`, `AllowedIPs`, `Endpoint`,
/// `PersistentKeepalive`. Without `append` the file is the whole device:
/// peers not in it go, and a port, mark or key it leaves out is cleared.
pub fn parse_conf(text: &str, append: bool) -> Result<WgConfig> {
    let mut c = WgConfig::new();
    if !append {
        c.replace_peers = true;
        c.private_key = Some(WgPrivateKey::zero());
        c.firewall_mark = Some(0);
        c.listen_port = Some(0);
    }
    #[derive(PartialEq)]
    enum Section {
        None,
        Interface,
        Peer,
    }
    let mut section = Section::None;
    // Which peers were given a public key (a peer without one is an error).
    let mut keyed: Vec<bool> = Vec::new();
    for raw in text.lines() {
        let raw = raw.split('#').next().unwrap_or_default();
        let line: String = raw.chars().filter(|c| !is_space(*c)).collect();
        if line.is_empty() {
            continue;
        }
        let unrecognized = || anyhow::anyhow!("Line unrecognized: `{line}'");
        if line.eq_ignore_ascii_case("[Interface]") {
            section = Section::Interface;
            continue;
        }
        if line.eq_ignore_ascii_case("[Peer]") {
            section = Section::Peer;
            let mut p = WgPeerConfig::new(WgKey::default());
            p.replace_allowed_ips = true;
            c.peers.push(p);
            keyed.push(false);
            continue;
        }
        match section {
            Section::Interface => {
                if let Some(v) = value_of(&line, "ListenPort=") {
                    c.listen_port = Some(parse_port(v)?);
                } else if let Some(v) = value_of(&line, "FwMark=") {
                    c.firewall_mark = Some(parse_fwmark(v)?);
                } else if let Some(v) = value_of(&line, "PrivateKey=") {
                    c.private_key = Some(parse_key(v)?);
                } else {
                    return Err(unrecognized());
                }
            }
            Section::Peer => {
                let (Some(p), Some(k)) = (c.peers.last_mut(), keyed.last_mut()) else {
                    return Err(unrecognized());
                };
                if let Some(v) = value_of(&line, "Endpoint=") {
                    p.endpoint = Some(parse_endpoint(v)?);
                } else if let Some(v) = value_of(&line, "PublicKey=") {
                    p.public_key = parse_key(v)?;
                    *k = true;
                } else if let Some(v) = value_of(&line, "AllowedIPs=") {
                    p.allowed_ips.extend(parse_allowed_ips(v)?);
                } else if let Some(v) = value_of(&line, "PersistentKeepalive=") {
                    p.persistent_keepalive_interval = Some(parse_keepalive(v)?);
                } else if let Some(v) = value_of(&line, "PresharedKey=") {
                    p.preshared_key = Some(parse_key(v)?);
                } else {
                    return Err(unrecognized());
                }
            }
            Section::None => return Err(unrecognized()),
        }
    }
    if keyed.contains(&false) {
        bail!("A peer is missing a public key");
    }
    Ok(c)
}

/// `wg syncconf`: the device's peers that the file does not name are
/// removed one by one instead of replacing every peer, so the peers that
/// stay keep their sessions.
fn sync(h: &Handle, dev: &str, c: &mut WgConfig) -> Result<()> {
    if c.peers.is_empty() {
        return Ok(());
    }
    let now = h
        .wg_device(dev)
        .context("Unable to retrieve current interface configuration")?;
    if now.peers.is_empty() {
        return Ok(());
    }
    c.replace_peers = false;
    let gone: Vec<WgPeerConfig> = now
        .peers
        .iter()
        .filter(|p| !c.peers.iter().any(|q| q.public_key == p.public_key))
        .map(|p| WgPeerConfig::new(p.public_key).with_remove())
        .collect();
    c.peers.splice(0..0, gone);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    const K2: &str = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    const K3: &str = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    fn key(s: &str) -> WgKey {
        s.parse().unwrap()
    }

    #[test]
    fn a_config_file_reads_as_wg_reads_it() {
        let text = format!(
            "# a comment\n[Interface]\n  ListenPort = 51820 # port\nfwmark=0x2a\nPrivateKey = {K1}\n\n\
             [peer]\nPublicKey = {K2}\nPresharedKey = {K3}\nAllowedIPs = 192.0.2.0/24, 2001:db8::/32,198.51.100.7\n\
             Endpoint = [2001:db8::1]:51820\nPersistentKeepalive = 25\n\
             [Peer]\npublickey={K3}\nendpoint=192.0.2.1:7\nPersistentKeepalive = off\n"
        );
        let c = parse_conf(&text, false).unwrap();
        assert!(c.replace_peers);
        assert_eq!(c.listen_port, Some(51820));
        assert_eq!(c.firewall_mark, Some(42));
        assert_eq!(c.private_key, Some(K1.parse().unwrap()));
        assert_eq!(c.peers.len(), 2);
        let p = &c.peers[0];
        assert_eq!(p.public_key, key(K2));
        assert_eq!(p.preshared_key, Some(K3.parse().unwrap()));
        assert!(p.replace_allowed_ips);
        let nets: Vec<String> = p.allowed_ips.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32"]);
        assert_eq!(p.endpoint, Some("[2001:db8::1]:51820".parse().unwrap()));
        assert_eq!(
            p.persistent_keepalive_interval,
            Some(Duration::from_secs(25))
        );
        let p = &c.peers[1];
        assert_eq!(p.public_key, key(K3));
        assert_eq!(p.endpoint, Some("192.0.2.1:7".parse().unwrap()));
        assert_eq!(p.persistent_keepalive_interval, Some(Duration::ZERO));
        assert!(p.allowed_ips.is_empty() && p.replace_allowed_ips);
    }

    #[test]
    fn setconf_clears_what_the_file_leaves_out_and_addconf_does_not() {
        let set = parse_conf("[Interface]\n", false).unwrap();
        assert_eq!(set.private_key, Some(WgPrivateKey::zero()));
        assert_eq!((set.listen_port, set.firewall_mark), (Some(0), Some(0)));
        assert!(set.replace_peers);
        let add = parse_conf(&format!("[Peer]\nPublicKey={K2}\n"), true).unwrap();
        assert_eq!(
            add,
            WgConfig::new().with_peer({
                let mut p = WgPeerConfig::new(key(K2));
                p.replace_allowed_ips = true;
                p
            })
        );
    }

    #[test]
    fn bad_config_files_are_named_errors() {
        for (text, why) in [
            ("ListenPort = 1\n", "Line unrecognized: `ListenPort=1'"),
            ("[Interface]\nBogus = 1\n", "Line unrecognized: `Bogus=1'"),
            (
                "[Interface]\nListenPort =\n",
                "Line unrecognized: `ListenPort='",
            ),
            ("[Interface]\nListenPort = 70000\n", "Unable to parse port"),
            ("[Interface]\nFwMark = x1\n", "Fwmark is neither"),
            ("[Interface]\nPrivateKey = abc\n", "not the correct length"),
            (
                "[Peer]\nAllowedIPs = 192.0.2.0/24\n",
                "missing a public key",
            ),
            (
                "[Peer]\nAllowedIPs = 192.0.2.0/33\n",
                "not in the correct format",
            ),
            (
                "[Peer]\nAllowedIPs = 192.0.2.300\n",
                "Unable to parse IP address",
            ),
            ("[Peer]\nEndpoint = 192.0.2.1\n", "Unable to find port"),
            ("[Peer]\nEndpoint = [2001:db8::1\n", "matching brace"),
            (
                "[Peer]\nPersistentKeepalive = 65536\n",
                "neither 0/off nor 1-65535",
            ),
        ] {
            let e = format!("{:#}", parse_conf(text, false).unwrap_err());
            assert!(e.contains(why), "{text:?}: {e}");
        }
        // A secret is never repeated in an error.
        let e = parse_conf("[Interface]\nPrivateKey = secretsecret\n", false).unwrap_err();
        assert!(!format!("{e:#}").contains("secretsecret"));
    }

    #[test]
    fn set_words_as_wg_reads_them() {
        let files = |path: &str| -> Result<[u8; 32]> {
            match path {
                "/k1" => key_file_bytes(format!("{K1}\n").as_bytes()),
                "/dev/null" => key_file_bytes(b""),
                _ => bail!("no file {path}"),
            }
        };
        // The allowed IPs are one word with a space in it (wg strips it).
        let words = [
            "listen-port",
            "7",
            "fwmark",
            "off",
            "private-key",
            "/k1",
            "peer",
            K2,
            "endpoint",
            "192.0.2.1:9",
            "allowed-ips",
            "192.0.2.0/24, 198.51.100.0/24",
            "persistent-keepalive",
            "5",
            "preshared-key",
            "/dev/null",
            "peer",
            K3,
            "remove",
        ];
        let c = parse_set(&words, &files).unwrap();
        assert!(!c.replace_peers);
        assert_eq!((c.listen_port, c.firewall_mark), (Some(7), Some(0)));
        assert_eq!(c.private_key, Some(K1.parse().unwrap()));
        let p = &c.peers[0];
        assert_eq!(p.endpoint, Some("192.0.2.1:9".parse().unwrap()));
        assert!(p.replace_allowed_ips && !p.remove);
        assert_eq!(p.preshared_key, Some(WgPresharedKey::zero()));
        assert_eq!(
            p.persistent_keepalive_interval,
            Some(Duration::from_secs(5))
        );
        assert!(c.peers[1].remove && c.peers[1].public_key == key(K3));
        for bad in [
            format!("peer {K2} listen-port 7"),
            "remove".to_string(),
            "listen-port".to_string(),
            format!("peer {K2} bogus 1"),
        ] {
            let words: Vec<&str> = bad.split(' ').collect();
            let e = parse_set(&words, &files).unwrap_err().to_string();
            assert!(e.starts_with("Invalid argument: "), "{bad}: {e}");
        }
        // Empty allowed-ips: the peer's allowed IPs are cleared.
        let words = ["peer", K2, "allowed-ips", ""];
        let c = parse_set(&words, &files).unwrap();
        assert!(c.peers[0].replace_allowed_ips && c.peers[0].allowed_ips.is_empty());
    }

    #[test]
    fn generated_keys_are_clamped_and_psks_are_not() {
        let mut out = Vec::new();
        genkey(true, &mut out).unwrap();
        genkey(false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let k: WgPrivateKey = lines[0].parse().unwrap();
        let b = k.as_bytes();
        assert!(b[0] & 7 == 0 && b[31] & 0x80 == 0 && b[31] & 0x40 != 0);
        let psk: WgPresharedKey = lines[1].parse().unwrap();
        assert_ne!(psk.as_bytes(), k.as_bytes());
    }

    #[test]
    fn key_files() {
        assert_eq!(key_file_bytes(b"").unwrap(), [0; 32]);
        assert_eq!(
            key_file_bytes(format!("{K1} \n\t").as_bytes()).unwrap(),
            *key(K1).as_bytes()
        );
        assert!(key_file_bytes(b"short").is_err());
        let e = key_file_bytes(format!("{K1}x").as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .contains("trailing character in key file: `x'")
        );
    }

    fn device() -> WgDevice {
        let mut d = WgDevice {
            name: "wg0".into(),
            index: 3,
            private_key: Some(K1.parse().unwrap()),
            public_key: Some(key(K2)),
            listen_port: 51820,
            firewall_mark: 0,
            peers: Vec::new(),
        };
        let mut a = WgPeer::new(key(K3));
        a.allowed_ips = vec![
            "192.0.2.0/24".parse().unwrap(),
            "2001:db8::/32".parse().unwrap(),
        ];
        a.endpoint = Some("[2001:db8::1]:7".parse().unwrap());
        a.receive_bytes = 10;
        a.transmit_bytes = 20;
        a.persistent_keepalive_interval = Duration::from_secs(25);
        let mut b = WgPeer::new(key(K1));
        b.preshared_key = Some(K2.parse().unwrap());
        b.last_handshake_time = Some(UNIX_EPOCH + Duration::from_secs(1000));
        d.peers = vec![a, b];
        d
    }

    #[test]
    fn dump_and_fields_as_wg_prints_them() {
        let d = device();
        let mut s = String::new();
        fields(&mut s, &d, "dump", false);
        assert_eq!(
            s,
            format!(
                "{K1}\t{K2}\t51820\toff\n\
                 {K3}\t(none)\t[2001:db8::1]:7\t192.0.2.0/24,2001:db8::/32\t0\t10\t20\t25\n\
                 {K1}\t{K2}\t(none)\t(none)\t1000\t0\t0\toff\n"
            )
        );
        let mut s = String::new();
        fields(&mut s, &d, "allowed-ips", true);
        assert_eq!(
            s,
            format!("wg0\t{K3}\t192.0.2.0/24 2001:db8::/32\nwg0\t{K1}\t(none)\n")
        );
        let mut s = String::new();
        fields(&mut s, &d, "fwmark", false);
        assert_eq!(s, "off\n");
    }

    #[test]
    fn showconf_and_show_as_wg_prints_them() {
        let d = device();
        assert_eq!(
            showconf(&d),
            format!(
                "[Interface]\nListenPort = 51820\nPrivateKey = {K1}\n\n\
                 [Peer]\nPublicKey = {K3}\nAllowedIPs = 192.0.2.0/24, 2001:db8::/32\nEndpoint = [2001:db8::1]:7\nPersistentKeepalive = 25\n\n\
                 [Peer]\nPublicKey = {K1}\nPresharedKey = {K2}\n"
            )
        );
        // The peer with a handshake first; secrets hidden.
        let mut s = String::new();
        pretty(&mut s, &d);
        assert!(s.starts_with(&format!(
            "interface: wg0\n  public key: {K2}\n  private key: (hidden)\n  listening port: 51820\n\npeer: {K1}\n  preshared key: (hidden)\n"
        )), "{s}");
        assert_eq!(s.matches("(hidden)").count(), 2, "{s}");
    }
}
