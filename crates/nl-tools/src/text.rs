//! Plain output of `ip addr` that the objects' own text (in
//! `nl_route::text`) leaves to the tool: the indentation and the
//! lifetimes line.

use std::io::{self, Write};

use netlink::Addr;

fn lifetime(out: &mut dyn Write, v: Option<u32>) -> io::Result<()> {
    match v {
        None | Some(u32::MAX) => out.write_all(b"forever"),
        Some(s) => write!(out, "{s}sec"),
    }
}

/// The two lines `ip addr` prints per address.
pub fn addr(out: &mut dyn Write, a: &Addr, link_name: &str) -> io::Result<()> {
    writeln!(out, "    {}", a.text(Some(link_name)))?;
    out.write_all(b"       valid_lft ")?;
    lifetime(out, a.valid_lft)?;
    out.write_all(b" preferred_lft ")?;
    lifetime(out, a.preferred_lft)?;
    out.write_all(b"\n")
}

/// An address as `ip -br addr` prints it after the link: the address,
/// its peer, the prefix length and metric, then a space.
pub fn addr_brief(out: &mut dyn Write, a: &Addr) -> io::Result<()> {
    write!(out, "{}", a.ip())?;
    if let Some(p) = a.peer {
        write!(out, " peer {p}")?;
    }
    write!(out, "/{} ", a.prefix.prefix_len())?;
    if let Some(m) = a.metric {
        write!(out, "metric {m} ")?;
    }
    Ok(())
}
