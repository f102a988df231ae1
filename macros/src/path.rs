//! Parses and validates a path template such as `/deviceManagement/intents/<>/assignments`.
//!
//! A placeholder is a whole segment: `<>` (named from the collection before it),
//! `<snake_name>` or `{camelName}` (the Graph docs spelling). Errors point into the string
//! where the compiler allows it, and always quote the offending part.

use proc_macro2::{Ident, Span};
use syn::LitStr;

use crate::case;
use crate::ctxt::Ctxt;

/// A piece of a validated template.
pub enum Part {
    /// Literal text, slashes included.
    Literal(String),
    /// A key, percent-encoded as one segment at run time.
    Key(Ident),
}

/// A template whose every rule holds.
pub struct Template {
    pub parts: Vec<Part>,
    /// The key of a member of the collection, named like `<>` after its last segment
    /// (`assignments` gives `assignment_id`); `None` for a singleton.
    pub member: Option<Ident>,
}

impl Template {
    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &Ident> {
        self.parts.iter().filter_map(|part| match part {
            Part::Key(ident) => Some(ident),
            Part::Literal(_) => None,
        })
    }
}

/// Parses `lit`, reporting every rule it breaks; `None` when it broke any.
pub fn parse(cx: &Ctxt, lit: &LitStr, singleton: bool) -> Option<Template> {
    let errors = Errors {
        cx,
        lit,
        value: lit.value(),
        found: false,
        singleton,
    };
    errors.template()
}

struct Errors<'a> {
    cx: &'a Ctxt,
    lit: &'a LitStr,
    value: String,
    found: bool,
    /// Whether the path names one entity rather than a collection.
    singleton: bool,
}

