//! Graph's throttling scopes, row by row of the table on [`ThrottleScopes`].

use super::*;

/// Asserts that Graph's scope of every path in `paths` is `expected`.
#[track_caller]
fn assert_scope(expected: &str, paths: &[&str]) {
    let graph = ThrottleScopes::graph();
    for path in paths {
        assert_eq!(graph.scope(path), expected, "the scope of `{path}`");
    }
}

#[test]
fn a_users_outlook_paths_are_that_users_mailbox() {
    let paths: Vec<String> = USER_MAILBOX
        .iter()
        .map(|navigation| format!("/users/a@b.com/{navigation}"))
        .collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    assert_scope("mailbox:users/a@b.com", &paths);
    assert_scope(
        "mailbox:users/a@b.com",
        &[
            "/users/a@b.com/messages/AAMk=/attachments",
            "/users/a@b.com/mailFolders('Inbox')/messages",
            "/users/a@b.com/calendarView",
            "/users/a@b.com/reminderView(StartDateTime='2025-01-01',EndDateTime='2025-01-02')",
            "/users/a@b.com/photo/$value",
        ],
    );
    assert_scope("mailbox:users/c@b.com", &["/users/c@b.com/messages"]);
}

#[test]
fn a_users_key_is_one_mailbox_whatever_its_spelling() {
    assert_scope(
        "mailbox:users/o'neil@b.com",
        &[
            "/users/o'neil@b.com/messages",
            "/users/O'Neil%40B.com/mailFolders",
            "/users/o%27neil%40b.com/events",
            "/users('o''neil@b.com')/messages",
            "/users(%27O%27%27Neil%40b.com%27)/contacts",
            "/users(userPrincipalName='o''neil@b.com')/calendar",
            "/USERS(UserPrincipalName='O''NEIL@B.COM')/MESSAGES",
            "//users//o'neil@b.com//messages",
        ],
    );
    assert_scope(
        "mailbox:users/7f1d0c1e-0000-4000-8000-00000000000a",
        &[
            "/users/7F1D0C1E-0000-4000-8000-00000000000A/messages",
            "/users('7f1d0c1e-0000-4000-8000-00000000000a')/messages",
            "/users(id='7f1d0c1e-0000-4000-8000-00000000000a')/mailFolders",
        ],
    );
}

#[test]
fn the_outlook_paths_of_me_are_the_signed_in_users_mailbox() {
    assert_scope(
        "mailbox:me",
        &[
            "/me/messages",
            "/me/mailFolders/inbox/messages",
            "/Me/Events",
            "/me/calendar/events",
            "/me/contacts",
            "/me/mailboxSettings",
            "/me/sendMail",
            "/me/todo/lists",
        ],
    );
}

#[test]
fn a_groups_outlook_paths_are_that_groups_mailbox() {
    assert_scope(
        "mailbox:groups/g1",
        &[
            "/groups/g1/conversations",
            "/groups/G1/threads/t1/posts",
            "/groups/g1/events",
            "/groups/g1/calendar",
            "/groups/g1/calendarView",
            "/groups/g1/photo/$value",
            "/groups('g1')/acceptedSenders",
            "/groups/g1/rejectedSenders",
        ],
    );
    assert_scope("mailbox:groups/g2", &["/groups/g2/conversations"]);
    // A group's messages are not a path of Outlook: it has conversations and threads.
    assert_scope("identity", &["/groups/g1/members", "/groups/g1/messages"]);
}

#[test]
fn intune_paths_are_intune() {
    assert_scope(
        "intune",
        &[
            "/deviceManagement",
            "/deviceManagement/deviceConfigurations/c1/assign",
            "/deviceManagement/intents/i1/assignments",
            "/DEVICEAPPMANAGEMENT/mobileApps",
            "/users/a/managedDevices",
            "/me/managedAppRegistrations",
        ],
    );
}

#[test]
fn files_and_sharepoint_paths_are_files() {
    assert_scope(
        "files",
        &[
            "/drives/d1/items/i1/children",
            "/drive/root",
            "/sites/root/lists",
            "/shares/u!aHR0cHM6/driveItem",
            "/users/a/drive/root/children",
            "/users/a/drives",
            "/users/a/followedSites",
            "/me/drive/root:/a.txt:/content",
            "/groups/g1/drive",
            "/groups/g1/sites/root",
        ],
    );
}

#[test]
fn teams_paths_are_teams() {
    assert_scope(
        "teams",
        &[
            "/teams/t1/channels",
            "/chats/c1/messages",
            "/teamwork/sendActivityNotificationToRecipients",
            "/appCatalogs/teamsApps",
            "/users/a/chats",
            "/users/a/joinedTeams",
            "/users/a/teamwork/sendActivityNotification",
            "/me/chats/c1/messages",
            "/groups/g1/team",
        ],
    );
}

