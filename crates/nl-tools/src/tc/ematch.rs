//! tc's ematch expressions, as `basic match EXPR` takes them:
//! `cmp(u8 at 9 layer network eq 6) and not u32(u16 0x1f90 0xffff at
//! nexthdr+2)`. The words `and`, `or`, `not` (any case) join and negate
//! matches; `cmp` and `u32` are read, as the library types them. Groups
//! in parentheses and the other kinds (meta, nbyte, text ...) are
//! refused by name rather than sent wrong.
//!
//! An expression may be one quoted word or run over several; it ends at
//! the first word that is not part of it, as tc's parser does.

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::tc::{EmCmp, Ematch, EmatchData, Ematches};
use netlink::nl_route::uapi::pkt_cls::{
    TCF_EM_INVERT, TCF_EM_OPND_EQ, TCF_EM_OPND_GT, TCF_EM_OPND_LT, TCF_EM_REL_AND, TCF_EM_REL_END,
    TCF_EM_REL_OR, TCF_EM_U32, TCF_LAYER_LINK, TCF_LAYER_MAX, TCF_LAYER_NETWORK,
    TCF_LAYER_TRANSPORT,
};

use super::common::number;
use crate::args::Args;

/// `TCF_EM_CMP_TRANS` (tc_em_cmp.h): the value is in network order.
const TCF_EM_CMP_TRANS: u8 = 1;

/// `TCF_EM_ALIGN_*`: the width of a cmp.
const ALIGN_U8: u8 = 1;
const ALIGN_U16: u8 = 2;
const ALIGN_U32: u8 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Open,
    Close,
    And,
    Or,
    Not,
}

/// Tokens over the command's words: white space and the word breaks
/// separate them, parentheses are tokens of their own.
#[derive(Clone)]
struct Lexer<'a> {
    words: Vec<&'a str>,
    word: usize,
    at: usize,
}

impl<'a> Lexer<'a> {
    /// Moves past white space and the ends of words.
    fn skip_space(&mut self) {
        while let Some(w) = self.words.get(self.word) {
            let rest = w.get(self.at..).unwrap_or("");
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                self.word += 1;
                self.at = 0;
            } else {
                self.at += rest.len() - trimmed.len();
                return;
            }
        }
    }

    /// The next token, and whether it starts a word.
    fn next(&mut self) -> Option<(Tok<'a>, bool)> {
        self.skip_space();
        let w = *self.words.get(self.word)?;
        let starts = self.at == 0;
        let rest = w.get(self.at..)?;
        let tok = if rest.starts_with('(') {
            self.at += 1;
            Tok::Open
        } else if rest.starts_with(')') {
            self.at += 1;
            Tok::Close
        } else {
            let len = rest
                .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
                .unwrap_or(rest.len());
            let word = rest.get(..len)?;
            self.at += len;
            match word.to_ascii_lowercase().as_str() {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                _ => Tok::Word(word),
            }
        };
        Some((tok, starts))
    }

    fn peek(&self) -> Option<(Tok<'a>, bool)> {
        self.clone().next()
    }
}

/// Reads an expression from `args` (after `match`), taking its words.
pub fn parse(args: &mut Args<'_>) -> Result<Ematches> {
    let mut words = Vec::new();
    let mut look = args.clone();
    while let Some(w) = look.next() {
        words.push(w);
    }
    let mut lx = Lexer {
        words,
        word: 0,
        at: 0,
    };
    let mut matches = Vec::new();
    loop {
        let mut flags = 0;
        let mut tok = lx.next().context("ematch: an expression is needed")?.0;
        if tok == Tok::Not {
            flags |= TCF_EM_INVERT;
            tok = lx.next().context("ematch: \"not\" needs a match")?.0;
        }
        let kind = match tok {
            Tok::Word(k) => k,
            Tok::Open => bail!("ematch: groups in parentheses are not read by nl tc"),
            other => bail!("ematch: a match is needed, not {other:?}"),
        };
        ensure!(
            matches!(lx.next(), Some((Tok::Open, _))),
            "ematch: \"{kind}\" needs its arguments in parentheses"
        );
        let mut inner = Vec::new();
        loop {
            match lx.next().map(|t| t.0) {
                Some(Tok::Close) => break,
                Some(Tok::Word(w)) => inner.push(w),
                Some(other) => bail!("ematch: {other:?} inside {kind}(...)"),
                None => bail!("ematch: {kind}( is not closed"),
            }
        }
        let mut m = one(kind, &inner)?;
        match lx.peek() {
            Some((Tok::And, _)) => flags |= TCF_EM_REL_AND,
            Some((Tok::Or, _)) => flags |= TCF_EM_REL_OR,
            _ => flags |= TCF_EM_REL_END,
        }
        m.flags = flags;
        matches.push(m);
        if m_relation(flags) == TCF_EM_REL_END {
            break;
        }
        lx.next();
    }
    // The expression ends where a word starts: the words before it are
    // the expression's.
    lx.skip_space();
    ensure!(
        lx.at == 0,
        "ematch: the expression ends inside the word \"{}\"",
        lx.words.get(lx.word).copied().unwrap_or_default()
    );
    for _ in 0..lx.word {
        args.next();
    }
    Ok(Ematches { progid: 0, matches })
}

