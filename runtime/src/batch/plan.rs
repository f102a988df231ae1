//! The plan of a batch: which requests go together in one `$batch` so that dependency
//! chains stay whole, and the `424 Failed Dependency` of requests whose dependency failed.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, StatusCode};

use super::responses::{ItemBody, ItemReply, Outcome};
use super::{Item, MAX_BATCH_REQUESTS};
use crate::error::Error;

/// The items, grouped so that each group holds whole dependency chains, in the order they
/// were added; a group of more than 20 cannot be sent.
pub(super) fn groups(items: &[Item]) -> Result<Vec<Vec<usize>>, Error> {
    let mut root: Vec<usize> = (0..items.len()).collect();
    fn find(root: &mut [usize], mut index: usize) -> usize {
        while root[index] != index {
            root[index] = root[root[index]];
            index = root[index];
        }
        index
    }
    for (index, item) in items.iter().enumerate() {
        for &on in &item.depends_on {
            let (a, b) = (find(&mut root, index), find(&mut root, on));
            root[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..items.len() {
        let group = find(&mut root, index);
        groups.entry(group).or_default().push(index);
    }
    let groups: Vec<Vec<usize>> = groups.into_values().collect();
    if let Some(chain) = groups.iter().find(|group| group.len() > MAX_BATCH_REQUESTS) {
        let first = chain.first().map_or(0, |index| index + 1);
        return Err(Error::InvalidArgument(format!(
            "requests {first} and the {} that depend on it or on each other form a chain of {} \
             requests; one `$batch` takes at most {MAX_BATCH_REQUESTS}",
            chain.len() - 1,
            chain.len()
        )));
    }
    Ok(groups)
}

/// The pending items, as batches of at most 20 that keep each group whole.
pub(super) fn chunks(groups: &[Vec<usize>], pending: &[usize]) -> Vec<Vec<usize>> {
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    for group in groups {
        let members: Vec<usize> = group
            .iter()
            .copied()
            .filter(|index| pending.contains(index))
            .collect();
        if members.is_empty() {
            continue;
        }
        let fits = chunks
            .iter_mut()
            .find(|chunk| chunk.len() + members.len() <= MAX_BATCH_REQUESTS);
        match fits {
            Some(chunk) => chunk.extend(members),
            None => chunks.push(members),
        }
    }
    for chunk in &mut chunks {
        chunk.sort_unstable();
    }
    chunks
}

/// Gives every pending item whose dependency ended in failure a `424 Failed Dependency`
/// that names it, and takes it out of `pending`.
pub(super) fn settle_dependents(
    depends_on: &[Vec<usize>],
    outcomes: &mut [Option<Outcome>],
    pending: &mut Vec<usize>,
) {
    for (index, item_depends_on) in depends_on.iter().enumerate() {
        let settled = matches!(&outcomes[index], Some(Outcome::Answered(r)) if r.status != StatusCode::FAILED_DEPENDENCY)
            || matches!(&outcomes[index], Some(Outcome::Failed(_)));
        if settled {
            continue;
        }
        let failed = item_depends_on
            .iter()
            .copied()
            .find(|on| match &outcomes[*on] {
                Some(Outcome::Answered(reply)) => !reply.status.is_success(),
                Some(Outcome::Failed(_)) => true,
                None => false,
            });
        let Some(on) = failed else { continue };
        let status = match &outcomes[on] {
            Some(Outcome::Answered(reply)) => reply.status.as_u16().to_string(),
            _ => "an error before Graph answered it".to_owned(),
        };
        let body = serde_json::json!({"error": {
            "code": "FailedDependency",
            "message": format!("request {} of the batch, which this request depends on, failed with {status}", on + 1),
        }});
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        outcomes[index] = Some(Outcome::Answered(ItemReply {
            status: StatusCode::FAILED_DEPENDENCY,
            headers,
            unread_headers: None,
            body: ItemBody::Bytes(Bytes::from(body.to_string())),
        }));
        pending.retain(|pending| *pending != index);
    }
}
