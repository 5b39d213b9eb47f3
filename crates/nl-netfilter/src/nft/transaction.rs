//! Transactions: operations sent as one batch (`NFNL_MSG_BATCH_BEGIN`,
//! the operations, `NFNL_MSG_BATCH_END`), applied by the kernel all or
//! nothing, and the reading of its answers.
//!
//! The kernel answers only the operations it refuses (an error with the
//! request's sequence number and its ext-ack text), plus the last
//! request, which alone asks for an ack: the kernel delivers a batch's
//! answers in request order after committing or aborting it, so the last
//! request's answer closes them. A refusal of the whole batch (a
//! generation id that moved on: `ERESTART`; a failed commit) answers the
//! BEGIN message, before the others. [`TxReplies`] reads them without I/O.

use nl_wire::netlink::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLMSG_ERROR};
use nl_wire::{ErrorMsg, Msg};

use super::{Chain, Expr, Family, Flowtable, Obj, Rule, SUBSYSTEM, Set, SetElems, Table};
use crate::uapi::nf_tables::*;
use crate::{Batch, Result};

/// One operation of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Op {
    /// `add table` (`create table` with `exclusive`).
    AddTable {
        /// The table.
        table: Table,
        /// Fail if it exists (`NLM_F_EXCL`).
        exclusive: bool,
    },
    /// `delete table` (with everything in it).
    DelTable(Table),
    /// `add chain`.
    AddChain {
        /// The chain.
        chain: Chain,
        /// Fail if it exists (`NLM_F_EXCL`).
        exclusive: bool,
    },
    /// `delete chain` (empty, unreferenced).
    DelChain(Chain),
    /// `add rule` (after `position` if set, else at the end) or, with
    /// `insert`, `insert rule` (before `position`, else at the start).
    AddRule {
        /// The rule.
        rule: Rule,
        /// Insert instead of append.
        insert: bool,
    },
    /// `delete rule` (by handle).
    DelRule(Rule),
    /// `add set`.
    AddSet {
        /// The set.
        set: Set,
        /// Fail if it exists (`NLM_F_EXCL`).
        exclusive: bool,
    },
    /// `delete set`.
    DelSet(Set),
    /// `add element`.
    AddElems(SetElems),
    /// `delete element`.
    DelElems(SetElems),
    /// `flush table` (its rules), or `flush ruleset` of a family with no
    /// table name.
    Flush(Table),
    /// `add counter|quota|limit ...` (a stateful object).
    AddObj(Obj),
    /// `delete counter|quota|limit ...`.
    DelObj(Obj),
    /// `add flowtable`.
    AddFlowtable(Flowtable),
    /// `delete flowtable`.
    DelFlowtable(Flowtable),
}

impl Op {
    /// A short description (`add rule inet filter input`) for errors.
    pub fn describe(&self) -> String {
        fn n(s: &Option<String>) -> &str {
            s.as_deref().unwrap_or("?")
        }
        match self {
            Op::AddTable { table, .. } => {
                format!("add table {} {}", table.family.name(), n(&table.name))
            }
            Op::DelTable(t) => format!("delete table {} {}", t.family.name(), n(&t.name)),
            Op::AddChain { chain: c, .. } => {
                format!(
                    "add chain {} {} {}",
                    c.family.name(),
                    n(&c.table),
                    n(&c.name)
                )
            }
            Op::DelChain(c) => format!(
                "delete chain {} {} {}",
                c.family.name(),
                n(&c.table),
                n(&c.name)
            ),
            Op::AddRule { rule: r, .. } => {
                format!(
                    "add rule {} {} {}",
                    r.family.name(),
                    n(&r.table),
                    n(&r.chain)
                )
            }
            Op::DelRule(r) => format!(
                "delete rule {} {} {}",
                r.family.name(),
                n(&r.table),
                n(&r.chain)
            ),
            Op::AddSet { set: s, .. } => {
                format!("add set {} {} {}", s.family.name(), n(&s.table), n(&s.name))
            }
            Op::DelSet(s) => format!(
                "delete set {} {} {}",
                s.family.name(),
                n(&s.table),
                n(&s.name)
            ),
            Op::AddElems(e) => format!("add element {} {} {}", e.family.name(), e.table, e.set),
            Op::DelElems(e) => format!("delete element {} {} {}", e.family.name(), e.table, e.set),
            Op::Flush(t) => match &t.name {
                Some(name) => format!("flush table {} {name}", t.family.name()),
                None => format!("flush ruleset {}", t.family.name()),
            },
            Op::AddObj(o) => format!(
                "add object {} {} {}",
                o.family.name(),
                n(&o.table),
                n(&o.name)
            ),
            Op::DelObj(o) => format!(
                "delete object {} {} {}",
                o.family.name(),
                n(&o.table),
                n(&o.name)
            ),
            Op::AddFlowtable(f) => {
                format!(
                    "add flowtable {} {} {}",
                    f.family.name(),
                    n(&f.table),
                    n(&f.name)
                )
            }
            Op::DelFlowtable(f) => {
                format!(
                    "delete flowtable {} {} {}",
                    f.family.name(),
                    n(&f.table),
                    n(&f.name)
                )
            }
        }
    }