fn m_relation(flags: u16) -> u16 {
    flags & (TCF_EM_REL_AND | TCF_EM_REL_OR)
}

/// One `KIND(ARGS)` match.
fn one(kind: &str, args: &[&str]) -> Result<Ematch> {
    match kind {
        "cmp" => Ok(Ematch::cmp(cmp(args)?, TCF_EM_REL_END)),
        "u32" => {
            let (val, mask, off, offmask) = u32_key(args)?;
            Ok(Ematch {
                matchid: 0,
                kind: TCF_EM_U32,
                flags: 0,
                data: EmatchData::U32 {
                    val,
                    mask,
                    off,
                    offmask,
                },
            })
        }
        other => bail!("ematch: nl tc reads cmp and u32 matches, not \"{other}\""),
    }
}

fn align(word: Option<&&str>, kind: &str) -> Result<u8> {
    Ok(match word.copied() {
        Some("u8") => ALIGN_U8,
        Some("u16") => ALIGN_U16,
        Some("u32") => ALIGN_U32,
        _ => bail!("{kind}: invalid alignment (u8, u16 or u32)"),
    })
}

/// `cmp(ALIGN at OFF [layer L] [mask M] [trans] eq|gt|lt VALUE)`.
fn cmp(args: &[&str]) -> Result<EmCmp> {
    let mut c = EmCmp {
        align: align(args.first(), "cmp")?,
        layer: TCF_LAYER_NETWORK,
        ..EmCmp::default()
    };
    let (mut off, mut value) = (None, None);
    let mut it = args.iter().skip(1);
    while let Some(w) = it.next() {
        let mut arg = || {
            it.next()
                .with_context(|| format!("cmp: \"{w}\" needs a value"))
        };
        match *w {
            "at" => off = Some(u16::try_from(number(arg()?)?).context("cmp: offset")?),
            "layer" => {
                let l = arg()?;
                c.layer = match l.chars().next() {
                    Some('l') => TCF_LAYER_LINK,
                    Some('n') => TCF_LAYER_NETWORK,
                    Some('t') => TCF_LAYER_TRANSPORT,
                    _ => u8::try_from(number(l)?)?,
                };
                ensure!(
                    c.layer <= TCF_LAYER_MAX,
                    "cmp: the layer is 0 to {TCF_LAYER_MAX}"
                );
            }
            "mask" => c.mask = number(arg()?)?,
            "trans" => c.flags |= TCF_EM_CMP_TRANS,
            "eq" | "gt" | "lt" => {
                c.opnd = match *w {
                    "eq" => TCF_EM_OPND_EQ,
                    "gt" => TCF_EM_OPND_GT,
                    _ => TCF_EM_OPND_LT,
                } as u8;
                value = Some(number(arg()?)?);
            }
            other => bail!("cmp: unknown parameter \"{other}\""),
        }
    }
    let (Some(off), Some(val)) = (off, value) else {
        bail!("cmp: offset and value required")
    };
    (c.off, c.val) = (off, val);
    Ok(c)
}

/// `u32(ALIGN VALUE MASK at [nexthdr+]OFF)`, the value and mask moved
/// into the 32-bit word at the aligned offset, as tc does.
fn u32_key(args: &[&str]) -> Result<(u32, u32, u32, u32)> {
    let width = align(args.first(), "u32")?;
    let [_, key, mask, at, rest @ ..] = args else {
        bail!("u32: ALIGN VALUE MASK at OFFSET");
    };
    ensure!(*at == "at", "u32: missing \"at\"");
    let (mut key, mut mask) = (number(key)?, number(mask)?);
    let (off, offmask) = match rest {
        [o] => match o.strip_prefix("nexthdr+") {
            Some(n) => (number(n)?, u32::MAX),
            None => (number(o)?, 0),
        },
        ["nexthdr+", o] => (number(o)?, u32::MAX),
        _ => bail!("u32: the offset is one word"),
    };
    let mut off = off;
    match width {
        ALIGN_U8 => {
            ensure!(
                key <= 0xff && mask <= 0xff,
                "u32: u8 key or mask above 0xff"
            );
            let shift = 24 - (off & 3) * 8;
            (key, mask) = (key << shift, mask << shift);
            off &= !3;
        }
        ALIGN_U16 => {
            ensure!(
                key <= 0xffff && mask <= 0xffff,
                "u32: u16 key or mask above 0xffff"
            );
            if off & 3 == 0 {
                (key, mask) = (key << 16, mask << 16);
            }
            off &= !3;
        }
        _ => {}
    }
    ensure!(
        off % 4 == 0,
        "u32: invalid offset alignment, must be aligned to 4"
    );
    Ok((key, mask, off, offmask))
}