impl Errors<'_> {
    /// Reports `message` about `value[start..start + len]`.
    fn at(&mut self, start: usize, len: usize, message: impl std::fmt::Display) {
        self.found = true;
        match self.subspan(start, len) {
            Some(span) => self.cx.error_at(span, message),
            None if self.value.is_empty() => self.cx.error_at(self.lit.span(), message),
            None => {
                // The compiler cannot point into the string: draw the pointer in the message.
                let column = self.value.get(..start).map_or(0, |p| p.chars().count());
                let width = self
                    .value
                    .get(start..start + len)
                    .map_or(1, |p| p.chars().count().max(1));
                let pointer = format!("{}{}", " ".repeat(column), "^".repeat(width));
                let value = &self.value;
                self.cx.error_at(
                    self.lit.span(),
                    format_args!("{message}\n  {value}\n  {pointer}"),
                );
            }
        }
    }

    /// The span of a byte range of the string's value, where the compiler can point into a
    /// string literal (nightly can, stable cannot).
    fn subspan(&self, start: usize, len: usize) -> Option<Span> {
        let token = self.lit.token();
        let text = token.to_string();
        let open = text.find('"')? + 1;
        // Only when the source text is the value itself (no escapes).
        if text.get(open..open + self.value.len()) != Some(self.value.as_str()) {
            return None;
        }
        token.subspan(open + start..open + start + len.max(1))
    }

    fn template(mut self) -> Option<Template> {
        let value = self.value.clone();
        if value.is_empty() {
            self.at(0, 0, "the path must not be empty; expected a collection such as `/deviceManagement/intents/<>/assignments`");
            return None;
        }
        if !value.starts_with('/') {
            self.at(
                0,
                1,
                format_args!("the path must start with `/`, found `{value}`"),
            );
        }
        for (index, c) in value.char_indices() {
            let problem = match c {
                '?' => "the path must not contain a query (`?`): it names a collection",
                '#' => "the path must not contain a fragment (`#`)",
                c if c.is_whitespace() => "the path must not contain whitespace",
                _ => continue,
            };
            self.at(index, c.len_utf8(), problem);
        }
        if self.found {
            return None;
        }

        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut names: Vec<String> = Vec::new();
        let mut previous: Option<&str> = None;
        let mut ends_in_key = false;
        let mut offset = 1;
        let body = &value[1..];
        let segments: Vec<&str> = body.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            let start = offset;
            offset += segment.len() + 1;
            let last = i + 1 == segments.len();
            if segment.is_empty() {
                if last {
                    self.at(start - 1, 1, "the path must not end with `/`");
                } else {
                    self.at(
                        start - 1,
                        2,
                        "the path must not contain an empty segment (`//`)",
                    );
                }
                continue;
            }
            literal.push('/');
            match self.placeholder(segment, start, previous) {
                Some(Some(name)) => {
                    if names.contains(&name) {
                        self.at(
                            start,
                            segment.len(),
                            format_args!("duplicate placeholder name `{name}`"),
                        );
                    } else if is_parameter_name(&name) {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                        parts.push(Part::Key(Ident::new(&name, self.lit.span())));
                        names.push(name);
                    } else {
                        self.at(
                            start,
                            segment.len(),
                            format_args!("placeholder name `{name}` is not a valid parameter name; name it with `<snake_case_name>`"),
                        );
                    }
                    previous = None;
                    ends_in_key = true;
                }
                Some(None) => {
                    previous = None;
                    ends_in_key = true;
                }
                None => {
                    self.literal_segment(segment, start);
                    literal.push_str(segment);
                    previous = Some(segment);
                    ends_in_key = false;
                }
            }
        }
        let last = segments.last().map_or(0, |s| s.len());
        if ends_in_key && !self.found {
            let message = if self.singleton {
                "a `singleton` path names one entity such as `/deviceManagement` or `/me`, but this one ends in a placeholder"
            } else {
                "the path must name a collection, but it ends in a placeholder; `create` posts to a collection such as `/intents/<>/assignments`"
            };
            self.at(value.len() - last, last, message);
        }
        if self.found {
            return None;
        }
        let member = match previous {
            Some(collection) if !self.singleton => {
                let name = format!("{}_id", case::camel_to_snake(&case::singular(collection)));
                if names.contains(&name) {
                    self.at(
                        value.len() - last,
                        last,
                        format_args!("the member key of `{collection}` is named `{name}`, like a placeholder before it; give that placeholder another name with `<other_name>`"),
                    );
                } else if !is_parameter_name(&name) {
                    self.at(
                        value.len() - last,
                        last,
                        format_args!("the member key is named after the last segment, and `{collection}` gives `{name}`, which is not a valid parameter name"),
                    );
                }
                Some(name)
            }
            _ => None,
        };
        if self.found {
            return None;
        }
        let member = member.map(|name| Ident::new(&name, self.lit.span()));
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Some(Template { parts, member })
    }

    /// `None` for a literal segment; `Some(None)` for a placeholder with an error reported;
    /// `Some(Some(name))` for a placeholder and its parameter name.
    fn placeholder(
        &mut self,
        segment: &str,
        start: usize,
        previous: Option<&str>,
    ) -> Option<Option<String>> {
        let has_marks = segment.contains(['<', '>', '{', '}']);
        if !has_marks {
            return None;
        }
        let inner = segment
            .strip_prefix('<')
            .and_then(|s| s.strip_suffix('>'))
            .map(|name| (name, false))
            .or_else(|| {
                segment
                    .strip_prefix('{')
                    .and_then(|s| s.strip_suffix('}'))
                    .map(|name| (name, true))
            });
        let Some((name, camel)) = inner.filter(|(name, _)| !name.contains(['<', '>', '{', '}']))
        else {
            self.at(
                start,
                segment.len(),
                format_args!("a placeholder must be a whole segment (`<>`, `<name>` or `{{name}}`), found `{segment}`"),
            );
            return Some(None);
        };
        if name.is_empty() && !camel {
            return Some(match previous {
                Some(collection) => Some(format!(
                    "{}_id",
                    case::camel_to_snake(&case::singular(collection))
                )),
                None => {
                    self.at(start, segment.len(), "`<>` is named from the collection segment before it, and there is none; write `<name>`");
                    None
                }
            });
        }
        let valid = if camel {
            name.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        } else {
            name.chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if !valid {
            let expected = if camel {
                "an identifier such as `{deviceManagementIntentId}`"
            } else {
                "a snake_case name such as `<intent_id>`"
            };
            self.at(
                start,
                segment.len(),
                format_args!("invalid placeholder `{segment}`, expected {expected}"),
            );
            return Some(None);
        }
        Some(Some(if camel {
            case::camel_to_snake(name)
        } else {
            name.to_owned()
        }))
    }

    /// Reports characters a literal segment may not hold.
    fn literal_segment(&mut self, segment: &str, start: usize) {
        for (index, c) in segment.char_indices() {
            let allowed = c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%".contains(c);
            if !allowed {
                self.at(
                    start + index,
                    c.len_utf8(),
                    format_args!("`{c}` is not allowed in a path segment; percent-encode it"),
                );
            }
        }
        if segment == "." || segment == ".." {
            self.at(
                start,
                segment.len(),
                "the path must not contain `.` or `..` segments",
            );
        }
    }
}

/// Whether `name` can be a parameter of `create`: snake_case, not a keyword.
fn is_parameter_name(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
        "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
}