    /// Appends the operation's request to `batch`; `index` numbers the
    /// objects the transaction creates (set ids); `sets` are the sets
    /// the transaction added before it, which elements and rules refer
    /// to by id as well as by name.
    fn write(&self, batch: &mut Batch<'_>, index: usize, sets: &TxSets) -> Result<()> {
        let id = set_id_of(index);
        let excl = |e: bool| if e { NLM_F_EXCL } else { 0 };
        match self {
            Op::AddTable { table, exclusive } => batch.request(
                NFT_MSG_NEWTABLE,
                table.family.raw(),
                NLM_F_CREATE | excl(*exclusive),
                |m| table.write_new(m),
            ),
            Op::DelTable(t) => {
                batch.request(NFT_MSG_DELTABLE, t.family.raw(), 0, |m| t.write_key(m))
            }
            Op::AddChain { chain, exclusive } => batch.request(
                NFT_MSG_NEWCHAIN,
                chain.family.raw(),
                NLM_F_CREATE | excl(*exclusive),
                |m| chain.write_new(m),
            ),
            Op::DelChain(c) => {
                batch.request(NFT_MSG_DELCHAIN, c.family.raw(), 0, |m| c.write_key(m))
            }
            Op::AddRule { rule, insert } => {
                let flags = NLM_F_CREATE | if *insert { 0 } else { NLM_F_APPEND };
                let resolved = sets.resolve(rule);
                let rule = resolved.as_ref().unwrap_or(rule);
                batch.request(NFT_MSG_NEWRULE, rule.family.raw(), flags, |m| {
                    rule.write_new(m)
                })
            }
            Op::DelRule(r) => batch.request(NFT_MSG_DELRULE, r.family.raw(), 0, |m| r.write_key(m)),
            Op::AddSet { set, exclusive } => batch.request(
                NFT_MSG_NEWSET,
                set.family.raw(),
                NLM_F_CREATE | excl(*exclusive),
                |m| set.write_new(m, id),
            ),
            Op::DelSet(s) => batch.request(NFT_MSG_DELSET, s.family.raw(), 0, |m| s.write_key(m)),
            // Many elements take several messages: one list attribute
            // holds at most 64 KiB.
            Op::AddElems(e) | Op::DelElems(e) => {
                let (cmd, flags) = match self {
                    Op::AddElems(_) => (NFT_MSG_NEWSETELEM, NLM_F_CREATE),
                    _ => (NFT_MSG_DELSETELEM, 0),
                };
                let set_id = sets.find(e.family, &e.table, &e.set);
                for group in &e.encode()? {
                    batch.request(cmd, e.family.raw(), flags, |m| {
                        e.write_attrs(m, group, set_id)
                    })?;
                }
                Ok(())
            }
            // DELRULE with only a table (or nothing) flushes its rules;
            // DELTABLE with no name deletes every table of the family.
            Op::Flush(t) => match &t.name {
                Some(name) => batch.request(NFT_MSG_DELRULE, t.family.raw(), 0, |m| {
                    m.put_str(NFTA_RULE_TABLE, name);
                }),
                None => batch.request(NFT_MSG_DELTABLE, t.family.raw(), 0, |_| {}),
            },
            Op::AddObj(o) => batch.request(NFT_MSG_NEWOBJ, o.family.raw(), NLM_F_CREATE, |m| {
                o.write_new(m)
            }),
            Op::DelObj(o) => batch.request(NFT_MSG_DELOBJ, o.family.raw(), 0, |m| o.write_key(m)),
            Op::AddFlowtable(f) => {
                batch.request(NFT_MSG_NEWFLOWTABLE, f.family.raw(), NLM_F_CREATE, |m| {
                    f.write_new(m)
                })
            }
            Op::DelFlowtable(f) => {
                batch.request(NFT_MSG_DELFLOWTABLE, f.family.raw(), 0, |m| f.write_key(m))
            }
        }
    }
}

