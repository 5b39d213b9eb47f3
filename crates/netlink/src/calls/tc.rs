// Traffic control calls: `tc qdisc|class|filter|actions` in Rust (the Go
// library's `QdiscList`, `QdiscAdd`, `ClassAdd`, `FilterAdd` ...).
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::tc::{
    Action, ActionDump, Chain, Class, Filter, FilterEntry, Qdisc, TcDump, TcHandle, U32Table,
};
use nl_route::uapi::rtnetlink::{
    RTM_GETACTION, RTM_NEWACTION, RTM_NEWCHAIN, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER,
};
use crate::error::{Error, Result};
use nl_route::link::LinkId;

impl H {
    call! {
        fn tc_dump<T>(
            &self,
            dump: &TcDump,
            reply: u16,
            parse: impl Fn(&nl_wire::Msg<'_>) -> nl_route::Result<T>,
        ) -> Result<Vec<T>> {
            run!(self.do_dump(ROUTE, |b| Ok(dump.write(b)?),
                    |m| {
                        if m.ty() != reply {
                            return Ok(None);
                        }
                        Ok(Some(parse(&m)?))
                    }))
        }
    }

    call! {
        /// Qdiscs of one device (`tc qdisc show dev X`).
        pub fn qdisc_list(&self, link: impl Into<LinkId>) -> Result<Vec<Qdisc>> {
            let index = run!(self.link_index(link))?;
            let all = run!(self.tc_dump(&TcDump::qdiscs(index), RTM_NEWQDISC, Qdisc::parse))?;
            Ok(all.into_iter().filter(|q| q.index == index).collect())
        }
    }

    call! {
        /// Qdiscs of every device (`tc qdisc show`).
        pub fn qdisc_list_all(&self) -> Result<Vec<Qdisc>> {
            run!(self.tc_dump(&TcDump::qdiscs(0), RTM_NEWQDISC, Qdisc::parse))
        }
    }

    call! {
        /// `tc qdisc add` (`QdiscAdd`): fails with `Exists` when the parent
        /// already has a qdisc of its own.
        pub fn qdisc_add(&self, qdisc: &Qdisc) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(qdisc.write_add(b)?)))
                .map_err(|e| e.about(format_args!("qdisc add (dev {}, handle {})", qdisc.index, qdisc.handle)))?;
            Ok(())
        }
    }

    call! {
        /// `tc qdisc replace` (`QdiscReplace`): adds, or replaces what is at
        /// the parent.
        pub fn qdisc_replace(&self, qdisc: &Qdisc) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(qdisc.write_replace(b)?)))
                .map_err(|e| e.about(format_args!("qdisc replace (dev {}, handle {})", qdisc.index, qdisc.handle)))?;
            Ok(())
        }
    }

    call! {
        /// `tc qdisc change` (`QdiscChange`): new options for an existing qdisc.
        pub fn qdisc_change(&self, qdisc: &Qdisc) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(qdisc.write_change(b)?)))
                .map_err(|e| e.about(format_args!("qdisc change (dev {}, handle {})", qdisc.index, qdisc.handle)))?;
            Ok(())
        }
    }

    call! {
        /// `tc qdisc del` (`QdiscDel`).
        pub fn qdisc_del(&self, qdisc: &Qdisc) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(qdisc.write_del(b)?)))
                .map_err(|e| e.about(format_args!("qdisc del (dev {}, handle {})", qdisc.index, qdisc.handle)))?;
            Ok(())
        }
    }

    call! {
        /// Classes of one device (`tc class show dev X`; `ClassList`).
        pub fn class_list(&self, link: impl Into<LinkId>) -> Result<Vec<Class>> {
            let index = run!(self.link_index(link))?;
            run!(self.tc_dump(&TcDump::classes(index), RTM_NEWTCLASS, Class::parse))
        }
    }

    call! {
        /// `tc class add` (`ClassAdd`).
        pub fn class_add(&self, class: &Class) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(class.write_add(b)?)))
                .map_err(|e| e.about(format_args!("class add (dev {}, handle {})", class.index, class.handle)))?;
            Ok(())
        }
    }

    call! {
        /// `tc class replace` (`ClassReplace`).
        pub fn class_replace(&self, class: &Class) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(class.write_replace(b)?)))
                .map_err(|e| e.about(format_args!("class replace (dev {}, handle {})", class.index, class.handle)))?;
            Ok(())
        }
    }

    call! {
        /// `tc class change` (`ClassChange`).
        pub fn class_change(&self, class: &Class) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(class.write_change(b)?)))
                .map_err(|e| e.about(format_args!("class change (dev {}, handle {})", class.index, class.handle)))?;
            Ok(())
        }
    }

    call! {
        /// `tc class del` (`ClassDel`).
        pub fn class_del(&self, class: &Class) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(class.write_del(b)?)))
                .map_err(|e| e.about(format_args!("class del (dev {}, handle {})", class.index, class.handle)))?;
            Ok(())
        }
    }

    call! {
        /// Filters of one device under `parent` (`tc filter show dev X parent
        /// P`; `FilterList`): the filters only, each safe to delete with
        /// [`Handle::filter_del`]. The kernel also lists a head per priority
        /// and u32's hash tables; [`Handle::filter_entries`] has those too.
        pub fn filter_list(&self, link: impl Into<LinkId>, parent: TcHandle) -> Result<Vec<Filter>> {
            Ok(run!(self
                .filter_entries(link, parent))?
                .into_iter()
                .filter_map(FilterEntry::into_filter)
                .collect())
        }
    }

    call! {
        /// Everything a filter dump lists, in the kernel's order, typed: per
        /// priority its head, then (u32) its hash tables and the filters. This
        /// is what `tc filter show` prints, one line each.
        pub fn filter_entries(
            &self,
            link: impl Into<LinkId>,
            parent: TcHandle,
        ) -> Result<Vec<FilterEntry>> {
            let index = run!(self.link_index(link))?;
            run!(self.tc_dump(
                &TcDump::filters(index, parent),
                RTM_NEWTFILTER,
                FilterEntry::parse,
            ))
        }
    }

    call! {
        /// `tc filter add` (`FilterAdd`).
        ///
        /// ```no_run
        /// use netlink::nl_route::tc::{Action, Class, Filter, FilterKind, Htb, HtbClass, MirredAction,
        ///     Protocol, Qdisc, QdiscKind, TcHandle, U32, U32Key, U32Sel};
        ///
        /// let h = netlink::Handle::new()?;
        /// let dev = h.link_index("eth0")?;
        /// // tc qdisc add dev eth0 root handle 1: htb default 10
        /// let htb = QdiscKind::Htb(Htb { default_class: 0x10, ..Htb::default() });
        /// h.qdisc_add(&Qdisc::new(dev, TcHandle::ROOT, htb).handle("1:".parse()?))?;
        /// // tc class add dev eth0 parent 1: classid 1:10 htb rate 10mbit
        /// let class = HtbClass::new("10mbit".parse()?);
        /// h.class_add(&Class::new(dev, "1:".parse()?, class.into()).classid("1:10".parse()?))?;
        /// // tc filter add dev eth0 parent 1: protocol ip u32 match ip dst 192.0.2.0/24
        /// //     flowid 1:10 action mirred egress mirror dev eth1
        /// let u32 = U32 {
        ///     classid: Some("1:10".parse()?),
        ///     sel: Some(U32Sel::matching(vec![U32Key::ip_dst("192.0.2.0/24".parse()?)])),
        ///     actions: vec![Action::mirred(MirredAction::EgressMirror, h.link_index("eth1")?)],
        ///     ..U32::default()
        /// };
        /// h.filter_add(&Filter::new(dev, "1:".parse()?, Protocol::IP, FilterKind::U32(u32)))?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn filter_add(&self, filter: &Filter) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(filter.write_add(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc filter replace` (`FilterReplace`).
        pub fn filter_replace(&self, filter: &Filter) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(filter.write_replace(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc filter change`.
        pub fn filter_change(&self, filter: &Filter) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(filter.write_change(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc filter del` (`FilterDel`): by priority, protocol and handle
        /// when set; handle 0 removes the whole priority, priority 0 every
        /// filter under the parent. A u32 handle naming a hash table is
        /// refused (see [`Handle::u32_table_del`]).
        pub fn filter_del(&self, filter: &Filter) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(filter.write_del(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc filter add ... u32 divisor N`: a u32 hash table that filters
        /// go into with `ht` and reach with `link`.
        pub fn u32_table_add(&self, table: &U32Table) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(table.write_add(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc filter del ... handle ID: u32`: deletes a u32 hash table and
        /// every filter in it (the kernel refuses a priority's root table and
        /// a table a filter links to).
        pub fn u32_table_del(&self, table: &U32Table) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(table.write_del(b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc actions add`: puts actions in the kernel's tables, where filters
        /// can share them by index.
        pub fn action_add(&self, actions: &[Action]) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(Action::write_add(actions, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc actions replace`.
        pub fn action_replace(&self, actions: &[Action]) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(Action::write_replace(actions, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc actions del action KIND index N`.
        pub fn action_del(&self, kind: &str, index: u32) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(Action::write_del(kind, index, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// `tc actions list action KIND`.
        pub fn action_list(&self, kind: &str) -> Result<Vec<Action>> {
            let dump = ActionDump {
                kind: kind.to_string(),
            };
            let lists = run!(self.do_dump(ROUTE, |b| Ok(dump.write(b)?),
                    |m| {
                        // Dump replies carry the request's type.
                        if m.ty() != RTM_NEWACTION && m.ty() != RTM_GETACTION {
                            return Ok(None);
                        }
                        Ok(Some(Action::parse_msg(&m)?))
                    }))?;
            Ok(lists.into_iter().flatten().collect())
        }
    }

    call! {
        /// `tc actions get action KIND index N`.
        pub fn action_get(&self, kind: &str, index: u32) -> Result<Action> {
            let mut found = None;
            run!(self.do_exchange(ROUTE, |b| Ok(Action::write_get(kind, index, b)?),
                    |m| {
                        // The kernel answers a get with RTM_GETACTION.
                        if m.ty() == RTM_NEWACTION || m.ty() == RTM_GETACTION {
                            found = Action::parse_msg(&m)?.into_iter().next();
                        }
                        Ok(())
                    }))?;
            found.ok_or_else(|| Error::not_found(format!("{kind} action {index}"), None))
        }
    }

    call! {
        /// Chains of one device's qdisc (`tc chain show dev X parent P`;
        /// `ChainList`): chain 0, every chain with filters, and every chain
        /// added explicitly, with its template.
        pub fn chain_list(&self, link: impl Into<LinkId>, parent: TcHandle) -> Result<Vec<Chain>> {
            let index = run!(self.link_index(link))?;
            run!(self.do_dump(ROUTE, |b| Ok(Chain::write_dump(index, parent, b)?),
                    |m| {
                        if m.ty() != RTM_NEWCHAIN {
                            return Ok(None);
                        }
                        Ok(Some(Chain::parse(&m)?))
                    }))
        }
    }

    call! {
        /// `tc chain add` (`ChainAdd`): fails with `Exists` when the chain
        /// was added before (a chain only filters made can be added once).
        pub fn chain_add(&self, chain: &Chain) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(chain.write_add(b)?)))
                .map_err(|e| e.about(format_args!("chain add (dev {}, chain {})", chain.index, chain.chain)))?;
            Ok(())
        }
    }

    call! {
        /// `tc chain del` (`ChainDel`): deletes the chain with every filter
        /// in it.
        pub fn chain_del(&self, chain: &Chain) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(chain.write_del(b)?)))
                .map_err(|e| e.about(format_args!("chain del (dev {}, chain {})", chain.index, chain.chain)))?;
            Ok(())
        }
    }
}
