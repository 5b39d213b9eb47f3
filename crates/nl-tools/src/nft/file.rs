//! `nft -f FILE` for a subset of nft's grammar, built into ONE
//! transaction: `flush ruleset`, `table FAMILY NAME { ... }` (chains with
//! `type T hook H priority P; policy V;`, sets with `type`, `flags`,
//! `elements`, rules), and the command forms `add|delete table`, `add
//! chain`, `add rule`, `add set`, `add element`, `delete chain|set`,
//! `flush table`; maps (`map NAME { type K : V; ... elements = { k : v
//! } }`, `V` a key type or `verdict`); concatenated sets and maps (`type
//! ipv4_addr . inet_service [: V]`, elements `a . b [: v]`); `typeof
//! FIELD [. FIELD]` instead of `type`; stateful objects (`counter`,
//! `quota`, `limit`, `ct helper`, `ct timeout`, in a table block or
//! `add counter ...`); netdev tables (`hook ingress|egress device D |
//! devices = { A, B }`). Rules: `ip|ip6
//! saddr|daddr`, `ip
//! protocol`, `tcp|udp sport|dport`, `meta
//! l4proto|nfproto|mark|iifname|oifname`, `ct state|mark` (with `!=` ...,
//! a value, a prefix, `@set` or `{ ... }`, or `vmap @map | { k : verdict
//! }`; fields joined by `.` against `@set` or `{ a . b, ... }`),
//! `counter`, `limit rate N/UNIT [burst N packets]`, `log [prefix S]
//! [level L] [group N]`, `reject [with ...]`, `masquerade`, `snat|dnat
//! to ADDR[:PORT]` (ip and ip6 tables), `a . b vmap @m | { ... }`,
//! `counter|quota|limit name "N"`, `ct helper|timeout set "N"`, verdicts,
//! `comment S`. Any other word is an error naming it and its line.

use std::collections::HashMap;

use anyhow::{Result, anyhow, bail};
use netlink::nl_netfilter::nft::{
    Bitwise, Chain, Counter, CtExpect, CtHelper, CtTimeout, CtTimeoutPolicy, Data, Expr, Family,
    FlowOffload, Flowtable, Limit, Log, Lookup, Masq, Obj, ObjData, Quota, Reject, Rule, Set,
    SetDesc, SetElem, SetElems, Synproxy, Transaction, Verdict,
};
use netlink::nl_netfilter::uapi::netfilter::{
    NF_INET_FORWARD, NF_INET_INGRESS, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING,
    NF_INET_PRE_ROUTING, NF_NETDEV_EGRESS, NF_NETDEV_INGRESS, NFPROTO_IPV4, NFPROTO_IPV6,
};
use netlink::nl_netfilter::uapi::nf_synproxy::{
    NF_SYNPROXY_OPT_MSS, NF_SYNPROXY_OPT_SACK_PERM, NF_SYNPROXY_OPT_TIMESTAMP,
    NF_SYNPROXY_OPT_WSCALE,
};
use netlink::nl_netfilter::uapi::nf_tables::*;

use super::family;

/// One token and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A word (`accept`, `192.0.2.0/24`, `!=`).
    Word(String),
    /// A quoted string.
    Str(String),
    /// `{`, `}`, `,` or `=`.
    Sym(char),
    /// A newline or `;`: the end of a statement.
    Sep,
}

/// Splits `text` into tokens with their line numbers.
fn tokens(text: &str) -> Result<Vec<(Tok, usize)>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '#' => break,
                c if c.is_whitespace() => {}
                ';' => out.push((Tok::Sep, n)),
                '{' | '}' | ',' | '=' => out.push((Tok::Sym(c), n)),
                '"' => {
                    let mut s = String::new();
                    loop {
                        match chars.next() {
                            Some('"') => break,
                            Some(c) => s.push(c),
                            None => bail!("line {n}: unterminated string"),
                        }
                    }
                    out.push((Tok::Str(s), n));
                }
                c => {
                    let mut w = String::from(c);
                    // `!=` and `==` are words; a lone `=` is a symbol.
                    while let Some(&d) = chars.peek() {
                        let ends = d.is_whitespace() || "{},;\"#".contains(d);
                        if ends || (d == '=' && !w.ends_with(['!', '=', '<', '>'])) {
                            break;
                        }
                        w.push(d);
                        chars.next();
                    }
                    out.push((Tok::Word(w), n));
                }
            }
        }
        out.push((Tok::Sep, n));
    }
    Ok(out)
}

/// How a value of a match is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ipv4,
    Ipv6,
    Port,
    Proto,
    Host,
    Ifname,
    Nfproto,
}

/// What a map's elements map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataKind {
    Verdict,
    Value(Kind),
}

/// A key of a set or a match: one value, or an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    One(Vec<u8>),
    /// `first..=last`.
    Interval(Vec<u8>, Vec<u8>),
}

/// A chain of a table block, with its rules (added after every chain).
struct Pending {
    family: Family,
    table: String,
    chain: String,
    rule_start: usize,
}

/// A set's family, table and name.
type SetId = (Family, String, String);

/// The file's transaction under construction.
pub struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    tx: Transaction,
    /// The next free anonymous set number per table.
    anon: HashMap<(Family, String), u32>,
    /// Declared set key kinds (interval or not, a map's data kind), for
    /// `add element` and lookups.
    set_kinds: HashMap<SetId, (Kind, bool, Option<DataKind>)>,
    /// The fields of declared concatenated sets.
    concat_kinds: HashMap<SetId, Vec<Kind>>,
}

impl Parser {
    /// A parser of `text`; `anon` gives the next free anonymous set
    /// number of tables that exist (`__setN` names must not collide).
    pub fn new(text: &str, anon: HashMap<(Family, String), u32>) -> Result<Self> {
        Ok(Parser {
            toks: tokens(text)?,
            pos: 0,
            tx: Transaction::new(),
            anon,
            set_kinds: HashMap::new(),
            concat_kinds: HashMap::new(),
        })
    }

    /// Parses the whole file into one transaction.
    pub fn parse(mut self) -> Result<Transaction> {
        while self.peek().is_some() {
            if self.eat_sep() {
                continue;
            }
            self.command()?;
        }
        Ok(self.tx)
    }

    fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(0, |(_, n)| *n)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn peek_word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(t, _)| t.clone());
        self.pos += 1;
        t
    }

    fn err(&self, msg: impl std::fmt::Display) -> anyhow::Error {
        anyhow!("line {}: {msg}", self.line())
    }

    fn unknown(&self, what: &str) -> anyhow::Error {
        match self.peek() {
            Some(Tok::Word(w) | Tok::Str(w)) => {
                self.err(format!("the word \"{w}\" is not implemented ({what})"))
            }
            Some(Tok::Sym(c)) => self.err(format!("\"{c}\" is not expected here ({what})")),
            Some(Tok::Sep) | None => self.err(format!("{what} expected")),
        }
    }

    fn eat_sep(&mut self) -> bool {
        if self.peek() == Some(&Tok::Sep) {
            self.pos += 1;
            return true;
        }
        false
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.pos += 1;
            return true;
        }
        false
    }

    fn eat_sym(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.pos += 1;
            return true;
        }
        false
    }

    fn skip_seps(&mut self) {
        while self.eat_sep() {}
    }

    fn expect_sym(&mut self, c: char) -> Result<()> {
        if self.eat_sym(c) {
            return Ok(());
        }
        Err(self.unknown(&format!("\"{c}\"")))
    }

    /// A name or other word (quoted or not).
    fn word(&mut self, what: &str) -> Result<String> {
        match self.peek() {
            Some(Tok::Word(w) | Tok::Str(w)) => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.unknown(what)),
        }
    }

    fn number<T: std::str::FromStr>(&mut self, what: &str) -> Result<T> {
        let w = self.word(what)?;
        w.parse()
            .map_err(|_| self.err(format!("\"{w}\" is not a number ({what})")))
    }

    /// `[FAMILY] NAME`: the family defaults to `ip`.
    fn family_and_name(&mut self, what: &str) -> Result<(Family, String)> {
        let first = self.word(what)?;
        match family(&first) {
            Some(f) if matches!(self.peek(), Some(Tok::Word(_) | Tok::Str(_))) => {
                if !matches!(f, Family::Ip | Family::Ip6 | Family::Inet | Family::Netdev) {
                    return Err(self.err(format!("the family \"{first}\" is not implemented")));
                }
                Ok((f, self.word(what)?))
            }
            _ => Ok((Family::Ip, first)),
        }
    }

    fn command(&mut self) -> Result<()> {
        let Some(Tok::Word(w)) = self.peek().cloned() else {
            return Err(self.unknown("a command"));
        };
        self.pos += 1;
        match w.as_str() {
            "flush" => {
                if self.eat_word("ruleset") {
                    let f = match self.peek_word().and_then(family) {
                        Some(f) => {
                            self.pos += 1;
                            f
                        }
                        None => Family::Unspec,
                    };
                    self.tx.flush_ruleset(f);
                } else if self.eat_word("table") {
                    let (f, name) = self.family_and_name("table")?;
                    self.tx.push(netlink::nl_netfilter::nft::Op::Flush(
                        netlink::nl_netfilter::nft::Table::new(f, &name),
                    ));
                } else {
                    return Err(self.unknown("flush ruleset | table"));
                }
            }
            "table" => self.table_block()?,
            "add" | "create" => self.add()?,
            "delete" => self.delete()?,
            _ => {
                self.pos -= 1;
                return Err(self.unknown("a command"));
            }
        }
        self.end()
    }

    /// The end of a statement: a separator or the end of the file.
    fn end(&mut self) -> Result<()> {
        if self.peek().is_none() || self.eat_sep() {
            return Ok(());
        }
        Err(self.unknown("the end of the line"))
    }

    fn add(&mut self) -> Result<()> {
        let what = self.word("table | chain | rule | set | element")?;
        match what.as_str() {
            "table" => {
                self.pos -= 1;
                self.pos += 1;
                let (f, name) = self.family_and_name("table")?;
                self.tx
                    .add_table(netlink::nl_netfilter::nft::Table::new(f, &name));
                if self.eat_sym('{') {
                    self.table_body(f, &name)?;
                }
            }
            "chain" => {
                let (f, table) = self.family_and_name("chain")?;
                let name = self.word("chain name")?;
                let mut c = Chain::new(f, &table, &name);
                if self.eat_sym('{') {
                    self.chain_head(&mut c)?;
                    self.skip_seps();
                    self.expect_sym('}')?;
                }
                self.tx.add_chain(c);
            }
            "rule" => {
                let (f, table) = self.family_and_name("rule")?;
                let chain = self.word("chain name")?;
                let rule = self.rule(f, &table, &chain)?;
                self.tx.add_rule(rule);
            }
            w @ ("set" | "map") => {
                let map = w == "map";
                let (f, table) = self.family_and_name("set")?;
                let name = self.word("set name")?;
                self.expect_sym('{')?;
                self.set_body(f, &table, &name, map)?;
            }
            "element" => {
                let (f, table) = self.family_and_name("element")?;
                let set = self.word("set name")?;
                let Some((kind, interval, data)) = self
                    .set_kinds
                    .get(&(f, table.clone(), set.clone()))
                    .copied()
                else {
                    return Err(self.err(format!(
                        "set {set} is not declared in this file (nl nft -f needs its type)"
                    )));
                };
                self.expect_sym('{')?;
                let concat = self
                    .concat_kinds
                    .get(&(f, table.clone(), set.clone()))
                    .cloned();
                let elems = match (data, concat) {
                    (None, Some(kinds)) => concat_elements(&self.concat_keys(&kinds)?, interval),
                    (None, None) => set_elements(&self.keys(kind)?, interval),
                    (Some(d), Some(kinds)) => {
                        concat_map_elements(&self.concat_pairs(&kinds, d)?, interval)
                    }
                    (Some(d), None) => map_elements(&self.pairs(kind, d)?, interval),
                };
                self.tx.add_elements(SetElems::new(f, &table, &set, elems));
            }
            "flowtable" => {
                let (f, table) = self.family_and_name("flowtable")?;
                let ft = self.flowtable(f, &table)?;
                self.tx.add_flowtable(ft);
            }
            "counter" | "quota" | "limit" | "ct" | "synproxy" => {
                self.pos -= 1;
                let kind = self.object_kind()?;
                let (f, table) = self.family_and_name(&kind)?;
                let obj = self.object(f, &table, &kind)?;
                self.tx.add_obj(obj);
            }
            _ => {
                self.pos -= 1;
                return Err(self.unknown(
                    "add table | chain | rule | set | element | flowtable | counter | quota | limit | ct",
                ));
            }
        }
        Ok(())
    }

    fn delete(&mut self) -> Result<()> {
        let what = self.word("table | chain | set")?;
        match what.as_str() {
            "table" => {
                let (f, name) = self.family_and_name("table")?;
                self.tx
                    .del_table(netlink::nl_netfilter::nft::Table::new(f, &name));
            }
            "chain" => {
                let (f, table) = self.family_and_name("chain")?;
                let name = self.word("chain name")?;
                self.tx.del_chain(Chain::new(f, &table, &name));
            }
            "set" => {
                let (f, table) = self.family_and_name("set")?;
                let name = self.word("set name")?;
                self.tx.del_set(Set {
                    family: f,
                    table: Some(table),
                    name: Some(name),
                    ..Default::default()
                });
            }
            _ => {
                self.pos -= 1;
                return Err(self.unknown("delete table | chain | set"));
            }
        }
        Ok(())
    }

    /// `table [FAMILY] NAME { ... }`.
    fn table_block(&mut self) -> Result<()> {
        let (f, name) = self.family_and_name("table")?;
        self.tx
            .add_table(netlink::nl_netfilter::nft::Table::new(f, &name));
        self.expect_sym('{')?;
        self.table_body(f, &name)
    }

    /// The inside of a table block, after `{`: as nft, every chain is
    /// added first, then the sets, then the rules chain by chain (a rule
    /// may jump to a chain defined below it).
    fn table_body(&mut self, f: Family, table: &str) -> Result<()> {
        let mut chains: Vec<Pending> = Vec::new();
        let mut sets: Vec<(usize, bool)> = Vec::new();
        // Where each stateful object starts (its kind's first word).
        let mut objs: Vec<usize> = Vec::new();
        // Where each flowtable's name is.
        let mut flowtables: Vec<usize> = Vec::new();
        loop {
            self.skip_seps();
            if self.eat_sym('}') {
                break;
            }
            match self.peek_word() {
                Some("chain") => {
                    self.pos += 1;
                    let name = self.word("chain name")?;
                    self.expect_sym('{')?;
                    let mut c = Chain::new(f, table, &name);
                    self.chain_head(&mut c)?;
                    self.tx.add_chain(c);
                    chains.push(Pending {
                        family: f,
                        table: table.to_string(),
                        chain: name,
                        rule_start: self.pos,
                    });
                    // Skip the rules for now: they come after every chain.
                    self.skip_block()?;
                }
                Some(w @ ("set" | "map")) => {
                    let map = w == "map";
                    self.pos += 1;
                    sets.push((self.pos, map));
                    self.skip_name_and_block()?;
                }
                Some("flowtable") => {
                    self.pos += 1;
                    flowtables.push(self.pos);
                    self.skip_name_and_block()?;
                }
                Some("counter" | "quota" | "limit" | "ct" | "synproxy") => {
                    objs.push(self.pos);
                    while !matches!(self.peek(), Some(Tok::Sym('{')) | None) {
                        self.pos += 1;
                    }
                    self.expect_sym('{')?;
                    self.skip_block()?;
                }
                _ => {
                    return Err(self
                        .unknown("chain | set | map | flowtable | counter | quota | limit | ct"));
                }
            }
        }
        let after = self.pos;
        // As nft: the chains, then the objects, the sets, the rules.
        for start in objs {
            self.pos = start;
            let kind = self.object_kind()?;
            let obj = self.object(f, table, &kind)?;
            self.tx.add_obj(obj);
        }
        for (start, map) in sets {
            self.pos = start;
            let name = self.word("set name")?;
            self.expect_sym('{')?;
            self.set_body(f, table, &name, map)?;
        }
        // As nft: the flowtables after the sets, before the rules using them.
        for start in flowtables {
            self.pos = start;
            let ft = self.flowtable(f, table)?;
            self.tx.add_flowtable(ft);
        }
        for p in chains {
            self.pos = p.rule_start;
            loop {
                self.skip_seps();
                if self.eat_sym('}') {
                    break;
                }
                let rule = self.rule(p.family, &p.table, &p.chain)?;
                self.tx.add_rule(rule);
            }
        }
        self.pos = after;
        Ok(())
    }

    /// A stateful object's kind: `counter`, `quota`, `limit`, `ct helper`
    /// or `ct timeout`.
    fn object_kind(&mut self) -> Result<String> {
        let w = self.word("an object")?;
        if w != "ct" {
            return Ok(w);
        }
        match self.peek_word() {
            Some(k @ ("helper" | "timeout" | "expectation")) => {
                let kind = format!("ct {k}");
                self.pos += 1;
                Ok(kind)
            }
            _ => Err(self.unknown("ct helper | ct timeout | ct expectation")),
        }
    }

    /// `NAME { ... }` of a stateful object of `kind`, as nft writes it.
    fn object(&mut self, f: Family, table: &str, kind: &str) -> Result<Obj> {
        let name = self.word("object name")?;
        self.expect_sym('{')?;
        self.skip_seps();
        let data = match kind {
            "counter" => {
                let mut c = Counter {
                    packets: Some(0),
                    bytes: Some(0),
                };
                if self.eat_word("packets") {
                    c.packets = Some(self.number("packets")?);
                    if !self.eat_word("bytes") {
                        return Err(self.unknown("bytes"));
                    }
                    c.bytes = Some(self.number("bytes")?);
                }
                ObjData::Counter(c)
            }
            "quota" => {
                let mut q = Quota {
                    flags: Some(0),
                    consumed: Some(0),
                    ..Default::default()
                };
                if self.eat_word("over") {
                    q.flags = Some(NFT_QUOTA_F_INV);
                } else {
                    self.eat_word("until");
                }
                q.bytes = Some(self.byte_count()?);
                if self.eat_word("used") {
                    q.consumed = Some(self.byte_count()?);
                }
                ObjData::Quota(q)
            }
            "limit" => match self.limit()? {
                Expr::Limit(l) => ObjData::Limit(l),
                _ => return Err(self.err("limit rate expected")),
            },
            "ct helper" => {
                let mut h = CtHelper::default();
                loop {
                    self.skip_seps();
                    if self.eat_word("type") {
                        h.name = Some(self.word("helper")?);
                    } else if self.eat_word("protocol") {
                        h.l4proto = Some(self.ct_l4proto()?);
                    } else if self.eat_word("l3proto") {
                        h.l3proto = Some(self.l3proto()?);
                    } else {
                        break;
                    }
                }
                ObjData::CtHelper(h)
            }
            "ct timeout" => ObjData::CtTimeout(self.ct_timeout()?),
            "ct expectation" => {
                let mut e = CtExpect::default();
                loop {
                    self.skip_seps();
                    if self.eat_word("protocol") {
                        e.l4proto = Some(self.ct_l4proto()?);
                    } else if self.eat_word("dport") {
                        e.dport = Some(self.number("dport")?);
                    } else if self.eat_word("timeout") {
                        let t = self.word("timeout")?;
                        let ms = Self::duration_ms(&t).ok_or_else(|| {
                            self.err(format!("\"{t}\" is not a time (10m, 1h30m, 500ms)"))
                        })?;
                        e.timeout = Some(
                            u32::try_from(ms).map_err(|_| self.err(format!("{t} is too long")))?,
                        );
                    } else if self.eat_word("size") {
                        e.size = Some(self.number("size")?);
                    } else if self.eat_word("l3proto") {
                        e.l3proto = Some(self.l3proto()?);
                    } else {
                        break;
                    }
                }
                ObjData::CtExpect(e)
            }
            "synproxy" => {
                let mut p = Synproxy::default();
                let mut flags = 0;
                loop {
                    self.skip_seps();
                    if self.eat_word("mss") {
                        p.mss = Some(self.number("mss")?);
                        flags |= NF_SYNPROXY_OPT_MSS;
                    } else if self.eat_word("wscale") {
                        p.wscale = Some(self.number("wscale")?);
                        flags |= NF_SYNPROXY_OPT_WSCALE;
                    } else if self.eat_word("timestamp") {
                        flags |= NF_SYNPROXY_OPT_TIMESTAMP;
                    } else if self.eat_word("sack-perm") {
                        flags |= NF_SYNPROXY_OPT_SACK_PERM;
                    } else {
                        break;
                    }
                }
                p.flags = Some(flags);
                ObjData::Synproxy(p)
            }
            _ => return Err(self.err(format!("the object \"{kind}\" is not implemented"))),
        };
        self.skip_seps();
        self.expect_sym('}')?;
        Obj::new(f, table, &name, &data).map_err(Into::into)
    }

    /// An nft time (`10m`, `1h30m`, `2s`, `500ms`, `1d`) in milliseconds.
    fn duration_ms(text: &str) -> Option<u64> {
        let mut total: u64 = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit())?;
            let n: u64 = rest.get(..digits)?.parse().ok()?;
            rest = rest.get(digits..)?;
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            let unit = match rest.get(..unit_len)? {
                "d" => 86_400_000,
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1000,
                "ms" => 1,
                _ => return None,
            };
            total = total.checked_add(n.checked_mul(unit)?)?;
            rest = rest.get(unit_len..)?;
        }
        (!text.is_empty()).then_some(total)
    }

    /// `NAME { hook ingress priority P; devices = { A, B }; [counter;]
    /// [flags offload;] }`: a flowtable, as nft lists it.
    fn flowtable(&mut self, f: Family, table: &str) -> Result<Flowtable> {
        let name = self.word("flowtable name")?;
        self.expect_sym('{')?;
        let mut ft = Flowtable::new(f, table, &name, 0, &[]);
        let mut flags = 0;
        loop {
            self.skip_seps();
            if self.eat_sym('}') {
                break;
            }
            let w = self.word("hook | devices | counter | flags")?;
            match w.as_str() {
                "hook" => {
                    let hook = self.word("hook")?;
                    if hook != "ingress" {
                        return Err(self.err(format!(
                            "the flowtable hook \"{hook}\" is not implemented (ingress)"
                        )));
                    }
                    if !self.eat_word("priority") {
                        return Err(self.unknown("priority"));
                    }
                    let prio = self.priority()?;
                    if let Some(h) = ft.hook.as_mut() {
                        h.priority = Some(prio);
                    }
                }
                "devices" => {
                    let ds = self.device_list()?;
                    if let Some(h) = ft.hook.as_mut() {
                        h.devices = Some(ds);
                    }
                }
                "counter" => flags |= NFT_FLOWTABLE_COUNTER,
                "flags" => {
                    let flag = self.word("flags")?;
                    if flag != "offload" {
                        return Err(self.err(format!(
                            "the flowtable flag \"{flag}\" is not implemented (offload)"
                        )));
                    }
                    flags |= NFT_FLOWTABLE_HW_OFFLOAD;
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unknown("hook | devices | counter | flags"));
                }
            }
        }
        if flags != 0 {
            ft.flags = Some(flags);
        }
        Ok(ft)
    }

    /// `N UNIT` of a quota (`bytes`, `kbytes`, `mbytes`, as nft).
    fn byte_count(&mut self) -> Result<u64> {
        let n: u64 = self.number("bytes")?;
        let unit = self.word("bytes | kbytes | mbytes")?;
        let shift = match unit.as_str() {
            "bytes" => 0,
            "kbytes" => 10,
            "mbytes" => 20,
            u => return Err(self.err(format!("the unit \"{u}\" is not implemented"))),
        };
        n.checked_mul(1 << shift)
            .ok_or_else(|| self.err(format!("{n} {unit} is too large")))
    }

    /// `tcp` or `udp` of a ct object.
    fn ct_l4proto(&mut self) -> Result<u8> {
        match self.word("protocol")?.as_str() {
            "tcp" => Ok(6),
            "udp" => Ok(17),
            p => Err(self.err(format!("the protocol \"{p}\" is not implemented"))),
        }
    }

    /// `ip`, `ip6` or `inet` of a ct object (an `NFPROTO_*`).
    fn l3proto(&mut self) -> Result<u16> {
        match self.word("l3proto")?.as_str() {
            "ip" => Ok(NFPROTO_IPV4.into()),
            "ip6" => Ok(NFPROTO_IPV6.into()),
            "inet" => Ok(1),
            p => Err(self.err(format!("the l3proto \"{p}\" is not implemented"))),
        }
    }

    /// The inside of a ct timeout block: `protocol P; l3proto L; policy =
    /// { STATE: SECONDS, ... }`. As nft, every state of the protocol is
    /// sent: the named ones with their value, the others with nft's
    /// default.
    fn ct_timeout(&mut self) -> Result<CtTimeout> {
        let mut t = CtTimeout::default();
        let mut named: Vec<(String, u32)> = Vec::new();
        loop {
            self.skip_seps();
            if self.eat_word("protocol") {
                t.l4proto = Some(self.ct_l4proto()?);
            } else if self.eat_word("l3proto") {
                t.l3proto = Some(self.l3proto()?);
            } else if self.eat_word("policy") {
                self.expect_sym('=')?;
                self.expect_sym('{')?;
                loop {
                    self.skip_seps();
                    if self.eat_sym('}') {
                        break;
                    }
                    let w = self.word("state")?;
                    // `established: 100` or `established : 100`.
                    let state = match w.strip_suffix(':') {
                        Some(st) => st.to_string(),
                        None => {
                            if !self.eat_word(":") {
                                return Err(self.unknown("\":\""));
                            }
                            w
                        }
                    };
                    named.push((state, self.number("seconds")?));
                    self.skip_seps();
                    if !self.eat_sym(',') {
                        self.skip_seps();
                        self.expect_sym('}')?;
                        break;
                    }
                }
            } else {
                break;
            }
        }
        let Some(l4) = t.l4proto else {
            return Err(self.err("a ct timeout needs its protocol"));
        };
        let states = super::json::ct_timeout_states(l4)
            .ok_or_else(|| self.err(format!("the protocol {l4} is not implemented")))?;
        if let Some((st, _)) = named
            .iter()
            .find(|(st, _)| !states.iter().any(|(_, w, _)| w == st))
        {
            return Err(self.err(format!("the state \"{st}\" is not implemented")));
        }
        let policy = states
            .iter()
            .map(|(attr, word, default)| {
                let v = named
                    .iter()
                    .rev()
                    .find(|(st, _)| st == word)
                    .map_or(*default, |(_, v)| *v);
                (*attr, v)
            })
            .collect();
        t.policy = Some(CtTimeoutPolicy(policy));
        Ok(t)
    }

    /// Moves past the matching `}` of a block whose `{` was read.
    fn skip_block(&mut self) -> Result<()> {
        let mut depth = 1;
        while depth > 0 {
            match self.next() {
                Some(Tok::Sym('{')) => depth += 1,
                Some(Tok::Sym('}')) => depth -= 1,
                Some(_) => {}
                None => bail!("the file ends inside a block"),
            }
        }
        Ok(())
    }

    fn skip_name_and_block(&mut self) -> Result<()> {
        self.word("name")?;
        self.expect_sym('{')?;
        self.skip_block()
    }

    /// `type T hook H [device D] priority P; [policy V;]` at the head of
    /// a chain block (a regular chain has none).
    fn chain_head(&mut self, c: &mut Chain) -> Result<()> {
        self.skip_seps();
        if self.eat_word("type") {
            let ty = self.word("chain type")?;
            if !matches!(ty.as_str(), "filter" | "nat" | "route") {
                return Err(self.err(format!("the chain type \"{ty}\" is not implemented")));
            }
            if !self.eat_word("hook") {
                return Err(self.unknown("hook"));
            }
            let hook = self.word("hook")?;
            let hooknum = match (c.family, hook.as_str()) {
                (Family::Netdev, "ingress") => NF_NETDEV_INGRESS,
                (Family::Netdev, "egress") => NF_NETDEV_EGRESS,
                (Family::Netdev, _) => {
                    return Err(self.err(format!(
                        "the hook \"{hook}\" is not implemented (netdev: ingress, egress)"
                    )));
                }
                (_, "prerouting") => NF_INET_PRE_ROUTING,
                (_, "input") => NF_INET_LOCAL_IN,
                (_, "forward") => NF_INET_FORWARD,
                (_, "output") => NF_INET_LOCAL_OUT,
                (_, "postrouting") => NF_INET_POST_ROUTING,
                (_, "ingress") => NF_INET_INGRESS,
                _ => return Err(self.err(format!("the hook \"{hook}\" is not implemented"))),
            };
            let mut device = None;
            let mut devices = None;
            if self.eat_word("device") {
                device = Some(self.word("device")?);
            } else if self.eat_word("devices") {
                devices = Some(self.device_list()?);
            }
            if !self.eat_word("priority") {
                return Err(self.unknown("priority"));
            }
            let priority = self.priority()?;
            *c = Chain::base(
                c.family,
                c.table.as_deref().unwrap_or_default(),
                c.name.as_deref().unwrap_or_default(),
                &ty,
                hooknum,
                priority,
                Verdict::Accept,
            );
            c.policy = None;
            if let Some(h) = c.hook.as_mut() {
                h.device = device;
                h.devices = devices;
            }
            self.end()?;
            self.skip_seps();
            if self.eat_word("policy") {
                let v = match self.word("policy")?.as_str() {
                    "accept" => Verdict::Accept,
                    "drop" => Verdict::Drop,
                    other => {
                        return Err(self.err(format!("the policy \"{other}\" is not implemented")));
                    }
                };
                c.policy = Some(u32::from_ne_bytes(v.code().to_ne_bytes()));
                self.end()?;
            }
        }
        Ok(())
    }

    /// `= { a, b }` after `devices` (a base chain's or a flowtable's).
    fn device_list(&mut self) -> Result<Vec<String>> {
        self.expect_sym('=')?;
        self.expect_sym('{')?;
        let mut ds = Vec::new();
        loop {
            ds.push(self.word("device")?);
            if !self.eat_sym(',') {
                break;
            }
        }
        self.expect_sym('}')?;
        Ok(ds)
    }

    /// A number, or a standard priority name (`filter`, `srcnat` ...)
    /// with an optional offset (`filter + 5`).
    fn priority(&mut self) -> Result<i32> {
        let base = self.priority_base()?;
        let sign = match self.peek_word() {
            Some("+") => 1,
            Some("-") => -1,
            _ => return Ok(base),
        };
        self.pos += 1;
        let n: i32 = self.number("priority offset")?;
        base.checked_add(sign * n)
            .ok_or_else(|| self.err(format!("the priority offset {n} is too large")))
    }

    fn priority_base(&mut self) -> Result<i32> {
        let w = self.word("priority")?;
        Ok(match w.as_str() {
            "raw" => -300,
            "mangle" => -150,
            "dstnat" => -100,
            "filter" => 0,
            "security" => 50,
            "srcnat" => 100,
            n => n
                .parse()
                .map_err(|_| self.err(format!("the priority \"{n}\" is not implemented")))?,
        })
    }

    /// The inside of a set block, after `{`.
    /// A set's or (with `map`) a map's block, after its `{`.
    fn set_body(&mut self, f: Family, table: &str, name: &str, map: bool) -> Result<()> {
        let mut set = Set {
            family: f,
            table: Some(table.to_string()),
            name: Some(name.to_string()),
            ..Default::default()
        };
        let mut kind = None;
        // A concatenation's fields (`type ipv4_addr . inet_service`).
        let mut kinds = Vec::new();
        let mut data = None;
        let mut keys = Vec::new();
        let mut pairs = Vec::new();
        // The fields of `typeof ip saddr [. tcp dport]`.
        let mut typeof_fields: Vec<String> = Vec::new();
        loop {
            self.skip_seps();
            if self.eat_sym('}') {
                break;
            }
            let w = self.word("type | typeof | flags | elements")?;
            match w.as_str() {
                "typeof" if !map => {
                    loop {
                        let proto = self.word("a field")?;
                        let field = self.word("a field")?;
                        let text = format!("{proto} {field}");
                        let Some(k) = typeof_kind(&text) else {
                            return Err(self.err(format!("typeof {text} is not implemented")));
                        };
                        kinds.push(k);
                        typeof_fields.push(text);
                        if !self.eat_word(".") {
                            break;
                        }
                    }
                    let Some((id, len)) = kinds.first().and_then(|k| anon_key(*k)) else {
                        return Err(self.err("this typeof is not implemented"));
                    };
                    kind = kinds.first().copied();
                    set.key_type = Some(id);
                    set.key_len = Some(len);
                }
                "type" => {
                    let (k, id, len) = self.key_type()?;
                    kind = Some(k);
                    set.key_type = Some(id);
                    set.key_len = Some(len);
                    kinds = vec![k];
                    while self.eat_word(".") {
                        kinds.push(self.key_type()?.0);
                    }
                    if map {
                        if !self.eat_word(":") {
                            return Err(self.unknown("\":\" and the map's data type"));
                        }
                        if self.eat_word("verdict") {
                            data = Some(DataKind::Verdict);
                            set.data_type = Some(NFT_DATA_VERDICT);
                        } else {
                            let (dk, did, dlen) = self.key_type()?;
                            data = Some(DataKind::Value(dk));
                            set.data_type = Some(did);
                            set.data_len = Some(dlen);
                        }
                        set.flags = Some(set.flags.unwrap_or(0) | NFT_SET_MAP);
                    }
                }
                "flags" => loop {
                    let fl = self.word("set flag")?;
                    let bit = match fl.as_str() {
                        "interval" => NFT_SET_INTERVAL,
                        "constant" => NFT_SET_CONSTANT,
                        _ => {
                            return Err(
                                self.err(format!("the set flag \"{fl}\" is not implemented"))
                            );
                        }
                    };
                    set.flags = Some(set.flags.unwrap_or(0) | bit);
                    if !self.eat_sym(',') {
                        break;
                    }
                },
                "elements" => {
                    let Some(k) = kind else {
                        return Err(self.err("elements before the set's type"));
                    };
                    self.expect_sym('=')?;
                    self.expect_sym('{')?;
                    match data {
                        Some(d) if kinds.len() > 1 => pairs = self.concat_pairs(&kinds, d)?,
                        Some(d) => pairs = self.pairs(k, d)?,
                        None if kinds.len() > 1 => keys = self.concat_keys(&kinds)?,
                        None => keys = self.keys(k)?,
                    }
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unknown("type | flags | elements"));
                }
            }
            if self.peek() != Some(&Tok::Sym('}')) {
                self.end()?;
            }
        }
        let Some(k) = kind else {
            return Err(self.err(format!("set {name} has no type")));
        };
        let interval = set.flags.unwrap_or(0) & NFT_SET_INTERVAL != 0;
        if kinds.len() > 1 {
            let Some(c) = concat_set(f, table, name, &kinds, interval) else {
                return Err(self.err(format!("set {name}: this concatenation is not implemented")));
            };
            set = Set {
                flags: Some(set.flags.unwrap_or(0) | c.flags.unwrap_or(0)),
                data_type: set.data_type,
                data_len: set.data_len,
                userdata: match data {
                    Some(d) => c.userdata.map(|ud| concat_map_udata(&ud, d)),
                    None => c.userdata,
                },
                ..c
            };
        }
        let ranged = keys.iter().chain(pairs.iter().map(|(k, _)| k));
        if !interval && ranged.clone().any(|k| matches!(k, Key::Interval(..))) {
            return Err(self.err(format!(
                "set {name}: a prefix or range needs flags interval"
            )));
        }
        // nft keeps a typeof in the set's userdata, after the byte order.
        let typeof_udata = if typeof_fields.is_empty() {
            None
        } else {
            let fields: Vec<&str> = typeof_fields.iter().map(String::as_str).collect();
            let Some(t) = super::udata::encode(&fields) else {
                return Err(self.err("this typeof is not implemented"));
            };
            Some(t)
        };
        if let (Some(t), true) = (&typeof_udata, kinds.len() > 1) {
            // A concatenation's byte order (none), then its typeof.
            let mut ud = vec![0, 4];
            ud.extend_from_slice(&0u32.to_ne_bytes());
            ud.extend_from_slice(t);
            set.userdata = Some(ud);
        }
        let id = (f, table.to_string(), name.to_string());
        self.set_kinds.insert(id.clone(), (k, interval, data));
        if kinds.len() > 1 {
            self.concat_kinds.insert(id, kinds.clone());
            self.tx.add_set(set);
            if !keys.is_empty() {
                self.tx.add_elements(SetElems::new(
                    f,
                    table,
                    name,
                    concat_elements(&keys, interval),
                ));
            }
            if !pairs.is_empty() {
                self.tx.add_elements(SetElems::new(
                    f,
                    table,
                    name,
                    concat_map_elements(&pairs, interval),
                ));
            }
            return Ok(());
        }
        let mut ud = set_udata(k, data);
        ud.extend(typeof_udata.unwrap_or_default());
        set.userdata = Some(ud);
        self.tx.add_set(set);
        if !keys.is_empty() {
            self.tx
                .add_elements(SetElems::new(f, table, name, set_elements(&keys, interval)));
        }
        if !pairs.is_empty() {
            self.tx.add_elements(SetElems::new(
                f,
                table,
                name,
                map_elements(&pairs, interval),
            ));
        }
        Ok(())
    }

    /// A set or map key type: its kind, nft's type id and byte length.
    fn key_type(&mut self) -> Result<(Kind, u32, u32)> {
        let t = self.word("set type")?;
        Ok(match t.as_str() {
            "ipv4_addr" => (Kind::Ipv4, 7, 4),
            "ipv6_addr" => (Kind::Ipv6, 8, 16),
            "inet_proto" => (Kind::Proto, 12, 1),
            "inet_service" => (Kind::Port, 13, 2),
            "mark" => (Kind::Host, 19, 4),
            _ => {
                return Err(self.err(format!("the set type \"{t}\" is not implemented")));
            }
        })
    }

    /// Map elements `key : data` up to the closing `}` (the `{` was read).
    fn pairs(&mut self, kind: Kind, data: DataKind) -> Result<Vec<(Key, Data)>> {
        let mut out = Vec::new();
        loop {
            while self.eat_sep() || self.eat_sym(',') {}
            if self.eat_sym('}') {
                return Ok(out);
            }
            let key = self.key(kind)?;
            if !self.eat_word(":") {
                return Err(self.unknown("\":\" and the element's data"));
            }
            let d = self.map_data(data)?;
            out.push((key, d));
        }
    }

    /// A verdict word (`accept`, `jump CHAIN` ...).
    fn verdict(&mut self) -> Result<Verdict> {
        let w = self.word("a verdict")?;
        Ok(match w.as_str() {
            "accept" => Verdict::Accept,
            "drop" => Verdict::Drop,
            "return" => Verdict::Return,
            "continue" => Verdict::Continue,
            "jump" => Verdict::Jump(self.word("a chain")?),
            "goto" => Verdict::Goto(self.word("a chain")?),
            _ => {
                self.pos -= 1;
                return Err(self.unknown("a verdict"));
            }
        })
    }

    /// Keys up to the closing `}` (the `{` was read), commas and
    /// newlines between them.
    fn keys(&mut self, kind: Kind) -> Result<Vec<Key>> {
        let mut out = Vec::new();
        loop {
            while self.eat_sep() || self.eat_sym(',') {}
            if self.eat_sym('}') {
                return Ok(out);
            }
            out.push(self.key(kind)?);
        }
    }

    /// One key: a value, a prefix `ADDR/LEN` or a range `A-B`.
    fn key(&mut self, kind: Kind) -> Result<Key> {
        let w = self.word("a value")?;
        if matches!(kind, Kind::Ipv4 | Kind::Ipv6) {
            if let Some((a, len)) = w.split_once('/') {
                let addr = self.value(kind, a)?;
                let len: usize = len
                    .parse()
                    .ok()
                    .filter(|l| *l <= addr.len() * 8)
                    .ok_or_else(|| self.err(format!("bad prefix \"{w}\"")))?;
                let mask = prefix_mask(addr.len(), len);
                let first: Vec<u8> = addr.iter().zip(&mask).map(|(a, m)| a & m).collect();
                let last: Vec<u8> = addr.iter().zip(&mask).map(|(a, m)| a | !m).collect();
                return Ok(Key::Interval(first, last));
            }
        }
        if !matches!(kind, Kind::Ifname) {
            if let Some((a, b)) = w.split_once('-').filter(|(a, _)| !a.is_empty()) {
                return Ok(Key::Interval(self.value(kind, a)?, self.value(kind, b)?));
            }
        }
        Ok(Key::One(self.value(kind, &w)?))
    }

    /// The bytes of value `w` of `kind`, as the packet (or register)
    /// holds them.
    fn value(&self, kind: Kind, w: &str) -> Result<Vec<u8>> {
        let bad = || self.err(format!("\"{w}\" is not a valid value here"));
        Ok(match kind {
            Kind::Ipv4 => w
                .parse::<std::net::Ipv4Addr>()
                .map_err(|_| bad())?
                .octets()
                .to_vec(),
            Kind::Ipv6 => w
                .parse::<std::net::Ipv6Addr>()
                .map_err(|_| bad())?
                .octets()
                .to_vec(),
            Kind::Port => w.parse::<u16>().map_err(|_| bad())?.to_be_bytes().to_vec(),
            Kind::Proto => vec![proto_number(w).ok_or_else(bad)?],
            Kind::Host => {
                let n = match w.strip_prefix("0x") {
                    Some(h) => u32::from_str_radix(h, 16),
                    None => w.parse(),
                };
                n.map_err(|_| bad())?.to_ne_bytes().to_vec()
            }
            Kind::Ifname => {
                // `eth*` compares the start of the name only.
                if let Some(start) = w.strip_suffix('*') {
                    if start.is_empty() || start.len() >= 16 || start.contains('*') {
                        return Err(bad());
                    }
                    return Ok(start.as_bytes().to_vec());
                }
                if w.len() >= 16 || w.contains('\0') {
                    return Err(bad());
                }
                let mut b = w.as_bytes().to_vec();
                b.resize(16, 0);
                b
            }
            Kind::Nfproto => match w {
                "ipv4" => vec![2],
                "ipv6" => vec![10],
                _ => return Err(bad()),
            },
        })
    }

    /// One rule: statements up to the end of the line (or a `}`).
    fn rule(&mut self, f: Family, table: &str, chain: &str) -> Result<Rule> {
        let mut r = Rule::new(f, table, chain);
        let mut ctx = Ctx {
            family: f,
            l3: match f {
                Family::Ip => Some(2),
                Family::Ip6 => Some(10),
                _ => None,
            },
            l4: None,
        };
        loop {
            match self.peek() {
                None | Some(Tok::Sep) => break,
                Some(Tok::Sym('}')) => break,
                _ => {}
            }
            let w = self.word("a statement")?;
            match w.as_str() {
                "ip" | "ip6" | "tcp" | "udp" | "meta" | "iifname" | "oifname" | "mark" => {
                    let first = self.field(&w, &mut ctx)?;
                    if self.peek_word() == Some(".") {
                        self.concatenation(&mut r, first, &mut ctx)?;
                    } else {
                        r.exprs.extend(first.deps);
                        self.matching(
                            &mut r,
                            &mut ctx,
                            first.load,
                            first.kind,
                            &first.proto,
                            &first.name,
                        )?;
                    }
                }
                "ct" => {
                    let key = self.word("state | mark")?;
                    match key.as_str() {
                        "state" if self.eat_word("!=") => {
                            // As nft: one state compared, no mask.
                            let st = self.word("a ct state")?;
                            let Some(bit) = ct_state_bit(&st) else {
                                self.pos -= 1;
                                return Err(self.unknown("a ct state"));
                            };
                            r.exprs.push(Expr::ct(NFT_CT_STATE, NFT_REG_1));
                            r.exprs
                                .push(Expr::cmp(NFT_CMP_NEQ, NFT_REG_1, &bit.to_ne_bytes()));
                        }
                        "state" => {
                            let mut bits = 0u32;
                            loop {
                                let s = self.word("a ct state")?;
                                let Some(bit) = ct_state_bit(&s) else {
                                    self.pos -= 1;
                                    return Err(self.unknown("a ct state"));
                                };
                                bits |= bit;
                                if !self.eat_sym(',') {
                                    break;
                                }
                            }
                            let b = bits.to_ne_bytes();
                            r.exprs.push(Expr::ct(NFT_CT_STATE, NFT_REG_1));
                            r.exprs
                                .push(Expr::bitwise(NFT_REG_1, NFT_REG_1, &b, &[0; 4]));
                            r.exprs.push(Expr::cmp(NFT_CMP_NEQ, NFT_REG_1, &[0; 4]));
                        }
                        "mark" => {
                            let load = Expr::ct(NFT_CT_MARK, NFT_REG_1);
                            self.matching(&mut r, &mut ctx, load, Kind::Host, "ct", "mark")?;
                        }
                        // `ct helper set "h"`, `ct timeout set "t"`: an
                        // object of the table applied.
                        k @ ("helper" | "timeout") if self.eat_word("set") => {
                            let ty = if k == "helper" {
                                NFT_OBJECT_CT_HELPER
                            } else {
                                NFT_OBJECT_CT_TIMEOUT
                            };
                            let name = self.word("an object name")?;
                            r.exprs.push(objref(ty, name));
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.unknown("ct state | mark | helper set | timeout set"));
                        }
                    }
                }
                // `counter name "c"` (likewise quota, limit): an object
                // of the table applied.
                k @ ("counter" | "quota" | "limit") if self.eat_word("name") => {
                    let ty = match k {
                        "counter" => NFT_OBJECT_COUNTER,
                        "quota" => NFT_OBJECT_QUOTA,
                        _ => NFT_OBJECT_LIMIT,
                    };
                    let name = self.word("an object name")?;
                    r.exprs.push(objref(ty, name));
                }
                "counter" => r.exprs.push(Expr::counter()),
                // `flow add @ft`: offload the flow to flowtable `ft`.
                "flow" => {
                    if !self.eat_word("add") {
                        return Err(self.unknown("add"));
                    }
                    let target = self.word("@flowtable")?;
                    let Some(name) = target.strip_prefix('@') else {
                        return Err(self.err(format!("\"{target}\" is not @flowtable")));
                    };
                    r.exprs.push(Expr::FlowOffload(FlowOffload {
                        table_name: Some(name.to_string()),
                    }));
                }
                "accept" => r.exprs.push(Expr::verdict(Verdict::Accept)),
                "drop" => r.exprs.push(Expr::verdict(Verdict::Drop)),
                "return" => r.exprs.push(Expr::verdict(Verdict::Return)),
                "continue" => r.exprs.push(Expr::verdict(Verdict::Continue)),
                "jump" => {
                    let c = self.word("a chain")?;
                    r.exprs.push(Expr::verdict(Verdict::Jump(c)));
                }
                "goto" => {
                    let c = self.word("a chain")?;
                    r.exprs.push(Expr::verdict(Verdict::Goto(c)));
                }
                "limit" => r.exprs.push(self.limit()?),
                "log" => r.exprs.push(self.log()?),
                "reject" => r.exprs.push(self.reject(&ctx)?),
                "masquerade" => r.exprs.push(Expr::Masq(Masq::default())),
                "snat" | "dnat" => self.nat(&mut r, &ctx, &w)?,
                "comment" => {
                    let c = self.word("a comment")?;
                    r = r.with_comment(&c)?;
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unknown("a statement"));
                }
            }
        }
        Ok(r)
    }

    /// One field a rule loads (`ip saddr`, `tcp dport`, `meta mark` ...)
    /// after its first word `w`: the protocol matches it depends on (for
    /// what `ctx` does not know yet, which it then does), its load into
    /// register 1, and how its values are written.
    fn field(&mut self, w: &str, ctx: &mut Ctx) -> Result<Field> {
        let mut deps = Vec::new();
        match w {
            "ip" | "ip6" => {
                let l3 = if w == "ip" { 2 } else { 10 };
                let field = self.word("a field")?;
                let (offset, len, kind) = match (l3, field.as_str()) {
                    (2, "saddr") => (12, 4, Kind::Ipv4),
                    (2, "daddr") => (16, 4, Kind::Ipv4),
                    (2, "protocol") => (9, 1, Kind::Proto),
                    (10, "saddr") => (8, 16, Kind::Ipv6),
                    (10, "daddr") => (24, 16, Kind::Ipv6),
                    (10, "nexthdr") => (6, 1, Kind::Proto),
                    _ => {
                        self.pos -= 1;
                        return Err(self.unknown(&format!("a field of {w}")));
                    }
                };
                match ctx.l3 {
                    Some(x) if x == l3 => {}
                    None => {
                        deps.push(Expr::meta(NFT_META_NFPROTO, NFT_REG_1));
                        deps.push(Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[l3]));
                        ctx.l3 = Some(l3);
                    }
                    Some(_) => {
                        return Err(
                            self.err(format!("{w} in a table of family {}", ctx.family.name()))
                        );
                    }
                }
                let load = Expr::payload(NFT_PAYLOAD_NETWORK_HEADER, offset, len, NFT_REG_1);
                Ok(Field {
                    deps,
                    load,
                    kind,
                    proto: w.to_string(),
                    name: field,
                })
            }
            "tcp" | "udp" => {
                let p = if w == "tcp" { 6 } else { 17 };
                let field = self.word("sport | dport")?;
                let offset = match field.as_str() {
                    "sport" => 0,
                    "dport" => 2,
                    _ => {
                        self.pos -= 1;
                        return Err(self.unknown(&format!("a field of {w}")));
                    }
                };
                if ctx.l4 != Some(p) {
                    deps.push(Expr::meta(NFT_META_L4PROTO, NFT_REG_1));
                    deps.push(Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[p]));
                    ctx.l4 = Some(p);
                }
                let load = Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, offset, 2, NFT_REG_1);
                Ok(Field {
                    deps,
                    load,
                    kind: Kind::Port,
                    proto: w.to_string(),
                    name: field,
                })
            }
            _ => {
                let key = if w == "meta" {
                    self.word("a meta key")?
                } else {
                    w.to_string()
                };
                let (k, kind) = match key.as_str() {
                    "iifname" => (NFT_META_IIFNAME, Kind::Ifname),
                    "oifname" => (NFT_META_OIFNAME, Kind::Ifname),
                    "mark" => (NFT_META_MARK, Kind::Host),
                    "l4proto" => (NFT_META_L4PROTO, Kind::Proto),
                    "nfproto" => (NFT_META_NFPROTO, Kind::Nfproto),
                    _ => {
                        self.pos -= 1;
                        return Err(self.unknown("a meta key"));
                    }
                };
                Ok(Field {
                    deps,
                    load: Expr::meta(k, NFT_REG_1),
                    kind,
                    proto: "meta".to_string(),
                    name: key,
                })
            }
        }
    }

    /// `FIELD . FIELD ... @SET | { KEY . KEY, ... }` (the first field
    /// read): every protocol dependency first, as nft, then each field
    /// loaded into the 32-bit registers after the previous one's, and
    /// a lookup of the whole key.
    fn concatenation(&mut self, r: &mut Rule, first: Field, ctx: &mut Ctx) -> Result<()> {
        let mut fields = vec![first];
        while self.eat_word(".") {
            let w = self.word("a field")?;
            if !matches!(
                w.as_str(),
                "ip" | "ip6" | "tcp" | "udp" | "meta" | "iifname" | "oifname" | "mark"
            ) {
                self.pos -= 1;
                return Err(self.unknown("a field of a concatenation"));
            }
            fields.push(self.field(&w, ctx)?);
        }
        let kinds: Vec<Kind> = fields.iter().map(|f| f.kind).collect();
        let mut at = 0u32;
        let mut loads = Vec::new();
        for f in &mut fields {
            r.exprs.append(&mut f.deps);
            let reg = if at == 0 {
                NFT_REG_1
            } else {
                NFT_REG32_00 + at / 4
            };
            let mut load = f.load.clone();
            match &mut load {
                Expr::Payload(p) => p.dreg = Some(reg),
                Expr::Meta(m) => m.dreg = Some(reg),
                _ => {}
            }
            loads.push(load);
            at += kind_len(f.kind).div_ceil(4) * 4;
        }
        r.exprs.extend(loads);
        if self.eat_word("vmap") {
            return self.concat_vmap(r, &kinds);
        }
        let set = if let Some(name) = self.peek_word().and_then(|w| w.strip_prefix('@')) {
            let name = name.to_string();
            self.pos += 1;
            name
        } else if self.eat_sym('{') {
            let keys = self.concat_keys(&kinds)?;
            let interval = keys.iter().any(|k| matches!(k, Key::Interval(..)));
            let table = r.table.clone().unwrap_or_default();
            let n = self.anon.entry((r.family, table.clone())).or_insert(0);
            let name = format!("__set{n}");
            *n += 1;
            let mut set = concat_set(r.family, &table, &name, &kinds, interval)
                .ok_or_else(|| self.err("this concatenation is not implemented"))?;
            set.flags = Some(set.flags.unwrap_or(0) | NFT_SET_ANONYMOUS | NFT_SET_CONSTANT);
            self.tx.add_set(set);
            self.tx.add_elements(SetElems::new(
                r.family,
                &table,
                &name,
                concat_elements(&keys, interval),
            ));
            name
        } else {
            return Err(self.unknown("@set or { ... } after a concatenation"));
        };
        r.exprs.push(Expr::lookup(&set, NFT_REG_1));
        Ok(())
    }

    /// `vmap @MAP | { a . b : VERDICT, ... }` after a concatenation's
    /// loads: a lookup of the verdict map (an anonymous one added first).
    fn concat_vmap(&mut self, r: &mut Rule, kinds: &[Kind]) -> Result<()> {
        let name = if let Some(m) = self.peek_word().and_then(|w| w.strip_prefix('@')) {
            let m = m.to_string();
            self.pos += 1;
            m
        } else {
            self.expect_sym('{')?;
            let pairs = self.concat_pairs(kinds, DataKind::Verdict)?;
            let interval = pairs.iter().any(|(k, _)| matches!(k, Key::Interval(..)));
            let table = r.table.clone().unwrap_or_default();
            // Numbered by the kernel, named by its set id until then.
            let name = "__map%d".to_string();
            let mut set = concat_set(r.family, &table, &name, kinds, interval)
                .ok_or_else(|| self.err("this concatenation is not implemented"))?;
            set.flags =
                Some(set.flags.unwrap_or(0) | NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_MAP);
            set.data_type = Some(NFT_DATA_VERDICT);
            set.userdata = set
                .userdata
                .map(|ud| concat_map_udata(&ud, DataKind::Verdict));
            self.tx.add_set(set);
            self.tx.add_elements(SetElems::new(
                r.family,
                &table,
                &name,
                concat_map_elements(&pairs, interval),
            ));
            name
        };
        r.exprs.push(Expr::Lookup(Lookup {
            set: Some(name),
            sreg: Some(NFT_REG_1),
            dreg: Some(NFT_REG_VERDICT),
            ..Default::default()
        }));
        Ok(())
    }

    /// Keys of a concatenation of `kinds` (`a . b`, each a value, a
    /// prefix or a range) up to the closing `}`: each field padded to
    /// 32 bits; an interval when any field is one.
    fn concat_keys(&mut self, kinds: &[Kind]) -> Result<Vec<Key>> {
        let mut out = Vec::new();
        loop {
            while self.eat_sep() || self.eat_sym(',') {}
            if self.eat_sym('}') {
                return Ok(out);
            }
            out.push(self.concat_key(kinds)?);
        }
    }

    /// One key `a . b` of a concatenation of `kinds`.
    fn concat_key(&mut self, kinds: &[Kind]) -> Result<Key> {
        let (mut first, mut last, mut ranged) = (Vec::new(), Vec::new(), false);
        for (i, k) in kinds.iter().enumerate() {
            if i > 0 && !self.eat_word(".") {
                return Err(self.unknown("\".\" and the next field"));
            }
            let (a, b) = match self.key(*k)? {
                Key::One(v) => (v.clone(), v),
                Key::Interval(a, b) => {
                    ranged = true;
                    (a, b)
                }
            };
            let pad = a.len().div_ceil(4) * 4;
            for (key, part) in [(&mut first, a), (&mut last, b)] {
                let start = key.len();
                key.extend_from_slice(&part);
                key.resize(start + pad, 0);
            }
        }
        Ok(if ranged {
            Key::Interval(first, last)
        } else {
            Key::One(first)
        })
    }

    /// Elements `a . b : data` of a map with a concatenated key, up to
    /// the closing `}` (the `{` was read).
    fn concat_pairs(&mut self, kinds: &[Kind], data: DataKind) -> Result<Vec<(Key, Data)>> {
        let mut out = Vec::new();
        loop {
            while self.eat_sep() || self.eat_sym(',') {}
            if self.eat_sym('}') {
                return Ok(out);
            }
            let key = self.concat_key(kinds)?;
            if !self.eat_word(":") {
                return Err(self.unknown("\":\" and the element's data"));
            }
            let d = self.map_data(data)?;
            out.push((key, d));
        }
    }

    /// A map element's data: a verdict or a value.
    fn map_data(&mut self, data: DataKind) -> Result<Data> {
        Ok(match data {
            DataKind::Verdict => Data::Verdict(self.verdict()?),
            DataKind::Value(k) => {
                let w = self.word("a value")?;
                Data::Value(self.value(k, &w)?)
            }
        })
    }

    /// `[OP] VALUE | @SET | { KEYS }` after a load: the compare, lookup
    /// or anonymous set that matches it.
    fn matching(
        &mut self,
        r: &mut Rule,
        ctx: &mut Ctx,
        load: Expr,
        kind: Kind,
        proto: &str,
        field: &str,
    ) -> Result<()> {
        if self.eat_word("vmap") {
            return self.vmap(r, load, kind, proto, field);
        }
        let op = match self.peek_word() {
            Some("==") => NFT_CMP_EQ,
            Some("!=") => NFT_CMP_NEQ,
            Some("<") => NFT_CMP_LT,
            Some("<=") => NFT_CMP_LTE,
            Some(">") => NFT_CMP_GT,
            Some(">=") => NFT_CMP_GTE,
            _ => u32::MAX,
        };
        if op != u32::MAX {
            self.pos += 1;
        }
        let op = if op == u32::MAX { NFT_CMP_EQ } else { op };
        let lookup = |r: &mut Rule, load: Expr, set: String, op: u32| -> Result<()> {
            let flags = match op {
                NFT_CMP_EQ => None,
                NFT_CMP_NEQ => Some(NFT_LOOKUP_F_INV),
                _ => bail!("a set lookup with an order compare is not implemented"),
            };
            r.exprs.push(load);
            r.exprs.push(Expr::Lookup(Lookup {
                set: Some(set),
                sreg: Some(NFT_REG_1),
                flags,
                ..Default::default()
            }));
            Ok(())
        };
        if self.eat_sym('{') {
            let keys = self.keys(kind)?;
            let interval = keys.iter().any(|k| matches!(k, Key::Interval(..)));
            let table = r.table.clone().unwrap_or_default();
            let n = self.anon.entry((r.family, table.clone())).or_insert(0);
            let name = format!("__set{n}");
            *n += 1;
            let Some((key_type, key_len)) = anon_key(kind) else {
                return Err(self.err(format!(
                    "an anonymous set of {proto} {field} is not implemented"
                )));
            };
            let mut set = Set::new(r.family, &table, &name, key_type, key_len);
            set.flags = Some(
                NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | if interval { NFT_SET_INTERVAL } else { 0 },
            );
            set.userdata = Some(set_udata(kind, None));
            self.tx.add_set(set);
            self.tx.add_elements(SetElems::new(
                r.family,
                &table,
                &name,
                set_elements(&keys, interval),
            ));
            return lookup(r, load, name, op).map_err(|e| self.err(e));
        }
        if let Some(set) = self.peek_word().and_then(|w| w.strip_prefix('@')) {
            let set = set.to_string();
            self.pos += 1;
            return lookup(r, load, set, op).map_err(|e| self.err(e));
        }
        let key = self.key(kind)?;
        match key {
            Key::One(v) => {
                r.exprs.push(load);
                r.exprs.push(Expr::cmp(op, NFT_REG_1, &v));
                if op == NFT_CMP_EQ && kind == Kind::Proto {
                    ctx.l4 = v.first().copied();
                }
                if op == NFT_CMP_EQ && kind == Kind::Nfproto {
                    ctx.l3 = v.first().copied();
                }
            }
            Key::Interval(first, last) => {
                let Expr::Payload(mut p) = load else {
                    return Err(self.err(format!("a range of {proto} {field} is not implemented")));
                };
                let Some(len) = prefix_of(&first, &last) else {
                    return Err(self.err(format!("a range of {proto} {field} is not implemented")));
                };
                if op != NFT_CMP_EQ && op != NFT_CMP_NEQ {
                    return Err(self.err("a prefix with an order compare is not implemented"));
                }
                // As nft: a prefix on a byte boundary loads only its
                // bytes; any other is masked.
                let bytes = len.div_ceil(8);
                p.len = u32::try_from(bytes).ok();
                r.exprs.push(Expr::Payload(p));
                let net = first.get(..bytes).unwrap_or_default();
                if len % 8 != 0 {
                    let mask = prefix_mask(bytes, len);
                    let zero = vec![0u8; bytes];
                    r.exprs.push(Expr::Bitwise(Bitwise {
                        sreg: Some(NFT_REG_1),
                        dreg: Some(NFT_REG_1),
                        len: u32::try_from(bytes).ok(),
                        mask: Some(Data::Value(mask)),
                        xor: Some(Data::Value(zero)),
                        ..Default::default()
                    }));
                }
                r.exprs.push(Expr::cmp(op, NFT_REG_1, net));
            }
        }
        Ok(())
    }

    /// `vmap @MAP | { KEY : VERDICT, ... }` after a load: a lookup into
    /// the verdict register (of an anonymous map written here).
    fn vmap(
        &mut self,
        r: &mut Rule,
        load: Expr,
        kind: Kind,
        proto: &str,
        field: &str,
    ) -> Result<()> {
        let name = if let Some(m) = self.peek_word().and_then(|w| w.strip_prefix('@')) {
            let m = m.to_string();
            self.pos += 1;
            m
        } else {
            self.expect_sym('{')?;
            let pairs = self.pairs(kind, DataKind::Verdict)?;
            let interval = pairs.iter().any(|(k, _)| matches!(k, Key::Interval(..)));
            let table = r.table.clone().unwrap_or_default();
            let (key_type, key_len) = anon_key(kind).ok_or_else(|| {
                self.err(format!(
                    "a verdict map of {proto} {field} is not implemented"
                ))
            })?;
            // The kernel numbers it at once; the transaction refers to it
            // by its set id until then.
            let name = "__map%d".to_string();
            let mut set = Set::new(r.family, &table, &name, key_type, key_len);
            set.flags = Some(
                NFT_SET_ANONYMOUS
                    | NFT_SET_CONSTANT
                    | NFT_SET_MAP
                    | if interval { NFT_SET_INTERVAL } else { 0 },
            );
            set.data_type = Some(NFT_DATA_VERDICT);
            set.userdata = Some(set_udata(kind, Some(DataKind::Verdict)));
            self.tx.add_set(set);
            self.tx.add_elements(SetElems::new(
                r.family,
                &table,
                &name,
                map_elements(&pairs, interval),
            ));
            name
        };
        r.exprs.push(load);
        r.exprs.push(Expr::Lookup(Lookup {
            set: Some(name),
            sreg: Some(NFT_REG_1),
            dreg: Some(NFT_REG_VERDICT),
            ..Default::default()
        }));
        Ok(())
    }

    /// `snat|dnat to ADDR[:PORT]` (`[ADDR6]:PORT` in ip6) in an ip or ip6
    /// table: the address and port loaded as constants, then the nat.
    fn nat(&mut self, r: &mut Rule, ctx: &Ctx, w: &str) -> Result<()> {
        let (kind, nfproto) = match ctx.family {
            Family::Ip => (Kind::Ipv4, NFPROTO_IPV4),
            Family::Ip6 => (Kind::Ipv6, NFPROTO_IPV6),
            f => return Err(self.err(format!("{w} in a {} table is not implemented", f.name()))),
        };
        if !self.eat_word("to") {
            return Err(self.unknown("to"));
        }
        let target = self.word("an address")?;
        let (addr, port) = match (kind, target.strip_prefix('[')) {
            (Kind::Ipv6, Some(rest)) => match rest.split_once("]:") {
                Some((a, p)) => (a.to_string(), Some(p.to_string())),
                None => (rest.trim_end_matches(']').to_string(), None),
            },
            (Kind::Ipv4, _) => match target.split_once(':') {
                Some((a, p)) => (a.to_string(), Some(p.to_string())),
                None => (target.clone(), None),
            },
            _ => (target.clone(), None),
        };
        r.exprs
            .push(Expr::immediate(NFT_REG_1, &self.value(kind, &addr)?));
        let port_reg = match port {
            Some(p) => {
                // As nft: a port needs the transport protocol matched.
                if ctx.l4.is_none() {
                    return Err(self.err(
                        "transport protocol mapping is only valid after transport protocol match",
                    ));
                }
                r.exprs
                    .push(Expr::immediate(NFT_REG_2, &self.value(Kind::Port, &p)?));
                Some(NFT_REG_2)
            }
            None => None,
        };
        let nat_type = if w == "snat" {
            NFT_NAT_SNAT
        } else {
            NFT_NAT_DNAT
        };
        r.exprs
            .push(Expr::nat(nat_type, nfproto, NFT_REG_1, port_reg));
        Ok(())
    }

    /// `limit rate N/UNIT [burst N packets]`.
    fn limit(&mut self) -> Result<Expr> {
        if !self.eat_word("rate") {
            return Err(self.unknown("limit rate"));
        }
        let flags = if self.eat_word("over") {
            NFT_LIMIT_F_INV
        } else {
            0
        };
        let w = self.word("N/UNIT")?;
        let (n, unit) = w
            .split_once('/')
            .ok_or_else(|| self.err(format!("\"{w}\" is not N/UNIT")))?;
        let rate: u64 = n
            .parse()
            .map_err(|_| self.err(format!("\"{n}\" is not a packet rate")))?;
        let unit = match unit {
            "second" => 1,
            "minute" => 60,
            "hour" => 3600,
            "day" => 86400,
            "week" => 604800,
            _ => return Err(self.err(format!("the unit \"{unit}\" is not implemented"))),
        };
        let mut burst = 5;
        if self.eat_word("burst") {
            burst = self.number("burst")?;
            if !self.eat_word("packets") {
                return Err(self.unknown("packets"));
            }
        }
        Ok(Expr::Limit(Limit {
            rate: Some(rate),
            unit: Some(unit),
            burst: Some(burst),
            limit_type: Some(NFT_LIMIT_PKTS),
            flags: Some(flags),
        }))
    }

    /// `log [prefix S] [level L] [group N]`.
    fn log(&mut self) -> Result<Expr> {
        let mut l = Log::default();
        loop {
            if self.eat_word("prefix") {
                l.prefix = Some(self.word("prefix")?);
            } else if self.eat_word("level") {
                let lv = self.word("level")?;
                let names = [
                    "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
                ];
                let Some(i) = names.iter().position(|n| *n == lv) else {
                    return Err(self.err(format!("the log level \"{lv}\" is not implemented")));
                };
                l.level = u32::try_from(i).ok();
            } else if self.eat_word("group") {
                l.group = Some(self.number("group")?);
            } else {
                return Ok(Expr::Log(l));
            }
        }
    }

    /// `reject [with tcp reset | with icmp|icmpv6|icmpx [type] CODE]`:
    /// plain, an ICMP port unreachable of the network protocol.
    fn reject(&mut self, ctx: &Ctx) -> Result<Expr> {
        let (ty, code) = if self.eat_word("with") {
            let what = self.word("tcp | icmp | icmpv6 | icmpx")?;
            match what.as_str() {
                "tcp" => {
                    if !self.eat_word("reset") {
                        return Err(self.unknown("reset"));
                    }
                    if ctx.l4 != Some(6) {
                        return Err(self.err("reject with tcp reset needs a tcp match before it"));
                    }
                    (NFT_REJECT_TCP_RST, None)
                }
                "icmp" | "icmpv6" | "icmpx" => {
                    self.eat_word("type");
                    let c = self.word("an icmp code")?;
                    let codes: &[(&str, u8)] = match what.as_str() {
                        "icmp" => &[
                            ("net-unreachable", 0),
                            ("host-unreachable", 1),
                            ("prot-unreachable", 2),
                            ("port-unreachable", 3),
                            ("net-prohibited", 9),
                            ("host-prohibited", 10),
                            ("admin-prohibited", 13),
                        ],
                        "icmpv6" => &[
                            ("no-route", 0),
                            ("admin-prohibited", 1),
                            ("addr-unreachable", 3),
                            ("port-unreachable", 4),
                        ],
                        _ => &[
                            ("no-route", 0),
                            ("port-unreachable", 1),
                            ("host-unreachable", 2),
                            ("admin-prohibited", 3),
                        ],
                    };
                    let Some(code) = codes.iter().find(|(n, _)| *n == c).map(|(_, v)| *v) else {
                        return Err(self.err(format!("the {what} code \"{c}\" is not implemented")));
                    };
                    let want = match what.as_str() {
                        "icmp" => Some(2),
                        "icmpv6" => Some(10),
                        _ => None,
                    };
                    if want.is_some() && ctx.l3 != want {
                        return Err(self.err(format!(
                            "reject with {what} needs a match of its network protocol"
                        )));
                    }
                    let ty = if want.is_some() {
                        NFT_REJECT_ICMP_UNREACH
                    } else {
                        NFT_REJECT_ICMPX_UNREACH
                    };
                    (ty, Some(code))
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unknown("tcp | icmp | icmpv6 | icmpx"));
                }
            }
        } else {
            match ctx.l3 {
                Some(2) => (NFT_REJECT_ICMP_UNREACH, Some(3)),
                Some(10) => (NFT_REJECT_ICMP_UNREACH, Some(4)),
                _ => (NFT_REJECT_ICMPX_UNREACH, Some(1)),
            }
        };
        let _ = ctx.family;
        Ok(Expr::Reject(Reject {
            reject_type: Some(ty),
            icmp_code: code,
        }))
    }
}

