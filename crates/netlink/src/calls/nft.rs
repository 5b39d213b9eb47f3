// nftables calls (nft's vocabulary: nft_table_add, nft_rule_add,
// nft_ruleset ...): listings are dumps; every change is a transaction,
// one operation for the single calls, any number with nft_transaction.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_netfilter::msg_type;
use nl_netfilter::nft::{
    Chain, Family, Flowtable, GenId, Obj, Rule, Ruleset, RulesetItem, SUBSYSTEM, Set, SetElem, SetElems,
    Table, Transaction, TxFailure, TxReplies, TxReport,
};
use nl_netfilter::uapi::nf_tables::*;
use nl_sock::{KernelDetail, Op};
use nl_wire::Msgs;
use nl_wire::netlink::NETLINK_NETFILTER;

use crate::error::{Error, Result};

const NETFILTER: i32 = NETLINK_NETFILTER;

/// Receive buffer a transaction's answers need if every operation fails:
/// one datagram per refused operation, counted at its skb truesize.
fn answers_rcvbuf(ops: usize) -> usize {
    ops.saturating_mul(2048).saturating_add(1 << 16).min(1 << 28)
}

/// The error of one refused operation (or of the batch): errno, the
/// kernel's text and the attribute it pointed at, named by the operation.
fn tx_error(tx: &Transaction, batch: &[u8], f: &TxFailure, op: Option<usize>) -> Error {
    let detail = KernelDetail {
        message: f.message.as_deref().map(Box::from),
        offset: f.offset,
        ..Default::default()
    };
    let mut e = nl_sock::Error::kernel(Op::Batch, f.errno, f.seq, detail);
    match (f.index, op) {
        (Some(req), Some(i)) => {
            // Message 0 is BATCH_BEGIN: request r is message r + 1.
            if let Some(Ok(msg)) = Msgs::new(batch).nth(req + 1) {
                e = e.locate(msg.bytes());
            }
            let what = tx.ops().get(i).map(|op| op.describe()).unwrap_or_default();
            // Counted from 1 in words, as nft numbers lines; the report's
            // index counts from 0.
            let n = tx.len();
            Error::from(e).about(format_args!("nft transaction operation {} of {n} ({what})", i + 1))
        }
        _ => match tx.genid() {
            Some(g) if f.errno == nl_sock::Errno::ERESTART as i32 => Error::from(e).about(
                format_args!("nft transaction refused: the ruleset generation is no longer {g}"),
            ),
            _ => Error::from(e).about("nft transaction refused"),
        },
    }
}

