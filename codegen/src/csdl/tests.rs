use super::*;

const CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
<Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EnumType Name="access" IsFlags="true"><Member Name="read" Value="1" /><Member Name="write" Value="2" /></EnumType>
  <EntityType Name="entity" Abstract="true">
    <Key><PropertyRef Name="id" /></Key>
    <Property Name="id" Type="Edm.String" Nullable="false" />
  </EntityType>
  <EntityType Name="thing" BaseType="graph.entity" OpenType="true">
    <Property Name="tags" Type="Collection(Edm.String)">
      <Annotation Term="Org.OData.Core.V1.Description" String="Tags." />
    </Property>
    <Property Name="alert" Type="sec.alert" />
    <NavigationProperty Name="parts" Type="Collection(graph.thing)" ContainsTarget="true" />
    <Annotation Term="Org.OData.Core.V1.AlternateKeys">
      <Collection><Record Type="Org.OData.Core.V1.AlternateKey"><PropertyValue Property="Key">
        <Collection><Record Type="Org.OData.Core.V1.PropertyRef">
          <PropertyValue Property="Alias" String="name" /><PropertyValue Property="Name" PropertyPath="name" />
        </Record></Collection>
      </PropertyValue></Record></Collection>
    </Annotation>
  </EntityType>
  <Action Name="reset" IsBound="true"><Parameter Name="bindingParameter" Type="graph.thing" /></Action>
  <Function Name="delta" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(graph.thing)" /><ReturnType Type="Collection(graph.thing)" /></Function>
  <Function Name="delta" IsBound="true"><Parameter Name="bindingParameter" Type="graph.entity" /><Parameter Name="token" Type="Collection(graph.entity)" /></Function>
  <Function Name="delta"><Parameter Name="all" Type="Collection(sec.alert)" /></Function>
  <EntityContainer Name="GraphService">
    <EntitySet Name="things" EntityType="microsoft.graph.thing" />
    <Singleton Name="me" Type="graph.thing" />
  </EntityContainer>
</Schema>
<Schema Namespace="microsoft.graph.security" Alias="sec" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="alert"><Property Name="level" Type="Edm.Int32" Nullable="false" /></ComplexType>
</Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

#[test]
fn reads_types_properties_and_the_container() {
    let schema = parse(CSDL).unwrap();
    assert_eq!(schema.types.len(), 4);
    let thing = &schema.types["microsoft.graph.thing"];
    assert_eq!(thing.base.as_deref(), Some("microsoft.graph.entity"));
    assert!(thing.open && !thing.is_abstract);
    assert_eq!(thing.properties.len(), 2);
    assert!(thing.properties[0].ty.collection && thing.properties[0].nullable);
    assert_eq!(
        thing.properties[1].ty.name,
        "microsoft.graph.security.alert"
    );
    assert!(thing.navigation[0].contains_target);
    let entity = &schema.types["microsoft.graph.entity"];
    assert!(!entity.properties[0].nullable);
    let access = &schema.types["microsoft.graph.access"];
    assert!(access.flags);
    assert_eq!(access.members, ["read", "write"]);
    assert_eq!(schema.singletons["me"], "microsoft.graph.thing");
    assert_eq!(schema.entity_sets["things"], "microsoft.graph.thing");
    // Bound to a collection of `thing`; the others are bound to one entity or unbound.
    assert_eq!(
        schema.delta.iter().collect::<Vec<_>>(),
        ["microsoft.graph.thing"]
    );
    // Bound operations with their binding, parameters and answer, aliases resolved;
    // the unbound one is not read.
    let read: Vec<(&str, bool, &str, bool, usize)> = schema
        .operations
        .iter()
        .map(|o| {
            let binding = (o.binding.name.as_str(), o.binding.collection);
            (
                o.name.as_str(),
                o.action,
                binding.0,
                binding.1,
                o.parameters.len(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("reset", true, "microsoft.graph.thing", false, 0),
            ("delta", false, "microsoft.graph.thing", true, 0),
            ("delta", false, "microsoft.graph.entity", false, 1),
        ]
    );
    let token = &schema.operations[2].parameters[0];
    assert_eq!(
        (token.name.as_str(), token.ty.name.as_str()),
        ("token", "microsoft.graph.entity")
    );
    assert_eq!(
        schema.operations[1]
            .returns
            .as_ref()
            .map(|r| r.name.as_str()),
        Some("microsoft.graph.thing")
    );
    assert_eq!(thing.alternate_keys, [vec!["name".to_owned()]]);
}

#[test]
fn unknown_references_and_bad_xml_are_errors() {
    let broken = CSDL.replace(r#"Type="sec.alert""#, r#"Type="sec.missing""#);
    let error = parse(&broken).unwrap_err().to_string();
    assert_eq!(
        error,
        "property `alert` of `microsoft.graph.thing` has the type `microsoft.graph.security.missing`, which the schema does not declare"
    );
    let error = parse("<Schema Namespace=\"a\"><EntityType></Schema>")
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "expected a `Name` attribute on `<EntityType>`, found none (CSDL byte 22)"
    );
    let error = parse(r#"<Schema Namespace="a"><ComplexType Name="b"></Schema>"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "the CSDL is not well-formed XML at byte 44: ill-formed document: expected `</ComplexType>`, but `</Schema>` was found"
    );
}

#[test]
fn a_document_without_a_schema_is_an_error() {
    let expected = "expected a CSDL document (Graph's `$metadata`: `<Schema>` elements \
                    inside `<edmx:Edmx>`), found no `<Schema>` element";
    for text in [
        "[package]\nname = \"sdk\"\n",
        "",
        "<edmx:Edmx Version=\"4.0\"/>",
    ] {
        assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text:?}");
    }
}

#[test]
fn cycles_of_base_types_and_names_declared_twice_are_errors() {
    let error = |csdl: &str| parse(csdl).unwrap_err().to_string();
    let schema = |types: &str| format!(r#"<Schema Namespace="n">{types}</Schema>"#);
    assert_eq!(
        error(&schema(r#"<ComplexType Name="a" BaseType="n.a"/>"#)),
        "expected a chain of base types that ends, found a cycle: n.a -> n.a"
    );
    assert_eq!(
        error(&schema(
            r#"<ComplexType Name="c" BaseType="n.a"/><ComplexType Name="a" BaseType="n.b"/><ComplexType Name="b" BaseType="n.a"/>"#
        )),
        "expected a chain of base types that ends, found a cycle: n.a -> n.b -> n.a"
    );
    assert_eq!(
        error(&schema(r#"<ComplexType Name="a"/><EntityType Name="a"/>"#)),
        "`n.a` is declared twice (CSDL byte 45)"
    );
    assert_eq!(
        error(&schema(
            r#"<ComplexType Name="a"><ComplexType Name="b"/></ComplexType>"#
        )),
        "expected the end of `n.a` before the type `n.b`, found it inside (CSDL byte 44)"
    );
    assert_eq!(
        error(&schema(
            r#"<ComplexType Name="a"/><EntityContainer><EntitySet Name="s" EntityType="n.a"/><Singleton Name="s" Type="n.a"/></EntityContainer>"#
        )),
        "`s` is declared twice in the entity container (CSDL byte 100)"
    );
}
