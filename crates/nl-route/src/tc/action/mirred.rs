//! `mirred`: redirect or mirror packets to a device.

use nl_wire::MsgBuilder;

use crate::error::{Error, Result};
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_mirred::*;
use crate::uapi::types::{TcGen, TcMirred};

nl_wire::kernel_enum! {
    /// mirred's `eaction` (`TCA_*_REDIR`, `TCA_*_MIRROR`), with `tc`'s
    /// words ([`MirredAction::words`] splits them).
    pub enum MirredAction: i32, "mirred", Error {
        /// `egress redirect`.
        EgressRedirect = TCA_EGRESS_REDIR => "egress redirect",
        /// `egress mirror`.
        EgressMirror = TCA_EGRESS_MIRROR => "egress mirror",
        /// `ingress redirect`.
        IngressRedirect = TCA_INGRESS_REDIR => "ingress redirect",
        /// `ingress mirror`.
        IngressMirror = TCA_INGRESS_MIRROR => "ingress mirror",
    }
}

impl MirredAction {
    /// `tc`'s words: (`egress`|`ingress`, `redirect`|`mirror`).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            MirredAction::EgressRedirect => ("egress", "redirect"),
            MirredAction::EgressMirror => ("egress", "mirror"),
            MirredAction::IngressRedirect => ("ingress", "redirect"),
            MirredAction::IngressMirror => ("ingress", "mirror"),
            MirredAction::Other(_) => ("unknown", "unknown"),
        }
    }

    /// From `tc`'s words.
    pub fn from_words(direction: &str, what: &str) -> Result<Self> {
        Ok(match (direction, what) {
            ("egress", "redirect") => MirredAction::EgressRedirect,
            ("egress", "mirror") => MirredAction::EgressMirror,
            ("ingress", "redirect") => MirredAction::IngressRedirect,
            ("ingress", "mirror") => MirredAction::IngressMirror,
            _ => {
                return Err(Error::invalid(
                    "mirred",
                    "egress|ingress then redirect|mirror",
                ));
            }
        })
    }

    /// Whether packets are copied (mirror) rather than moved (redirect).
    pub fn is_mirror(self) -> bool {
        matches!(
            self,
            MirredAction::EgressMirror | MirredAction::IngressMirror
        )
    }
}

/// `mirred` options (`struct tc_mirred`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mirred {
    /// Direction and mirror/redirect.
    pub action: MirredAction,
    /// Target interface index.
    pub ifindex: u32,
}

impl ActionOptions for Mirred {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut k = Mirred {
            action: MirredAction::EgressRedirect,
            ifindex: 0,
        };
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_MIRRED_PARMS {
                let p: TcMirred = a.read();
                input.head = Some(p.head);
                k = Mirred {
                    action: p.eaction.get().into(),
                    ifindex: p.ifindex.get(),
                };
            }
        }
        Ok(k)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(
            TCA_MIRRED_PARMS,
            &TcMirred {
                head,
                eaction: i32::from(self.action).into(),
                ifindex: self.ifindex.into(),
            },
        );
    }

    fn validate(&self, _index: u32) -> Result<()> {
        if self.ifindex == 0 {
            return Err(Error::invalid("mirred", "needs a target device"));
        }
        Ok(())
    }
}