/// A field a rule loads: see [`Parser::field`].
struct Field {
    deps: Vec<Expr>,
    load: Expr,
    kind: Kind,
    proto: String,
    name: String,
}

/// The bytes a value of `kind` takes in a key.
/// A reference to the object `name` of type `ty` (`NFT_OBJECT_*`).
fn objref(ty: u32, name: String) -> Expr {
    Expr::Objref(netlink::nl_netfilter::nft::Objref {
        imm_type: Some(ty),
        imm_name: Some(name),
        ..Default::default()
    })
}

fn kind_len(kind: Kind) -> u32 {
    match kind {
        Kind::Ipv4 | Kind::Host => 4,
        Kind::Ipv6 | Kind::Ifname => 16,
        Kind::Port => 2,
        Kind::Proto | Kind::Nfproto => 1,
    }
}

/// A set of concatenated keys of `kinds` (nft's type id: each field's
/// in 6 bits, the first highest); an interval one is flagged
/// `NFT_SET_CONCAT` and describes its field lengths, as the kernel needs.
fn concat_set(f: Family, table: &str, name: &str, kinds: &[Kind], interval: bool) -> Option<Set> {
    // nft turns host-order fields (marks) of an interval concatenation
    // big-endian with a `byteorder` expression: not implemented.
    if interval && kinds.contains(&Kind::Host) {
        return None;
    }
    let mut ty = 0u32;
    let mut len = 0u32;
    for k in kinds {
        ty = (ty << 6) | anon_key(*k)?.0;
        len += kind_len(*k).div_ceil(4) * 4;
    }
    let mut set = Set::new(f, table, name, ty, len);
    if interval {
        set.flags = Some(NFT_SET_INTERVAL | NFT_SET_CONCAT);
        let lens: Vec<u32> = kinds.iter().map(|k| kind_len(*k)).collect();
        set.desc = Some(SetDesc::concat(&lens));
    }
    // As nft writes it: no key byte order (`NFTNL_UDATA_SET_KEYBYTEORDER`
    // 0), and a `KEY_TYPEOF` of a concatenation (nft's expression type
    // 13) with no data: nft then takes each field's byte order from its
    // type (a mark's is host order) instead of the whole key's.
    let mut ud = vec![0, 4];
    ud.extend_from_slice(&0u32.to_ne_bytes());
    ud.extend_from_slice(&[3, 8, 0, 4]);
    ud.extend_from_slice(&13u32.to_ne_bytes());
    ud.extend_from_slice(&[1, 0]);
    set.userdata = Some(ud);
    Some(set)
}

