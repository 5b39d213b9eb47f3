//! `choke`: CHOose and Keep for responsive flows, CHOose and Kill for
//! unresponsive ones. Its options are red's (`struct tc_red_qopt`, the
//! idle damping table, max_P), with thresholds in packets.

use crate::error::{Error, Result};
use crate::tc::units::{self, Rate};

use super::Red;

/// choke's parameters as `tc qdisc add ... choke limit L bandwidth BW [min
/// MIN] [max MAX] [burst B] [avpkt A] [probability P]` computes them:
/// thresholds in packets (max defaults to a quarter of the limit, min to
/// a third of max), red's weights from bytes at `avpkt` each.
pub fn choke(
    limit: u32,
    min: Option<u32>,
    max: Option<u32>,
    burst: Option<u32>,
    avpkt: u32,
    bandwidth: Rate,
    probability: f64,
) -> Result<Red> {
    let max = max.filter(|m| *m != 0).unwrap_or(limit / 4);
    let min = min.filter(|m| *m != 0).unwrap_or(max / 3);
    let burst = burst.filter(|b| *b != 0).unwrap_or((2 * min + max) / 3);
    if limit == 0 || bandwidth.bytes() == 0 {
        return Err(Error::invalid("choke", "needs a limit and a bandwidth"));
    }
    if max > limit || min >= max {
        return Err(Error::invalid("choke", "needs min < max <= limit"));
    }
    let min_bytes = min.saturating_mul(avpkt);
    let wlog = units::red_wlog(min_bytes, burst, avpkt).ok_or(Error::invalid(
        "choke burst",
        "no averaging weight fits (raise burst)",
    ))?;
    let plog = units::red_plog(min_bytes, max.saturating_mul(avpkt), probability).ok_or(
        Error::invalid("choke probability", "no probability scale fits"),
    )?;
    let (scell_log, stab) = units::red_idle_damping(wlog, avpkt, bandwidth).ok_or(
        Error::invalid("choke bandwidth", "no idle damping table fits"),
    )?;
    Ok(Red {
        limit,
        min,
        max,
        wlog,
        plog,
        scell_log,
        flags: 0,
        max_p: Some(units::red_max_p(probability)),
        stab: stab.to_vec(),
    })
}
