//! A next link that is not followed.

use std::error::Error as StdError;
use std::fmt;

use super::Url;
use crate::text::{QUOTED_CHARS, Shortened};

/// An `@odata.nextLink` (or a stored link given to `resume`) that was not followed: it leads
/// to another origin than the client's base URL, or back to a page already read, or it is
/// not an absolute URL. Nothing was sent to it.
#[derive(Debug, Clone)]
pub struct NextLinkError {
    page: Option<u32>,
    link: Url,
    problem: Problem,
}

/// Why a link is not followed.
#[derive(Debug, Clone)]
pub(crate) enum Problem {
    /// Another scheme, host or port than the base URL's, which is given.
    ForeignOrigin(String),
    /// A link followed before.
    Repeated,
    /// User info before the host, which the request would send as credentials.
    UserInfo,
    NotAnAbsoluteUrl,
}

impl NextLinkError {
    pub(crate) fn new(page: Option<u32>, link: &str, problem: Problem) -> Self {
        NextLinkError {
            page,
            link: Url::new(link),
            problem,
        }
    }

    /// The number of the page (from 1) whose `@odata.nextLink` this is; `None` for a stored
    /// link given to `resume`.
    pub fn page(&self) -> Option<u32> {
        self.page
    }

    /// The link as Graph gave it; `Display` and `Debug` show its query values as
    /// `REDACTED`.
    pub fn link(&self) -> &str {
        self.link.as_str()
    }
}

impl fmt::Display for NextLinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let link = self.link.to_string();
        let link = Shortened(&link, QUOTED_CHARS);
        match self.page {
            Some(page) => write!(f, "the `@odata.nextLink` of page {page}, `{link}`,")?,
            None => write!(f, "the stored link `{link}`")?,
        }
        match &self.problem {
            Problem::ForeignOrigin(base) => write!(
                f,
                " leads to another origin than the base URL ({base}): not followed, so that the token never leaves it"
            ),
            Problem::Repeated => {
                f.write_str(" was followed before: not followed again, so that paging ends")
            }
            Problem::UserInfo => f.write_str(" carries user info: not followed"),
            Problem::NotAnAbsoluteUrl => f.write_str(" is not an absolute URL"),
        }
    }
}

impl StdError for NextLinkError {}