/// The elements of concatenated `keys`: in an interval set each one
/// element with its last key (`NFTA_SET_ELEM_KEY_END`, inclusive).
fn concat_elements(keys: &[Key], interval: bool) -> Vec<SetElem> {
    keys.iter()
        .map(|k| match (k, interval) {
            (Key::One(v), false) => SetElem::new(v),
            (Key::One(v), true) => SetElem {
                key_end: Some(Data::Value(v.clone())),
                ..SetElem::new(v)
            },
            (Key::Interval(a, b), _) => SetElem {
                key_end: Some(Data::Value(b.clone())),
                ..SetElem::new(a)
            },
        })
        .collect()
}

/// A concatenated map's userdata as nft writes it: the key's byte order,
/// the data's (`NFTNL_UDATA_SET_DATABYTEORDER`), the key's typeof, and
/// data intervals off (`NFTNL_UDATA_SET_DATA_INTERVAL`), from a
/// concatenated set's `udata` (byte order TLV, then typeof TLV).
fn concat_map_udata(udata: &[u8], data: DataKind) -> Vec<u8> {
    let (order, rest) = udata.split_at(udata.len().min(6));
    let mut ud = order.to_vec();
    ud.extend_from_slice(&[1, 4]);
    let b = match data {
        DataKind::Verdict => 0,
        DataKind::Value(k) => byteorder(k),
    };
    ud.extend_from_slice(&b.to_ne_bytes());
    ud.extend_from_slice(rest);
    ud.extend_from_slice(&[6, 4]);
    ud.extend_from_slice(&0u32.to_ne_bytes());
    ud
}