/// The set id an `add set` at operation `index` gets unless it has one.
fn set_id_of(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX).wrapping_add(1)
}

/// The sets a transaction adds, in order: (family, table, name, id).
#[derive(Default)]
struct TxSets(Vec<(Family, String, String, u32)>);

impl TxSets {
    fn added(&mut self, set: &Set, index: usize) {
        if let (Some(t), Some(n)) = (&set.table, &set.name) {
            let id = set.id.unwrap_or_else(|| set_id_of(index));
            self.0.push((set.family, t.clone(), n.clone(), id));
        }
    }

    /// The id of the latest set added as `name` in `table`: an anonymous
    /// set's name (`__set%d`) is only a pattern until the commit, so the
    /// kernel finds it by id alone (and a named one by either).
    fn find(&self, family: Family, table: &str, name: &str) -> Option<u32> {
        self.0
            .iter()
            .rev()
            .find(|(f, t, n, _)| *f == family && t == table && n == name)
            .map(|s| s.3)
    }

    /// `rule` with the set ids of its lookups, dynsets and objrefs filled
    /// in where they name a set of the transaction; `None` if none does.
    fn resolve(&self, rule: &Rule) -> Option<Rule> {
        if self.0.is_empty() {
            return None;
        }
        let (family, table) = (rule.family, rule.table.as_deref().unwrap_or(""));
        let id = |name: &Option<String>, id: &Option<u32>| match (name, id) {
            (Some(n), None) => self.find(family, table, n),
            _ => None,
        };
        let needs = |e: &Expr| match e {
            Expr::Lookup(l) => id(&l.set, &l.set_id),
            Expr::Dynset(d) => id(&d.set_name, &d.set_id),
            Expr::Objref(o) => id(&o.set_name, &o.set_id),
            _ => None,
        };
        if !rule.exprs.iter().any(|e| needs(e).is_some()) {
            return None;
        }
        let mut out = rule.clone();
        for e in &mut out.exprs {
            let found = needs(e);
            match e {
                Expr::Lookup(l) => l.set_id = l.set_id.or(found),
                Expr::Dynset(d) => d.set_id = d.set_id.or(found),
                Expr::Objref(o) => o.set_id = o.set_id.or(found),
                _ => {}
            }
        }
        Some(out)
    }
}

/// Operations to send as one all-or-nothing batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transaction {
    ops: Vec<Op>,
    genid: Option<u32>,
}

impl Transaction {
    /// An empty transaction.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the kernel refuse the whole transaction (`ERESTART`) if the
    /// ruleset's generation is no longer `genid` (read it with
    /// `NFT_MSG_GETGEN`): no change lands over a ruleset that changed
    /// under the caller.
    pub fn expect_genid(&mut self, genid: u32) -> &mut Self {
        self.genid = Some(genid);
        self
    }

