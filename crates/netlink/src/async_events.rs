//! Notifications under tokio: [`AsyncSubscription`], a `Stream` of the
//! same [`Event`](crate::Event)s as the blocking
//! [`Subscription`](crate::Subscription), with the same converging resync
//! (see [`crate::events`]). The subscription itself is written once, for
//! every feed, in [`crate::feed`].

pub use crate::feed::AsyncSubscription;

use crate::async_handle::AsyncHandle;
use crate::error::Result;
use crate::events::Subscribe;

impl AsyncHandle {
    /// Subscribes to changes in this handle's namespace (`ip monitor`).
    pub async fn subscribe(&self, opts: &Subscribe) -> Result<AsyncSubscription> {
        AsyncSubscription::open(self, opts).await
    }
}