/// The elements of a map with concatenated keys: one each, its data
/// attached.
fn concat_map_elements(pairs: &[(Key, Data)], interval: bool) -> Vec<SetElem> {
    pairs
        .iter()
        .flat_map(|(k, d)| {
            concat_elements(std::slice::from_ref(k), interval)
                .into_iter()
                .map(|e| SetElem {
                    data: Some(d.clone()),
                    ..e
                })
        })
        .collect()
}

/// What a rule matched so far: the network and transport protocols.
struct Ctx {
    family: Family,
    l3: Option<u8>,
    l4: Option<u8>,
}

/// How the values of a `typeof` field are written.
fn typeof_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "ip saddr" | "ip daddr" => Kind::Ipv4,
        "ip6 saddr" | "ip6 daddr" => Kind::Ipv6,
        "ip protocol" | "ip6 nexthdr" | "meta l4proto" => Kind::Proto,
        "tcp sport" | "tcp dport" | "udp sport" | "udp dport" => Kind::Port,
        "meta mark" => Kind::Host,
        _ => return None,
    })
}

/// nft's type id and key length of an anonymous set's keys of `kind`.
fn anon_key(kind: Kind) -> Option<(u32, u32)> {
    Some(match kind {
        Kind::Ipv4 => (7, 4),
        Kind::Ipv6 => (8, 16),
        Kind::Proto => (12, 1),
        Kind::Port => (13, 2),
        Kind::Host => (19, 4),
        Kind::Ifname | Kind::Nfproto => return None,
    })
}