    /// The generation the transaction requires, if any.
    pub fn genid(&self) -> Option<u32> {
        self.genid
    }

    /// Appends an operation.
    pub fn push(&mut self, op: Op) -> &mut Self {
        self.ops.push(op);
        self
    }

    /// `add table` (no error if it exists).
    pub fn add_table(&mut self, table: Table) -> &mut Self {
        self.push(Op::AddTable {
            table,
            exclusive: false,
        })
    }

    /// `delete table`.
    pub fn del_table(&mut self, table: Table) -> &mut Self {
        self.push(Op::DelTable(table))
    }

    /// `add chain` (no error if it exists).
    pub fn add_chain(&mut self, chain: Chain) -> &mut Self {
        self.push(Op::AddChain {
            chain,
            exclusive: false,
        })
    }

    /// `delete chain`.
    pub fn del_chain(&mut self, chain: Chain) -> &mut Self {
        self.push(Op::DelChain(chain))
    }

    /// `add rule`: appended to its chain (after `position` if set).
    pub fn add_rule(&mut self, rule: Rule) -> &mut Self {
        self.push(Op::AddRule {
            rule,
            insert: false,
        })
    }

    /// `insert rule`: at the start of its chain (before `position` if set).
    pub fn insert_rule(&mut self, rule: Rule) -> &mut Self {
        self.push(Op::AddRule { rule, insert: true })
    }

    /// `delete rule` (table, chain and handle set).
    pub fn del_rule(&mut self, rule: Rule) -> &mut Self {
        self.push(Op::DelRule(rule))
    }

    /// `add set` (no error if it exists).
    pub fn add_set(&mut self, set: Set) -> &mut Self {
        self.push(Op::AddSet {
            set,
            exclusive: false,
        })
    }

    /// `delete set`.
    pub fn del_set(&mut self, set: Set) -> &mut Self {
        self.push(Op::DelSet(set))
    }

    /// `add element`.
    pub fn add_elements(&mut self, elems: SetElems) -> &mut Self {
        self.push(Op::AddElems(elems))
    }

    /// `delete element`.
    pub fn del_elements(&mut self, elems: SetElems) -> &mut Self {
        self.push(Op::DelElems(elems))
    }

    /// `add counter|quota|limit ...`: a stateful object.
    pub fn add_obj(&mut self, obj: Obj) -> &mut Self {
        self.push(Op::AddObj(obj))
    }

    /// `delete counter|quota|limit ...`.
    pub fn del_obj(&mut self, obj: Obj) -> &mut Self {
        self.push(Op::DelObj(obj))
    }

    /// `add flowtable`.
    pub fn add_flowtable(&mut self, flowtable: Flowtable) -> &mut Self {
        self.push(Op::AddFlowtable(flowtable))
    }

    /// `delete flowtable`.
    pub fn del_flowtable(&mut self, flowtable: Flowtable) -> &mut Self {
        self.push(Op::DelFlowtable(flowtable))
    }

    /// `flush ruleset` of `family` (`Unspec`: all): deletes every table.
    pub fn flush_ruleset(&mut self, family: super::Family) -> &mut Self {
        self.push(Op::Flush(Table {
            family,
            ..Default::default()
        }))
    }

    /// The operations, in order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Writes the batch (BEGIN, the requests, END) into `buf`; returns
    /// the number of requests (one per operation, more for element lists
    /// longer than one message holds).
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<usize> {
        self.write_mapped(buf).map(|m| m.len())
    }

    /// [`Transaction::write`], returning for each request the index of
    /// its operation (to name the operation an answer is about).
    pub fn write_mapped(&self, buf: &mut Vec<u8>) -> Result<Vec<usize>> {
        let mut batch = Batch::begin(buf, SUBSYSTEM, self.genid)?;
        let mut map = Vec::with_capacity(self.ops.len());
        let mut sets = TxSets::default();
        for (i, op) in self.ops.iter().enumerate() {
            op.write(&mut batch, i, &sets)?;
            map.resize(batch.len(), i);
            if let Op::AddSet { set, .. } = op {
                sets.added(set, i);
            }
        }
        batch.end()?;
        Ok(map)
    }
}

