//! Rule calls: `ip rule` in Rust.

use nl_route::uapi::rtnetlink::RTM_NEWRULE;
use nl_route::{Rule, RuleDump};

use crate::error::Result;
use crate::handle::Handle;

impl Handle {
    /// Rules of one family (`AF_INET`, `AF_INET6`) or both (0), in the
    /// kernel's order (`ip rule show`; the Go library's `RuleList`).
    pub fn rule_list(&self, family: u8) -> Result<Vec<Rule>> {
        self.rule_list_filtered(&RuleDump {
            family,
            ..RuleDump::default()
        })
    }

    /// Rules matching `filter` (the Go library's `RuleListFiltered`: source,
    /// destination, table, TOS, priority, mark and mask, plus protocol and
    /// interfaces). The kernel does not filter rule dumps; the library does.
    pub fn rule_list_filtered(&self, filter: &RuleDump) -> Result<Vec<Rule>> {
        self.list(filter, RTM_NEWRULE, Rule::parse)
    }

    /// `ip rule add` (`RuleAdd`).
    pub fn rule_add(&self, rule: &Rule) -> Result<()> {
        self.route(|c| c.request(|b| Ok(rule.write_add(b)?)))?;
        Ok(())
    }

    /// `ip rule del` (`RuleDel`): deletes the first rule matching every
    /// selector `rule` sets.
    pub fn rule_del(&self, rule: &Rule) -> Result<()> {
        self.route(|c| c.request(|b| Ok(rule.write_del(b)?)))?;
        Ok(())
    }
}
