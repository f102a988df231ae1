//! What a long-running operation says about itself: [`OperationStatus`], read from each
//! poll of its `Location`.

use serde_json::{Map, Value};

use crate::error::ErrorDetail;

/// Where an operation is, from its `status`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationState {
    /// Not ended yet: `notStarted`, `inProgress`, `running`, `waiting`, `updating`, or a
    /// status this crate does not know.
    Running,
    /// Ended well: `succeeded` or `completed`.
    Succeeded,
    /// Ended in failure: `failed` or `deleteFailed`, or an `error` beside no success.
    Failed,
}

/// One answer of a long-running operation's monitor: a Teams `teamsAsyncOperation`, a drive
/// copy's `asyncJobStatus`, a `richLongRunningOperation`, an export job.
///
/// ```
/// use graph_resource_runtime::{OperationState, OperationStatus};
///
/// let status = OperationStatus::from_json(
///     br#"{"status": "inProgress", "percentageComplete": 42.5}"#,
/// )?;
/// assert_eq!(status.state(), OperationState::Running);
/// assert_eq!(status.percentage_complete(), Some(42.5));
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OperationStatus {
    status: Option<String>,
    percentage_complete: Option<f64>,
    resource_location: Option<String>,
    resource_id: Option<String>,
    url: Option<String>,
    error: Option<ErrorDetail>,
    members: Map<String, Value>,
}

impl OperationStatus {
    /// Reads one answer. Every member is optional; one of the wrong type is an error that
    /// names it and says what was found.
    pub fn from_json(body: &[u8]) -> Result<OperationStatus, String> {
        let value: Value = serde_json::from_slice(body).map_err(|error| {
            format!("expected the operation's JSON object, found invalid JSON: {error}")
        })?;
        let Value::Object(members) = value else {
            return Err(format!(
                "expected the operation's JSON object, found {}",
                crate::text::json_kind(&value)
            ));
        };
        let percentage_complete = match members.get("percentageComplete") {
            None | Some(Value::Null) => None,
            Some(Value::Number(number)) => number.as_f64(),
            Some(other) => {
                return Err(format!(
                    "expected `percentageComplete` to be a number, found {}",
                    crate::text::json_kind(other)
                ));
            }
        };
        let error = match members.get("error") {
            None | Some(Value::Null) => None,
            Some(value @ Value::Object(_)) => ErrorDetail::from_value(value.clone()),
            Some(other) => {
                return Err(format!(
                    "expected `error` to be an object, found {}",
                    crate::text::json_kind(other)
                ));
            }
        };
        Ok(OperationStatus {
            status: string(&members, "status")?,
            percentage_complete,
            resource_location: either(&members, "resourceLocation", "targetResourceLocation")?,
            resource_id: either(&members, "resourceId", "targetResourceId")?,
            url: string(&members, "url")?,
            error,
            members,
        })
    }

    /// A finished operation whose monitor answered a redirect to `location`: what a drive
    /// copy's monitor may do once the copy exists.
    pub(crate) fn redirected(location: String) -> OperationStatus {
        OperationStatus {
            status: Some("completed".into()),
            percentage_complete: Some(100.0),
            resource_location: Some(location),
            resource_id: None,
            url: None,
            error: None,
            members: Map::new(),
        }
    }

    /// Where the operation is.
    pub fn state(&self) -> OperationState {
        match self.status.as_deref() {
            Some(status)
                if status.eq_ignore_ascii_case("succeeded")
                    || status.eq_ignore_ascii_case("completed") =>
            {
                OperationState::Succeeded
            }
            Some(status)
                if status.eq_ignore_ascii_case("failed")
                    || status.eq_ignore_ascii_case("deleteFailed") =>
            {
                OperationState::Failed
            }
            _ if self.error.is_some() => OperationState::Failed,
            _ => OperationState::Running,
        }
    }

    /// `status`, as Graph wrote it.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// `percentageComplete`, where Graph gives it.
    pub fn percentage_complete(&self) -> Option<f64> {
        self.percentage_complete
    }

    /// `resourceLocation` or `targetResourceLocation`: where the result is (absolute, or
    /// relative to the client's base URL, as `/teams('{id}')`).
    pub fn resource_location(&self) -> Option<&str> {
        self.resource_location.as_deref()
    }

    /// `resourceId` or `targetResourceId`: the id of the result.
    pub fn resource_id(&self) -> Option<&str> {
        self.resource_id.as_deref()
    }

    /// `url`: an export job's download URL once it completed, which needs no token.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// `error`: why the operation failed.
    pub fn error(&self) -> Option<&ErrorDetail> {
        self.error.as_ref()
    }

    /// Every member of the answer, in the order received.
    pub fn members(&self) -> &Map<String, Value> {
        &self.members
    }
}

/// A member that is a string, or absent or `null`.
fn string(members: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match members.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(other) => Err(format!(
            "expected `{name}` to be a string, found {}",
            crate::text::json_kind(other)
        )),
    }
}

/// The first of two members that is given.
fn either(
    members: &Map<String, Value>,
    first: &str,
    second: &str,
) -> Result<Option<String>, String> {
    Ok(string(members, first)?.or(string(members, second)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_every_kind_of_operation_read_alike() {
        let teams = OperationStatus::from_json(
            br#"{"status": "succeeded", "targetResourceId": "t1", "targetResourceLocation": "/teams('t1')"}"#,
        )
        .unwrap();
        assert_eq!(teams.state(), OperationState::Succeeded);
        assert_eq!(teams.resource_location(), Some("/teams('t1')"));
        assert_eq!(teams.resource_id(), Some("t1"));
        let copy =
            OperationStatus::from_json(br#"{"status": "completed", "resourceId": "i1"}"#).unwrap();
        assert_eq!(copy.state(), OperationState::Succeeded);
        let failed = OperationStatus::from_json(
            br#"{"status": "failed", "error": {"code": "Conflict", "message": "name taken"}}"#,
        )
        .unwrap();
        assert_eq!(failed.state(), OperationState::Failed);
        assert_eq!(failed.error().and_then(ErrorDetail::code), Some("Conflict"));
        let running = OperationStatus::from_json(br#"{"status": "notStarted"}"#).unwrap();
        assert_eq!(running.state(), OperationState::Running);
    }

    #[test]
    fn members_of_the_wrong_type_are_named() {
        for (body, found) in [
            (
                r#"{"status": 3}"#,
                "`status` to be a string, found a number",
            ),
            (
                r#"{"percentageComplete": "5"}"#,
                "`percentageComplete` to be a number",
            ),
            (
                r#"{"error": "boom"}"#,
                "`error` to be an object, found a string",
            ),
            (
                r#"{"resourceLocation": []}"#,
                "`resourceLocation` to be a string",
            ),
            (r#"7"#, "found a number"),
            (r#"{"#, "invalid JSON"),
        ] {
            let error = OperationStatus::from_json(body.as_bytes()).unwrap_err();
            assert!(error.contains(found), "{body}: {error}");
        }
    }
}
