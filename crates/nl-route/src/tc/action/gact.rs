//! `gact`: a verdict, optionally random.

use nl_wire::MsgBuilder;

use crate::tc::Verdict;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_gact::{TCA_GACT_PARMS, TCA_GACT_PROB};
use crate::uapi::types::{TcGactP, TcGen};

/// `gact` options: the verdict is the action's own; `random` makes it
/// probabilistic (`random determ|netrand`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gact {
    /// `tc_gact_p`: `PGACT_NETRAND` or `PGACT_DETERM`, the value, and the
    /// other verdict.
    pub random: Option<(u16, u16, Verdict)>,
}

impl ActionOptions for Gact {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut g = Gact::default();
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_GACT_PARMS => input.head = Some(a.read()),
                TCA_GACT_PROB => {
                    let p: TcGactP = a.read();
                    g.random = Some((p.ptype.get(), p.pval.get(), p.paction.get().into()));
                }
                _ => {}
            }
        }
        Ok(g)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_GACT_PARMS, &head);
        if let Some((ptype, pval, paction)) = self.random {
            m.put(
                TCA_GACT_PROB,
                &TcGactP {
                    ptype: ptype.into(),
                    pval: pval.into(),
                    paction: i32::from(paction).into(),
                },
            );
        }
    }
}