/// nft's byte order number of a kind's values (1 host, 2 big endian).
fn byteorder(kind: Kind) -> u32 {
    if kind == Kind::Host { 1 } else { 2 }
}

/// nft's set userdata, as nft writes it: the key's byte order
/// (`NFTNL_UDATA_SET_KEYBYTEORDER`), and for a map its data's
/// (`_DATABYTEORDER`, 0 for verdicts) and whether its data are intervals
/// (`_DATA_INTERVAL`, no); nft prints marks from the byte orders.
fn set_udata(kind: Kind, data: Option<DataKind>) -> Vec<u8> {
    let mut ud = Vec::new();
    let mut put = |ty: u8, v: u32| {
        ud.extend_from_slice(&[ty, 4]);
        ud.extend_from_slice(&v.to_ne_bytes());
    };
    put(0, byteorder(kind));
    if let Some(d) = data {
        put(
            1,
            match d {
                DataKind::Verdict => 0,
                DataKind::Value(k) => byteorder(k),
            },
        );
        put(6, 0);
    }
    ud
}

/// The bit of a `ct state` name.
fn ct_state_bit(w: &str) -> Option<u32> {
    Some(match w {
        "invalid" => 1,
        "established" => 2,
        "related" => 4,
        "new" => 8,
        "untracked" => 64,
        _ => return None,
    })
}

