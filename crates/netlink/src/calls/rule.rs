// Rule calls: `ip rule` in Rust.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::uapi::rtnetlink::RTM_NEWRULE;
use nl_route::{Rule, RuleDump};
use crate::error::Result;

impl H {
    call! {
        /// Rules of one family (`AF_INET`, `AF_INET6`) or both (0), in the
        /// kernel's order (`ip rule show`; the Go library's `RuleList`).
        pub fn rule_list(&self, family: u8) -> Result<Vec<Rule>> {
            run!(self.rule_list_filtered(&RuleDump {
                family,
                ..RuleDump::default()
            }))
        }
    }

    call! {
        /// Rules matching `filter` (the Go library's `RuleListFiltered`: source,
        /// destination, table, TOS, priority, mark and mask, plus protocol and
        /// interfaces). The kernel does not filter rule dumps; the library does.
        pub fn rule_list_filtered(&self, filter: &RuleDump) -> Result<Vec<Rule>> {
            run!(self.list(filter, RTM_NEWRULE, Rule::parse))
        }
    }

    call! {
        /// `ip rule add` (`RuleAdd`).
        pub fn rule_add(&self, rule: &Rule) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(rule.write_add(b)?)))
                .map_err(|e| e.about(format_args!("rule add {rule}")))?;
            Ok(())
        }
    }

    call! {
        /// `ip rule del` (`RuleDel`): deletes the first rule matching every
        /// selector `rule` sets.
        pub fn rule_del(&self, rule: &Rule) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(rule.write_del(b)?)))
                .map_err(|e| e.about(format_args!("rule del {rule}")))?;
            Ok(())
        }
    }
}