/// A refused operation, as the kernel answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxFailure {
    /// Index of the operation in the transaction; `None` when the kernel
    /// refused the batch as a whole (its BEGIN).
    pub index: Option<usize>,
    /// Sequence number of the refused message.
    pub seq: u32,
    /// The errno (positive).
    pub errno: i32,
    /// The kernel's ext-ack text.
    pub message: Option<String>,
    /// The ext-ack offset of the rejected attribute in the request.
    pub offset: Option<u32>,
}

/// Reads the kernel's answers to a transaction sent with sequence
/// numbers `first` (BEGIN), `first + 1 ..= first + ops` (the requests),
/// `first + ops + 1` (END): errors for refused requests, and the answer
/// to the last request (its ack, as [`Transaction::write`] asks) that
/// ends them.
#[derive(Debug, Clone)]
pub struct TxReplies {
    first: u32,
    ops: usize,
    last_answered: bool,
    failures: Vec<TxFailure>,
    refused: bool,
}

impl TxReplies {
    /// Expects answers to a transaction of `ops` requests whose BEGIN
    /// had sequence number `first`.
    pub fn new(first: u32, ops: usize) -> Self {
        TxReplies {
            first,
            ops,
            last_answered: ops == 0,
            failures: Vec::new(),
            refused: false,
        }
    }

    /// Reads one received message (of the socket that sent the batch);
    /// returns whether every answer is in. Messages of other sequences
    /// are ignored.
    pub fn feed(&mut self, msg: &Msg<'_>) -> bool {
        if msg.ty() != NLMSG_ERROR {
            return self.is_done();
        }
        let Ok(err) = ErrorMsg::parse(msg) else {
            return self.is_done();
        };
        let seq = err.request().nlmsg_seq.get();
        let rel = usize::try_from(seq.wrapping_sub(self.first)).unwrap_or(usize::MAX);
        let index = match rel {
            0 => None,
            r if r <= self.ops => Some(r - 1),
            // An answer to END (kernels that ack it) or another request.
            _ => return self.is_done(),
        };
        if rel == self.ops {
            self.last_answered = true;
        }
        if !err.is_ack() {
            let ext = err.ext_ack().unwrap_or_default();
            self.failures.push(TxFailure {
                index,
                seq,
                errno: err.errno(),
                message: ext.message.map(str::to_string),
                offset: ext.offset,
            });
            if index.is_none() {
                self.refused = true;
            }
        }
        self.is_done()
    }

    /// Whether every answer is in: the last request's came (or the
    /// batch was refused whole).
    pub fn is_done(&self) -> bool {
        self.refused || self.last_answered
    }

    /// The refusals, in the order they came.
    pub fn failures(&self) -> &[TxFailure] {
        &self.failures
    }

    /// The sequence number of operation `index`.
    pub fn seq_of(&self, index: usize) -> u32 {
        self.first
            .wrapping_add(1)
            .wrapping_add(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// What a sent transaction did: committed when no operation failed.
#[derive(Debug, Clone)]
pub struct TxReport<E> {
    /// Number of operations sent.
    pub ops: usize,
    /// The refusals: (operation index, error); an index equal to `ops`
    /// means the batch as a whole.
    pub failures: Vec<(usize, E)>,
}

impl<E> TxReport<E> {
    /// Whether the kernel committed the transaction.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// The first refusal, which names the operation the kernel stopped at.
    pub fn first_failure(&self) -> Option<&(usize, E)> {
        self.failures.first()
    }

    /// `Ok` if committed, else the first refusal's error.
    pub fn into_result(self) -> core::result::Result<usize, E> {
        match self.failures.into_iter().next() {
            Some((_, e)) => Err(e),
            None => Ok(self.ops),
        }
    }
}
