//! Response bodies: bytes already in memory, or an export streamed as it is read. An export's
//! pages are read on a blocking thread and handed over through a channel of a few chunks, so
//! the memory it takes is a few pages whatever the collection's size, and a client that stops
//! reading stops the reading (the producer waits on the full channel, and ends when the
//! connection drops the body).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Frame;
use tokio::sync::mpsc;

use crate::store::Store;
use crate::transfer::export::Export;

/// Chunks produced ahead of what the client has read.
const CHUNKS_AHEAD: usize = 2;

/// The body type of every response.
pub type Body = BoxBody<Bytes, io::Error>;

/// A body holding `bytes`.
pub fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed()
}

/// An export read from `store` page by page while it is sent (chunked transfer encoding).
/// A store failure half-way ends the body with an error, which aborts the response, so a
/// client never takes a truncated file for a complete one.
pub fn export(store: Arc<dyn Store>, export: Export) -> Body {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        let mut reader = export.reader();
        loop {
            let chunk = match reader.next_chunk(store.as_ref()) {
                Ok(Some(chunk)) if chunk.is_empty() => continue,
                Ok(Some(chunk)) => Ok(Bytes::from(chunk)),
                Ok(None) => return,
                Err(e) => {
                    tracing::error!(error = %e, collection = export.collection, "export failed");
                    Err(io::Error::other(format!("export failed: {e}")))
                }
            };
            let failed = chunk.is_err();
            // A closed channel: the client went away.
            if tx.blocking_send(chunk).is_err() || failed {
                return;
            }
        }
    });
    ExportBody { rx }.boxed()
}

/// The receiving end of an export.
struct ExportBody {
    rx: mpsc::Receiver<io::Result<Bytes>>,
}

impl hyper::body::Body for ExportBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|chunk| chunk.map(|r| r.map(Frame::data)))
    }
}
