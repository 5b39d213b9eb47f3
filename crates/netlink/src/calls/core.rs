// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_sock::{Ack, BatchReport};
use nl_wire::Msg;

use crate::error::Result;
use crate::handle::DumpFilter;

impl H {
    call! {
        /// Dumps with `filter`'s request and keeps the replies of type
        /// `reply` that parse and that the filter matches (the library
        /// checks again what the kernel may not have filtered).
        pub(crate) fn list<T, F: DumpFilter<T>>(
            &self,
            filter: &F,
            reply: u16,
            parse: impl Fn(&Msg<'_>) -> nl_route::Result<T>,
        ) -> Result<Vec<T>> {
            run!(self.do_dump(
                ROUTE,
                |b| Ok(filter.write(b)?),
                |m| {
                    if m.ty() != reply {
                        return Ok(None);
                    }
                    Ok(Some(parse(&m)?).filter(|x| filter.matches(x)))
                },
            ))
        }
    }

    call! {
        /// Sends a batch of prebuilt NETLINK_ROUTE requests (any mix, each a
        /// whole message, as the nl-route `write_*` functions produce) with
        /// as few syscalls as the socket allows; one result per request.
        pub fn route_batch(&self, requests: &mut [u8]) -> Result<BatchReport> {
            run!(self.do_batch(ROUTE, requests))
        }
    }

    call! {
        /// Sends one prebuilt NETLINK_ROUTE request and waits for its ack.
        pub fn route_request(&self, request: &mut [u8]) -> Result<Ack> {
            run!(self.do_raw_request(ROUTE, request))
        }
    }
}
