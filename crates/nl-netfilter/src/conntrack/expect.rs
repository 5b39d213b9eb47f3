//! [`Expect`]: an expectation (`NFNL_SUBSYS_CTNETLINK_EXP`), a connection
//! a helper (FTP, SIP ...) announced on behalf of a master connection,
//! to be tracked as related when it comes.
//!
//! ```text
//! CTA_EXPECT_MASTER   tuple of the master's original direction
//! CTA_EXPECT_TUPLE    the expected connection's original tuple
//! CTA_EXPECT_MASK     which bits of it must match (addresses, ports)
//! CTA_EXPECT_TIMEOUT, _ID, _ZONE, _FLAGS, _CLASS, _HELP_NAME, _NAT, _FN
//! ```

use core::fmt;

use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL};

use super::ctnl_request_of;
use super::tuple::Tuple;
use crate::uapi::nf_conntrack_common::*;
use crate::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK_EXP;
use crate::uapi::nfnetlink_conntrack::*;
use crate::{Error, NfMsg, Result};

/// The NAT an expected connection gets (`CTA_EXPECT_NAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExpectNat {
    /// The direction (`IP_CT_DIR_ORIGINAL` 0, `IP_CT_DIR_REPLY` 1).
    pub dir: u32,
    /// The address and port it is translated to.
    pub tuple: Tuple,
}

/// An expectation (`conntrack -L expect`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expect {
    /// Address family.
    pub family: u8,
    /// The master connection's original tuple.
    pub master: Tuple,
    /// The expected connection's original tuple.
    pub tuple: Tuple,
    /// Which fields of `tuple` must match (all-ones where they must).
    pub mask: Tuple,
    /// Seconds left.
    pub timeout: Option<u32>,
    /// The kernel's id.
    pub id: Option<u32>,
    /// The helper that made it.
    pub helper: Option<String>,
    /// The zone.
    pub zone: Option<u16>,
    /// `NF_CT_EXPECT_*` flags.
    pub flags: Option<u32>,
    /// The helper's expectation class.
    pub class: Option<u32>,
    /// NAT of the expected connection.
    pub nat: Option<ExpectNat>,
    /// The helper function to run on it.
    pub func: Option<String>,
}

impl Expect {
    /// An expectation of `tuple` (under `mask`) for master `master`.
    pub fn new(master: Tuple, tuple: Tuple, mask: Tuple) -> Self {
        Expect {
            family: master.family(),
            master,
            tuple,
            mask,
            ..Expect::default()
        }
    }

    /// Reads an expectation message (dump, get or event).
    pub fn parse(nf: &NfMsg<'_>) -> Result<Expect> {
        let mut e = Expect {
            family: nf.family(),
            ..Expect::default()
        };
        e.fill(nf).map_err(|err| nf.wire_error(err))?;
        Ok(e)
    }