/// nft's IP protocol names.
fn proto_number(w: &str) -> Option<u8> {
    Some(match w {
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "icmpv6" | "ipv6-icmp" => 58,
        "sctp" => 132,
        "udplite" => 136,
        n => return n.parse().ok(),
    })
}

/// A mask of `len` one bits over `bytes` bytes.
fn prefix_mask(bytes: usize, len: usize) -> Vec<u8> {
    (0..bytes)
        .map(|i| {
            let bits = len.saturating_sub(i * 8).min(8);
            if bits == 0 { 0 } else { 0xffu8 << (8 - bits) }
        })
        .collect()
}

/// The prefix length when `first..=last` is one prefix.
fn prefix_of(first: &[u8], last: &[u8]) -> Option<usize> {
    (0..=first.len() * 8).find(|len| {
        let mask = prefix_mask(first.len(), *len);
        first.iter().zip(&mask).all(|(a, m)| a & !m == 0)
            && first
                .iter()
                .zip(last)
                .zip(&mask)
                .all(|((a, b), m)| a & m == b & m && b | m == 0xff)
    })
}

/// The elements of a map: as [`set_elements`], each key's start with its
/// data.
fn map_elements(pairs: &[(Key, Data)], interval: bool) -> Vec<SetElem> {
    let mut out = Vec::new();
    for (k, d) in pairs {
        let start = out.len();
        out.extend(set_elements(std::slice::from_ref(k), interval));
        if let Some(e) = out.get_mut(start) {
            e.data = Some(d.clone());
        }
    }
    out
}