/// What tc prints for a filter's matches: each on its own line, joined
/// by `AND`/`OR`, `NOT` before a negated one.
pub fn text(e: &Ematches) -> String {
    if e.matches.is_empty() {
        return String::new();
    }
    let mut s = String::from("\n  ");
    for m in &e.matches {
        if m.inverted() {
            s += "NOT ";
        }
        match &m.data {
            EmatchData::Cmp(c) => {
                s += "cmp(";
                match c.align {
                    ALIGN_U8 => s += "u8 ",
                    ALIGN_U16 => s += "u16 ",
                    ALIGN_U32 => s += "u32 ",
                    _ => {}
                }
                s += &format!("at {} layer {} ", c.off, c.layer);
                if c.mask != 0 {
                    s += &format!("mask {:#x} ", c.mask);
                }
                if c.flags & TCF_EM_CMP_TRANS != 0 {
                    s += "trans ";
                }
                match u16::from(c.opnd) {
                    TCF_EM_OPND_EQ => s += "eq ",
                    TCF_EM_OPND_LT => s += "lt ",
                    TCF_EM_OPND_GT => s += "gt ",
                    _ => {}
                }
                // tc prints the value as a C int.
                s += &format!("{})\n", c.val as i32);
            }
            EmatchData::U32 {
                val,
                mask,
                off,
                offmask,
            } => {
                let at = if *offmask != 0 { "nexthdr+" } else { "" };
                s += &format!("u32({val:08x}/{mask:08x} at {at}{})\n", *off as i32);
            }
            EmatchData::Raw(_) => s += &format!("[unknown ematch {}]\n", m.kind),
        }
        match m.relation() {
            TCF_EM_REL_AND => s += "  AND ",
            TCF_EM_REL_OR => s += "  OR ",
            _ => break,
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<(Ematches, Vec<String>)> {
        let mut args = Args::split(line);
        let e = parse(&mut args)?;
        let mut rest = Vec::new();
        while let Some(w) = args.next() {
            rest.push(w.to_string());
        }
        Ok((e, rest))
    }

    #[test]
    fn expressions_read_over_words_and_stop_after() -> Result<()> {
        let (e, rest) = read(
            "cmp(u8 at 9 layer network eq 6) and not u32(u16 0x1f90 0xffff at nexthdr+2) classid 1:1",
        )?;
        assert_eq!(rest, ["classid", "1:1"]);
        assert_eq!(e.matches.len(), 2);
        assert_eq!(e.matches[0].relation(), TCF_EM_REL_AND);
        assert!(e.matches[1].inverted());
        let EmatchData::Cmp(c) = &e.matches[0].data else {
            bail!("{:?}", e.matches[0]);
        };
        assert_eq!((c.align, c.off, c.layer, c.val), (ALIGN_U8, 9, 1, 6));
        // u16 at 2: the low half of the first word, offset 0.
        assert_eq!(
            e.matches[1].data,
            EmatchData::U32 {
                val: 0x1f90,
                mask: 0xffff,
                off: 0,
                offmask: u32::MAX
            }
        );
        assert_eq!(
            text(&e),
            "\n  cmp(u8 at 9 layer 1 eq 6)\n  AND NOT u32(00001f90/0000ffff at nexthdr+0)\n"
        );
        // One word, as a shell passes a quoted expression.
        let mut args = Args::new([
            "cmp(u32 at 0 layer link mask 0xff00 trans gt 5) OR cmp(u8 at 1 lt 3)",
            "flowid",
            "1:2",
        ]);
        let e = parse(&mut args)?;
        assert_eq!(args.next(), Some("flowid"));
        assert_eq!(e.matches[0].relation(), TCF_EM_REL_OR);
        assert!(text(&e).contains(
            "cmp(u32 at 0 layer 0 mask 0xff00 trans gt 5)\n  OR cmp(u8 at 1 layer 1 lt 3)\n"
        ));
        Ok(())
    }

    #[test]
    fn bad_expressions_are_refused() {
        for bad in [
            "",
            "cmp(u8 at 9 eq 6",
            "cmp(u8 eq 6)",
            "cmp(u64 at 1 eq 2)",
            "cmp(u8 at 1 layer 7 eq 2)",
            "meta(mark eq 1)",
            "(cmp(u8 at 1 eq 2))",
            "cmp(u8 at 1 eq 2)x",
            "u32(u8 0x100 0xff at 0)",
            "u32(u32 1 1 at 2)",
            "not",
            "cmp(u8 at 1 eq 2) and",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }
}
