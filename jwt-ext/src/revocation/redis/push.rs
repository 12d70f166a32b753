//! The near-cache's push channel: one subscription per instance, kept up in the background,
//! and the heartbeat that proves it still carries messages (see the
//! [near-cache](super::near_cache) for why and how).

use std::sync::{Arc, Weak};
use std::time::Duration;

use rocket::futures::StreamExt;
use rocket::tokio;

use super::connection::{Target, CONNECTION_TIMEOUT, RESPONSE_TIMEOUT};
use super::link::Link;
use super::near_cache::NearCache;

/// How long after a failed subscription the next attempt is made.
const RETRY: Duration = Duration::from_millis(250);

/// The channel every revocation key written is published on.
pub(super) fn revocations_channel(prefix: &str) -> String {
    format!("{prefix}revocations")
}

/// Keeps `cache`'s subscription up until the cache is dropped: pushes drop copies, the
/// instance's own heartbeat (published through `link`) proves the channel alive.
pub(super) fn start(cache: &Arc<NearCache>, link: Arc<Link>, target: Target, prefix: &str) {
    let channels = Channels {
        revocations: revocations_channel(prefix),
        heartbeat: format!("{prefix}heartbeat:{}", uuid::Uuid::new_v4().simple()),
    };
    tokio::spawn(keep_subscribed(
        Arc::downgrade(cache),
        link,
        target,
        channels,
    ));
}

struct Channels {
    revocations: String,
    /// This instance's own: only it listens, so heartbeats cost one delivery each.
    heartbeat: String,
}

async fn keep_subscribed(
    cache: Weak<NearCache>,
    link: Arc<Link>,
    target: Target,
    channels: Channels,
) {
    let mut attempt = 0;
    let mut was_up = true; // So that the first failure is logged.
    loop {
        let subscription = subscribe(&target, attempt, &channels).await;
        let Some(live) = cache.upgrade() else { return };
        match subscription {
            Ok(subscription) => {
                live.subscribed();
                if !was_up {
                    log::info!("jwt-ext: the near-cache's push channel is back; cache emptied");
                }
                let max_stale = live.max_stale();
                drop(live);
                listen(&cache, &link, subscription, &channels, max_stale).await;
                let Some(live) = cache.upgrade() else { return };
                live.unsubscribed();
                attempt += 1; // On a Cluster, the next seed: this one may be gone.
                log::warn!(
                    "jwt-ext: the near-cache's push channel broke; revocation checks go to \
                     Redis until it is back"
                );
                was_up = false;
            }
            Err(error) => {
                drop(live);
                if was_up {
                    log::warn!(
                        "jwt-ext: the near-cache cannot subscribe to pushes ({error}); \
                         revocation checks go to Redis until it can"
                    );
                }
                was_up = false;
                attempt += 1;
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// A subscription: the stream of messages, and the sink that keeps the connection open.
struct Subscription {
    _sink: redis::aio::PubSubSink,
    messages: redis::aio::PubSubStream,
}

async fn subscribe(
    target: &Target,
    attempt: usize,
    channels: &Channels,
) -> redis::RedisResult<Subscription> {
    let timed_out = || redis::RedisError::from((redis::ErrorKind::Io, "timed out"));
    let connect = async {
        let client = target.subscriber(attempt).await?;
        client.get_async_pubsub().await
    };
    let pubsub = tokio::time::timeout(CONNECTION_TIMEOUT * 2, connect)
        .await
        .map_err(|_| timed_out())??;
    let (mut sink, messages) = pubsub.split();
    let both = [channels.revocations.as_str(), channels.heartbeat.as_str()];
    tokio::time::timeout(RESPONSE_TIMEOUT, sink.subscribe(&both))
        .await
        .map_err(|_| timed_out())??;
    Ok(Subscription {
        _sink: sink,
        messages,
    })
}

/// Applies pushes and sends heartbeats until the subscription ends, falls silent for longer
/// than `max_stale`, or the cache is dropped.
async fn listen(
    cache: &Weak<NearCache>,
    link: &Arc<Link>,
    mut subscription: Subscription,
    channels: &Channels,
    max_stale: Duration,
) {
    let mut beats = tokio::time::interval((max_stale / 4).max(Duration::from_millis(10)));
    beats.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            message = subscription.messages.next() => {
                let Some(message) = message else { return };
                let Some(cache) = cache.upgrade() else { return };
                if message.get_channel_name() == channels.revocations {
                    if let Ok(key) = message.get_payload::<String>() {
                        cache.invalidate(&key);
                    }
                }
                cache.heard();
            }
            _ = beats.tick() => {
                let Some(cache) = cache.upgrade() else { return };
                if cache.silence() > max_stale {
                    return; // Silent: make the subscription again, and resynchronise.
                }
                let link = Arc::clone(link);
                let mut beat = redis::cmd("PUBLISH");
                beat.arg(&channels.heartbeat).arg("");
                // Sent apart, so that a slow Redis delays no push.
                tokio::spawn(async move {
                    if let Ok(connection) = link.connection().await {
                        let _: Result<i64, _> = connection.query(&beat).await;
                    }
                });
            }
        }
    }
}