#[test]
fn planner_paths_are_planner() {
    assert_scope(
        "planner",
        &[
            "/planner/tasks/t1",
            "/users/a/planner/tasks",
            "/me/planner/plans",
            "/groups/g1/planner/plans",
        ],
    );
}

#[test]
fn onenote_paths_are_onenote() {
    assert_scope(
        "onenote",
        &[
            "/users/a/onenote/notebooks",
            "/me/onenote/pages",
            "/groups/g1/onenote/sections",
        ],
    );
}

#[test]
fn insights_paths_are_insights() {
    assert_scope(
        "insights",
        &["/users/a/insights/trending", "/me/insights/used"],
    );
}

#[test]
fn cloud_communications_paths_are_communications() {
    assert_scope(
        "communications",
        &[
            "/communications/callRecords/r1",
            "/communications/onlineMeetings",
            "/users/a/presence",
            "/me/presence",
        ],
    );
}

#[test]
fn search_and_connector_paths_are_search() {
    assert_scope(
        "search",
        &["/search/query", "/external/connections/c1/items/i1"],
    );
}

#[test]
fn each_report_is_a_scope_of_its_own() {
    assert_scope(
        "reports/getoffice365activeuserdetail",
        &[
            "/reports/getOffice365ActiveUserDetail(period='D7')",
            "/reports/getOffice365ActiveUserDetail(date=2025-01-01)",
        ],
    );
    assert_scope(
        "reports/getteamsuseractivityuserdetail",
        &["/reports/getTeamsUserActivityUserDetail(period='D30')"],
    );
    assert_scope("reports", &["/reports"]);
}

#[test]
fn identity_and_access_paths_are_identity() {
    assert_scope(
        "identity",
        &[
            "/users",
            "/users/$count",
            "/users/delta()",
            "/users/a",
            "/users('a@b.com')",
            "/users/a/memberOf/microsoft.graph.group",
            "/users/a/manager",
            "/groups",
            "/groups/g1",
            "/groups/g1/members/$ref",
            "/me",
            "/me/memberOf",
            "/me/checkMemberGroups",
            "/applications(appId='a1')",
            "/servicePrincipals/s1/appRoleAssignments",
            "/directoryObjects/getByIds",
            "/devices",
            "/directoryRoles",
            "/directoryRoleTemplates",
            "/domains/contoso.com/domainNameReferences",
            "/organization",
            "/contacts",
            "/contracts",
            "/oauth2PermissionGrants",
            "/subscribedSkus",
            "/groupSettings",
            "/groupSettingTemplates",
            "/policies/tokenLifetimePolicies",
            "/directory/deletedItems",
        ],
    );
}

#[test]
fn any_other_path_is_a_scope_of_its_first_segment() {
    assert_scope("/security", &["/security/alerts_v2", "/Security/incidents"]);
    assert_scope("/education", &["/education/classes"]);
    assert_scope("/subscriptions", &["/subscriptions/s1"]);
    assert_scope("/print", &["/print/printers"]);
    assert_scope("/auditlogs", &["/auditLogs/signIns"]);
    assert_scope("/$batch", &["/$batch"]);
    assert_scope("/newservice", &["/newService(x=1)/things"]);
    assert_scope("/", &["/", ""]);
}

#[test]
fn a_leading_version_segment_is_passed_over() {
    assert_scope("identity", &["/beta/users", "/V1.0/groups/g1"]);
    assert_scope("mailbox:users/a", &["/beta/users/a/messages"]);
    assert_scope("/", &["/beta", "/v1.0/"]);
}

#[test]
fn percent_escapes_that_are_not_two_hex_digits_stay_as_they_are() {
    assert_eq!(percent_decode("a%2Fb%zz%4"), "a/b%zz%4");
    assert_eq!(percent_decode("%E2%82%AC%FF"), "€\u{FFFD}");
    assert_eq!(percent_decode("plain"), "plain");
}

#[test]
fn origin_scopes_put_every_path_in_one_and_custom_scopes_are_the_functions() {
    let origin = ThrottleScopes::origin();
    assert_eq!(origin.scope("/users/a/messages"), origin.scope("/groups"));
    let custom = ThrottleScopes::custom(|path| path.len().to_string());
    assert_eq!(custom.scope("/users"), "6");
    assert_eq!(custom.scope("/groups"), "7");
    assert_eq!(format!("{custom:?}"), "ThrottleScopes::custom(..)");
    assert_eq!(
        format!("{:?}", ThrottleScopes::default()),
        "ThrottleScopes::graph()"
    );
}