impl H {
    call! {
        /// Sends `tx` as one batch the kernel applies all or nothing. The
        /// report names each refused operation by its index with the
        /// kernel's words (`report.into_result()` for the first as an
        /// error); a refusal of the whole batch (a generation that moved
        /// on, see [`Transaction::expect_genid`]) has index `tx.len()`.
        ///
        /// ```no_run
        /// use netlink::Handle;
        /// use netlink::nl_netfilter::nft::{Chain, Family, Table, Transaction, Verdict};
        /// use netlink::nl_netfilter::uapi::netfilter::NF_INET_LOCAL_IN;
        /// let h = Handle::new()?;
        /// let mut tx = Transaction::new();
        /// tx.add_table(Table::new(Family::Inet, "filter"))
        ///   .add_chain(Chain::base(Family::Inet, "filter", "input", "filter",
        ///                          NF_INET_LOCAL_IN, 0, Verdict::Accept));
        /// h.nft_transaction(&tx)?.into_result()?;
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn nft_transaction(&self, tx: &Transaction) -> Result<TxReport<Error>> {
            let mut buf = Vec::new();
            let map = tx.write_mapped(&mut buf)?;
            let requests = map.len();
            // Nothing to apply: the kernel would answer nothing to wait for.
            if requests == 0 {
                return Ok(TxReport { ops: 0, failures: Vec::new() });
            }
            let mut replies = None;
            run!(self.do_send_collect(NETFILTER, &mut buf, answers_rcvbuf(requests), |first, m| {
                replies
                    .get_or_insert_with(|| TxReplies::new(first, requests))
                    .feed(&m)
            }))
            .map_err(|e| e.about("nft transaction"))?;
            let ops = tx.len();
            let failures = replies
                .map(|r| {
                    r.failures()
                        .iter()
                        .map(|f| {
                            let op = f.index.and_then(|i| map.get(i).copied());
                            (op.unwrap_or(ops), tx_error(tx, &buf, f, op))
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(TxReport { ops, failures })
        }
    }

    call! {
        /// One operation as its own transaction; its refusal as the error.
        pub(crate) fn nft_one(&self, tx: Transaction) -> Result<()> {
            run!(self.nft_transaction(&tx))?.into_result().map(|_| ())
        }
    }

    call! {
        /// The ruleset's generation id (`NFT_MSG_GETGEN`): each committed
        /// transaction moves it on; pass it to
        /// [`Transaction::expect_genid`] to refuse applying over changes.
        pub fn nft_gen_id(&self) -> Result<u32> {
            let mut found = None;
            run!(self.do_exchange(NETFILTER, |b| Ok(GenId::write_get(b)?), |m| {
                if found.is_none() && m.ty() == msg_type(SUBSYSTEM, NFT_MSG_NEWGEN) {
                    found = Some(GenId::parse(&m)?.id);
                }
                Ok(())
            }))
            .map_err(|e| e.about("nft generation"))?;
            found.ok_or_else(|| Error::not_found("nft generation reply".into(), None))
        }
    }

    call! {
        /// `nft add table` (no error if it exists).
        pub fn nft_table_add(&self, table: &Table) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_table(table.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete table` (with all it holds).
        pub fn nft_table_del(&self, table: &Table) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_table(table.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft list tables` of `family` (`Family::Unspec`: every family).
        pub fn nft_table_list(&self, family: Family) -> Result<Vec<Table>> {
            run!(self.do_dump(NETFILTER, |b| Ok(Table::write_dump(b, family)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWTABLE) {
                    return Ok(None);
                }
                Ok(Some(Table::parse(&m)?))
            }))
            .map_err(|e| e.about("nft list tables"))
        }
    }

    call! {
        /// `nft add chain` (no error if it exists).
        pub fn nft_chain_add(&self, chain: &Chain) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_chain(chain.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete chain` (empty and unreferenced).
        pub fn nft_chain_del(&self, chain: &Chain) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_chain(chain.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft list chains` of `family`, of `table` if given.
        pub fn nft_chain_list(&self, family: Family, table: Option<&str>) -> Result<Vec<Chain>> {
            run!(self.do_dump(NETFILTER, |b| Ok(Chain::write_dump(b, family, table)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWCHAIN) {
                    return Ok(None);
                }
                // The kernel filters by table only with a family given.
                Ok(Some(Chain::parse(&m)?).filter(|c| table.is_none() || c.table.as_deref() == table))
            }))
            .map_err(|e| e.about("nft list chains"))
        }
    }

    call! {
        /// `nft add rule` (appended; after `rule.position` if set).
        pub fn nft_rule_add(&self, rule: &Rule) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_rule(rule.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft insert rule` (first; before `rule.position` if set).
        pub fn nft_rule_insert(&self, rule: &Rule) -> Result<()> {
            let mut tx = Transaction::new();
            tx.insert_rule(rule.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete rule` (table, chain and handle set).
        pub fn nft_rule_del(&self, rule: &Rule) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_rule(rule.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// The rules of `family`, of `table` and `chain` if given, with
        /// their handles and expressions.
        pub fn nft_rule_list(&self, family: Family, table: Option<&str>, chain: Option<&str>) -> Result<Vec<Rule>> {
            run!(self.do_dump(NETFILTER, |b| Ok(Rule::write_dump(b, family, table, chain)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWRULE) {
                    return Ok(None);
                }
                Ok(Some(Rule::parse(&m)?).filter(|r| {
                    (table.is_none() || r.table.as_deref() == table)
                        && (chain.is_none() || r.chain.as_deref() == chain)
                }))
            }))
            .map_err(|e| e.about("nft list rules"))
        }
    }

    call! {
        /// Streams the rules of `family` (of `table` and `chain` if given)
        /// to `f` one at a time: memory stays bounded by the receive
        /// buffer, whatever the ruleset size. An interrupted dump
        /// (`NLM_F_DUMP_INTR`) is an error after the rules it gave.
        pub fn nft_rule_for_each(
            &self,
            family: Family,
            table: Option<&str>,
            chain: Option<&str>,
            mut f: impl FnMut(Rule) -> Result<()>,
        ) -> Result<()> {
            run!(self.do_dump_each(NETFILTER, |b| Ok(Rule::write_dump(b, family, table, chain)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWRULE) {
                    return Ok(());
                }
                let r = Rule::parse(&m)?;
                if (table.is_none() || r.table.as_deref() == table)
                    && (chain.is_none() || r.chain.as_deref() == chain)
                {
                    f(r)?;
                }
                Ok(())
            }))
            .map_err(|e| e.about("nft list rules"))
        }
    }

    call! {
        /// `nft add set` (no error if it exists); its `elements` are added
        /// in the same transaction.
        pub fn nft_set_add(&self, set: &Set) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_set(set.clone());
            if !set.elements.is_empty() {
                tx.add_elements(SetElems::new(
                    set.family,
                    set.table.as_deref().unwrap_or_default(),
                    set.name.as_deref().unwrap_or_default(),
                    set.elements.clone(),
                ));
            }
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete set`.
        pub fn nft_set_del(&self, set: &Set) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_set(set.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft add element`.
        pub fn nft_set_elements_add(&self, elems: &SetElems) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_elements(elems.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete element`.
        pub fn nft_set_elements_del(&self, elems: &SetElems) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_elements(elems.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// The sets of `family`, of `table` if given (without elements:
        /// see [`Handle::nft_set_elements`]).
        pub fn nft_set_list(&self, family: Family, table: Option<&str>) -> Result<Vec<Set>> {
            run!(self.do_dump(NETFILTER, |b| Ok(Set::write_dump(b, family, table)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWSET) {
                    return Ok(None);
                }
                Ok(Some(Set::parse(&m)?).filter(|s| table.is_none() || s.table.as_deref() == table))
            }))
            .map_err(|e| e.about("nft list sets"))
        }
    }

    call! {
        /// The elements of set `set` in `table` of `family`.
        pub fn nft_set_elements(&self, family: Family, table: &str, set: &str) -> Result<Vec<SetElem>> {
            // Appended in place as each message arrives: no list of lists.
            run!(self.do_dump_into(NETFILTER, |b| Ok(SetElems::write_dump(b, family, table, set)?), |m, out| {
                if m.ty() == msg_type(SUBSYSTEM, NFT_MSG_NEWSETELEM) {
                    out.extend(SetElems::parse(&m)?.elements);
                }
                Ok(())
            }))
            .map_err(|e| e.about(format_args!("nft list set {} {table} {set}", family.name())))
        }
    }

    call! {
        /// Streams the elements of set `set` in `table` to `f`, one
        /// message's worth (a few hundred) at a time, in the memory of
        /// the receive buffer.
        pub fn nft_set_elements_for_each(
            &self,
            family: Family,
            table: &str,
            set: &str,
            mut f: impl FnMut(SetElems) -> Result<()>,
        ) -> Result<()> {
            run!(self.do_dump_each(NETFILTER, |b| Ok(SetElems::write_dump(b, family, table, set)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWSETELEM) {
                    return Ok(());
                }
                f(SetElems::parse(&m)?)
            }))
            .map_err(|e| e.about(format_args!("nft list set {} {table} {set}", family.name())))
        }
    }

    call! {
        /// `nft add counter|quota|limit ...`: a stateful object (see
        /// [`Obj::new`]).
        pub fn nft_obj_add(&self, obj: &Obj) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_obj(obj.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete counter|quota|limit ...` (table, name and type set).
        pub fn nft_obj_del(&self, obj: &Obj) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_obj(obj.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// The stateful objects of `family`, of `table` if given, with
        /// their state ([`Obj::state`]).
        pub fn nft_obj_list(&self, family: Family, table: Option<&str>) -> Result<Vec<Obj>> {
            run!(self.do_dump(NETFILTER, |b| Ok(Obj::write_dump(b, family, table)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWOBJ) {
                    return Ok(None);
                }
                Ok(Some(Obj::parse(&m)?).filter(|o| table.is_none() || o.table.as_deref() == table))
            }))
            .map_err(|e| e.about("nft list objects"))
        }
    }

    call! {
        /// `nft add flowtable`.
        pub fn nft_flowtable_add(&self, flowtable: &Flowtable) -> Result<()> {
            let mut tx = Transaction::new();
            tx.add_flowtable(flowtable.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// `nft delete flowtable`.
        pub fn nft_flowtable_del(&self, flowtable: &Flowtable) -> Result<()> {
            let mut tx = Transaction::new();
            tx.del_flowtable(flowtable.clone());
            run!(self.nft_one(tx))
        }
    }

    call! {
        /// The flowtables of `family`, of `table` if given.
        pub fn nft_flowtable_list(&self, family: Family, table: Option<&str>) -> Result<Vec<Flowtable>> {
            run!(self.do_dump(NETFILTER, |b| Ok(Flowtable::write_dump(b, family, table)?), |m| {
                if m.ty() != msg_type(SUBSYSTEM, NFT_MSG_NEWFLOWTABLE) {
                    return Ok(None);
                }
                Ok(Some(Flowtable::parse(&m)?).filter(|f| table.is_none() || f.table.as_deref() == table))
            }))
            .map_err(|e| e.about("nft list flowtables"))
        }
    }

    call! {
        /// `nft list ruleset` of `family` (`Family::Unspec`: all): tables,
        /// chains, sets with their elements, rules, objects, flowtables.
        pub fn nft_ruleset(&self, family: Family) -> Result<Ruleset> {
            let tables = run!(self.nft_table_list(family))?;
            let chains = run!(self.nft_chain_list(family, None))?;
            let mut sets = run!(self.nft_set_list(family, None))?;
            for s in &mut sets {
                let (Some(table), Some(name)) = (s.table.clone(), s.name.clone()) else {
                    continue;
                };
                // Anonymous sets of rules are listed with their elements too.
                s.elements = run!(self.nft_set_elements(s.family, &table, &name))?;
            }
            let rules = run!(self.nft_rule_list(family, None, None))?;
            let objs = run!(self.nft_obj_list(family, None))?;
            let flowtables = run!(self.nft_flowtable_list(family, None))?;
            Ok(Ruleset { tables, chains, sets, rules, objs, flowtables })
        }
    }

    call! {
        /// `nft list ruleset` of `family`, streamed to `f` object by
        /// object: rules and set elements, the bulk of a large ruleset,
        /// never all in memory at once (tables, chains, sets, objects and
        /// flowtables are listed first, then handed over one at a time).
        pub fn nft_ruleset_for_each(
            &self,
            family: Family,
            mut f: impl FnMut(RulesetItem) -> Result<()>,
        ) -> Result<()> {
            for t in run!(self.nft_table_list(family))? {
                f(RulesetItem::Table(t))?;
            }
            for c in run!(self.nft_chain_list(family, None))? {
                f(RulesetItem::Chain(c))?;
            }
            for s in run!(self.nft_set_list(family, None))? {
                let (fam, table, name) = (s.family, s.table.clone(), s.name.clone());
                f(RulesetItem::Set(s))?;
                if let (Some(table), Some(name)) = (table, name) {
                    run!(self.nft_set_elements_for_each(fam, &table, &name, |e| f(RulesetItem::Elems(e))))?;
                }
            }
            run!(self.nft_rule_for_each(family, None, None, |r| f(RulesetItem::Rule(r))))?;
            for o in run!(self.nft_obj_list(family, None))? {
                f(RulesetItem::Obj(o))?;
            }
            for ft in run!(self.nft_flowtable_list(family, None))? {
                f(RulesetItem::Flowtable(ft))?;
            }
            Ok(())
        }
    }
}
