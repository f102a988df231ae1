//! An enum of enough types to find its variant by a table of them: every type is found as a
//! search in declaration order finds it, by every reader, and no other name is.

use graph_resource::{Bytes, UntypedResource, from_json, graph_resource};

/// Audit records of one namespace, alike where names of one hierarchy are: three of one
/// length with one middle and one last word, one type listed twice, and names shorter than a
/// word and than two.
macro_rules! audit_records {
    ($($variant:ident = $odata_type:literal,)*) => {
        $(
            #[graph_resource(odata_type = $odata_type)]
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct $variant {
                pub id: Option<String>,
            }
        )*

        /// 17 typed variants: more than the macro searches in order.
        #[graph_resource]
        #[derive(Debug, Clone, PartialEq)]
        pub enum AuditRecord {
            $($variant($variant),)*
            #[graph(other)]
            Other(UntypedResource),
        }

        impl AuditRecord {
            /// The name of the variant, `None` for `Other`.
            fn variant(&self) -> Option<&'static str> {
                match self {
                    $(AuditRecord::$variant(_) => Some(stringify!($variant)),)*
                    AuditRecord::Other(_) => None,
                }
            }
        }

        /// Each variant's name and type, in declaration order.
        const VARIANTS: &[(&str, &str)] = &[$((stringify!($variant), $odata_type)),*];
    };
}

audit_records! {
    Kaizala = "microsoft.graph.security.kaizalaAuditRecord",
    PowerBi = "microsoft.graph.security.powerBIAuditRecord",
    Project = "microsoft.graph.security.projectAuditRecord",
    Search = "microsoft.graph.security.searchAuditRecord",
    Quarantine = "microsoft.graph.security.quarantineAuditRecord",
    Sway = "microsoft.graph.security.swayAuditRecord",
    Yammer = "microsoft.graph.security.yammerAuditRecord",
    Teams = "microsoft.graph.security.microsoftTeamsAuditRecord",
    Forms = "microsoft.graph.security.microsoftFormsAuditRecord",
    Planner = "microsoft.graph.security.plannerPlanAuditRecord",
    Viva = "microsoft.graph.security.vivaGoalsAuditRecord",
    Dlp = "microsoft.graph.security.dlpEndpointAuditRecord",
    Short = "a.b",
    Word = "a.bcdefgh",
    Hr = "microsoft.graph.security.hrSignalAuditRecord",
    Again = "microsoft.graph.security.projectAuditRecord",
    Aip = "microsoft.graph.security.aipHeartBeat",
}

/// The variant a search of `VARIANTS` in order finds for `odata_type`, `#` optional on both.
fn in_order(odata_type: &str) -> Option<&'static str> {
    let found = odata_type.strip_prefix('#').unwrap_or(odata_type);
    VARIANTS
        .iter()
        .find(|(_, known)| *known == found)
        .map(|(variant, _)| *variant)
}

/// Every type, with and without its `#`, and names that differ from one by a byte.
fn names() -> Vec<String> {
    let mut names: Vec<String> = ["", "#", "##", "#a.b.", "#A.B", "#ä.ö", "a.bcdefg"]
        .map(String::from)
        .into();
    for (_, odata_type) in VARIANTS {
        names.push(format!("#{odata_type}"));
        names.push((*odata_type).to_owned());
        names.push(format!("##{odata_type}"));
        names.push(format!("#{odata_type}x"));
        names.push(format!("#{}", &odata_type[..odata_type.len() - 1]));
        names.push(format!("#{}", odata_type.to_uppercase()));
        names.push(format!("#{odata_type}ü"));
    }
    names
}

#[test]
fn every_type_is_found_as_a_search_in_order_finds_it_and_no_other_name_is() {
    for name in names() {
        let expected = in_order(&name);
        let quoted = serde_json::to_string(&name).unwrap();
        let first = format!(r#"{{"@odata.type":{quoted},"id":"1"}}"#);
        // After a property: kept aside by `from_str`, looked ahead for by `from_json`.
        let after = format!(r#"{{"id":"1","@odata.type":{quoted}}}"#);
        let context = format!(r#"{{"@odata.context":"x","@odata.type":{quoted},"id":"1"}}"#);
        for text in [first, after, context] {
            let read: [AuditRecord; 2] = [
                serde_json::from_str(&text).unwrap(),
                from_json(&Bytes::from(text.clone())).unwrap(),
            ];
            for record in read {
                assert_eq!(record.variant(), expected, "{text}");
                if let AuditRecord::Other(untyped) = record {
                    assert_eq!(untyped.odata_type.as_deref(), Some(name.as_str()), "{text}");
                }
            }
        }
    }
}

#[test]
fn a_type_listed_twice_is_read_as_its_first_variant() {
    let text = r##"{"@odata.type":"#microsoft.graph.security.projectAuditRecord","id":"1"}"##;
    let record: AuditRecord = serde_json::from_str(text).unwrap();
    assert_eq!(
        record,
        AuditRecord::Project(Project {
            id: Some("1".into())
        })
    );
}