    fn fill(&mut self, nf: &NfMsg<'_>) -> nl_wire::Result<()> {
        for a in nf.attrs() {
            let a = a?;
            match a.ty() {
                CTA_EXPECT_MASTER => self.master = Tuple::parse(a.nested())?,
                CTA_EXPECT_TUPLE => self.tuple = Tuple::parse(a.nested())?,
                CTA_EXPECT_MASK => self.mask = Tuple::parse(a.nested())?,
                CTA_EXPECT_TIMEOUT => self.timeout = Some(a.be32()?),
                CTA_EXPECT_ID => self.id = Some(a.be32()?),
                CTA_EXPECT_HELP_NAME => self.helper = Some(a.str()?.to_string()),
                CTA_EXPECT_ZONE => self.zone = Some(a.be16()?),
                CTA_EXPECT_FLAGS => self.flags = Some(a.be32()?),
                CTA_EXPECT_CLASS => self.class = Some(a.be32()?),
                CTA_EXPECT_FN => self.func = Some(a.str()?.to_string()),
                CTA_EXPECT_NAT => {
                    let mut nat = ExpectNat {
                        dir: 0,
                        tuple: Tuple::default(),
                    };
                    for f in a.nested() {
                        let f = f?;
                        match f.ty() {
                            CTA_EXPECT_NAT_DIR => nat.dir = f.be32()?,
                            CTA_EXPECT_NAT_TUPLE => nat.tuple = Tuple::parse(f.nested())?,
                            _ => {}
                        }
                    }
                    self.nat = Some(nat);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Writes the request that creates it (`conntrack -I expect`): the
    /// master must exist and have a helper. An existing one is `EEXIST`.
    pub fn write_create(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.master.check("master tuple")?;
        self.tuple.check("expected tuple")?;
        self.mask.check("mask tuple")?;
        let mut m = ctnl_request_of(
            buf,
            NFNL_SUBSYS_CTNETLINK_EXP,
            IPCTNL_MSG_EXP_NEW,
            self.family,
            NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        );
        self.master.write(&mut m, CTA_EXPECT_MASTER);
        self.tuple.write(&mut m, CTA_EXPECT_TUPLE);
        self.mask.write(&mut m, CTA_EXPECT_MASK);
        if let Some(t) = self.timeout {
            m.put_be32(CTA_EXPECT_TIMEOUT, t);
        }
        if let Some(z) = self.zone {
            m.put_be16(CTA_EXPECT_ZONE, z);
        }
        if let Some(f) = self.flags {
            m.put_be32(CTA_EXPECT_FLAGS, f);
        }
        if let Some(c) = self.class {
            m.put_be32(CTA_EXPECT_CLASS, c);
        }
        if let Some(h) = &self.helper {
            m.put_str(CTA_EXPECT_HELP_NAME, h);
        }
        if let Some(n) = &self.nat {
            m.nest(CTA_EXPECT_NAT | NLA_F_NESTED, |m| {
                m.put_be32(CTA_EXPECT_NAT_DIR, n.dir);
                n.tuple.write(m, CTA_EXPECT_NAT_TUPLE);
            });
        }
        if let Some(f) = &self.func {
            m.put_str(CTA_EXPECT_FN, f);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes the request that deletes it: by expected tuple and zone,
    /// and, when the id is known, only if it is still the same one.
    pub fn write_delete(&self, buf: &mut Vec<u8>) -> Result<()> {
        self.tuple.check("expected tuple")?;
        let mut m = ctnl_request_of(
            buf,
            NFNL_SUBSYS_CTNETLINK_EXP,
            IPCTNL_MSG_EXP_DELETE,
            self.family,
            NLM_F_ACK,
        );
        self.tuple.write(&mut m, CTA_EXPECT_TUPLE);
        if let Some(z) = self.zone {
            m.put_be16(CTA_EXPECT_ZONE, z);
        }
        if let Some(id) = self.id {
            m.put_be32(CTA_EXPECT_ID, id);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes a flush of every expectation (of helper `helper` only, when
    /// given) (`conntrack -F expect`).
    pub fn write_flush(helper: Option<&str>, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = ctnl_request_of(
            buf,
            NFNL_SUBSYS_CTNETLINK_EXP,
            IPCTNL_MSG_EXP_DELETE,
            0,
            NLM_F_ACK,
        );
        if let Some(h) = helper {
            m.put_str(CTA_EXPECT_HELP_NAME, h);
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes a dump of `family`'s expectations (`AF_UNSPEC`: all).
    pub fn write_dump(family: u8, buf: &mut Vec<u8>) -> Result<()> {
        let m = ctnl_request_of(
            buf,
            NFNL_SUBSYS_CTNETLINK_EXP,
            IPCTNL_MSG_EXP_GET,
            family,
            NLM_F_DUMP,
        );
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Appends conntrack's text of the expectation (`conntrack -L
    /// expect`), without a newline.
    pub fn write_text(&self, out: &mut String) {
        use fmt::Write;
        if let Some(t) = self.timeout {
            let _ = write!(out, "{t} ");
        }
        let _ = write!(out, "proto={} ", self.tuple.proto);
        self.tuple.write_text(out);
        // conntrack prefixes the addresses of the mask and the master,
        // not their ports.
        for (prefix, t) in [("mask-", &self.mask), ("master-", &self.master)] {
            let mut text = String::new();
            t.write_text(&mut text);
            for w in text.split_whitespace() {
                if w.starts_with("src=") || w.starts_with("dst=") {
                    out.push_str(prefix);
                }
                out.push_str(w);
                out.push(' ');
            }
        }
        let flags = self.flags.unwrap_or(0);
        for (bit, name) in [
            (NF_CT_EXPECT_PERMANENT, "PERMANENT"),
            (NF_CT_EXPECT_INACTIVE, "INACTIVE"),
            (NF_CT_EXPECT_USERSPACE, "USERSPACE"),
        ] {
            if flags & bit != 0 {
                let _ = write!(out, "{name} ");
            }
        }
        if let Some(c) = self.class {
            let _ = write!(out, "class={c} ");
        }
        if let Some(h) = &self.helper {
            let _ = write!(out, "helper={h} ");
        }
        if out.ends_with(' ') {
            out.pop();
        }
    }
}

/// `conntrack -L expect`'s line.
impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_text(&mut s);
        f.write_str(&s)
    }
}