/// The elements of `keys`: in an interval set each key a start and the
/// end past it (a single value too).
fn set_elements(keys: &[Key], interval: bool) -> Vec<SetElem> {
    let mut out = Vec::new();
    for k in keys {
        let (first, last) = match k {
            Key::One(v) if !interval => {
                out.push(SetElem::new(v));
                continue;
            }
            Key::One(v) => (v.as_slice(), v.as_slice()),
            Key::Interval(a, b) => (a.as_slice(), b.as_slice()),
        };
        out.extend(SetElem::range(first, last));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Transaction> {
        Parser::new(text, HashMap::new())?.parse()
    }

    #[test]
    fn tokens_split_words_strings_and_symbols() {
        let t = tokens("a != \"x y\"; {1,2} # c\nb=c").unwrap();
        let words: Vec<Tok> = t.into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            words,
            vec![
                Tok::Word("a".into()),
                Tok::Word("!=".into()),
                Tok::Str("x y".into()),
                Tok::Sep,
                Tok::Sym('{'),
                Tok::Word("1".into()),
                Tok::Sym(','),
                Tok::Word("2".into()),
                Tok::Sym('}'),
                Tok::Sep,
                Tok::Word("b".into()),
                Tok::Sym('='),
                Tok::Word("c".into()),
                Tok::Sep,
            ]
        );
    }

    #[test]
    fn table_block_orders_chains_sets_rules() {
        let tx = parse(
            "table inet f {\n set s { type ipv4_addr; elements = { 192.0.2.1 } }\n chain a {\n  type filter hook input priority 0; policy drop;\n  ip saddr @s jump b\n }\n chain b {\n  tcp dport { 22, 80 } accept\n }\n}\n",
        )
        .unwrap();
        let kinds: Vec<String> = tx.ops().iter().map(|o| o.describe()).collect();
        assert_eq!(kinds.len(), 9, "{kinds:?}");
        assert!(kinds[0].starts_with("add table"), "{kinds:?}");
        assert!(kinds[1].starts_with("add chain") && kinds[2].starts_with("add chain"));
        assert!(kinds[3].starts_with("add set"), "{kinds:?}");
        assert!(kinds[5].starts_with("add rule"), "{kinds:?}");
        assert!(kinds[6].starts_with("add set"), "{kinds:?}");
        assert!(kinds[8].starts_with("add rule"), "{kinds:?}");
    }

    #[test]
    fn prefixes() {
        assert_eq!(prefix_mask(4, 25), vec![255, 255, 255, 128]);
        assert_eq!(prefix_of(&[192, 0, 2, 0], &[192, 0, 2, 255]), Some(24));
        assert_eq!(prefix_of(&[192, 0, 2, 10], &[192, 0, 2, 20]), None);
    }

    #[test]
    fn unknown_words_are_named_with_their_line() {
        let e =
            parse("flush ruleset\ntable ip t {\n chain c {\n  tcp dport 22 frobnicate\n }\n}\n")
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 4: the word \"frobnicate\" is not implemented (a statement)"
        );
        let e = parse("include \"x\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: the word \"include\" is not implemented (a command)"
        );
        let e = parse("add rule ip t c ip6 saddr ::1 accept\n").unwrap_err();
        assert!(e.to_string().contains("ip6 in a table of family ip"), "{e}");
    }
}
