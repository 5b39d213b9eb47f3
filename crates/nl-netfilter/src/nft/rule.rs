//! nftables rules (`NFT_MSG_NEWRULE`, `NFTA_RULE_*`): a list of
//! expressions in a chain.

use nl_wire::Msg;

use super::{Expr, Family, nft_attrs, parse_object, write_dump};
use crate::Result;
use crate::uapi::nf_tables::*;

/// nft's userdata TLV type of a rule comment (`NFTNL_UDATA_RULE_COMMENT`).
const UDATA_RULE_COMMENT: u8 = 0;

nft_attrs! {
    /// A rule of a chain.
    pub struct Rule {
        [
            /// The family (from the nfgenmsg).
            family: Family
        ]
        [
            /// `NFTA_RULE_EXPRESSIONS`, in order.
            exprs: Vec<Expr>
        ]
        /// `NFTA_RULE_TABLE`.
        table: String = NFTA_RULE_TABLE,
        /// `NFTA_RULE_CHAIN`.
        chain: String = NFTA_RULE_CHAIN,
        /// `NFTA_RULE_HANDLE`.
        handle: u64 = NFTA_RULE_HANDLE,
        /// `NFTA_RULE_POSITION`: on add, the handle of the rule to insert
        /// after (append) or before (insert).
        position: u64 = NFTA_RULE_POSITION,
        /// `NFTA_RULE_USERDATA`: nft keeps the comment here (see
        /// [`Rule::comment`]).
        userdata: Vec<u8> = NFTA_RULE_USERDATA,
        /// `NFTA_RULE_ID`: names the rule inside one transaction.
        id: u32 = NFTA_RULE_ID,
    }
}

impl Rule {
    /// An empty rule of `chain` in `table`; push expressions to `exprs`.
    pub fn new(family: Family, table: &str, chain: &str) -> Self {
        Rule {
            family,
            table: Some(table.to_string()),
            chain: Some(chain.to_string()),
            ..Default::default()
        }
    }

    /// The rule with `exprs` appended.
    pub fn with(mut self, exprs: impl IntoIterator<Item = Expr>) -> Self {
        self.exprs.extend(exprs);
        self
    }

    /// The comment nft keeps in the userdata (its TLV of type 0).
    pub fn comment(&self) -> Option<&str> {
        let mut rest = self.userdata.as_deref()?;
        while let [ty, len, tail @ ..] = rest {
            let value = tail.get(..usize::from(*len))?;
            if *ty == UDATA_RULE_COMMENT {
                let text = value.split(|b| *b == 0).next().unwrap_or_default();
                return core::str::from_utf8(text).ok();
            }
            rest = tail.get(usize::from(*len)..)?;
        }
        None
    }

    /// Sets the comment the way nft writes it (NUL-terminated TLV, at most
    /// 254 bytes of text).
    pub fn with_comment(mut self, comment: &str) -> Result<Self> {
        let len = u8::try_from(comment.len() + 1)
            .map_err(|_| crate::Error::invalid("comment", "longer than 254 bytes"))?;
        let mut ud = vec![UDATA_RULE_COMMENT, len];
        ud.extend_from_slice(comment.as_bytes());
        ud.push(0);
        self.userdata = Some(ud);
        Ok(self)
    }

    /// Reads an `NFT_MSG_NEWRULE` message.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let (mut r, family) = parse_object(msg, NFT_MSG_NEWRULE, |attrs| {
            Self::parse_with(attrs, |r, a| {
                if a.ty() == NFTA_RULE_EXPRESSIONS {
                    for e in a.nested() {
                        r.exprs.push(Expr::parse(&e?)?);
                    }
                }
                Ok(())
            })
        })?;
        r.family = family;
        Ok(r)
    }

    /// Writes a dump of the rules of `family`, of `table` (and `chain`)
    /// if given.
    pub fn write_dump(
        buf: &mut Vec<u8>,
        family: Family,
        table: Option<&str>,
        chain: Option<&str>,
    ) -> Result<()> {
        write_dump(buf, NFT_MSG_GETRULE, family, |m| {
            if let Some(t) = table {
                m.put_str(NFTA_RULE_TABLE, t);
            }
            if let Some(c) = chain {
                m.put_str(NFTA_RULE_CHAIN, c);
            }
        })
    }

    /// The attributes that name the rule (for deletes): table, chain,
    /// handle.
    pub(crate) fn write_key(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        let key = Rule {
            table: self.table.clone(),
            chain: self.chain.clone(),
            handle: self.handle,
            ..Default::default()
        };
        key.write_attrs(m);
    }

    /// Written attributes for an add: the handle left out, the
    /// expressions in a list.
    pub(crate) fn write_new(&self, m: &mut nl_wire::MsgBuilder<'_>) {
        // write_attrs' order without the handle; no clone of the rule
        // (a transaction writes thousands).
        use super::NftAttr;
        if let Some(v) = &self.table {
            v.write(NFTA_RULE_TABLE, m);
        }
        if let Some(v) = &self.chain {
            v.write(NFTA_RULE_CHAIN, m);
        }
        if let Some(v) = &self.position {
            v.write(NFTA_RULE_POSITION, m);
        }
        if let Some(v) = &self.userdata {
            v.write(NFTA_RULE_USERDATA, m);
        }
        if let Some(v) = &self.id {
            v.write(NFTA_RULE_ID, m);
        }
        m.nest(NFTA_RULE_EXPRESSIONS, |m| {
            for e in &self.exprs {
                e.write(m);
            }
        });
    }
}
